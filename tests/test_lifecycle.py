"""
Renewal and the endorsement lifecycle: iecmh_core._lifecycle.

The tests build their own small rulebooks, with a renewal policy due on 31
December with 31 grace days, opening 91 days before (on 1 October) and
exempting the year of the award, so that they read the lifecycle's rules and
not the bundled editions' data; one end-to-end test per bundled edition reads
the bundled data.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import iecmh_core
from iecmh_core import (
    EndorsementNotCurrentError,
    EndorsementNotHeldError,
    EndorsementStatus,
    HeldEndorsement,
    LifecycleStatus,
    Outcome,
    Period,
    Purpose,
    RejectionReason,
    Renewal,
    RenewalPolicy,
    UnknownCategoryError,
    UnknownRulebookError,
    dump,
    endorsement_status,
    evaluate_reinstatement,
    evaluate_renewal,
    load_portfolio,
    load_rulebook,
    validate,
)
from iecmh_core._lifecycle import due_date
from strategies import (
    applicants,
    later_evidence,
    renewal_histories,
    renewal_policies,
)

SOURCES = ["https://example.org/rules"]
AWARDED = dt.date(2023, 5, 1)
ACTIVE = LifecycleStatus.ACTIVE
DUE = LifecycleStatus.DUE
LAPSED = LifecycleStatus.LAPSED
INACTIVE = LifecycleStatus.INACTIVE
REINSTATED = LifecycleStatus.REINSTATED
ARCHIVED = LifecycleStatus.ARCHIVED


def day(text: str) -> dt.date:
    """Return the date written as YYYY-MM-DD."""
    return dt.date.fromisoformat(text)


def requirement(rid: str, kind: str, **fields: Any) -> dict[str, Any]:
    """A requirement of *kind* whose title is its id."""
    return {
        "id": rid,
        "kind": kind,
        "title": rid,
        "sources": SOURCES,
        **fields,
    }


POLICY: dict[str, Any] = {
    "due_month": 12,
    "due_day": 31,
    "grace_days": 31,
    "opens_days_before": 91,
    "first_year_exempt": True,
    "sources": SOURCES,
    "reinstatement": [
        requirement("reinstate.references", "references", count=3),
        requirement("reinstate.ethics", "ethics"),
    ],
}


def rulebook(
    *renewal: dict[str, Any], policy: dict[str, Any] | None = POLICY
) -> iecmh_core.Rulebook:
    """A rulebook whose one category, X, is renewed with *renewal*."""
    data: dict[str, Any] = {
        "id": "test-2020",
        "association": "test",
        "title": "Test rules",
        "effective_from": "2020-01-01",
        "categories": [
            {
                "code": "X",
                "name": "Test category",
                "family": "IMH-E",
                "age_band": "infant",
                "scope": "prevention",
                "requirements": [requirement("x.code", "ethics")],
                "renewal": list(renewal),
            }
        ],
    }
    if policy is not None:
        data["renewal"] = policy
    return load_rulebook(data)


BOOK = rulebook()
TRAINING = requirement("x.training", "training", hours=15, window_months=12)
ETHICS = requirement("x.ethics", "ethics", window_months=12)
MEMBERSHIP = requirement(
    "x.membership", "membership", when={"in_first_year": True}
)
RENEWAL_BOOK = rulebook(TRAINING, ETHICS, MEMBERSHIP)


def held(**fields: Any) -> HeldEndorsement:
    """An X endorsement awarded on 1 May 2023, with *fields*."""
    return HeldEndorsement(
        category="X",
        awarded_on=AWARDED,
        status=EndorsementStatus.ACTIVE,
        **fields,
    )


def status(endorsement: HeldEndorsement, on: str, book=BOOK):
    """The endorsement's state on the date *on*, under *book*."""
    return endorsement_status(endorsement, day(on), book)


def renewed(*pairs: tuple[int, str]) -> tuple[Renewal, ...]:
    """Renewals made, as (year, renewed_on) pairs."""
    return tuple(Renewal(year=y, renewed_on=day(d)) for y, d in pairs)


def portfolio(**fields: Any) -> iecmh_core.Portfolio:
    """A holder of an X endorsement awarded on 1 April 2023, with *fields*."""
    return load_portfolio(
        {
            "id": "holder-1",
            "code_of_ethics_signed_on": "2025-03-01",
            "endorsements": [
                {
                    "category": "X",
                    "awarded_on": "2023-04-01",
                    "status": "active",
                }
            ],
            **fields,
        }
    )


def training(completed_on: str, hours: float = 15) -> dict[str, Any]:
    """A training completed on *completed_on*."""
    return {"title": "Update", "completed_on": completed_on, "hours": hours}


def checked(determination: iecmh_core.Determination):
    """Return *determination* once it validates against its schema."""
    assert () == validate(dump(determination), "determination")
    return determination


def renew(holder, year: int, book=RENEWAL_BOOK, category="X"):
    """Evaluate the X renewal for *year*; return it once it is valid."""
    return checked(evaluate_renewal(holder, category, year, book))


def findings(determination) -> dict[str, iecmh_core.Finding]:
    """The determination's findings by requirement id."""
    return {f.requirement: f for f in determination.findings}


