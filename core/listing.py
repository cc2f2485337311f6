"""One way to show a list: django-filter narrows it, django-tables2 sorts and pages it, and the same
filtered rows can be downloaded as CSV or XLSX (``?export=csv`` / ``?export=xlsx``)."""

from __future__ import annotations

import csv
from io import BytesIO

import django_tables2 as tables
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_filters import FilterSet
from openpyxl import Workbook

EXPORT_FORMATS = {"csv", "xlsx"}
PAGE_SIZE = 50
# The query flag of "show everything" on a list that opens filtered (see ``render_list``'s defaults).
SHOW_ALL = "all"


def export_rows(table: tables.Table) -> tuple[list[str], list[list[str]]]:
    """Header and rows of every filtered record (not only the current page), as displayed text."""
    columns = [column for column in table.columns if column.column.exclude_from_export is False]
    header = [str(column.header) for column in columns]
    rows = [[_plain(row.get_cell_value(column.name)) for column in columns] for row in table.rows]
    return header, rows


def _plain(value) -> str:
    from django.utils.html import strip_tags

    return strip_tags(str(value)) if value is not None else ""


def export_response(table: tables.Table, fmt: str, basename: str) -> HttpResponse:
    header, rows = export_rows(table)
    filename = f"{basename}-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with a BOM.
        writer = csv.writer(response)
        writer.writerow(header)
        writer.writerows(rows)
    else:
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        buffer = BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def render_list(
    request: HttpRequest,
    *,
    queryset,
    table_class: type[tables.Table],
    filterset_class: type[FilterSet] | None,
    template: str,
    export_name: str,
    context: dict | None = None,
    filterset_kwargs: dict | None = None,
    default_filters: dict[str, str] | None = None,
) -> HttpResponse:
    """``default_filters`` open the list where the work is (e.g. this month): they apply, visibly in the
    filter form, while the query names none of the filters; ``?all=1`` (``show_all_url``) shows all."""
    filterset, state = None, "all"
    if filterset_class is not None:
        data, state = _filter_data(request, filterset_class, default_filters)
        filterset = filterset_class(data, queryset=queryset, request=request, **(filterset_kwargs or {}))
        queryset = filterset.qs
        if state == "all" and _narrowed(filterset):
            state = "filtered"
    table = table_class(queryset, request=request)
    fmt = request.GET.get("export")
    if fmt in EXPORT_FORMATS:
        table.order_by = request.GET.get("sort")
        return export_response(table, fmt, export_name)
    tables.RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    ctx = {
        "table": table,
        "filter": filterset,
        "export_formats": sorted(EXPORT_FORMATS),
        "list_state": state,  # "default" (opened on its defaults), "filtered" or "all"
        "show_all_url": f"{request.path}?{SHOW_ALL}=1" if default_filters else "",
    }
    ctx.update(context or {})
    return render(request, template, ctx)


def _filter_data(request: HttpRequest, filterset_class: type[FilterSet], defaults: dict[str, str] | None):
    """The filter's data and whether it is the defaults: those apply until the user names a filter
    (paging, sorting and exporting keep them) or asks for everything."""
    named = any(name in request.GET for name in filterset_class.base_filters)
    if not defaults or named or SHOW_ALL in request.GET:
        return request.GET or None, "all"
    data = request.GET.copy()
    data.update(defaults)
    return data, "default"


def _narrowed(filterset: FilterSet) -> bool:
    """Whether a filter with a value narrowed the list (an empty form shows everything)."""
    cleaned = getattr(filterset.form, "cleaned_data", {})
    return any(value not in (None, "", [], ()) for value in cleaned.values())
