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
) -> HttpResponse:
    filterset = None
    if filterset_class is not None:
        filterset = filterset_class(
            request.GET or None, queryset=queryset, request=request, **(filterset_kwargs or {})
        )
        queryset = filterset.qs
    table = table_class(queryset, request=request)
    fmt = request.GET.get("export")
    if fmt in EXPORT_FORMATS:
        table.order_by = request.GET.get("sort")
        return export_response(table, fmt, export_name)
    tables.RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    ctx = {"table": table, "filter": filterset, "export_formats": sorted(EXPORT_FORMATS)}
    ctx.update(context or {})
    return render(request, template, ctx)
