"""The documents' chart: coverage by group as horizontal bars, assigned against attended, as a PNG.

Drawn with matplotlib's Agg backend (no display, no GUI toolkit) in its bundled DejaVu Sans, which has
every Vietnamese glyph. The PNG goes into the DOCX as a picture and into the PDF as a data URI; the
numbers it shows are the table's, printed next to it, so the chart adds nothing a reader could miss.
The labels are the document's fixed Vietnamese words, like the rest of the party form.
"""

from __future__ import annotations

from io import BytesIO

from core.numbers import DIRECT_TIER_DOCUMENT, SUBORDINATE_TIER_DOCUMENT
from reports.coverage.formatting import percent_text
from reports.periodic.figures import DIRECT, GROUP, SUBORDINATE, TOTAL, CoverageLine, coverage_lines

LABELS = {
    DIRECT: DIRECT_TIER_DOCUMENT,
    SUBORDINATE: SUBORDINATE_TIER_DOCUMENT,
    TOTAL: "Tổng cộng",
}
LEGEND_ASSIGNED = "Được phân công"
LEGEND_ATTENDED = "Đã dự sinh hoạt"
AXIS_LABEL = "Tỷ lệ chi bộ (%)"
COLOURS = {"assigned": "#c9c9c9", "attended": "#a50e0e"}  # grey, and the app's party red
WIDTH_IN, DPI = 6.3, 200


def chart_lines(snapshot: dict) -> list[tuple[str, CoverageLine]]:
    """The bars, top to bottom: direct cells, the subordinate cells' groups, the total."""
    bars = []
    tier = None
    for line in coverage_lines(snapshot):
        if line.kind == GROUP:
            if tier == SUBORDINATE:
                bars.append((line.name, line))
            continue
        tier = line.kind
        if line.kind != SUBORDINATE:
            bars.append((LABELS[line.kind], line))
    return bars


def coverage_chart_png(snapshot: dict) -> bytes:
    import matplotlib

    matplotlib.use("Agg")  # before pyplot: servers and workers have no display
    from matplotlib import pyplot

    bars = chart_lines(snapshot)
    figure, axes = pyplot.subplots(figsize=(WIDTH_IN, 0.55 * len(bars) + 1.2), dpi=DPI)
    try:
        _draw(axes, bars)
        figure.tight_layout()
        buffer = BytesIO()
        # No "Software" stamp: the same figures give the same bytes.
        figure.savefig(buffer, format="png", metadata={"Software": None})
        return buffer.getvalue()
    finally:
        pyplot.close(figure)


def _draw(axes, bars: list[tuple[str, CoverageLine]]) -> None:
    positions = list(range(len(bars)))
    height = 0.38
    assigned = [float(line.assigned.percent) for _label, line in bars]
    attended = [float(line.attended.percent) for _label, line in bars]
    axes.barh(
        [p - height / 2 for p in positions],
        assigned,
        height,
        color=COLOURS["assigned"],
        label=LEGEND_ASSIGNED,
    )
    axes.barh(
        [p + height / 2 for p in positions],
        attended,
        height,
        color=COLOURS["attended"],
        label=LEGEND_ATTENDED,
    )
    for position, (_label, line) in zip(positions, bars, strict=True):
        axes.text(
            float(line.attended.percent) + 1, position + height / 2, percent_text(line.attended.percent),
            va="center", fontsize=7,
        )  # fmt: skip
    axes.set_yticks(positions, [label for label, _line in bars], fontsize=8)
    axes.invert_yaxis()  # the first line of the table on top
    axes.set_xlim(0, 110)
    axes.set_xlabel(AXIS_LABEL, fontsize=8)
    axes.tick_params(axis="x", labelsize=7)
    axes.legend(fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