class TestDueDate:
    """
    due_date gives a year's due date under a policy.
    """

    def policy(self, month: int, dom: int) -> RenewalPolicy:
        """A policy due on day *dom* of *month*."""
        return RenewalPolicy(
            due_month=month, due_day=dom, sources=tuple(SOURCES)
        )

    def test_the_policys_day(self):
        """The due date is the policy's month and day in the year."""
        assert dt.date(2025, 12, 31) == due_date(self.policy(12, 31), 2025)

    @pytest.mark.parametrize(
        ("month", "dom", "year", "expected"),
        [
            (2, 29, 2024, dt.date(2024, 2, 29)),
            (2, 29, 2025, dt.date(2025, 2, 28)),
            (4, 31, 2025, dt.date(2025, 4, 30)),
            (2, 31, 2025, dt.date(2025, 2, 28)),
        ],
    )
    def test_a_day_past_the_months_end_is_its_last_day(
        self, month, dom, year, expected
    ):
        """A day the month lacks falls back to the month's last day."""
        assert expected == due_date(self.policy(month, dom), year)

    @pytest.mark.parametrize(
        ("month", "dom", "expected"),
        [
            (12, 15, dt.date(2025, 12, 15)),
            (1, 31, dt.date(2025, 1, 31)),
            (1, 1, dt.date(2025, 1, 1)),
            (6, 27, dt.date(2025, 6, 27)),
            (6, 28, dt.date(2025, 6, 28)),
        ],
    )
    def test_any_day_of_the_month(self, month, dom, expected):
        """A due day early in the month is that day, not the 28th."""
        assert expected == due_date(self.policy(month, dom), 2025)

    @given(renewal_policies(), st.integers(1900, 9999))
    def test_the_day_or_the_months_last(self, policy, year):
        """The due date is the policy's day, or the month's last if earlier."""
        last = calendar.monthrange(year, policy.due_month)[1]

        assert dt.date(
            year, policy.due_month, min(policy.due_day, last)
        ) == due_date(policy, year)


