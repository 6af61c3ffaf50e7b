"""
The portfolio model and its invariants: iecmh_core._portfolio.
"""

# Assertions read `expected == actual` (STYLE.md, practice 19).

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iecmh_core import (
    AgeBand,
    Education,
    EducationLevel,
    EndorsementStatus,
    Exam,
    HeldEndorsement,
    Leadership,
    LeadershipLevel,
    Membership,
    Portfolio,
    Reference,
    ReferenceRole,
    RscFormat,
    RscSession,
    Training,
    WorkExperience,
)
from strategies import (
    educations,
    exams,
    held_endorsements,
    leaderships,
    memberships,
    portfolios,
    references,
    rsc_sessions,
    trainings,
    work_experiences,
)

DAY = dt.date(2024, 1, 1)
BAD_HOURS = [
    Decimal(0),
    Decimal(-1),
    Decimal("0.001"),
    Decimal("1.005"),
    Decimal("NaN"),
    Decimal("Infinity"),
    1.5,
    2,
    "2",
    None,
]

#: For each class: its strategy and, per field, values it must refuse.
BAD: dict[type, tuple[st.SearchStrategy[Any], dict[str, list[Any]]]] = {
    Membership: (
        memberships(),
        {
            "association": ["", 5, None],
            "start": ["2024-01-01", None],
            "end": ["2024-01-01", 20240101],
        },
    ),
    Education: (
        educations(),
        {
            "level": ["bachelor", None],
            "completed_on": ["2024-01-01"],
            "field": [5],
            "institution": [b"x"],
        },
    ),
    WorkExperience: (
        work_experiences(),
        {
            "title": [None, 5],
            "start": ["2024-01-01", None],
            "end": ["2024-01-01"],
            "paid": [1, "yes", None],
            "age_band": ["infant", None],
            "fte": [
                Decimal(0),
                Decimal("-0.5"),
                Decimal("1.01"),
                Decimal("Infinity"),
                Decimal("NaN"),
                0.5,
                1,
                None,
            ],
            "employer": [5],
            "services": [["prevention"], ("prevention",), None],
            "families_served": [-1, "3", 2.0],
            "supervised": ["yes", 0],
        },
    ),
    Training: (
        trainings(),
        {
            "title": [None],
            "completed_on": ["2024-01-01", None],
            "hours": BAD_HOURS,
            "provider": [5],
            "topics": [("rsc",), ["rsc"]],
            "knowledge_areas": [(1,), ["a"]],
        },
    ),
    RscSession: (
        rsc_sessions(),
        {
            "provider": ["", None],
            "provider_category": [5],
            "format": ["group", None],
            "date": ["2024-01-01", None],
            "hours": BAD_HOURS,
            "provider_degree": ["master"],
            "vetted": ["no"],
            "about_providing_rsc": [0],
        },
    ),
    Reference: (
        references(),
        {
            "rater": ["", None],
            "role": ["supervisor", None],
            "rater_category": [5],
            "submitted_on": ["2024-01-01", None],
            "vetted": [1],
            "not_enough_information": [-1, "2", 1.5],
        },
    ),
    Exam: (
        exams(),
        {
            "part": [0, 3, "1", None],
            "taken_on": ["2024-01-01", None],
            "score_percent": [
                Decimal(-1),
                Decimal("100.01"),
                Decimal("NaN"),
                50,
                "50",
            ],
            "passed": ["yes", 1],
        },
    ),
    Leadership: (
        leaderships(),
        {
            "description": [None],
            "level": ["state", None],
            "start": ["2024-01-01", None],
            "end": ["2024-01-01"],
        },
    ),
    HeldEndorsement: (
        held_endorsements(),
        {
            "category": ["", None],
            "awarded_on": ["2024-01-01", None],
            "status": ["active", None],
            "rulebook": [5],
        },
    ),
    Portfolio: (
        portfolios(),
        {
            "id": ["", None, 5],
            "code_of_ethics_signed_on": ["2024-01-01"],
            "name": [5],
            "memberships": [[], ("x",), None],
            "education": [("x",)],
            "work": [("x",)],
            "training": [[]],
            "rsc": [("x",)],
            "references": [("x",)],
            "exams": [("x",)],
            "leadership": [("x",)],
            "endorsements": [("x",)],
        },
    ),
}


def valid(cls: type) -> st.SearchStrategy[Any]:
    """
    Return the strategy for valid objects of *cls*.
    """
    return BAD[cls][0]


