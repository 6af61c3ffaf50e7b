"""
A rulebook's silent mistakes are refused at load, each at its JSON path.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

import iecmh_core

SOURCES = ["https://example.org/rules"]

RSC: dict[str, Any] = {
    "id": "x.rsc",
    "kind": "rsc",
    "title": "RSC",
    "sources": SOURCES,
    "hours": 24,
    "window_months": 24,
    "min_span_months": 12,
    "providers": [{"categories": ["IFRS", "IMHM-C"]}],
}
REFERENCES: dict[str, Any] = {
    "id": "x.references",
    "kind": "references",
    "title": "References",
    "sources": SOURCES,
    "count": 2,
    "slots": [
        {"title": "a supervisor", "roles": ["supervisor"]},
        {"title": "an endorsed rater", "rater_categories": ["X"]},
    ],
}
TRAINING: dict[str, Any] = {
    "id": "x.training",
    "kind": "training",
    "title": "Training",
    "sources": SOURCES,
    "hours": 30,
}
EXAM: dict[str, Any] = {
    "id": "x.exam",
    "kind": "exam",
    "title": "Exam",
    "sources": SOURCES,
    "part": 1,
}
BOOK: dict[str, Any] = {
    "id": "test",
    "association": "test",
    "title": "Test rules",
    "effective_from": "2024-01-01",
    "categories": [
        {
            "code": "X",
            "name": "Test category",
            "family": "IMH-E",
            "age_band": "infant",
            "scope": "prevention",
            "requirements": [RSC, REFERENCES, TRAINING, EXAM],
        }
    ],
}
REQ = "$.categories[0].requirements"


def problems(change) -> list[str]:
    book = copy.deepcopy(BOOK)
    change(book["categories"][0]["requirements"])
    return [str(p) for p in iecmh_core.validate(book, "rulebook")]


def test_the_correct_rulebook_passes():
    """The base rulebook, with no mistake, has no problem."""
    assert [] == problems(lambda _: None)


def test_a_typo_in_a_provider_category_code():
    """'IMHM_C' is neither the contract's nor the rulebook's code."""

    def typo(reqs):
        reqs[0]["providers"][0]["categories"] = ["IFRS", "IMHMC"]

    (found,) = problems(typo)
    assert found.startswith(f"{REQ}[0].providers[0].categories[1]:")
    assert "'IMHMC'" in found


def test_a_rulebook_may_name_its_own_categories():
    """A rater slot naming the rulebook's own category X is accepted; 'Y' is not."""

    def unknown(reqs):
        reqs[1]["slots"][1]["rater_categories"] = ["Y"]

    (found,) = problems(unknown)
    assert found.startswith(f"{REQ}[1].slots[1].rater_categories[0]:")


def test_a_prerequisite_naming_an_unknown_category():
    """An endorsement_held of 'IFZ' is refused at its path."""

    def prerequisite(reqs):
        reqs.append(
            {
                "id": "x.held",
                "kind": "endorsement_held",
                "title": "Held",
                "sources": SOURCES,
                "categories": ["IFS", "IFZ"],
            }
        )

    (found,) = problems(prerequisite)
    assert found.startswith(f"{REQ}[4].categories[1]:")


def test_more_slots_than_ratings():
    """Three slots for two ratings is refused; two for two is fine."""

    def three(reqs):
        reqs[1]["slots"].append({"title": "a parent", "roles": ["parent"]})

    (found,) = problems(three)
    assert found.startswith(f"{REQ}[1].slots:")
    assert "at most count (2) slots" in found


@pytest.mark.parametrize(("span", "refused"), [(24, False), (25, True)])
def test_a_spread_longer_than_its_window(span, refused):
    """min_span_months of 25 in a 24-month window can never be met."""

    def spread(reqs):
        reqs[0]["min_span_months"] = span

    found = problems(spread)
    assert refused == bool(found)
    if refused:
        assert found[0].startswith(f"{REQ}[0].min_span_months:")


def test_when_on_an_eligibility_requirement_is_refused_not_a_waiver():
    """A 999-hour training rule with a when is refused, never 'met — not required'."""

    def when(reqs):
        reqs[2]["hours"] = 999
        reqs[2]["when"] = {"held_for_years_at_least": 5}

    (found,) = problems(when)
    assert found.startswith(f"{REQ}[2].when:")
    assert "never waived" in found


def test_two_requirements_for_one_exam_part():
    """Part 1 required twice is refused at the second."""

    def twice(reqs):
        reqs.append({**EXAM, "id": "x.exam-again"})

    (found,) = problems(twice)
    assert found.startswith(f"{REQ}[4].part:")


@pytest.mark.parametrize(
    ("hours", "refused"), [(30.25, False), (30.255, True)]
)
def test_rulebook_hours_have_at_most_two_decimals(hours, refused):
    """30.255 hours is refused; 30.25 is fine."""

    def decimals(reqs):
        reqs[2]["hours"] = hours

    assert refused == bool(problems(decimals))


def test_surplus_without_parts_is_refused():
    """surplus_fills_general says how parts share hours: without parts it is a mistake."""

    def surplus(reqs):
        reqs[2]["surplus_fills_general"] = True

    (found,) = problems(surplus)
    assert found.startswith(f"{REQ}[2].surplus_fills_general:")


def test_load_rulebook_raises_with_every_path():
    """load_rulebook refuses a rulebook with mistakes, naming each path."""
    book = copy.deepcopy(BOOK)
    book["categories"][0]["requirements"][0]["min_span_months"] = 30
    book["categories"][0]["requirements"][1]["slots"][1][
        "rater_categories"
    ] = ["Z"]
    with pytest.raises(iecmh_core.InvalidRulebookError) as raised:
        iecmh_core.load_rulebook(book)
    message = str(raised.value)
    assert f"{REQ}[0].min_span_months" in message
    assert f"{REQ}[1].slots[1].rater_categories[0]" in message


def test_the_contract_codes_are_every_bundled_providers_codes():
    """Every code the bundled editions refer to is the contract's or their own."""
    for book in iecmh_core.bundled_rulebooks():
        assert () == iecmh_core.validate(iecmh_core.dump(book), "rulebook")


def test_a_provider_rule_with_neither_categories_nor_vetted():
    """The message says either would do, at the rule's path."""

    def neither(reqs):
        reqs[0]["providers"] = [{"provider_levels": ["master"]}]

    expected = (
        f"{REQ}[0].providers[0]: expected categories or vetted (either would "
        "do), got neither"
    )
    assert [expected] == problems(neither)