class TestEndorsementStatus:
    """
    endorsement_status walks the renewal cycles to tell the status on a day.
    """

    @pytest.mark.parametrize(
        ("on", "expected", "due_on", "lapsed_on"),
        [
            ("2023-05-01", ACTIVE, "2024-12-31", None),
            ("2023-12-31", ACTIVE, "2024-12-31", None),
            ("2024-02-01", ACTIVE, "2024-12-31", None),
            ("2024-09-30", ACTIVE, "2024-12-31", None),
            ("2024-10-01", DUE, "2024-12-31", None),
            ("2024-12-31", DUE, "2024-12-31", None),
            ("2025-01-01", DUE, "2024-12-31", None),
            ("2025-01-31", DUE, "2024-12-31", None),
            ("2025-02-01", LAPSED, None, "2025-02-01"),
            ("2027-06-01", LAPSED, None, "2025-02-01"),
        ],
    )
    def test_never_renewed(self, on, expected, due_on, lapsed_on):
        """Active until 1 October of the next year, due to 31 January, then lapsed."""
        state = status(held(), on)

        assert (
            expected,
            day(due_on) if due_on else None,
            day(lapsed_on) if lapsed_on else None,
        ) == (state.status, state.due_on, state.lapsed_on)
        assert ("X", day(on)) == (state.category, state.on)

    @pytest.mark.parametrize(
        ("opens", "last_active", "first_due"),
        [
            (91, "2024-09-30", "2024-10-01"),
            (92, "2024-09-29", "2024-09-30"),
            (0, "2024-12-30", "2024-12-31"),
        ],
    )
    def test_the_renewal_opens_days_before_the_due_date(
        self, opens, last_active, first_due
    ):
        """The renewal is due from opens_days_before the due date on."""
        book = rulebook(policy=POLICY | {"opens_days_before": opens})

        assert (ACTIVE, DUE) == (
            status(held(), last_active, book).status,
            status(held(), first_due, book).status,
        )

    def test_the_first_cycle_is_the_award_year_without_the_exemption(self):
        """Without the first-year exemption the award year's renewal is due."""
        book = rulebook(policy=POLICY | {"first_year_exempt": False})

        assert (DUE, day("2023-12-31")) == (
            status(held(), "2024-01-31", book).status,
            status(held(), "2024-01-31", book).due_on,
        )
        assert (LAPSED, day("2024-02-01")) == (
            status(held(), "2024-02-01", book).status,
            status(held(), "2024-02-01", book).lapsed_on,
        )

    def test_due_explains_the_date_and_lateness(self):
        """A due renewal names its due date, and when late, its last day."""
        assert "The 2024 renewal is open and due on 2024-12-31" == (
            status(held(), "2024-11-01").explanation
        )
        assert (
            "The 2024 renewal is open and due on 2024-12-31 (late; it "
            "lapses after 2025-01-31)"
        ) == status(held(), "2025-01-15").explanation

    def test_lapsed_explains_the_missed_renewal(self):
        """A lapse names the renewal missed, its last day and the lapse day."""
        assert (
            "The 2024 renewal, due 2024-12-31, was not made by 2025-01-31; "
            "the endorsement lapsed on 2025-02-01 and needs reinstatement"
        ) == status(held(), "2025-03-01").explanation

    @pytest.mark.parametrize(
        ("on", "expected", "due_on"),
        [
            ("2024-12-14", DUE, "2024-12-31"),
            ("2024-12-15", ACTIVE, "2025-12-31"),
            ("2025-02-01", ACTIVE, "2025-12-31"),
            ("2025-10-01", DUE, "2025-12-31"),
        ],
    )
    def test_renewed_on_time(self, on, expected, due_on):
        """A renewal made stops the cycle being due; the next one is due next."""
        state = status(held(renewals=renewed((2024, "2024-12-15"))), on)

        assert (expected, day(due_on)) == (state.status, state.due_on)

    def test_renewed_early_is_not_due(self):
        """A renewal made before the window opens is never reported due."""
        state = status(
            held(renewals=renewed((2024, "2024-06-01"))), "2024-11-01"
        )

        assert (ACTIVE, day("2025-12-31")) == (state.status, state.due_on)
        assert "In good standing; the next renewal is due on 2025-12-31" == (
            state.explanation
        )

    def test_renewed_on_the_last_grace_day(self):
        """A renewal made on the last of the grace days keeps it active."""
        endorsement = held(renewals=renewed((2024, "2025-01-31")))

        assert ACTIVE == status(endorsement, "2025-02-01").status

    @pytest.mark.parametrize("on", ["2025-02-01", "2025-06-01"])
    def test_a_renewal_made_after_the_lapse_does_not_count(self, on):
        """A renewal recorded on or after the lapse day leaves it lapsed."""
        endorsement = held(renewals=renewed((2024, "2025-02-01")))
        state = status(endorsement, on)

        assert (LAPSED, day("2025-02-01")) == (state.status, state.lapsed_on)

    def test_a_renewal_of_another_year_does_not_count(self):
        """Renewing the next year does not make up for a missed one."""
        endorsement = held(renewals=renewed((2025, "2024-12-15")))

        assert LAPSED == status(endorsement, "2025-02-01").status

    @pytest.mark.parametrize(
        ("on", "expected", "due_on"),
        [
            ("2025-02-28", LAPSED, None),
            ("2025-03-01", REINSTATED, "2025-12-31"),
            ("2025-05-31", REINSTATED, "2025-12-31"),
            ("2025-06-01", ACTIVE, "2026-12-31"),
            ("2026-06-01", ACTIVE, "2026-12-31"),
        ],
    )
    def test_reinstated_until_the_next_renewal(self, on, expected, due_on):
        """Reinstated from the reinstatement until a renewal is made."""
        endorsement = held(
            renewals=renewed((2025, "2025-06-01")),
            reinstated_on=(day("2025-03-01"),),
        )
        state = status(endorsement, on)

        assert (expected, day(due_on) if due_on else None) == (
            state.status,
            state.due_on,
        )

    def test_reinstated_explains_since_when(self):
        """A reinstated endorsement names the day and the next due date."""
        endorsement = held(reinstated_on=(day("2025-03-01"),))

        assert (
            "Reinstated on 2025-03-01; the next renewal is due on 2025-12-31"
            == status(endorsement, "2025-04-01").explanation
        )

    @pytest.mark.parametrize(
        ("on", "expected"),
        [
            ("2025-09-01", REINSTATED),
            ("2025-10-01", DUE),
            ("2025-11-14", DUE),
            ("2025-11-15", ACTIVE),
        ],
    )
    def test_a_reinstated_endorsement_falls_due(self, on, expected):
        """The next renewal of a reinstated endorsement opens like any other."""
        endorsement = held(
            renewals=renewed((2025, "2025-11-15")),
            reinstated_on=(day("2025-03-01"),),
        )

        assert expected == status(endorsement, on).status

    def test_reinstated_on_the_lapse_day(self):
        """A reinstatement on the lapse day itself counts."""
        endorsement = held(reinstated_on=(day("2025-02-01"),))

        assert REINSTATED == status(endorsement, "2025-02-01").status

    def test_reinstated_before_the_lapse_does_not_count(self):
        """A reinstatement during the grace days, before the lapse, is void."""
        endorsement = held(reinstated_on=(day("2025-01-20"),))
        state = status(endorsement, "2025-03-01")

        assert (LAPSED, day("2025-02-01")) == (state.status, state.lapsed_on)

    def test_a_reinstated_endorsement_lapses_again(self):
        """A reinstated endorsement not renewed lapses after its next grace days."""
        endorsement = held(reinstated_on=(day("2025-03-01"),))

        assert DUE == status(endorsement, "2026-01-31").status
        state = status(endorsement, "2026-02-01")
        assert (LAPSED, day("2026-02-01")) == (state.status, state.lapsed_on)

    def test_reinstated_years_later_restarts_in_its_year(self):
        """The cycles restart with the renewal of the reinstatement's year."""
        endorsement = held(reinstated_on=(day("2026-03-01"),))

        assert (REINSTATED, day("2026-12-31")) == (
            status(endorsement, "2026-03-01").status,
            status(endorsement, "2026-03-01").due_on,
        )
        assert day("2027-02-01") == status(endorsement, "2027-02-01").lapsed_on

    @pytest.mark.parametrize(
        ("on", "expected"),
        [
            ("2025-02-28", ACTIVE),
            ("2025-03-01", INACTIVE),
            ("2025-06-30", INACTIVE),
            ("2025-07-01", ACTIVE),
        ],
    )
    def test_inactive_during_an_inactive_period(self, on, expected):
        """The status is inactive from the period's first to its last day."""
        endorsement = held(
            renewals=renewed((2024, "2024-12-01")),
            inactive=(Period(start=day("2025-03-01"), end=day("2025-06-30")),),
        )

        assert expected == status(endorsement, on).status

    def test_inactive_explains(self):
        """An inactive endorsement says no renewal falls due."""
        endorsement = held(inactive=(Period(start=AWARDED, end=None),))

        assert "On inactive status on 2030-01-01; no renewal falls due" == (
            status(endorsement, "2030-01-01").explanation
        )

    def test_an_open_ended_inactive_period_goes_on(self):
        """An inactive period with no end is inactive years later."""
        endorsement = held(
            inactive=(Period(start=day("2024-06-01"), end=None),)
        )

        assert INACTIVE == status(endorsement, "2031-06-01").status

    def test_a_due_date_while_inactive_needs_no_renewal(self):
        """A cycle whose due date falls in an inactive period never lapses."""
        period = Period(start=day("2024-11-01"), end=day("2025-01-15"))
        state = status(held(inactive=(period,)), "2025-02-01")

        assert LAPSED == status(held(), "2025-02-01").status
        assert (ACTIVE, day("2025-12-31")) == (state.status, state.due_on)

    def test_a_due_date_while_inactive_is_not_due_after_the_period(self):
        """After an inactive period over the due date, that renewal is not due."""
        period = Period(start=day("2024-11-01"), end=day("2025-01-15"))
        state = status(held(inactive=(period,)), "2025-01-20")

        assert (ACTIVE, day("2025-12-31")) == (state.status, state.due_on)

    def test_an_open_ended_inactive_period_ahead(self):
        """An open-ended inactive period starting later leaves it active now."""
        period = Period(start=day("2024-12-01"), end=None)
        state = status(held(inactive=(period,)), "2024-11-01")

        assert ACTIVE == state.status

    @pytest.mark.parametrize(
        ("on", "expected"),
        [
            ("2025-04-30", ACTIVE),
            ("2025-05-01", ARCHIVED),
            ("2030-01-01", ARCHIVED),
        ],
    )
    def test_archived_from_the_day_archived(self, on, expected):
        """The status is archived from archived_on, whatever else holds."""
        endorsement = held(
            renewals=renewed((2024, "2024-12-01")),
            archived_on=day("2025-05-01"),
        )

        assert expected == status(endorsement, on).status

    def test_archived_over_lapsed_and_inactive(self):
        """Archiving wins over a lapse and an inactive period."""
        endorsement = held(
            archived_on=day("2025-05-01"),
            inactive=(Period(start=day("2025-04-01"), end=None),),
        )
        state = status(endorsement, "2025-06-01")

        assert (ARCHIVED, "Archived on 2025-05-01") == (
            state.status,
            state.explanation,
        )

    def test_a_rulebook_without_renewal_rules(self):
        """A rulebook with no renewal policy cannot tell a status."""
        with pytest.raises(UnknownRulebookError) as caught:
            status(held(), "2025-01-01", rulebook(policy=None))

        assert "an edition with renewal rules (not test-2020)" == (
            caught.value.wanted
        )

    @given(renewal_histories(), renewal_policies(), st.data())
    def test_later_history_is_ignored(self, endorsement, policy, data):
        """The status never depends on renewals or reinstatements after the day."""
        on = data.draw(
            st.dates(
                min_value=endorsement.awarded_on,
                max_value=dt.date(2032, 12, 31),
            )
        )
        known = attrs.evolve(
            endorsement,
            renewals=tuple(
                r for r in endorsement.renewals if r.renewed_on <= on
            ),
            reinstated_on=tuple(
                d for d in endorsement.reinstated_on if d <= on
            ),
        )
        book = attrs.evolve(BOOK, renewal=policy)

        assert endorsement_status(known, on, book) == endorsement_status(
            endorsement, on, book
        )


