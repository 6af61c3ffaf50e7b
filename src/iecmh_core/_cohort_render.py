"""
A cohort report for people: text, and one self-contained HTML page.

The HTML page's charts are drawn with matplotlib (the ``report`` extra) as
SVG written into the page itself: the page loads nothing, runs no script,
and says so in its Content-Security-Policy, so it shows the same offline.
"""

from __future__ import annotations

import html
import io
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from iecmh_core._cohort import (
    CohortGroup,
    CohortReport,
    Near,
    RequirementSummary,
)
from iecmh_core._engine import number

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: The colours of the charts: not met, and undetermined.
UNMET_COLOUR = "#b2182b"
UNDETERMINED_COLOUR = "#f4a582"
SHORTFALL_COLOUR = "#2166ac"


def _count(value: int | None, minimum: int) -> str:
    return f"<{minimum}" if value is None else str(value)


def _outcomes(counts: Mapping[str, int | None], minimum: int) -> str:
    return ", ".join(
        f"{key.replace('_', ' ')} {_count(value, minimum)}"
        for key, value in counts.items()
    )


def _quantity(value: Decimal | None, unit: str | None) -> str:
    if value is None:
        return "-"
    return f"{number(value)} {unit}" if unit else number(value)


def _near_lines(near: Near, report: CohortReport) -> Iterator[str]:
    minimum = report.min_group
    yield ""
    yield (
        f"  Within reach ({report.distance.describe()}): "
        f"{_count(near.applicants, minimum)} applicants"
    )
    if near.lacking:
        yield "    they lack: " + ", ".join(
            f"{t.value} {_count(t.applicants, minimum)}" for t in near.lacking
        )
    for applicant in near.listed:
        lacking = ", ".join(
            f"{lack.requirement} ({lack.outcome.value}"
            + (
                f", {_quantity(lack.shortfall, lack.unit)} short)"
                if lack.shortfall is not None
                else ")"
            )
            for lack in applicant.lacking
        )
        yield (
            f"    {applicant.portfolio} ({applicant.category}, "
            f"{applicant.rulebook}): {lacking}"
        )


def _group_lines(group: CohortGroup, report: CohortReport) -> Iterator[str]:
    minimum = report.min_group
    if group.applicants is None:
        yield f"  fewer than {minimum} applicants: figures suppressed"
        return
    yield f"  {group.applicants} applicants: " + _outcomes(
        group.outcomes, minimum
    )
    if group.requirements:
        yield ""
        yield "  Requirements (not met = unmet + undetermined):"
    for requirement in group.requirements:
        yield "    " + _requirement_line(requirement, minimum)
    if group.near is not None:
        yield from _near_lines(group.near, report)
    for title, tallies in (
        ("Most common reasons evidence was not counted", group.rejections),
        ("Most common missing values", group.missing),
    ):
        if tallies:
            yield ""
            yield f"  {title} (applicants, occurrences):"
            for tally in tallies:
                yield (
                    f"    {tally.value}: {_count(tally.applicants, minimum)}"
                    f", {_count(tally.occurrences, minimum)}"
                )
    if group.expiring:
        yield ""
        yield (
            f"  Counted evidence leaving its window within "
            f"{report.expiring_months} months (applicants, of whom met "
            "today):"
        )
        for expiring in group.expiring:
            yield (
                f"    {expiring.requirement}: "
                f"{_count(expiring.applicants, minimum)}, "
                f"{_count(expiring.met, minimum)}"
            )


def _requirement_line(requirement: RequirementSummary, minimum: int) -> str:
    line = (
        f"{requirement.requirement}: "
        + _outcomes(requirement.outcomes, minimum)
        + f"; the only one not met for {_count(requirement.only, minimum)}"
    )
    shortfall = requirement.shortfall
    if shortfall is not None and shortfall.median is not None:
        unit = requirement.unit
        line += (
            f"; short by median {_quantity(shortfall.median, unit)} "
            f"(quartiles {_quantity(shortfall.q1, unit)} to "
            f"{_quantity(shortfall.q3, unit)}, "
            f"{shortfall.applicants} applicants)"
        )
    return line


