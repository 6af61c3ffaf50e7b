"""
The one converter between model objects and JSON data: iecmh_core._convert.
"""

# Assertions read `expected == actual` (STYLE.md, practice 19).

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError
from hypothesis import given
from hypothesis import strategies as st

from iecmh_core import (
    Alternative,
    AnyOfRequirement,
    Category,
    Determination,
    Domain,
    EducationRequirement,
    Eligibility,
    EthicsRequirement,
    Family,
    Finding,
    Framework,
    KnowledgeArea,
    Membership,
    Outcome,
    Path,
    Portfolio,
    ProviderRule,
    ReferenceSlot,
    RequirementKind,
    Rulebook,
    Scope,
)
from iecmh_core._convert import converter, unstructure_decimal
from iecmh_core._rulebook import REQUIREMENT_CLASSES, Requirement
from iecmh_core._vocab import AgeBand
from strategies import (
    alternatives,
    educations,
    exams,
    findings,
    held_endorsements,
    leaderships,
    memberships,
    provider_rules,
    reference_slots,
    references,
    rejections,
    rsc_sessions,
    simple_requirements,
    trainings,
    work_experiences,
)

DAY = dt.date(2024, 1, 1)
SOURCES = ("https://example.org/rules",)

parts = st.one_of(
    memberships(),
    educations(),
    work_experiences(),
    trainings(),
    rsc_sessions(),
    references(),
    exams(),
    leaderships(),
    held_endorsements(),
    rejections(),
    findings(),
    alternatives(),
    provider_rules(),
    reference_slots(),
)


class TestDecimals:
    """
    Exact quantities are decimals inside and JSON numbers outside.
    """

    @given(st.integers(-(10**9), 10**9), st.integers(0, 2))
    def test_round_trip(self, units, places):
        """
        A decimal with up to 2 places survives unstructure and structure.
        """
        number = Decimal(units).scaleb(-places)

        assert number == converter.structure(
            converter.unstructure(number), Decimal
        )

    @pytest.mark.parametrize(
        ("number", "expected"),
        [
            (Decimal(2), 2),
            (Decimal("2.00"), 2),
            (Decimal("1E+3"), 1000),
            (Decimal("2.5"), 2.5),
            (Decimal("0.10"), 0.1),
        ],
    )
    def test_unstructure(self, number, expected):
        """
        Whole decimals become ints; others become the nearest float.
        """
        result = unstructure_decimal(number)

        assert expected == result
        assert type(expected) is type(result)

    def test_tenth(self):
        """
        The float 0.1 becomes exactly Decimal("0.1").
        """
        assert "0.1" == str(converter.structure(0.1, Decimal))

    @given(st.floats(allow_nan=False, allow_infinity=False))
    def test_floats(self, number):
        """
        A float becomes the decimal of its shortest repr, the same value.
        """
        result = converter.structure(number, Decimal)

        assert Decimal(repr(number)) == result
        assert number == float(result)

    @given(st.integers())
    def test_ints(self, number):
        """
        An int becomes the same whole decimal.
        """
        assert Decimal(number) == converter.structure(number, Decimal)

    @pytest.mark.parametrize("value", [True, False, "1", None, [1], {}])
    def test_not_numbers(self, value):
        """
        Booleans, strings and others are not numbers.
        """
        with pytest.raises(TypeError, match="expected a number, got"):
            converter.structure(value, Decimal)

    @pytest.mark.parametrize(
        "value",
        [float("nan"), float("inf"), float("-inf"), Decimal("NaN")],
    )
    def test_not_finite(self, value):
        """
        NaN and infinities are not accepted.
        """
        with pytest.raises(ValueError, match="expected a finite number"):
            converter.structure(value, Decimal)


