from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Cadre


@admin.register(Cadre)
class CadreAdmin(SimpleHistoryAdmin):
    list_display = ["code", "full_name", "position", "organization"]
    search_fields = ["code", "full_name"]
    raw_id_fields = ["organization", "user", "member"]