def render_cohort_text(report: CohortReport) -> str:
    """
    Render a cohort report for people.

    The whole cohort comes first, then each category and rulebook edition.

    Counts under the minimum group show as ``<5`` (for a minimum of 5).

    .. versionadded:: 0.1.0
    """
    span = (
        f" as of {report.first_as_of}"
        if report.first_as_of == report.last_as_of
        else f" as of {report.first_as_of} to {report.last_as_of}"
    )
    lines = [
        f"Cohort report{span if report.first_as_of else ''}: "
        f"{report.records} records, {report.errors} errors"
        + (
            f" (lines {', '.join(str(n) for n in report.error_lines)}"
            f"{'...' if report.errors > len(report.error_lines) else ''})"
            if report.error_lines
            else ""
        )
        + f"; counts under {report.min_group} suppressed",
        "",
        "Whole cohort",
        *_group_lines(report.cohort, report),
    ]
    for title, groups in _breakdowns(report):
        for name, group in groups:
            lines.extend(["", f"{title} {name}"])
            if len(groups) == 1:
                lines.append("  the whole cohort")
            else:
                lines.extend(_group_lines(group, report))
    return "\n".join(lines)


def _breakdowns(
    report: CohortReport,
) -> list[tuple[str, list[tuple[str, CohortGroup]]]]:
    return [
        (
            "Category",
            [(str(g.category), g) for g in report.by_category],
        ),
        (
            "Rulebook",
            [(str(g.rulebook), g) for g in report.by_rulebook],
        ),
    ]


def _figure(width: float, height: float) -> Figure:
    try:
        from matplotlib.figure import Figure  # noqa: PLC0415 - optional
    except ImportError:  # pragma: no cover - the report extra is missing
        msg = (
            "expected matplotlib for HTML charts (pip install "
            "'iecmh-core[report]'), got none installed"
        )
        raise ModuleNotFoundError(msg) from None
    return Figure(figsize=(width, height), layout="constrained")


