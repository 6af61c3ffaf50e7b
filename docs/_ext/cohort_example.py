# A Sphinx extension found through sys.path, not part of a package:
# ruff: noqa: INP001
"""
Write the example cohort report as an HTML page beside the built docs.

When an HTML build finishes, this evaluates the synthetic cohort of
``examples/synthetic_cohort.py``, summarizes it with
`iecmh_core.summarize_cohort` and writes `iecmh_core.render_cohort_html`'s
page to ``cohort-report.html`` in the output folder, so the page the
workforce report links to is the one the documented library makes.
"""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path
from typing import Any

import iecmh_core

EXAMPLE = (
    Path(__file__).resolve().parents[2] / "examples" / "synthetic_cohort.py"
)
PAGE = "cohort-report.html"


def _cohort() -> Any:
    spec = importlib.util.spec_from_file_location("synthetic_cohort", EXAMPLE)
    if spec is None or spec.loader is None:  # pragma: no cover
        msg = f"expected the example cohort at {EXAMPLE}"
        raise FileNotFoundError(msg)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_page(app: Any, exception: Exception | None) -> None:
    """
    Write the example report's HTML page into the HTML output folder.
    """
    if exception is not None or app.builder.format != "html":
        return
    cohort = _cohort()
    report = iecmh_core.summarize_cohort(
        iecmh_core.evaluate_batch(
            cohort.cohort_lines(), "IFS", "mi-aimh-2024", cohort.AS_OF
        ),
        distance=iecmh_core.Distance(within={"rsc": Decimal(6)}),
    )
    page = Path(app.outdir) / PAGE
    page.write_text(iecmh_core.render_cohort_html(report), encoding="utf-8")


def setup(app: Any) -> dict[str, Any]:
    """
    Register the page writer.
    """
    app.connect("build-finished", write_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
