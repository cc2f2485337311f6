"""The import page: upload a file, preview what it changes, confirm. Organization staff only, and
only inside their own subtree (the importers are run scoped to the user)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cells.access.roles import STAFF, role_required
from cells.access.scope import user_root
from cells.imports.base import ImportContext, Plan
from cells.imports.errors import ImportRejected
from cells.imports.forms import ImportUploadForm
from cells.imports.registry import importer_for, importers
from cells.imports.services import import_apply, import_plan
from cells.imports.storage import upload_discard, upload_load, upload_store

PREVIEW_ROWS = 200  # rows listed per section; the counts always cover the whole file
ALLOW_UNASSIGNED = "allow_unassigned"  # query parameter carrying the option from upload to confirmation


def _context(request: HttpRequest, *, allow_unassigned: bool = False) -> ImportContext:
    return ImportContext(
        user=request.user, scoped=True, root=user_root(request.user), allow_unassigned=allow_unassigned
    )


def _preview_url(token: str, allow_unassigned: bool) -> str:
    url = reverse("cells:import_preview", kwargs={"token": token})
    return f"{url}?{ALLOW_UNASSIGNED}=1" if allow_unassigned else url


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        kind, upload = form.cleaned_data["kind"], form.cleaned_data["file"]
        allow_unassigned = form.cleaned_data["allow_unassigned"]
        data = upload.read()
        context = _context(request, allow_unassigned=allow_unassigned)
        plan = import_plan(kind=kind, data=data, filename=upload.name, context=context)
        if not plan.errors:
            token = upload_store(user=request.user, kind=kind, filename=upload.name, data=data)
            return redirect(_preview_url(token, allow_unassigned))
        errors = plan.errors
    context = {"form": form, "errors": errors, "importers": importers()}
    return render(request, "cells/imports/upload.html", context)


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    upload = upload_load(user=request.user, token=token)
    if upload is None:
        raise Http404
    arguments = {
        "kind": upload.kind,
        "data": upload.data,
        "filename": upload.filename,
        "context": _context(request, allow_unassigned=request.GET.get(ALLOW_UNASSIGNED) == "1"),
    }
    if request.method == "POST":
        try:
            plan = import_apply(**arguments)
        except ImportRejected as rejected:
            return _render_preview(request, upload, Plan(upload.kind, (), errors=rejected.errors))
        upload_discard(user=request.user, token=token)
        messages.success(request, _imported_message(plan))
        return redirect("cells:import_upload")
    return _render_preview(request, upload, import_plan(**arguments))


def _render_preview(request: HttpRequest, upload, plan: Plan) -> HttpResponse:
    sections = [
        (status, label, plan.rows_with(status))
        for status, label in (
            ("created", _("To create")),
            ("updated", _("To update")),
            ("unchanged", _("Unchanged")),
        )
    ]
    context = {
        "upload": upload,
        "importer": importer_for(upload.kind),
        "plan": plan,
        "counts": plan.counts,
        "sections": [(status, label, rows[:PREVIEW_ROWS], len(rows)) for status, label, rows in sections],
        "preview_rows": PREVIEW_ROWS,
    }
    return render(request, "cells/imports/preview.html", context)


def _imported_message(plan: Plan) -> str:
    counts = plan.counts
    return _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % counts
