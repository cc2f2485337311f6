from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assignments.models import Cadre, JobRun, Notification


@admin.register(Cadre)
class CadreAdmin(SimpleHistoryAdmin):
    list_display = ["code", "full_name", "position", "organization"]
    search_fields = ["code", "full_name"]
    raw_id_fields = ["organization", "user", "member"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """For looking a notice up by cadre, recipient, kind or period; the notices are written by the jobs only."""

    list_display = ["cadre", "recipient", "kind", "period", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["kind", "status"]
    search_fields = ["cadre__code", "cadre__full_name", "recipient__username", "period", "last_error"]
    raw_id_fields = ["cadre", "recipient", "job_run"]
    readonly_fields = ["created_at", "sent_at", "enqueued_at", "claimed_at", "attempts", "last_error"]


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["job", "period", "source", "outcome", "started_at", "created", "enqueued", "expired"]
    list_filter = ["job", "outcome", "source"]
    readonly_fields = [field.name for field in JobRun._meta.fields]