class TestDates:
    """
    Dates are YYYY-MM-DD strings outside.
    """

    @given(st.dates())
    def test_round_trip(self, day):
        """
        Any date survives unstructure and structure.
        """
        text = converter.unstructure(day)

        assert day.isoformat() == text
        assert day == converter.structure(text, dt.date)

    @pytest.mark.parametrize(
        "value", ["2025-02-30", "2023-02-29", "2025-00-10"]
    )
    def test_not_on_the_calendar(self, value):
        """
        A well-formed date that is not on the calendar is refused.
        """
        with pytest.raises(ValueError, match="expected a calendar date"):
            converter.structure(value, dt.date)

    @pytest.mark.parametrize(
        "value",
        [
            "20250203",
            "2025-2-3",
            "2025-02-03T00:00",
            " 2025-02-03",
            "\u0662\u0660\u0662\u0665-\u0660\u0661-\u0660\u0661",
            20250203,
            None,
            DAY,
        ],
    )
    def test_not_yyyy_mm_dd(self, value):
        """
        Anything but a YYYY-MM-DD string of ASCII digits is refused.
        """
        with pytest.raises(ValueError, match="expected a date YYYY-MM-DD"):
            converter.structure(value, dt.date)


class TestRoundTrip:
    """
    Every part of every document survives the converter.
    """

    @given(parts)
    def test_parts(self, part):
        """
        Structuring what was unstructured gives back an equal part.
        """
        data = converter.unstructure(part)

        assert part == converter.structure(data, type(part))
        assert data == json.loads(json.dumps(data))

    def test_extra_keys_forbidden(self):
        """
        A key the class does not know is refused, not ignored.
        """
        data = {"association": "a", "start": "2024-01-01", "end": None}

        with pytest.raises(ClassValidationError) as caught:
            converter.structure(data | {"colour": "blue"}, Membership)

        assert isinstance(caught.value.exceptions[0], ForbiddenExtraKeysError)


class TestOmission:
    """
    Values not given are left out; empty lists only where schemas allow.
    """

    def test_portfolio_keeps_empty_lists(self):
        """
        A portfolio writes its empty lists and leaves out a missing name.
        """
        data = converter.unstructure(
            Portfolio(id="a", code_of_ethics_signed_on=None)
        )

        assert {
            "id": "a",
            "code_of_ethics_signed_on": None,
            "memberships": [],
            "education": [],
            "work": [],
            "training": [],
            "rsc": [],
            "references": [],
            "exams": [],
            "leadership": [],
            "endorsements": [],
        } == data

    def test_meaningful_null_written(self):
        """
        An open-ended end is written as null, not left out.
        """
        data = converter.unstructure(
            Membership(association="a", start=DAY, end=None)
        )

        assert {"association": "a", "start": "2024-01-01", "end": None} == (
            data
        )

    def test_rulebook_leaves_out_empty_lists(self):
        """
        A rulebook leaves out empty optional lists its schema would refuse.
        """
        rule = converter.unstructure(ProviderRule(vetted=True))
        slot = converter.unstructure(ReferenceSlot(title="t"))
        book = converter.unstructure(
            Rulebook(
                id="r",
                association="a",
                title="t",
                effective_from=DAY,
                categories=(),
            )
        )

        assert {"vetted": True} == rule
        assert {"title": "t", "vetted_counts": False} == slot
        assert {
            "id": "r",
            "association": "a",
            "title": "t",
            "effective_from": "2024-01-01",
            "categories": [],
        } == book

    def test_framework_leaves_out_empty_lists(self):
        """
        A framework leaves out empty optional lists.
        """
        framework = Framework(
            id="f",
            title="t",
            edition="e",
            domains=(
                Domain(
                    id="d",
                    name="n",
                    knowledge_areas=(KnowledgeArea(id="k", name="n"),),
                ),
            ),
        )

        assert {
            "id": "f",
            "title": "t",
            "edition": "e",
            "domains": [
                {
                    "id": "d",
                    "name": "n",
                    "knowledge_areas": [
                        {"id": "k", "name": "n", "confirmed": True}
                    ],
                }
            ],
        } == converter.unstructure(framework)

    def test_determination_keeps_evidence_and_findings(self):
        """
        Evidence and findings are written even when empty.
        """
        determination = Determination(
            portfolio="p",
            category="IFS",
            rulebook="r",
            as_of=DAY,
            outcome=Eligibility.UNDETERMINED,
            findings=(
                Finding(
                    requirement="x",
                    kind=RequirementKind.ANY_OF,
                    outcome=Outcome.UNMET,
                    explanation="e",
                    alternatives=(
                        Alternative(id="a", title="t", outcome=Outcome.UNMET),
                    ),
                ),
            ),
        )

        data = converter.unstructure(determination)

        assert {
            "requirement": "x",
            "kind": "any_of",
            "outcome": "unmet",
            "explanation": "e",
            "evidence": [],
            "alternatives": [
                {"id": "a", "title": "t", "outcome": "unmet", "findings": []}
            ],
        } == data["findings"][0]
        assert (
            []
            == converter.unstructure(
                Determination(
                    portfolio="p",
                    category="IFS",
                    rulebook="r",
                    as_of=DAY,
                    outcome=Eligibility.ELIGIBLE,
                )
            )["findings"]
        )


