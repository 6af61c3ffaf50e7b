"""
The renewal case files: for each bundled rulebook edition, portfolios with
the renewal outcome every finding must have.

A renewal case file (``tests/cases/renewal/<edition>.json``) has the same
shape as an eligibility case file, with ``year`` (the renewal year) in place
of ``as_of``: the renewal is evaluated on that year's due date, for the
endorsement of the case's category that the portfolio holds.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import iecmh_core

CASES = Path(__file__).parent / "cases" / "renewal"


def _load() -> Iterator[Any]:
    for path in sorted(CASES.glob("*.json")):
        book = json.loads(path.read_text(encoding="utf-8"))
        for case in book["cases"]:
            base = book["portfolios"][case["portfolio"]]
            portfolio = {**base, **case.get("with", {})}
            yield pytest.param(
                book["rulebook"],
                portfolio,
                case,
                id=f"{path.stem}: {case['name']}",
            )


ALL = list(_load())


def test_every_edition_has_a_renewal_case_file():
    """Each bundled edition with renewal rules has a renewal case file."""
    editions = {
        b.id for b in iecmh_core.bundled_rulebooks() if b.renewal is not None
    }
    assert editions == {p.stem for p in CASES.glob("*.json")}


def test_cases_name_every_renewal_requirement():
    """Together the cases name every renewal requirement of every category."""
    named: dict[str, set[str]] = {}
    for param in ALL:
        rulebook, _, case = param.values
        named.setdefault(rulebook, set()).update(case["findings"])
    for book in iecmh_core.bundled_rulebooks():
        ids = {r.id for c in book.categories for r in c.renewal}
        assert set() == ids - named.get(book.id, set()), book.id


@pytest.mark.parametrize(("rulebook", "portfolio", "case"), ALL)
def test_renewal_case(rulebook, portfolio, case):
    """The renewal determination has the outcome and findings expected."""
    determination = iecmh_core.evaluate_renewal(
        iecmh_core.load_portfolio(portfolio),
        case["category"],
        case["year"],
        rulebook,
    )
    findings = {f.requirement: f for f in determination.findings}
    actual = {name: findings[name].outcome.value for name in case["findings"]}
    assert case["findings"] == actual
    assert case["outcome"] == determination.outcome.value
    for name, quantities in case.get("quantities", {}).items():
        for field, expected in quantities.items():
            assert Decimal(str(expected)) == getattr(findings[name], field), (
                name,
                field,
            )
    assert () == iecmh_core.validate(
        iecmh_core.dump(determination), "determination"
    )
