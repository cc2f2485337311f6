from django.urls import path

from .views import browse, imports, logins, meetings

app_name = "cells"

urlpatterns = [
    # Browsing and editing the hierarchy (cells/views/browse.py)
    path("tree/", browse.tree, name="tree"),
    path("tree/<str:code>/children/", browse.tree_children, name="tree_children"),
    path("cells/", browse.cell_list, name="cell_list"),
    path("organizations/new/", browse.organization_create, name="organization_create"),
    path("organizations/<str:code>/", browse.organization_detail, name="organization_detail"),
    path("organizations/<str:code>/edit/", browse.organization_edit, name="organization_edit"),
    path("members/", browse.member_list, name="member_list"),
    path("members/new/", browse.member_create, name="member_create"),
    path("members/<int:pk>/edit/", browse.member_edit, name="member_edit"),
    # Meeting schedules and meetings (cells/views/meetings.py)
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/cancel/", meetings.meeting_cancel, name="meeting_cancel"),
    path("organizations/<str:code>/schedule/", meetings.schedule_edit, name="schedule_edit"),
    path("organizations/<str:code>/meetings/new/", meetings.meeting_create, name="meeting_create"),
    # Logins of the subtree (cells/views/logins.py)
    path("logins/", logins.login_list, name="login_list"),
    path("logins/new/", logins.login_create, name="login_create"),
    path("logins/<int:pk>/deactivate/", logins.login_deactivate, name="login_deactivate"),
    path("logins/<int:pk>/reactivate/", logins.login_reactivate, name="login_reactivate"),
    path("logins/<int:pk>/resend/", logins.login_resend, name="login_resend"),
    # Imports (cells/views/imports.py)
    path("import/", imports.import_upload, name="import_upload"),
    path("import/<str:token>/", imports.import_preview, name="import_preview"),
]