class TestEvaluateRenewal:
    """
    evaluate_renewal decides a year's renewal on its due date, explained.
    """

    def test_on_the_due_date_for_renewal(self):
        """The determination is a renewal, as of the year's due date."""
        determination = renew(portfolio(), 2025)

        assert (
            "holder-1",
            "X",
            "test-2020",
            day("2025-12-31"),
            Purpose.RENEWAL,
        ) == (
            determination.portfolio,
            determination.category,
            determination.rulebook,
            determination.as_of,
            determination.purpose,
        )
        assert ["x.training", "x.ethics", "x.membership"] == [
            f.requirement for f in determination.findings
        ]

    def test_half_an_hour_short(self):
        """14.5 hours of training in the year leave the renewal 0.5 short."""
        holder = portfolio(training=[training("2025-05-01", 14.5)])
        found = findings(renew(holder, 2025))["x.training"]

        assert (Outcome.UNMET, Decimal("14.5"), Decimal("0.5")) == (
            found.outcome,
            found.counted,
            found.shortfall,
        )
        assert "0.5 more clock hours of training" == found.advice

    def test_fifteen_hours_meet(self):
        """15 hours of training in the year meet the training requirement."""
        holder = portfolio(
            training=[
                training("2025-05-01", 14.5),
                training("2025-06-01", 0.5),
            ]
        )
        found = findings(renew(holder, 2025))["x.training"]

        assert (Outcome.MET, Decimal(0)) == (found.outcome, found.shortfall)
        assert ("training[0]", "training[1]") == found.evidence

    def test_the_training_window_is_the_renewal_year(self):
        """A training on 1 January counts; one on 31 December before does not."""
        holder = portfolio(
            training=[training("2025-01-01", 15), training("2024-12-31", 15)]
        )
        found = findings(renew(holder, 2025))["x.training"]

        assert (Outcome.MET, ("training[0]",)) == (
            found.outcome,
            found.evidence,
        )
        assert [("training[1]", RejectionReason.OUTSIDE_WINDOW)] == [
            (r.evidence, r.reason) for r in found.rejected
        ]
        assert (
            "15 of 15 clock hours of training completed from 2025-01-01 to "
            "2025-12-31, in 1 training"
        ) == found.explanation

    def test_training_after_the_due_date_does_not_count(self):
        """A training after the due date is left out of the year."""
        holder = portfolio(training=[training("2026-01-01", 15)])
        found = findings(renew(holder, 2025))["x.training"]

        assert (Outcome.UNMET, (), ()) == (
            found.outcome,
            found.evidence,
            found.rejected,
        )

    @pytest.mark.parametrize(
        ("signed", "expected"),
        [
            ("2025-01-01", Outcome.MET),
            ("2025-12-31", Outcome.MET),
            ("2024-12-31", Outcome.UNMET),
        ],
    )
    def test_ethics_signed_again_in_the_year(self, signed, expected):
        """The Code of Ethics counts when signed in the 12 months to the due date."""
        holder = portfolio(code_of_ethics_signed_on=signed)

        assert expected == findings(renew(holder, 2025))["x.ethics"].outcome

    def test_ethics_signed_before_the_year_must_be_signed_again(self):
        """An old signature is unmet, saying it must be signed again."""
        holder = portfolio(code_of_ethics_signed_on="2024-12-31")
        found = findings(renew(holder, 2025))["x.ethics"]

        assert (
            "The Code of Ethics and Endorsement Agreement were last signed "
            "on 2024-12-31, before 2025-01-01; they must be signed again"
        ) == found.explanation

    def test_the_first_year_is_exempt(self):
        """In the award year only requirements marked in_first_year apply."""
        determination = renew(portfolio(), 2023)
        found = findings(determination)

        assert (Outcome.MET, Outcome.MET, Outcome.UNMET) == (
            found["x.training"].outcome,
            found["x.ethics"].outcome,
            found["x.membership"].outcome,
        )
        assert (
            "Not required: the first renewal year is exempt (endorsed in 2023)"
        ) == found["x.training"].explanation
        assert found["x.ethics"].explanation.startswith("Not required")
        assert (
            "No membership in an IMH association is current on 2023-12-31"
        ) == found["x.membership"].explanation
        assert ((), ()) == (
            found["x.training"].evidence,
            found["x.ethics"].evidence,
        )

    def test_a_membership_meets_the_first_year(self):
        """A current membership alone renews the endorsement in its first year."""
        holder = portfolio(
            memberships=[
                {"association": "test", "start": "2023-01-01", "end": None}
            ]
        )

        assert iecmh_core.Eligibility.ELIGIBLE == renew(holder, 2023).outcome

    def test_the_year_after_the_award_is_not_exempt(self):
        """The year after the award is the first renewal asking everything."""
        found = findings(renew(portfolio(), 2024))

        assert Outcome.UNMET == found["x.training"].outcome
        assert not found["x.training"].explanation.startswith("Not required")

    def test_no_exemption_without_the_policy(self):
        """With first_year_exempt false the award year asks everything."""
        book = rulebook(TRAINING, policy=POLICY | {"first_year_exempt": False})

        found = renew(portfolio(), 2023, book).findings[0]

        assert Outcome.UNMET == found.outcome

    def test_the_latest_award_of_the_category(self):
        """A category code means the most recently awarded endorsement of it."""
        holder = portfolio(
            endorsements=[
                {
                    "category": "X",
                    "awarded_on": "2025-02-01",
                    "status": "active",
                },
                {
                    "category": "X",
                    "awarded_on": "2019-02-01",
                    "status": "lapsed",
                },
            ]
        )

        found = findings(renew(holder, 2025))["x.training"]

        assert (
            "Not required: the first renewal year is exempt (endorsed in 2025)"
        ) == found.explanation

    def test_a_held_endorsement_given_as_such(self):
        """An endorsement held may be given itself rather than by code."""
        holder = portfolio()
        determination = checked(
            evaluate_renewal(
                holder, holder.endorsements[0], 2025, RENEWAL_BOOK
            )
        )

        assert renew(holder, 2025) == determination

    @pytest.mark.parametrize(
        ("awarded_on", "applies"),
        [("2023-12-31", "x.mentor"), ("2024-01-01", "x.young")],
    )
    def test_held_for_years(self, awarded_on, applies):
        """At 3 full years held the at-least rule applies; at 2, the under one."""
        book = rulebook(
            requirement(
                "x.mentor",
                "training",
                hours=10,
                when={"held_for_years_at_least": 3},
            ),
            requirement(
                "x.young",
                "training",
                hours=12,
                when={"held_for_years_under": 3},
            ),
        )
        holder = portfolio(
            endorsements=[
                {"category": "X", "awarded_on": awarded_on, "status": "active"}
            ]
        )
        found = findings(renew(holder, 2026, book))
        other = ({"x.mentor", "x.young"} - {applies}).pop()

        assert Outcome.UNMET == found[applies].outcome
        assert (Outcome.MET, None) == (
            found[other].outcome,
            found[other].required,
        )
        assert found[other].explanation in {
            "Not required: held 2 full years, fewer than 3",
            "Not required: held 3 full years, 3 or more",
        }

    @pytest.mark.parametrize(
        ("job", "applies"),
        [
            (None, False),
            ({"start": "2020-01-01", "end": None}, True),
            ({"start": "2020-01-01", "end": "2025-01-01"}, True),
            ({"start": "2020-01-01", "end": "2024-12-31"}, False),
            ({"start": "2025-12-31", "end": None}, True),
            ({"start": "2026-01-01", "end": None}, False),
            (
                {
                    "start": "2020-01-01",
                    "end": None,
                    "services": ["prevention"],
                },
                False,
            ),
        ],
    )
    def test_provides_rsc(self, job, applies):
        """The RSC-provider rule applies when a job in the year provides RSC."""
        book = rulebook(
            requirement(
                "x.providing",
                "training",
                hours=3,
                topic="rsc",
                when={"provides_rsc": True},
            )
        )
        work = []
        if job is not None:
            work = [
                {
                    "title": "Supervisor",
                    "paid": True,
                    "age_band": "infant",
                    "services": ["rsc_provision"],
                    **job,
                }
            ]
        found = renew(portfolio(work=work), 2025, book).findings[0]

        assert (Outcome.UNMET if applies else Outcome.MET) == found.outcome
        if not applies:
            assert (
                "Not required: no job in the 12 months up to 2025-12-31 "
                "provides RSC"
            ) == found.explanation

    def test_not_held(self):
        """A category the portfolio holds no endorsement of is refused."""
        with pytest.raises(EndorsementNotHeldError) as caught:
            evaluate_renewal(portfolio(), "IFS", 2025, RENEWAL_BOOK)

        assert ("IFS", ("X",)) == (caught.value.category, caught.value.held)

    def test_a_year_before_the_award(self):
        """A renewal year before the award year is refused."""
        with pytest.raises(EndorsementNotCurrentError) as caught:
            evaluate_renewal(portfolio(), "X", 2022, RENEWAL_BOOK)

        assert "the year 2022 (awarded on 2023-04-01)" == (caught.value.reason)

    def test_not_held_by_an_empty_portfolio(self):
        """A portfolio with no endorsement says it holds none."""
        with pytest.raises(EndorsementNotHeldError, match="no endorsement"):
            evaluate_renewal(
                portfolio(endorsements=[]), "X", 2025, RENEWAL_BOOK
            )

    def test_held_but_not_in_the_rulebook(self):
        """An endorsement of a category the rulebook lacks is refused."""
        holder = portfolio(
            endorsements=[
                {
                    "category": "Y",
                    "awarded_on": "2023-04-01",
                    "status": "active",
                }
            ]
        )

        with pytest.raises(UnknownCategoryError):
            evaluate_renewal(holder, "Y", 2025, RENEWAL_BOOK)

    def test_a_rulebook_without_renewal_rules(self):
        """A rulebook with no renewal policy cannot evaluate a renewal."""
        with pytest.raises(UnknownRulebookError):
            evaluate_renewal(portfolio(), "X", 2025, rulebook(policy=None))

    def test_a_category_without_renewal_requirements(self):
        """A category that asks nothing to renew is renewed."""
        determination = renew(portfolio(), 2025, BOOK)

        assert (iecmh_core.Eligibility.ELIGIBLE, ()) == (
            determination.outcome,
            determination.findings,
        )