class TestRequirements:
    """
    Requirements are written with their kind and read back by it.
    """

    @pytest.mark.parametrize("kind", sorted(REQUIREMENT_CLASSES))
    def test_classes(self, kind):
        """
        Each requirement kind names the class of that kind.
        """
        assert kind == REQUIREMENT_CLASSES[kind].kind.value

    def test_every_kind_has_a_class(self):
        """
        Every RequirementKind has exactly one requirement class.
        """
        assert sorted(k.value for k in RequirementKind) == sorted(
            REQUIREMENT_CLASSES
        )

    @given(simple_requirements("x.requirement"))
    def test_round_trip(self, requirement):
        """
        A requirement read back as a Requirement is equal to the original.
        """
        data = converter.unstructure(requirement)

        assert requirement == converter.structure(data, Requirement)

    @given(simple_requirements("x.requirement"))
    def test_round_trip_as_its_class(self, requirement):
        """
        A requirement read back as its own class is equal to the original.
        """
        data = converter.unstructure(requirement)

        assert requirement == converter.structure(data, type(requirement))

    @given(simple_requirements("x.requirement"))
    def test_id_and_kind_first(self, requirement):
        """
        A requirement is written with its id, then its kind, first.
        """
        data = converter.unstructure(requirement)

        assert ["id", "kind"] == list(data)[:2]
        assert requirement.kind.value == data["kind"]

    def test_any_of(self):
        """
        An OR requirement is written and read with its nested paths.
        """
        ethics = EthicsRequirement(id="e", title="t", sources=SOURCES)
        any_of = AnyOfRequirement(
            id="o",
            title="t",
            sources=SOURCES,
            paths=(
                Path(id="p1", title="one", requirements=(ethics,)),
                Path(id="p2", title="two", requirements=(ethics,)),
            ),
        )
        category = Category(
            code="IFS",
            name="n",
            family=Family.IMH_E,
            age_band=AgeBand.INFANT,
            scope=Scope.PROMOTION,
            requirements=(any_of,),
        )

        data = converter.unstructure(category)

        assert "any_of" == data["requirements"][0]["kind"]
        assert (
            "ethics"
            == (data["requirements"][0]["paths"][0]["requirements"][0]["kind"])
        )
        assert category == converter.structure(data, Category)

    def test_input_left_alone(self):
        """
        Reading a requirement does not change the data it was given.
        """
        data = {"id": "e", "kind": "ethics", "title": "t", "sources": []}

        converter.structure(data, Requirement)

        assert "ethics" == data["kind"]

    @pytest.mark.parametrize("kind", [None, "astrology", 5])
    def test_unknown_kind(self, kind):
        """
        A requirement of no known kind is a ValueError listing the kinds.
        """
        data = {"id": "e", "kind": kind, "title": "t", "sources": []}

        with pytest.raises(ValueError, match="expected kind one of any_of"):
            converter.structure(data, Requirement)

    def test_missing_kind(self):
        """
        A requirement without a kind is a ValueError.
        """
        with pytest.raises(ValueError, match="got None"):
            converter.structure({"id": "e"}, Requirement)

    @pytest.mark.parametrize("value", [[], "ethics", None])
    def test_not_an_object(self, value):
        """
        A requirement that is not an object is a TypeError.
        """
        with pytest.raises(TypeError, match="expected an object"):
            converter.structure(value, Requirement)


class TestRequirementKinds:
    def test_reading_one_kind_as_another_is_refused(self):
        """A training requirement is not read as an education requirement."""
        data = {
            "id": "x.t",
            "kind": "training",
            "title": "t",
            "sources": ["https://example.org"],
            "levels": ["master"],
        }
        with pytest.raises(ValueError, match="expected kind 'education'"):
            converter.structure(data, EducationRequirement)
