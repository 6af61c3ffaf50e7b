"""
The case files: for each bundled rulebook edition, portfolios with the
outcome every finding must have.

A case file (``tests/cases/<edition>.json``) names its rulebook, holds named
base portfolios, and lists cases. A case picks a base portfolio, may replace
some of its top-level fields (``"with"``), and states the expected overall
outcome, the expected outcome of each finding it names, and optionally the
expected ``required``/``counted``/``shortfall`` of a finding. Findings inside
an OR path are named by their own requirement ids.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import iecmh_core
from iecmh_core import Finding

CASES = Path(__file__).parent / "cases"


def _flatten(findings: tuple[Finding, ...]) -> Iterator[Finding]:
    for finding in findings:
        yield finding
        for alternative in finding.alternatives:
            yield from _flatten(alternative.findings)


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


def test_every_edition_has_a_case_file():
    """Each bundled rulebook edition has a case file."""
    editions = {b.id for b in iecmh_core.bundled_rulebooks()}
    files = {p.stem for p in CASES.glob("*.json")}
    assert editions == files


def test_cases_cover_every_category_and_requirement():
    """Together the cases evaluate every category and name every requirement of every edition."""
    named: dict[str, set[str]] = {}
    categories: dict[str, set[str]] = {}
    for param in ALL:
        rulebook, _, case = param.values
        categories.setdefault(rulebook, set()).add(case["category"])
        named.setdefault(rulebook, set()).update(case["findings"])
    for book in iecmh_core.bundled_rulebooks():
        codes = {c.code for c in book.categories}
        assert codes == categories.get(book.id, set()), book.id
        ids = set()
        for category in book.categories:
            stack = list(category.requirements)
            if category.emerging is not None:
                stack.extend(category.emerging.requirements)
            while stack:
                requirement = stack.pop()
                ids.add(requirement.id)
                if isinstance(requirement, iecmh_core.AnyOfRequirement):
                    for path in requirement.paths:
                        stack.extend(path.requirements)
        assert set() == ids - named.get(book.id, set()), book.id


@pytest.mark.parametrize(("rulebook", "portfolio", "case"), ALL)
def test_case(rulebook, portfolio, case):
    """The determination has the outcome and findings the case expects."""
    determination = iecmh_core.evaluate(
        iecmh_core.load_portfolio(portfolio),
        case["category"],
        rulebook,
        dt.date.fromisoformat(case["as_of"]),
    )
    emerging = (
        determination.emerging.findings if determination.emerging else ()
    )
    findings = {
        f.requirement: f
        for f in _flatten((*determination.findings, *emerging))
    }
    actual = {name: findings[name].outcome.value for name in case["findings"]}
    assert case["findings"] == actual
    assert case["outcome"] == determination.outcome.value
    for name, quantities in case.get("quantities", {}).items():
        for field, expected in quantities.items():
            assert Decimal(str(expected)) == getattr(findings[name], field), (
                name,
                field,
            )
    assert (
        iecmh_core.validate(iecmh_core.dump(determination), "determination")
        == ()
    )