LAPSED_HOLDER = {
    "endorsements": [
        {"category": "X", "awarded_on": "2023-04-01", "status": "lapsed"}
    ]
}


def reference(submitted_on: str, rater: str = "r-1") -> dict[str, Any]:
    """A supervisor's reference rating submitted on *submitted_on*."""
    return {
        "rater": rater,
        "role": "supervisor",
        "rater_category": None,
        "submitted_on": submitted_on,
    }


def reinstate(on: str = "2025-06-01", **fields: Any):
    """Evaluate reinstating the lapsed X endorsement on *on*; check it."""
    holder = portfolio(**LAPSED_HOLDER, **fields)
    return checked(evaluate_reinstatement(holder, "X", day(on), BOOK))


class TestEvaluateReinstatement:
    """
    evaluate_reinstatement decides a lapsed endorsement's reinstatement.
    """

    def test_for_reinstatement_on_the_day(self):
        """The determination is a reinstatement, as of the day asked."""
        determination = reinstate()

        assert (day("2025-06-01"), Purpose.REINSTATEMENT, "X") == (
            determination.as_of,
            determination.purpose,
            determination.category,
        )
        assert ["reinstate.references", "reinstate.ethics"] == [
            f.requirement for f in determination.findings
        ]

    def test_references_before_the_lapse_are_not_new(self):
        """A rating submitted before the lapse day is rejected as before_lapse."""
        found = reinstate(
            references=[
                reference("2025-01-31", "r-1"),
                reference("2025-02-01", "r-2"),
                reference("2025-05-01", "r-3"),
            ]
        ).findings[0]

        assert (Outcome.UNMET, Decimal(2), Decimal(1)) == (
            found.outcome,
            found.counted,
            found.shortfall,
        )
        assert [("references[0]", RejectionReason.BEFORE_LAPSE)] == [
            (r.evidence, r.reason) for r in found.rejected
        ]
        assert (
            "submitted on 2025-01-31, before the endorsement lapsed on "
            "2025-02-01; reinstatement needs new ratings"
        ) == found.rejected[0].explanation

    def test_three_new_references_meet(self):
        """Three ratings submitted since the lapse meet the requirement."""
        found = reinstate(
            references=[
                reference("2025-02-01", "r-1"),
                reference("2025-03-01", "r-2"),
                reference("2025-06-01", "r-3"),
            ]
        ).findings[0]

        assert (Outcome.MET, ()) == (found.outcome, found.rejected)

    @pytest.mark.parametrize(
        ("signed", "expected"),
        [
            ("2025-01-31", Outcome.UNMET),
            ("2025-02-01", Outcome.MET),
            ("2025-06-01", Outcome.MET),
        ],
    )
    def test_ethics_signed_since_the_lapse(self, signed, expected):
        """The Code of Ethics must be signed on or after the lapse day."""
        found = reinstate(code_of_ethics_signed_on=signed).findings[1]

        assert expected == found.outcome

    def test_ethics_signed_before_the_lapse_explains(self):
        """A signature from before the lapse must be signed again."""
        found = reinstate(code_of_ethics_signed_on="2024-06-01").findings[1]

        assert (
            "The Code of Ethics and Endorsement Agreement were last signed "
            "on 2024-06-01, before 2025-02-01; they must be signed again"
        ) == found.explanation

    def test_reinstated_with_everything_new(self):
        """New ratings and a new signature reinstate the endorsement."""
        determination = reinstate(
            code_of_ethics_signed_on="2025-04-01",
            references=[
                reference("2025-04-01", "r-1"),
                reference("2025-04-02", "r-2"),
                reference("2025-04-03", "r-3"),
            ],
        )

        assert iecmh_core.Eligibility.ELIGIBLE == determination.outcome

    @pytest.mark.parametrize("on", ["2025-01-31", "2023-06-01"])
    def test_only_a_lapsed_endorsement(self, on):
        """Reinstating an endorsement that has not lapsed is refused."""
        with pytest.raises(EndorsementNotCurrentError) as caught:
            reinstate(on)

        assert ("X", "a lapsed endorsement") == (
            caught.value.category,
            caught.value.expected,
        )

    def test_not_held(self):
        """Reinstating a category the portfolio does not hold is refused."""
        with pytest.raises(EndorsementNotHeldError):
            evaluate_reinstatement(portfolio(), "IFS", day("2025-06-01"), BOOK)

    def test_a_rulebook_without_renewal_rules(self):
        """A rulebook with no renewal policy cannot reinstate."""
        with pytest.raises(UnknownRulebookError):
            evaluate_reinstatement(
                portfolio(), "X", day("2025-06-01"), rulebook(policy=None)
            )


