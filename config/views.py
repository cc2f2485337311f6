"""The shell's own pages: the home page each role lands on, the lockout page and a health probe."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cells.access.navigation import nav_items_for
from cells.access.roles import Role, user_role
from config.home import home_for


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The role's to-do list (config/home.py), then the shortcuts of its menu."""
    shortcuts = [item for item in nav_items_for(request.user) if item["name"] != "home"]
    role = user_role(request.user)
    todo = home_for(request.user, timezone.localdate())
    context = {"role": role, "roles": Role, "shortcuts": shortcuts, "todos": todo.todos, **todo.extra}
    return render(request, "home.html", context)


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: answers when the process runs and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def lockout(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out login (AXES_LOCKOUT_CALLABLE): our page, in the user's language.

    The cool-off comes from the environment (AXES_COOLOFF_MINUTES), so the page states it rather than
    a fixed number. 429 Too Many Requests, as django-axes answers by default.
    """
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/lockout.html", {"minutes": minutes}, status=429)
