"""``manage.py coverage_report``: the coverage table of a root committee for a period, from the same
selector as the dashboard and the exports (reports.coverage.selectors), as JSON, CSV or a text table.

    manage.py coverage_report [--root CODE] (--year Y [--quarter Q | --month M] | --from D --to D)
                              [--basis attended|assigned] [--format json|csv|table]

Every value is checked here rather than by argparse, so a bad argument ends with one line on stderr
("CommandError: …") and exit status 1, never a usage dump.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cells.models import Organization
from core.numbers import DIRECT_TIER, SUBORDINATE_TIER
from reports.coverage.formatting import percent_text
from reports.coverage.selectors import Basis, Coverage, Period, Row, coverage

FORMATS = ("json", "csv", "table")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
CSV_HEADER = ["level", "code", "name", "cells", "covered", "percent"]


class Command(BaseCommand):
    help = (
        "Coverage of a root committee's cells for a year, quarter, month or any from-to period, "
        "on the attended or assigned basis, as JSON, CSV (UTF-8 with BOM) or a text table."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--root", metavar="CODE", help="the committee's code; optional with one root")
        parser.add_argument("--year", metavar="Y")
        parser.add_argument("--quarter", metavar="Q", help="1 to 4, with --year")
        parser.add_argument("--month", metavar="M", help="1 to 12, with --year")
        parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD")
        parser.add_argument("--basis", default=Basis.ATTENDED, metavar="attended|assigned")
        parser.add_argument("--format", dest="output", default="table", metavar="json|csv|table")

    def handle(self, *args, **options) -> None:
        # The arguments are checked before the database is read: a typo costs no query.
        period = period_from(options)
        basis = _choice("--basis", options["basis"], Basis.VALUES)
        output = _choice("--format", options["output"], FORMATS)
        result = coverage(root=root_from(options["root"]), period=period, basis=basis)
        _use_utf8(self.stdout)
        self.stdout.write(RENDERERS[output](result), ending="")


# --- Reading the arguments ------------------------------------------------------------------------------
def period_from(options: dict) -> Period:
    year, quarter, month = options["year"], options["quarter"], options["month"]
    start, end = options["start"], options["end"]
    if quarter is not None and month is not None:
        raise CommandError(_("Give --quarter or --month, not both."))
    if (quarter is not None or month is not None) and year is None:
        raise CommandError(_("--quarter and --month need --year."))
    if year is not None and (start is not None or end is not None):
        raise CommandError(_("Give either --year or --from and --to, not both."))
    if year is None and start is None and end is None:
        raise CommandError(_("Give --year (with --quarter or --month if wanted) or --from and --to."))
    if year is None and (start is None or end is None):
        raise CommandError(_("--from and --to go together: give both."))
    try:
        if year is None:
            return Period(_date("--from", start), _date("--to", end))
        return Period.of_year(
            _number("--year", year, 1, 9999),
            quarter=None if quarter is None else _number("--quarter", quarter, 1, 4),
            month=None if month is None else _number("--month", month, 1, 12),
        )
    except ValueError as error:  # the period starts after it ends
        raise CommandError(str(error)) from None


def _number(option: str, value: str, low: int, high: int) -> int:
    if value.strip().isdigit() and low <= int(value) <= high:
        return int(value)
    raise CommandError(
        _("%(option)s must be a number from %(low)s to %(high)s, not “%(value)s”.")
        % {"option": option, "low": low, "high": high, "value": value}
    )


def _date(option: str, value: str) -> date:
    try:
        if ISO_DATE.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise CommandError(
        _("%(option)s must be a date written YYYY-MM-DD, not “%(value)s”.")
        % {"option": option, "value": value}
    )


def _choice(option: str, value: str, allowed: tuple[str, ...]) -> str:
    if value in allowed:
        return value
    raise CommandError(
        _("%(option)s must be one of %(allowed)s, not “%(value)s”.")
        % {"option": option, "allowed": ", ".join(allowed), "value": value}
    )


def root_from(code: str | None) -> Organization:
    """The committee named by ``--root``, else the only root committee there is."""
    if code is not None:
        organization = Organization.objects.filter(code=code).first()
        if organization is None:
            raise CommandError(_("Unknown root committee: “%(code)s”.") % {"code": code})
        if not organization.is_committee:
            raise CommandError(_("“%(code)s” is a cell, not a committee.") % {"code": code})
        return organization
    roots = list(Organization.objects.roots().committees().order_by("code"))
    if not roots:
        raise CommandError(_("There is no root committee yet."))
    if len(roots) > 1:
        raise CommandError(
            _("There are several root committees (%(codes)s): choose one with --root.")
            % {"codes": ", ".join(root.code for root in roots)}
        )
    return roots[0]


def _use_utf8(stdout) -> None:
    """Vietnamese names must survive a terminal or pipe set to another encoding (JSON keeps them as
    they are, ensure_ascii=False)."""
    stream = getattr(stdout, "_out", None)
    if stream is sys.stdout and isinstance(stream, io.TextIOWrapper) and stream.encoding.lower() != "utf-8":
        stream.reconfigure(encoding="utf-8")


# --- Writing the table ----------------------------------------------------------------------------------
def as_json(result: Coverage) -> str:
    return json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n"


def csv_rows(result: Coverage) -> list[tuple[str, Row]]:
    """(level, row) in the table's order: each tier then its groups, the committees, the total."""
    rows: list[tuple[str, Row]] = []
    for level, tier in (("direct", result.direct), ("subordinate", result.subordinate)):
        rows.append((level, tier))
        rows += [(f"{level}_group", group) for group in tier.groups]
    rows += [("committee", committee) for committee in result.committees]
    rows.append(("total", result.total))
    return rows