def _edition_case(book: iecmh_core.Rulebook) -> tuple[str, int]:
    """A category of *book* that asks 15 training hours, and a year in force."""
    code = next(
        c.code
        for c in book.categories
        if any(
            r.kind.value == "training"
            and r.hours == 15
            and r.topic is None
            and r.when is None
            for r in c.renewal
        )
    )
    year = book.effective_from.year + 1
    if book.effective_until is not None:
        year = min(year, book.effective_until.year)
    return code, year


@pytest.mark.parametrize(
    "edition", [b.id for b in iecmh_core.bundled_rulebooks()]
)
class TestBundledEditions:
    """
    Each bundled edition renews, tells statuses and reinstates end to end.
    """

    def test_renewal_end_to_end(self, edition):
        """Half an hour short of 15 is unmet; 15 hours in the year are met."""
        book = iecmh_core.bundled_rulebook(edition)
        assert book.renewal is not None, f"{edition} has no renewal rules yet"
        code, year = _edition_case(book)
        held_data = {
            "category": code,
            "rulebook": edition,
            "awarded_on": f"{year - 2}-04-01",
            "status": "active",
            "renewals": [
                {"year": year - 1, "renewed_on": f"{year - 1}-12-01"}
            ],
        }
        data = {
            "id": "holder-1",
            "code_of_ethics_signed_on": f"{year}-03-01",
            "training": [training(f"{year}-05-01", 14.5)],
            "endorsements": [held_data],
        }
        short = load_portfolio(data)
        enough = load_portfolio(
            data
            | {"training": [*data["training"], training(f"{year}-06-01", 0.5)]}
        )

        def hours(holder):
            determination = checked(evaluate_renewal(holder, code, year))
            assert (edition, Purpose.RENEWAL) == (
                determination.rulebook,
                determination.purpose,
            )
            assert due_date(book.renewal, year) == determination.as_of
            return next(
                f
                for f in determination.findings
                if f.kind.value == "training" and f.required == 15
            )

        assert (Outcome.UNMET, Decimal("0.5")) == (
            hours(short).outcome,
            hours(short).shortfall,
        )
        assert (Outcome.MET, Decimal(0)) == (
            hours(enough).outcome,
            hours(enough).shortfall,
        )
        by_id = checked(evaluate_renewal(short, code, year, edition))
        assert by_id == checked(evaluate_renewal(short, code, year))

        endorsement = short.endorsements[0]
        due = due_date(book.renewal, year)
        state = endorsement_status(endorsement, due, edition)
        assert LifecycleStatus.DUE == state.status
        state = endorsement_status(endorsement, due + dt.timedelta(days=400))
        assert LifecycleStatus.LAPSED == state.status
        reinstatement = checked(
            evaluate_reinstatement(
                short, code, due + dt.timedelta(days=400), edition
            )
        )
        assert Purpose.REINSTATEMENT == reinstatement.purpose


