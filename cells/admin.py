from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cells.models import CellType, CellTypeGroup, Meeting, MeetingSchedule, Member, Organization, UserProfile


@admin.register(CellTypeGroup)
class CellTypeGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "order"]


@admin.register(CellType)
class CellTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "group"]
    list_filter = ["group"]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "cell_type", "parent"]
    list_filter = ["kind", "cell_type"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent", "successor"]


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):
    list_display = ["card_number", "full_name", "cell", "status"]
    search_fields = ["card_number", "full_name"]
    raw_id_fields = ["cell"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["cell", "date", "start_time", "kind", "status"]
    raw_id_fields = ["cell"]


@admin.register(MeetingSchedule)
class MeetingScheduleAdmin(SimpleHistoryAdmin):
    raw_id_fields = ["cell"]


@admin.register(UserProfile)
class UserProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "scope"]
    raw_id_fields = ["user", "scope"]