def as_csv(result: Coverage) -> str:
    """One line per row; numbers as in JSON. A BOM first: Excel reads UTF-8 (Vietnamese) only with it."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for level, row in csv_rows(result):
        writer.writerow([level, row.code, row.name, row.cells, row.covered, f"{row.percent:.2f}"])
    return buffer.getvalue()


def as_table(result: Coverage) -> str:
    """An aligned text table in the official form, "78/267 = 29,21%" (the active language's style):
    the tiers with their groups and the total, then the grassroots committees."""
    tiers, committees = _tier_lines(result), _committee_lines(result)
    lines = tiers + committees
    widths = (
        max(len(label) for label, _row in lines),
        max(len(f"{row.covered}/{row.cells}") for _label, row in lines),
        max(len(percent_text(row.percent)) for _label, row in lines),
    )
    blocks = [_title(result), "", *_aligned(tiers, widths)]
    if committees:
        blocks += ["", _("Grassroots committees"), *_aligned(committees, widths)]
    return "\n".join([*blocks, "", _cadres_line(result)]) + "\n"


def _aligned(lines: list[tuple[str, Row]], widths: tuple[int, int, int]) -> list[str]:
    label, fraction, share = widths
    return [
        f"{text:<{label}}  {f'{row.covered}/{row.cells}':>{fraction}} = {percent_text(row.percent):>{share}}"
        for text, row in lines
    ]


def _tier_lines(result: Coverage) -> list[tuple[str, Row]]:
    lines = [(str(DIRECT_TIER), result.direct)]
    lines += [(f"  {group.name}", group) for group in result.direct.groups]
    lines.append((str(SUBORDINATE_TIER), result.subordinate))
    lines += [(f"  {group.name}", group) for group in result.subordinate.groups]
    return [*lines, (_("Total"), result.total)]


def _committee_lines(result: Coverage) -> list[tuple[str, Row]]:
    return [(f"  {row.code} {row.name}", row) for row in result.committees]


def _title(result: Coverage) -> str:
    return _("Coverage of %(root)s, %(start)s – %(end)s, basis: %(basis)s") % {
        "root": f"{result.root.code} {result.root.name}",
        "start": result.period.start.strftime("%d/%m/%Y"),
        "end": result.period.end.strftime("%d/%m/%Y"),
        "basis": str(dict(Basis.CHOICES)[result.basis]).lower(),
    }


def _cadres_line(result: Coverage) -> str:
    return _("Cadres assigned: %(assigned)s; cadres who attended: %(attended)s") % {
        "assigned": result.cadres_assigned,
        "attended": result.cadres_attended,
    }


RENDERERS = {"json": as_json, "csv": as_csv, "table": as_table}