RENEWAL_PAIRS = [
    (book.id, category.code)
    for book in iecmh_core.bundled_rulebooks()
    for category in book.categories
]


class TestRenewalProperties:
    """
    Properties of every renewal under the bundled editions.
    """

    @given(
        applicants(),
        st.sampled_from(RENEWAL_PAIRS),
        st.integers(2018, 2027),
        st.data(),
    )
    def test_valid_and_blind_to_later_evidence(
        self, applicant, pair, year, data
    ):
        """A renewal is valid, and evidence after its due date changes nothing."""
        edition, code = pair
        awarded = data.draw(
            st.dates(dt.date(2015, 1, 1), dt.date(year, 12, 31))
        )
        holder = attrs.evolve(
            applicant,
            endorsements=(
                HeldEndorsement(
                    category=code,
                    awarded_on=awarded,
                    status=EndorsementStatus.ACTIVE,
                    rulebook=edition,
                ),
            ),
        )
        determination = checked(evaluate_renewal(holder, code, year, edition))
        more = data.draw(later_evidence(determination.as_of, after=True))
        richer = attrs.evolve(
            holder, **{k: getattr(holder, k) + v for k, v in more.items()}
        )

        assert dump(determination) == dump(
            evaluate_renewal(richer, code, year, edition)
        )


