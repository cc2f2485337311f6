from django.urls import path

from assignments.cadre_pages import views as cadre_views
from assignments.cadres import views
from assignments.notes import views as note_views
from assignments.notes import views as review_views
from assignments.notifications import views as notifications_views
from assignments.plans import views as notice_views
from assignments.plans import views as plan_copy_views
from assignments.plans import views as plan_views
from assignments.reminders import views as reminders_views
from assignments.visits import views as visits_views

app_name = "assignments"

urlpatterns = [
    # Cadres (assignments/cadres/views.py)
    path("cadres/", views.cadre_list, name="cadre_list"),
    path("cadres/new/", views.cadre_create, name="cadre_create"),
    path("cadres/<str:code>/", views.cadre_detail, name="cadre_detail"),
    path("cadres/<str:code>/edit/", views.cadre_edit, name="cadre_edit"),
    path("cadres/<str:code>/invite/", views.cadre_invite, name="cadre_invite"),
    # The yearly plan (assignments/plans/views.py)
    path("plans/", plan_views.plan_list, name="plan_list"),
    path("plans/new/", plan_views.plan_create, name="plan_create"),
    path("plans/start/", plan_copy_views.plan_start, name="plan_start"),
    path("plans/<int:pk>/copied/", plan_copy_views.plan_copy_result, name="plan_copy_result"),
    path("plans/<int:pk>/delete/", plan_views.plan_delete, name="plan_delete"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plan_views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/assign/", plan_views.plan_assign, name="plan_assign"),
    path("plans/<int:pk>/unassign/<int:assignment_pk>/", plan_views.plan_unassign, name="plan_unassign"),
    path("plans/<int:pk>/cells/", plan_views.plan_cell_search, name="plan_cell_search"),
    path("plans/<int:pk>/checks/", plan_views.plan_checks, name="plan_checks"),
    path("plans/<int:pk>/issue/", plan_views.plan_issue, name="plan_issue"),
    path("plans/<int:pk>/amend/", plan_views.plan_amend, name="plan_amend"),
    path("plans/<int:pk>/invite/", plan_views.plan_invite, name="plan_invite"),
    path("assigned-cadres/", plan_views.assigned_cadres, name="assigned_cadres"),
    # The notice as a document (assignments/plans/views.py)
    path("plans/<int:pk>/notice.docx", notice_views.plan_notice_docx, name="plan_notice_docx"),
    path("plans/<int:pk>/notice.pdf", notice_views.plan_notice_pdf, name="plan_notice_pdf"),
    # Visits and notifications (assignments/visits/views.py)
    path("visits/", visits_views.visit_list, name="visit_list"),
    path("visits/new/", visits_views.visit_create, name="visit_create"),
    path("visits/propose/", visits_views.visit_propose, name="visit_propose"),
    path("visits/access-log/", visits_views.visit_access_log, name="visit_access_log"),
    path("visits/<int:pk>/", visits_views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", visits_views.visit_edit, name="visit_edit"),
    path("notifications/", notifications_views.notification_list, name="notification_list"),
    path("notifications/<int:pk>/read/", notifications_views.notification_read, name="notification_read"),
    # Reminders: preferences and the operations page (assignments/notifications/views.py)
    path(
        "notifications/preferences/",
        notifications_views.notification_preferences,
        name="notification_preferences",
    ),
    path("operations/", reminders_views.operations_page, name="operations"),
    path("operations/reconcile/", reminders_views.operations_reconcile, name="operations_reconcile"),
    path(
        "operations/schedule/<slug:key>/pause/",
        reminders_views.operations_schedule_pause,
        name="operations_schedule_pause",
    ),
    path(
        "operations/schedule/<slug:key>/resume/",
        reminders_views.operations_schedule_resume,
        name="operations_schedule_resume",
    ),
    # The cadre's own pages and calendar feed (assignments/cadre_pages/views.py)
    path("me/", cadre_views.my_visits, name="my_visits"),
    path("me/calendar/", cadre_views.my_calendar, name="my_calendar"),
    path("me/calendar/turn-off/", cadre_views.my_calendar_revoke, name="my_calendar_revoke"),
    path("me/notes/", cadre_views.my_notes, name="my_notes"),
    path("me/meetings/", cadre_views.my_meetings, name="my_meetings"),
    path("feed/<str:token>.ics", cadre_views.calendar_feed, name="calendar_feed"),
    # Attendance notes: the cadre's side (assignments/notes/views.py)
    path("visits/<int:pk>/note/", note_views.note_start, name="note_start"),
    path("me/attendance/new/", note_views.note_unplanned, name="note_unplanned"),
    path("notes/<int:pk>/edit/", note_views.note_edit, name="note_edit"),
    path("notes/<int:pk>/autosave/", note_views.note_autosave, name="note_autosave"),
    path("notes/<int:pk>/confirm/", note_views.note_confirm, name="note_confirm"),
    path("notes/<int:pk>/submit/", note_views.note_submit, name="note_submit"),
    path("notes/<int:pk>/attachments/", note_views.note_attachment_upload, name="note_attachment_upload"),
    path("attachments/<int:pk>/", note_views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", note_views.attachment_delete, name="attachment_delete"),
    # Review and escalation (assignments/notes/views.py)
    path("notes/", review_views.note_review_list, name="note_review_list"),
    path("notes/<int:pk>/", review_views.note_detail, name="note_detail"),
    path("notes/<int:pk>/review/", review_views.note_review, name="note_review"),
    path("escalations/", review_views.escalation_list, name="escalation_list"),
    path("escalations/<int:pk>/", review_views.escalation_detail, name="escalation_detail"),
]