def _svg(figure: Figure) -> str:
    import matplotlib as mpl  # noqa: PLC0415 - optional, loaded by _figure

    buffer = io.StringIO()
    # A fixed hash salt and no date: the same report gives the same bytes.
    with mpl.rc_context({"svg.hashsalt": "iecmh", "svg.fonttype": "path"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _blocking_chart(group: CohortGroup, minimum: int) -> str | None:
    def shown(requirement: RequirementSummary) -> tuple[int, int]:
        outcomes = requirement.outcomes
        return outcomes.get("unmet") or 0, outcomes.get("undetermined") or 0

    blocking = sorted(
        (r for r in group.requirements if sum(shown(r))),
        key=lambda r: sum(shown(r)),
    )
    if not blocking:
        return None
    figure = _figure(8, 0.45 * len(blocking) + 1.6)
    axes = figure.subplots()
    names = [
        r.requirement + (" *" if r.blocking is None else "") for r in blocking
    ]
    unmet = [shown(r)[0] for r in blocking]
    undetermined = [shown(r)[1] for r in blocking]
    axes.barh(names, unmet, color=UNMET_COLOUR, label="unmet")
    axes.barh(
        names,
        undetermined,
        left=unmet,
        color=UNDETERMINED_COLOUR,
        label="undetermined",
    )
    axes.set_xlabel(
        f"applicants (* a part under {minimum} is left out)"
        if None in (r.blocking for r in blocking)
        else "applicants"
    )
    axes.set_title("What holds applicants back: requirements not met")
    axes.legend(loc="lower right")
    return _svg(figure)


def _shortfall_chart(group: CohortGroup) -> str | None:
    shown = [
        r
        for r in group.requirements
        if r.shortfall is not None and r.shortfall.bins
    ]
    if not shown:
        return None
    columns = min(len(shown), 3)
    rows = -(-len(shown) // columns)
    figure = _figure(3.2 * columns, 2.6 * rows)
    grid = figure.subplots(rows, columns, squeeze=False)
    for index, axes in enumerate(grid.flat):
        if index >= len(shown):
            axes.set_visible(False)
            continue
        requirement = shown[index]
        shortfall = requirement.shortfall
        assert shortfall is not None  # noqa: S101 - filtered above
        starts = [float(b.start) for b in shortfall.bins]
        width = float(shortfall.bins[0].end - shortfall.bins[0].start)
        heights = [b.applicants or 0 for b in shortfall.bins]
        axes.bar(
            starts,
            heights,
            width=width,
            align="edge",
            color=SHORTFALL_COLOUR,
            edgecolor="white",
        )
        if shortfall.median is not None:
            axes.axvline(float(shortfall.median), color="black", lw=1)
        axes.set_title(requirement.requirement, fontsize=10)
        axes.set_xlabel(f"short by ({requirement.unit or 'amount'})")
        axes.set_ylabel("applicants")
    return _svg(figure)


def _cell(value: Any) -> str:
    return f"<td>{html.escape(str(value))}</td>"


def _table(head: list[str], rows: list[list[Any]]) -> str:
    header = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows
    )
    return f"<table><tr>{header}</tr>{body}</table>"


def _near_html(near: Near, report: CohortReport) -> Iterator[str]:
    minimum = report.min_group
    yield (
        f"<h3>Within reach ({html.escape(report.distance.describe())})"
        f": {_count(near.applicants, minimum)} applicants</h3>"
    )
    if near.lacking:
        yield _table(
            ["they lack", "applicants"],
            [[t.value, _count(t.applicants, minimum)] for t in near.lacking],
        )
    if near.listed:
        yield _table(
            ["portfolio", "category", "rulebook", "lacking"],
            [
                [
                    a.portfolio,
                    a.category,
                    a.rulebook,
                    ", ".join(
                        f"{lack.requirement} "
                        f"{_quantity(lack.shortfall, lack.unit)}"
                        for lack in a.lacking
                    ),
                ]
                for a in near.listed
            ],
        )


def _tallies_html(group: CohortGroup, minimum: int) -> Iterator[str]:
    for title, tallies in (
        ("Reasons evidence was not counted", group.rejections),
        ("Missing values", group.missing),
    ):
        if tallies:
            yield f"<h3>{title}</h3>"
            yield _table(
                [title.split()[0].lower(), "applicants", "occurrences"],
                [
                    [
                        t.value,
                        _count(t.applicants, minimum),
                        _count(t.occurrences, minimum),
                    ]
                    for t in tallies
                ],
            )


def _requirement_rows(group: CohortGroup, minimum: int) -> list[list[Any]]:
    rows = []
    for r in group.requirements:
        s = r.shortfall
        rows.append(
            [
                r.requirement,
                *(_count(v, minimum) for v in r.outcomes.values()),
                _count(r.only, minimum),
                _quantity(s.median if s else None, r.unit),
                (
                    f"{_quantity(s.q1, r.unit)} to {_quantity(s.q3, r.unit)}"
                    if s and s.median is not None
                    else "-"
                ),
            ]
        )
    return rows


def _group_html(
    group: CohortGroup, report: CohortReport, *, charts: bool
) -> str:
    minimum = report.min_group
    if group.applicants is None:
        return f"<p>Fewer than {minimum} applicants: figures suppressed.</p>"
    outcomes = html.escape(_outcomes(group.outcomes, minimum))
    parts = [f"<p>{group.applicants} applicants: {outcomes}.</p>"]
    if charts:
        charts_drawn = (
            _blocking_chart(group, minimum),
            _shortfall_chart(group),
        )
        parts.extend(
            f'<figure class="chart">{chart}</figure>'
            for chart in charts_drawn
            if chart is not None
        )
    rows = _requirement_rows(group, minimum)
    outcome_names = (
        list(group.requirements[0].outcomes) if group.requirements else []
    )
    parts.append(
        _table(
            [
                "requirement",
                *outcome_names,
                "only one not met",
                "median shortfall",
                "quartiles",
            ],
            rows,
        )
    )
    if group.near is not None:
        parts.extend(_near_html(group.near, report))
    parts.extend(_tallies_html(group, minimum))
    if group.expiring:
        parts.append(
            f"<h3>Evidence leaving its window within "
            f"{report.expiring_months} months</h3>"
        )
        parts.append(
            _table(
                ["requirement", "applicants", "of whom met today"],
                [
                    [
                        e.requirement,
                        _count(e.applicants, minimum),
                        _count(e.met, minimum),
                    ]
                    for e in group.expiring
                ],
            )
        )
    return "\n".join(parts)


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222;
       max-width: 70em; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; }
th { background: #f0f0f0; }
figure.chart { margin: 1em 0; }
figure.chart svg { max-width: 100%; height: auto; }
"""


def render_cohort_html(report: CohortReport) -> str:
    """
    Render a cohort report as one self-contained HTML page with charts.

    The charts (what holds applicants back, and how far short they fall)
    are SVG drawn by matplotlib and written into the page: it loads no
    file, font or script, so it shows the same offline. Needs the
    ``report`` extra.

    Raises:
        ModuleNotFoundError: matplotlib is not installed.

    .. versionadded:: 0.1.0
    """
    sections = [
        "<h2>Whole cohort</h2>",
        _group_html(report.cohort, report, charts=True),
    ]
    for title, groups in _breakdowns(report):
        for name, group in groups:
            sections.append(f"<h2>{title} {html.escape(name)}</h2>")
            sections.append(
                "<p>The whole cohort.</p>"
                if len(groups) == 1
                else _group_html(group, report, charts=title == "Category")
            )
    summary = html.escape(render_cohort_text(report).splitlines()[0])
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n'
        '<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src '
        "'none'; style-src 'unsafe-inline'; img-src data:\">\n"
        "<title>Cohort report</title>\n"
        f"<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>Cohort report</h1>\n<p>{summary}</p>\n"
        + "\n".join(sections)
        + "\n</body>\n</html>\n"
    )