class TestTheRightRules:
    """
    Status and renewal follow the endorsement's own association, from its award.
    """

    HELD: ClassVar[dict[str, Any]] = {
        "category": "IFS",
        "rulebook": "mi-aimh-2024",
        "awarded_on": "2025-04-01",
        "status": "active",
    }

    def portfolio(self, **held: Any) -> iecmh_core.Portfolio:
        return iecmh_core.load_portfolio(
            {
                "id": "h-1",
                "code_of_ethics_signed_on": "2025-03-01",
                "endorsements": [self.HELD | held],
            }
        )

    def test_not_held_before_the_award(self):
        """The day before the award is not_yet_awarded; the award day is active."""
        held = self.portfolio().endorsements[0]
        before = iecmh_core.endorsement_status(held, dt.date(2025, 3, 31))
        assert LifecycleStatus.NOT_YET_AWARDED == before.status
        assert "awarded on 2025-04-01" in before.explanation
        on = iecmh_core.endorsement_status(held, dt.date(2025, 4, 1))
        assert ACTIVE == on.status

    def test_another_associations_edition_is_refused(self):
        """A MassAIMH edition for an MI-AIMH endorsement raises RulebookMismatchError."""
        portfolio = self.portfolio()
        held = portfolio.endorsements[0]
        day = dt.date(2025, 6, 1)
        with pytest.raises(iecmh_core.RulebookMismatchError, match="mi-aimh"):
            iecmh_core.endorsement_status(held, day, "massaimh-2024")
        with pytest.raises(iecmh_core.RulebookMismatchError):
            iecmh_core.evaluate_renewal(
                portfolio, "IFS", 2026, "massaimh-2024"
            )

    def test_insisting_uses_it_with_a_warning(self):
        """any_association=True applies it and says so in warnings."""
        portfolio = self.portfolio(category="I/ECFS")
        held = portfolio.endorsements[0]
        state = iecmh_core.endorsement_status(
            held, dt.date(2025, 6, 1), "massaimh-2024", any_association=True
        )
        assert [iecmh_core.WarningCode.OTHER_ASSOCIATION] == [
            w.code for w in state.warnings
        ]
        renewal = iecmh_core.evaluate_renewal(
            portfolio, "I/ECFS", 2026, "massaimh-2024", any_association=True
        )
        assert [iecmh_core.WarningCode.OTHER_ASSOCIATION] == [
            w.code for w in renewal.warnings
        ]

    def test_an_unknown_awarding_edition_is_not_replaced(self):
        """An endorsement awarded under an unknown edition is never renewed under another association's."""
        portfolio = self.portfolio(rulebook="ct-aimh-2024")
        with pytest.raises(iecmh_core.UnknownRulebookError, match="ct-aimh"):
            iecmh_core.evaluate_renewal(portfolio, "IFS", 2026)

    def test_the_own_edition_gives_no_warning(self):
        """The endorsement's own edition in force: no warnings."""
        held = self.portfolio().endorsements[0]
        state = iecmh_core.endorsement_status(
            held, dt.date(2025, 6, 1), "mi-aimh-2024"
        )
        assert () == state.warnings
