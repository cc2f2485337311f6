from django.urls import path

from cells.hierarchy import views as hierarchy_views
from cells.imports import views as imports
from cells.logins import views as logins
from cells.meetings import views as meetings
from cells.people import views as people_views

app_name = "cells"

urlpatterns = [
    # Browsing and editing the hierarchy (cells/hierarchy/views.py)
    path("tree/", hierarchy_views.tree, name="tree"),
    path("tree/<str:code>/children/", hierarchy_views.tree_children, name="tree_children"),
    path("cells/", hierarchy_views.cell_list, name="cell_list"),
    path("organizations/new/", hierarchy_views.organization_create, name="organization_create"),
    path("organizations/<str:code>/", hierarchy_views.organization_detail, name="organization_detail"),
    path("organizations/<str:code>/edit/", hierarchy_views.organization_edit, name="organization_edit"),
    path("members/", people_views.member_list, name="member_list"),
    path("members/new/", people_views.member_create, name="member_create"),
    path("members/<int:pk>/edit/", people_views.member_edit, name="member_edit"),
    # Meeting schedules and meetings (cells/meetings/views.py)
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/cancel/", meetings.meeting_cancel, name="meeting_cancel"),
    path("organizations/<str:code>/schedule/", meetings.schedule_edit, name="schedule_edit"),
    path("organizations/<str:code>/meetings/new/", meetings.meeting_create, name="meeting_create"),
    # Logins of the subtree (cells/logins/views.py)
    path("logins/", logins.login_list, name="login_list"),
    path("logins/new/", logins.login_create, name="login_create"),
    path("logins/<int:pk>/deactivate/", logins.login_deactivate, name="login_deactivate"),
    path("logins/<int:pk>/reactivate/", logins.login_reactivate, name="login_reactivate"),
    path("logins/<int:pk>/resend/", logins.login_resend, name="login_resend"),
    # Imports (cells/imports/views.py)
    path("import/", imports.import_upload, name="import_upload"),
    path("import/<str:token>/", imports.import_preview, name="import_preview"),
]