class TestValidators:
    """
    The model refuses bad constructor arguments with ValueError/TypeError.
    """

    @pytest.mark.parametrize("cls", list(BAD), ids=lambda c: c.__name__)
    @given(data=st.data())
    def test_bad_values(self, cls, data):
        """
        Any valid object with one field set to a bad value is refused.
        """
        obj = data.draw(valid(cls))
        not_refused = []

        for field, values in BAD[cls][1].items():
            for value in values:
                try:
                    attrs.evolve(obj, **{field: value})
                except (ValueError, TypeError):
                    continue
                except Exception as error:  # noqa: BLE001 - reported below
                    outcome = f"raised {type(error).__name__}"
                else:
                    outcome = "was accepted"
                not_refused.append(f"{field}={value!r} {outcome}")

        assert [] == not_refused

    @pytest.mark.parametrize("cls", [Membership, WorkExperience, Leadership])
    @given(data=st.data(), days=st.integers(1, 5000))
    def test_end_before_start(self, cls, data, days):
        """
        An end before its start is refused, naming both dates.
        """
        obj = data.draw(valid(cls))
        end = obj.start - dt.timedelta(days=days)

        with pytest.raises(ValueError, match="on or after start") as caught:
            attrs.evolve(obj, end=end)

        assert (
            f"'end' must be on or after start ({obj.start.isoformat()}), "
            f"got {end.isoformat()}"
        ) == str(caught.value)

    @pytest.mark.parametrize("cls", [Membership, WorkExperience, Leadership])
    @given(data=st.data())
    def test_end_on_start(self, cls, data):
        """
        An end on the day of its start is allowed.
        """
        obj = data.draw(valid(cls))

        assert obj.start == attrs.evolve(obj, end=obj.start).end

    @pytest.mark.parametrize(
        ("hours", "message"),
        [
            (Decimal(0), "'hours' must be more than 0 hours, got 0"),
            (Decimal("-2.5"), "'hours' must be more than 0 hours, got -2.5"),
            (
                Decimal("1.005"),
                "'hours' must have at most 2 decimal places, got 1.005",
            ),
            (Decimal("NaN"), "'hours' must be a finite Decimal, got "),
            (1.5, "'hours' must be a finite Decimal, got 1.5"),
        ],
    )
    def test_hours_messages(self, hours, message):
        """
        Refused hours say what was expected and what was given.
        """
        with pytest.raises((ValueError, TypeError)) as caught:
            Training(title="t", completed_on=DAY, hours=hours)

        assert str(caught.value).startswith(message)

    @pytest.mark.parametrize(
        "hours", [Decimal("0.01"), Decimal("1.10"), Decimal("1.5E+1"), 100000]
    )
    def test_good_hours(self, hours):
        """
        Hours above 0 with at most 2 decimal places are accepted.
        """
        hours = Decimal(hours)

        assert (
            hours == Training(title="t", completed_on=DAY, hours=hours).hours
        )

    def test_keyword_only(self):
        """
        Fields are given by name only.
        """
        with pytest.raises(TypeError):
            Portfolio("a-1", None)


class TestDefaults:
    """
    Values not given are None or empty, never zero or false.
    """

    def test_portfolio(self):
        """
        A portfolio of an id alone has empty evidence and no name.
        """
        portfolio = Portfolio(id="a-1", code_of_ethics_signed_on=None)

        assert (
            None,
            (),
            (),
            (),
            (),
            (),
            (),
            (),
            (),
            (),
        ) == (
            portfolio.name,
            portfolio.memberships,
            portfolio.education,
            portfolio.work,
            portfolio.training,
            portfolio.rsc,
            portfolio.references,
            portfolio.exams,
            portfolio.leadership,
            portfolio.endorsements,
        )

    def test_work(self):
        """
        A job is full time unless said otherwise; unknowns stay None.
        """
        work = WorkExperience(
            title="t",
            start=DAY,
            end=None,
            paid=True,
            age_band=AgeBand.INFANT,
        )

        assert Decimal(1) == work.fte
        assert (None, None, None, ()) == (
            work.employer,
            work.families_served,
            work.supervised,
            work.services,
        )

    def test_unknowns_are_none(self):
        """
        Optional facts left out are None, not False or 0.
        """
        rsc = RscSession(
            provider="p",
            provider_category=None,
            format=RscFormat.GROUP,
            date=DAY,
            hours=Decimal(1),
        )
        reference = Reference(
            rater="r",
            role=ReferenceRole.OTHER,
            rater_category=None,
            submitted_on=DAY,
        )
        exam = Exam(part=2, taken_on=DAY)

        assert (None, None, None) == (
            rsc.vetted,
            rsc.about_providing_rsc,
            rsc.provider_degree,
        )
        assert (None, None) == (
            reference.vetted,
            reference.not_enough_information,
        )
        assert (None, None) == (exam.score_percent, exam.passed)

    def test_others(self):
        """
        Education, leadership and held endorsements accept their minimum.
        """
        education = Education(level=EducationLevel.CDA, completed_on=None)
        leadership = Leadership(
            description="d", level=LeadershipLevel.STATE, start=DAY, end=None
        )
        held = HeldEndorsement(
            category="IFS", awarded_on=DAY, status=EndorsementStatus.ACTIVE
        )

        assert (None, None) == (education.field, education.institution)
        assert leadership.end is None
        assert held.rulebook is None


class TestValueObjects:
    """
    Model objects are frozen values.
    """

    @given(portfolios())
    def test_frozen(self, portfolio):
        """
        Assigning to a field raises FrozenInstanceError.
        """
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            portfolio.id = "other"

    @given(portfolios())
    def test_equal_copies(self, portfolio):
        """
        An unchanged copy is equal and hashes alike.
        """
        copy = attrs.evolve(portfolio)

        assert portfolio == copy
        assert hash(portfolio) == hash(copy)

    @given(st.one_of(trainings(), rsc_sessions()))
    def test_hours_compare_by_value(self, item):
        """
        Hours written with trailing zeros are the same hours.
        """
        padded = attrs.evolve(item, hours=item.hours.quantize(Decimal("0.01")))

        assert item == padded
