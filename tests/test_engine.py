"""
The eligibility engine: three-valued findings, explained, for every kind of
requirement; and the properties that must hold for any portfolio.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import iecmh_core
from iecmh_core import (
    Eligibility,
    Outcome,
    RejectionReason,
    evaluate,
    load_portfolio,
    load_rulebook,
)
from iecmh_core._engine import add_months, window_start
from strategies import applicants, later_evidence

AS_OF = dt.date(2026, 1, 15)
SOURCE = ["https://example.org/rules"]
BOOKS = iecmh_core.bundled_rulebooks()
PAIRS = [(b.id, c.code) for b in BOOKS for c in b.categories]


def rulebook(*requirements: dict[str, Any]) -> iecmh_core.Rulebook:
    """A one-category rulebook ("X") holding *requirements*."""
    reqs = [{"title": r["id"], "sources": SOURCE, **r} for r in requirements]
    return load_rulebook(
        {
            "id": "test",
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
                    "requirements": reqs,
                }
            ],
        }
    )


def finding(book, portfolio: dict[str, Any], as_of=AS_OF):
    """Evaluate the portfolio and return the first finding."""
    data = {"id": "p", "code_of_ethics_signed_on": None, **portfolio}
    result = evaluate(load_portfolio(data), "X", book, as_of)
    return result.findings[0]


def session(day, hours=1, provider="a", category="IMHM-C", **extra):
    return {
        "provider": provider,
        "provider_category": category,
        "format": "individual",
        "date": day,
        "hours": hours,
        **extra,
    }


RSC = {
    "id": "x.rsc",
    "kind": "rsc",
    "hours": 24,
    "window_months": 24,
    "providers": [{"categories": ["IMHM-C"]}],
}


class TestRsc:
    def test_counts_hours_from_qualifying_providers_in_the_window(self):
        """Qualifying sessions inside the window are counted exactly."""
        book = rulebook(RSC)
        found = finding(
            book,
            {"rsc": [session("2025-01-10", 12), session("2025-06-10", 12)]},
        )
        assert Outcome.MET == found.outcome
        assert (Decimal(24), Decimal(24), Decimal(0)) == (
            found.required,
            found.counted,
            found.shortfall,
        )
        assert ("rsc[0]", "rsc[1]") == found.evidence

    def test_a_session_falls_out_on_the_day_the_window_passes_it(self):
        """A session counts until, and not on, window_months after its date."""
        book = rulebook({**RSC, "hours": 1})
        on_edge = {"rsc": [session("2024-01-15", 1)]}
        assert (
            finding(book, on_edge, dt.date(2026, 1, 14)).outcome == Outcome.MET
        )
        late = finding(book, on_edge, dt.date(2026, 1, 15))
        assert late.outcome == Outcome.UNMET
        assert late.rejected[0].reason == RejectionReason.OUTSIDE_WINDOW

    def test_expires_on_is_when_the_first_counted_session_falls_out(self):
        """expires_on is the earliest counted session's date plus the window."""
        book = rulebook(RSC)
        found = finding(book, {"rsc": [session("2025-03-31", 24)]})
        assert dt.date(2027, 3, 31) == found.expires_on

    def test_peer_rsc_never_counts(self):
        """Peer sessions are rejected with the format reason."""
        book = rulebook({**RSC, "hours": 1})
        found = finding(book, {"rsc": [session("2025-01-10", format="peer")]})
        assert Outcome.UNMET == found.outcome
        assert RejectionReason.FORMAT_NOT_ACCEPTED == found.rejected[0].reason

    def test_an_unqualified_provider_is_rejected_with_the_reason(self):
        """A provider outside the rule's categories does not count."""
        book = rulebook({**RSC, "hours": 1})
        found = finding(book, {"rsc": [session("2025-01-10", category="IFS")]})
        assert (
            found.rejected[0].reason == RejectionReason.PROVIDER_NOT_QUALIFIED
        )
        assert "IMHM-C" in found.rejected[0].explanation

    def test_an_unknown_provider_degree_leaves_the_outcome_undetermined(self):
        """A missing value the rule needs is never read as disqualifying."""
        rule = {"categories": ["IFS"], "provider_levels": ["master"]}
        book = rulebook({**RSC, "hours": 1, "providers": [rule]})
        found = finding(book, {"rsc": [session("2025-01-10", category="IFS")]})
        assert Outcome.UNDETERMINED == found.outcome
        assert ("$.rsc[0].provider_degree",) == found.missing
        known = {
            "rsc": [
                session("2025-01-10", category="IFS", provider_degree="master")
            ]
        }
        assert finding(book, known).outcome == Outcome.MET

    def test_a_vetted_provider_qualifies_under_a_vetted_rule(self):
        """vetted: true admits providers vetted by the association."""
        rules = [{"categories": ["IMHM-C"]}, {"vetted": True}]
        book = rulebook({**RSC, "hours": 1, "providers": rules})
        vetted = {"rsc": [session("2025-01-10", category=None, vetted=True)]}
        unknown = {"rsc": [session("2025-01-10", category=None)]}
        assert finding(book, vetted).outcome == Outcome.MET
        assert finding(book, unknown).outcome == Outcome.UNDETERMINED

    def test_only_the_best_two_providers_count(self):
        """Hours from a third provider are rejected, the best two kept."""
        book = rulebook({**RSC, "max_providers": 2})
        rsc = [
            session("2025-01-10", 10, "a"),
            session("2025-01-11", 9, "b"),
            session("2025-01-12", 8, "c"),
        ]
        found = finding(book, {"rsc": rsc})
        assert Decimal(19) == found.counted
        assert RejectionReason.PROVIDER_LIMIT == found.rejected[0].reason
        assert "rsc[2]" == found.rejected[0].evidence

    def test_most_hours_must_come_from_one_provider(self):
        """An even 12 + 12 split is not 'most from one'; 12.5 + 11.5 is."""
        book = rulebook({**RSC, "max_providers": 2, "majority_from_one": True})
        even = [session("2025-01-10", 12, "a"), session("2025-02-10", 12, "b")]
        uneven = [
            session("2025-01-10", 12.5, "a"),
            session("2025-02-10", 11.5, "b"),
        ]
        assert finding(book, {"rsc": even}).outcome == Outcome.UNMET
        assert "more than half" in finding(book, {"rsc": even}).advice
        assert finding(book, {"rsc": uneven}).outcome == Outcome.MET

    def test_the_hours_must_spread_over_the_minimum_span(self):
        """min_span_months is met from first to last counted session."""
        book = rulebook({**RSC, "min_span_months": 12})
        short = [session("2025-01-10", 12), session("2026-01-09", 12)]
        spread = [session("2025-01-10", 12), session("2026-01-10", 12)]
        found = finding(book, {"rsc": short})
        assert Outcome.UNMET == found.outcome
        assert "2026-01-10" in found.advice
        assert finding(book, {"rsc": spread}).outcome == Outcome.MET

    def test_unmet_rsc_says_what_would_close_the_gap(self):
        """The advice names the missing hours exactly."""
        book = rulebook(RSC)
        found = finding(book, {"rsc": [session("2025-01-10", 18.5)]})
        assert Decimal("5.5") == found.shortfall
        assert found.advice.startswith("5.5 more RSC hours from a qualifying")

    def test_about_providing_rsc_counts_only_tagged_sessions(self):
        """Sessions not about providing RSC are rejected; unknown ones wait."""
        book = rulebook({**RSC, "hours": 1, "about_providing_rsc": True})
        no = {"rsc": [session("2025-01-10", about_providing_rsc=False)]}
        unknown = {"rsc": [session("2025-01-10")]}
        yes = {"rsc": [session("2025-01-10", about_providing_rsc=True)]}
        assert (
            finding(book, no).rejected[0].reason
        ) == RejectionReason.NOT_ABOUT_PROVIDING_RSC
        assert finding(book, unknown).outcome == Outcome.UNDETERMINED
        assert finding(book, yes).outcome == Outcome.MET

    def test_the_applicants_degree_is_judged_on_each_sessions_date(self):
        """A later master's does not void RSC received while bachelor's-prepared."""
        rule = {
            "categories": ["IFS"],
            "provider_levels": ["master"],
            "applicant_levels": ["bachelor"],
        }
        book = rulebook({**RSC, "hours": 1, "providers": [rule]})
        ifs = session("2025-01-10", category="IFS", provider_degree="master")
        education = [
            {"level": "bachelor", "completed_on": "2020-05-01"},
            {"level": "master", "completed_on": "2025-06-01"},
        ]
        early = finding(book, {"rsc": [ifs], "education": education})
        assert early.outcome == Outcome.MET
        later = {**ifs, "date": "2025-07-01"}
        assert (
            finding(book, {"rsc": [later], "education": education}).outcome
        ) == Outcome.UNMET


WORK = {"id": "x.work", "kind": "work", "years": 2}


def job(start, end, **extra):
    return {
        "title": "Home visitor",
        "start": start,
        "end": end,
        "paid": True,
        "age_band": "infant",
        **extra,
    }


class TestWork:
    def test_two_calendar_years_end_the_day_before_the_second_anniversary(
        self,
    ):
        """2022-01-01 to 2023-12-31 is 2 years; from 2022-01-02 it is 1 day short."""
        book = rulebook(WORK)
        whole = finding(book, {"work": [job("2022-01-01", "2023-12-31")]})
        assert (Outcome.MET, Decimal(730), Decimal(730), Decimal(0)) == (
            whole.outcome,
            whole.required,
            whole.counted,
            whole.shortfall,
        )
        short = finding(book, {"work": [job("2022-01-02", "2023-12-31")]})
        assert (Outcome.UNMET, Decimal(1), "days") == (
            short.outcome,
            short.shortfall,
            short.unit,
        )
        assert short.advice is not None
        assert short.advice.startswith("1 day more of paid work")
        assert "1 year, 11 months and 30 days of 2 years" in short.explanation

    @pytest.mark.parametrize(
        ("start", "end", "outcome", "required"),
        [
            # Two years holding 29 February 2024 need 731 days.
            ("2023-03-01", "2025-02-28", Outcome.MET, 731),
            ("2023-03-01", "2025-02-27", Outcome.UNMET, 731),
            # From 29 February the anniversary in a common year is 28
            # February (the month's last day, as add_months clamps it).
            ("2024-02-29", "2026-02-27", Outcome.MET, 730),
            ("2024-02-29", "2026-02-26", Outcome.UNMET, 730),
            # From a month's last day.
            ("2022-01-31", "2024-01-30", Outcome.MET, 730),
            ("2022-01-31", "2024-01-29", Outcome.UNMET, 730),
        ],
    )
    def test_leap_years_and_month_ends_from_both_sides(
        self, start, end, outcome, required
    ):
        """The days N years hold come from the calendar, leap days included."""
        found = finding(
            rulebook(WORK),
            {"work": [job(start, end)]},
            as_of=dt.date(2026, 6, 1),
        )
        assert (outcome, Decimal(required)) == (found.outcome, found.required)

    def test_shortfalls_say_months_and_days_not_rounded_years(self):
        """Under a year short reads in months and days; never 0.01 years."""
        book = rulebook(WORK)
        found = finding(book, {"work": [job("2022-01-01", "2023-06-30")]})
        assert found.advice is not None
        assert found.advice.startswith("6 months more of paid work")
        found = finding(book, {"work": [job("2022-01-01", "2023-06-19")]})
        assert found.advice is not None
        assert found.advice.startswith("6 months and 12 days more")

    def test_fte_prorates_and_concurrent_jobs_cap_at_full_time(self):
        """Half-time counts half; overlapping full-time jobs count once a day."""
        book = rulebook(WORK)
        half = finding(
            book, {"work": [job("2022-01-01", "2023-12-31", fte=0.5)]}
        )
        assert (Decimal(365), Decimal(365)) == (half.counted, half.shortfall)
        twice = finding(
            book,
            {
                "work": [
                    job("2022-01-01", "2023-12-31"),
                    job("2022-01-01", "2023-12-31"),
                ]
            },
        )
        assert (Outcome.MET, Decimal(730)) == (twice.outcome, twice.counted)
        # Two half-time posts on the same days make one full-time post; a
        # half-time post overlapping a full-time one adds nothing on the
        # shared days and its half on the others.
        partly = finding(
            book,
            {
                "work": [
                    job("2022-01-01", "2022-12-31"),
                    job("2022-07-01", "2023-06-30", fte=0.5),
                ]
            },
        )
        assert Decimal(365) + Decimal(181) / 2 == partly.counted

    def test_filters_reject_with_their_reasons(self):
        """Unpaid, wrong age band, wrong services, few families, unsupervised."""
        book = rulebook(
            {
                **WORK,
                "age_bands": ["infant"],
                "services": ["prevention"],
                "min_families": 10,
                "supervised_only": True,
            }
        )
        jobs = [
            job("2020-01-01", "2021-01-01", paid=False),
            job("2020-01-01", "2021-01-01", age_band="early_childhood"),
            job("2020-01-01", "2021-01-01", services=["research"]),
            job(
                "2020-01-01",
                "2021-01-01",
                services=["prevention"],
                families_served=9,
            ),
            job(
                "2020-01-01",
                "2021-01-01",
                services=["prevention"],
                families_served=10,
                supervised=False,
            ),
        ]
        found = finding(book, {"work": jobs})
        assert [r.reason for r in found.rejected] == [
            RejectionReason.UNPAID,
            RejectionReason.AGE_BAND,
            RejectionReason.SERVICES,
            RejectionReason.TOO_FEW_FAMILIES,
            RejectionReason.NOT_SUPERVISED,
        ]

    def test_unknown_families_leave_the_outcome_undetermined(self):
        """A job without families_served could still count."""
        book = rulebook({**WORK, "min_families": 10})
        found = finding(book, {"work": [job("2020-01-01", "2023-01-01")]})
        assert Outcome.UNDETERMINED == found.outcome
        assert ("$.work[0].families_served",) == found.missing

    def test_only_work_after_the_degree_counts(self):
        """after_level counts from the degree's completion date."""
        book = rulebook({**WORK, "after_level": "bachelor"})
        education = [{"level": "bachelor", "completed_on": "2022-01-01"}]
        found = finding(
            book,
            {
                "work": [job("2020-01-01", "2023-01-01")],
                "education": education,
            },
        )
        assert Decimal(366) == found.counted
        before = finding(
            book,
            {
                "work": [job("2018-01-01", "2019-01-01")],
                "education": education,
            },
        )
        assert before.rejected[0].reason == RejectionReason.BEFORE_DEGREE


REFS: dict[str, Any] = {
    "id": "x.references",
    "kind": "references",
    "count": 3,
    "void_at": 6,
    "slots": [
        {"title": "a supervisor", "roles": ["supervisor"]},
        {"title": "the RSC provider", "roles": ["rsc_provider"]},
    ],
}


class TestReferences:
    @staticmethod
    def rating(role, blanks=0, **extra):
        data = {
            "rater": role,
            "role": role,
            "rater_category": None,
            "submitted_on": "2025-06-01",
            **extra,
        }
        if blanks is not None:
            data["not_enough_information"] = blanks
        return data

    def test_a_rating_with_six_blanks_is_void(self):
        """5 items the rater could not rate is valid; 6 is void."""
        book = rulebook(REFS)
        ok = [self.rating("supervisor"), self.rating("rsc_provider")]
        five = finding(
            book, {"references": [*ok, self.rating("colleague", 5)]}
        )
        six = finding(book, {"references": [*ok, self.rating("colleague", 6)]})
        assert five.outcome == Outcome.MET
        assert six.outcome == Outcome.UNMET
        assert six.rejected[0].reason == RejectionReason.VOID_REFERENCE

    def test_an_unfilled_slot_is_named(self):
        """Without the RSC provider's rating the finding says so."""
        book = rulebook(REFS)
        refs = [self.rating("supervisor"), *(self.rating("colleague"),) * 2]
        found = finding(book, {"references": refs})
        assert Outcome.UNMET == found.outcome
        assert "the RSC provider" in found.explanation
        assert RejectionReason.NO_SLOT == found.rejected[0].reason

    def test_unknown_blanks_leave_the_outcome_undetermined(self):
        """A rating without not_enough_information may yet be valid."""
        book = rulebook(REFS)
        refs = [
            self.rating("supervisor"),
            self.rating("rsc_provider"),
            self.rating("colleague", None),
        ]
        found = finding(book, {"references": refs})
        assert Outcome.UNDETERMINED == found.outcome
        assert ("$.references[2].not_enough_information",) == found.missing

    def test_a_vetted_rater_fills_a_category_slot(self):
        """vetted_counts lets a vetted rater stand in for an endorsed one."""
        slot = {
            "title": "an endorsed rater",
            "rater_categories": ["IMHS"],
            "vetted_counts": True,
        }
        book = rulebook({**REFS, "count": 1, "slots": [slot]})
        assert (
            finding(
                book, {"references": [self.rating("other", vetted=True)]}
            ).outcome
            == Outcome.MET
        )
        unknown = finding(book, {"references": [self.rating("other")]})
        assert unknown.outcome == Outcome.UNDETERMINED
        assert unknown.missing == ("$.references[0].vetted",)


class TestOtherKinds:
    def test_training_topic_hours_count_only_tagged_trainings(self):
        """A topic minimum counts only trainings tagged with the topic."""
        book = rulebook(
            {"id": "x.t", "kind": "training", "hours": 3, "topic": "dei"}
        )
        trainings = [
            {
                "title": "a",
                "completed_on": "2025-01-01",
                "hours": 2.99,
                "topics": ["dei"],
            },
            {"title": "b", "completed_on": "2025-01-01", "hours": 5},
        ]
        found = finding(book, {"training": trainings})
        assert (Outcome.UNMET, Decimal("0.01")) == (
            found.outcome,
            found.shortfall,
        )
        assert RejectionReason.TOPIC_NOT_TAGGED == found.rejected[0].reason

    def test_exam_part_one_passes_at_the_mark(self):
        """79% fails part 1 and 80% passes; the best sitting counts."""
        book = rulebook(
            {"id": "x.e", "kind": "exam", "part": 1, "pass_percent": 80}
        )
        sit = {"part": 1, "taken_on": "2025-03-01"}
        low = finding(book, {"exams": [{**sit, "score_percent": 79}]})
        assert (Outcome.UNMET, Decimal(1)) == (low.outcome, low.shortfall)
        both = [{**sit, "score_percent": 79}, {**sit, "score_percent": 80}]
        assert finding(book, {"exams": both}).outcome == Outcome.MET
        assert finding(book, {"exams": [sit]}).outcome == Outcome.UNDETERMINED
        assert finding(book, {}).outcome == Outcome.UNMET

    def test_exam_part_two_is_pass_or_fail(self):
        """Part 2 is met by a sitting marked passed."""
        book = rulebook({"id": "x.e", "kind": "exam", "part": 2})
        sit = {"part": 2, "taken_on": "2025-03-01"}
        failed = finding(book, {"exams": [{**sit, "passed": False}]})
        assert failed.rejected[0].reason == RejectionReason.NOT_PASSED
        assert (
            finding(book, {"exams": [{**sit, "passed": True}]}).outcome
            == Outcome.MET
        )

    def test_membership_must_be_current_on_the_as_of_date(self):
        """A membership ending the day before does not count; on the day it does."""
        book = rulebook({"id": "x.m", "kind": "membership"})
        ended = [
            {"association": "a", "start": "2020-01-01", "end": "2026-01-14"}
        ]
        today = [
            {"association": "a", "start": "2020-01-01", "end": "2026-01-15"}
        ]
        assert finding(book, {"memberships": ended}).outcome == Outcome.UNMET
        assert finding(book, {"memberships": today}).outcome == Outcome.MET

    def test_membership_of_another_association_can_be_refused(self):
        """associations restricts which memberships count."""
        book = rulebook(
            {"id": "x.m", "kind": "membership", "associations": ["mi-aimh"]}
        )
        other = [{"association": "x", "start": "2020-01-01", "end": None}]
        found = finding(book, {"memberships": other})
        assert (
            found.rejected[0].reason
        ) == RejectionReason.ASSOCIATION_NOT_ACCEPTED

    def test_ethics_signed_after_the_as_of_date_is_not_signed(self):
        """The signature counts from its date on."""
        book = rulebook({"id": "x.e", "kind": "ethics"})
        data = {"id": "p", "code_of_ethics_signed_on": "2026-01-15"}
        on = evaluate(load_portfolio(data), "X", book, AS_OF)
        before = evaluate(
            load_portfolio(data), "X", book, AS_OF - dt.timedelta(1)
        )
        assert on.findings[0].outcome == Outcome.MET
        assert before.findings[0].outcome == Outcome.UNMET

    def test_leadership_counts_calendar_years_at_accepted_levels(self):
        """2025-01-15 to 2026-01-14 is one year; a day less is not; local does not count."""
        book = rulebook(
            {
                "id": "x.l",
                "kind": "leadership",
                "years": 1,
                "levels": ["regional"],
            }
        )
        one = {
            "description": "d",
            "level": "regional",
            "start": "2025-01-15",
            "end": "2026-01-14",
        }
        assert finding(book, {"leadership": [one]}).outcome == Outcome.MET
        shorter = {**one, "end": "2026-01-13"}
        short = finding(book, {"leadership": [shorter]})
        assert (Outcome.UNMET, Decimal(1)) == (short.outcome, short.shortfall)
        local = {**one, "level": "local", "end": None}
        assert (
            finding(book, {"leadership": [local]}).rejected[0].reason
            == RejectionReason.LEVEL_NOT_ACCEPTED
        )

    def test_work_providing_rsc_counts_as_leadership_where_the_rule_says(
        self,
    ):
        """work_services: a paid job providing RSC is leadership; elsewhere it is rejected."""
        rsc_job = job("2019-01-01", None, services=["rsc_provision"], fte=0.2)
        counting = rulebook(
            {
                "id": "x.l",
                "kind": "leadership",
                "years": 1,
                "levels": ["local"],
                "work_services": ["rsc_provision"],
            }
        )
        found = finding(counting, {"work": [rsc_job]})
        assert (Outcome.MET, ("work[0]",)) == (found.outcome, found.evidence)
        strict = rulebook({"id": "x.l", "kind": "leadership", "years": 1})
        found = finding(strict, {"work": [rsc_job]})
        assert Outcome.UNMET == found.outcome
        assert [RejectionReason.NOT_LEADERSHIP] == [
            r.reason for r in found.rejected
        ]

    def test_education_in_progress_does_not_count(self):
        """A degree with no completion date is rejected as in progress."""
        book = rulebook(
            {"id": "x.d", "kind": "education", "levels": ["master"]}
        )
        found = finding(
            book, {"education": [{"level": "master", "completed_on": None}]}
        )
        assert RejectionReason.IN_PROGRESS == found.rejected[0].reason


EITHER: dict[str, Any] = {
    "id": "x.either",
    "kind": "any_of",
    "paths": [
        {
            "id": "degree",
            "title": "a degree",
            "requirements": [
                {
                    "id": "x.either.degree",
                    "kind": "education",
                    "title": "d",
                    "sources": SOURCE,
                    "levels": ["bachelor"],
                }
            ],
        },
        {
            "id": "work",
            "title": "two years of paid work",
            "requirements": [
                {
                    "id": "x.either.work",
                    "kind": "work",
                    "title": "w",
                    "sources": SOURCE,
                    "years": 2,
                }
            ],
        },
    ],
}


class TestAnyOf:
    def test_met_through_any_path_and_every_path_reported(self):
        """The OR is met by one path; both paths keep their own findings."""
        book = rulebook(EITHER)
        found = finding(book, {"work": [job("2020-01-01", "2023-01-01")]})
        assert Outcome.MET == found.outcome
        assert "work" == found.closest
        assert [a.outcome for a in found.alternatives] == [
            Outcome.UNMET,
            Outcome.MET,
        ]

    def test_unmet_names_the_closest_path_and_its_gap(self):
        """With no path met, the closest path's advice is given."""
        book = rulebook(EITHER)
        found = finding(book, {"work": [job("2022-01-01", "2023-06-30")]})
        assert Outcome.UNMET == found.outcome
        assert "work" == found.closest
        assert "months more of paid work" in found.advice


class TestBundled:
    def test_the_edition_in_force_is_chosen_by_date(self):
        """mi-aimh-2017 governs 2020; mi-aimh-2024 governs 2025."""
        assert (
            iecmh_core.rulebook_in_force("mi-aimh", dt.date(2020, 1, 1)).id
            == "mi-aimh-2017"
        )
        assert (
            iecmh_core.rulebook_in_force("mi-aimh", dt.date(2025, 1, 1)).id
            == "mi-aimh-2024"
        )

    def test_no_edition_in_force_is_an_error(self):
        """Before any edition, rulebook_in_force says so."""
        with pytest.raises(iecmh_core.UnknownRulebookError, match="2010"):
            iecmh_core.rulebook_in_force("mi-aimh", dt.date(2010, 1, 1))

    def test_unknown_ids_are_errors_that_list_the_known_ones(self):
        """bundled_rulebook names the editions it knows."""
        with pytest.raises(
            iecmh_core.UnknownRulebookError, match="mi-aimh-2024"
        ):
            iecmh_core.bundled_rulebook("nope")

    def test_the_default_rulebook_is_the_edition_in_force_for_the_category(
        self,
    ):
        """Without a rulebook, IFS uses MI-AIMH's and I/ECFS MassAIMH's."""
        portfolio = load_portfolio(
            {"id": "p", "code_of_ethics_signed_on": None}
        )
        assert (
            evaluate(portfolio, "IFS", as_of=AS_OF).rulebook == "mi-aimh-2024"
        )
        assert (
            evaluate(portfolio, "IFS", as_of=dt.date(2020, 1, 1)).rulebook
            == "mi-aimh-2017"
        )
        assert (
            evaluate(portfolio, "I/ECFS", as_of=AS_OF).rulebook
            == "massaimh-2024"
        )
        with pytest.raises(iecmh_core.UnknownCategoryError, match="IFRS"):
            evaluate(portfolio, "IFRS", as_of=dt.date(2020, 1, 1))

    def test_without_a_date_the_evaluation_speaks_for_today(self):
        """as_of defaults to the local date."""
        portfolio = load_portfolio(
            {"id": "p", "code_of_ethics_signed_on": None}
        )
        assert dt.date.today() == evaluate(portfolio, "IFS").as_of  # noqa: DTZ011

    @pytest.mark.parametrize(("book", "code"), PAIRS)
    def test_every_bundled_category_can_be_evaluated(self, book, code):
        """Every category of every edition evaluates to a valid determination."""
        portfolio = load_portfolio(
            {"id": "p", "code_of_ethics_signed_on": None}
        )
        result = evaluate(portfolio, code, book, AS_OF)
        assert result.outcome == Eligibility.NOT_ELIGIBLE
        assert (
            iecmh_core.validate(iecmh_core.dump(result), "determination") == ()
        )


class TestHelpers:
    @pytest.mark.parametrize(
        ("day", "months", "expected"),
        [
            (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
            (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
            (dt.date(2026, 1, 15), -24, dt.date(2024, 1, 15)),
        ],
    )
    def test_add_months_clamps_to_the_end_of_the_month(
        self, day, months, expected
    ):
        """Adding months keeps the day, or the month's last day."""
        assert expected == add_months(day, months)

    @given(
        st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
        st.integers(1, 60),
        st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
    )
    def test_window_start_agrees_with_add_months(self, as_of, months, day):
        """A day is in the window exactly when add_months(day) is after as_of."""
        start = window_start(as_of, months)
        assert (day >= start) == (
            add_months(day, months) > as_of
        ) or day > as_of

    @given(st.dates(), st.integers(-120, 120))
    def test_add_months_saturates_at_the_ends_of_the_calendar(
        self, day, months
    ):
        """No date and shift, however extreme, raises."""
        moved = add_months(day, months)
        assert (moved >= day) == (months >= 0) or moved == day
        assert dt.date.min <= window_start(day, abs(months) or 1) <= day


def _met(determination):
    return {
        f.requirement
        for f in determination.findings
        if f.outcome is Outcome.MET
    }


class TestProperties:
    @given(applicants(), st.sampled_from(PAIRS), st.data())
    def test_adding_evidence_never_unmeets_a_requirement(
        self, portfolio, pair, data
    ):
        """Met findings stay met when more evidence (other than degrees) is added."""
        book, code = pair
        more = data.draw(later_evidence(AS_OF, after=False))
        richer = attrs.evolve(
            portfolio,
            **{k: getattr(portfolio, k) + v for k, v in more.items()},
        )
        before = evaluate(portfolio, code, book, AS_OF)
        after = evaluate(richer, code, book, AS_OF)
        assert _met(before) <= _met(after)
        if before.outcome is Eligibility.ELIGIBLE:
            assert after.outcome == Eligibility.ELIGIBLE

    @given(applicants(), st.sampled_from(PAIRS), st.data())
    def test_evidence_after_the_as_of_date_is_ignored(
        self, portfolio, pair, data
    ):
        """Adding evidence dated after as_of changes nothing at all."""
        book, code = pair
        more = data.draw(later_evidence(AS_OF, after=True))
        richer = attrs.evolve(
            portfolio,
            **{k: getattr(portfolio, k) + v for k, v in more.items()},
        )
        assert iecmh_core.dump(evaluate(portfolio, code, book, AS_OF)) == (
            iecmh_core.dump(evaluate(richer, code, book, AS_OF))
        )

    @given(applicants(), st.sampled_from(PAIRS))
    def test_evaluation_is_deterministic_and_schema_valid(
        self, portfolio, pair
    ):
        """Same input, byte-identical JSON, valid against the schema."""
        book, code = pair
        first = iecmh_core.dump_json(evaluate(portfolio, code, book, AS_OF))
        copy = load_portfolio(iecmh_core.dump(portfolio))
        second = iecmh_core.dump_json(evaluate(copy, code, book, AS_OF))
        assert first == second
        assert iecmh_core.validate(first, "determination") == ()

    def test_hours_are_exact(self):
        """300 trainings of 0.1 hours are exactly 30 hours."""
        book = rulebook({"id": "x.t", "kind": "training", "hours": 30})
        trainings = [
            {"title": "t", "completed_on": "2025-01-01", "hours": 0.1}
        ] * 300
        found = finding(book, {"training": trainings})
        assert (Outcome.MET, Decimal("30.0")) == (found.outcome, found.counted)


class TestNoEditionInForce:
    def test_a_date_before_every_edition_is_an_unknown_rulebook(self):
        """With no edition in force, the error names the date, not an empty list."""
        portfolio = load_portfolio(
            {"id": "p", "code_of_ethics_signed_on": None}
        )
        with pytest.raises(
            iecmh_core.UnknownRulebookError, match="2016-06-01"
        ):
            evaluate(portfolio, "IFS", as_of=dt.date(2016, 6, 1))


class TestExplanationsTellTheTruth:
    def test_an_unscored_exam_counts_no_zero_and_asks_for_the_score(self):
        """Taken, score not recorded: undetermined, counted None, advice names the sitting."""
        book = rulebook(
            {"id": "x.exam", "kind": "exam", "part": 1, "pass_percent": 80}
        )
        found = finding(
            book, {"exams": [{"part": 1, "taken_on": "2025-05-02"}]}
        )
        assert (Outcome.UNDETERMINED, None, None) == (
            found.outcome,
            found.counted,
            found.shortfall,
        )
        assert (
            "Record the score of the part 1 exam taken on 2025-05-02"
            == found.advice
        )
        scored = finding(
            book,
            {
                "exams": [
                    {"part": 1, "taken_on": "2025-05-02", "score_percent": 70}
                ]
            },
        )
        assert (Decimal(70), Decimal(10)) == (scored.counted, scored.shortfall)

    def test_missing_values_are_named_in_the_advice(self):
        """A job lacking families_served: the advice says to record it."""
        book = rulebook({**WORK, "min_families": 10})
        found = finding(book, {"work": [job("2020-01-01", "2023-01-01")]})
        assert "Record `families_served` for work[0]" == found.advice

    def test_an_unmet_majority_is_named_in_the_explanation(self):
        """12 + 12 from two providers against more than half from one."""
        book = rulebook(
            {
                "id": "x.rsc",
                "kind": "rsc",
                "hours": 24,
                "window_months": 24,
                "providers": [{"categories": ["IMHM-C"]}],
                "max_providers": 2,
                "majority_from_one": True,
            }
        )
        sessions = [
            session("2025-01-10", hours=12, provider="a"),
            session("2025-06-10", hours=12, provider="b"),
        ]
        found = finding(book, {"rsc": sessions})
        assert Outcome.UNMET == found.outcome
        assert (
            "more than half of the 24 hours must come from one provider"
            in (found.explanation)
        )
        assert "the most from one is 12" in found.explanation

    def test_membership_wording_reads_naturally(self):
        """'No membership in an accepted association (massaimh) is current'."""
        book = rulebook(
            {
                "id": "x.m",
                "kind": "membership",
                "associations": ["massaimh"],
            }
        )
        found = finding(book, {})
        assert found.explanation.startswith(
            "No membership in an accepted association (massaimh) is current"
        )

    def test_rsc_advice_fits_the_applicants_degree(self):
        """Under the classic matrix a master's-prepared applicant is not told the bachelor's rule."""
        book = rulebook(
            {
                "id": "x.rsc",
                "kind": "rsc",
                "hours": 24,
                "window_months": 24,
                "providers": [
                    {
                        "categories": ["IFS"],
                        "provider_levels": ["master"],
                        "applicant_levels": ["bachelor"],
                    },
                    {"categories": ["IMHM-C"]},
                ],
            }
        )
        master = [{"level": "master", "completed_on": "2020-01-01"}]
        found = finding(book, {"education": master})
        assert found.advice is not None
        assert "IFS" not in found.advice
        assert "IMHM-C" in found.advice


class TestEndorsementHeld:
    PREREQUISITE: ClassVar[dict[str, Any]] = {
        "id": "x.prerequisite",
        "kind": "endorsement_held",
        "categories": ["IFS", "IMHS", "ECFS", "ECMHS"],
    }

    @staticmethod
    def held(category, status="active", awarded_on="2022-05-01", **extra):
        return {
            "endorsements": [
                {
                    "category": category,
                    "rulebook": "mi-aimh-2024",
                    "awarded_on": awarded_on,
                    "status": status,
                    **extra,
                }
            ]
        }

    def test_only_an_ifa_is_not_an_ifs_or_imhs(self):
        """Holding only IFA does not meet a prerequisite of IFS or IMHS; the finding names it."""
        found = finding(rulebook(self.PREREQUISITE), self.held("IFA"))
        assert Outcome.UNMET == found.outcome
        assert "open only to holders of IFS, IMHS, ECFS or ECMHS" in (
            found.explanation
        )
        assert [RejectionReason.CATEGORY_NOT_ACCEPTED] == [
            r.reason for r in found.rejected
        ]

    def test_ifs_in_good_standing_meets_it(self):
        """An active IFS meets it, with the endorsement as evidence."""
        found = finding(rulebook(self.PREREQUISITE), self.held("IFS"))
        assert (Outcome.MET, ("endorsements[0]",)) == (
            found.outcome,
            found.evidence,
        )

    @pytest.mark.parametrize(
        ("status", "extra", "outcome"),
        [
            ("reinstated", {}, Outcome.MET),
            ("lapsed", {}, Outcome.UNMET),
            ("active", {"archived_on": "2025-01-01"}, Outcome.UNMET),
        ],
    )
    def test_good_standing(self, status, extra, outcome):
        """Lapsed or archived endorsements are not in good standing."""
        found = finding(
            rulebook(self.PREREQUISITE), self.held("IFS", status, **extra)
        )
        assert outcome == found.outcome

    def test_not_before_the_award(self):
        """An endorsement awarded after the as-of date is left out."""
        found = finding(
            rulebook(self.PREREQUISITE),
            self.held("IFS", awarded_on="2026-02-01"),
        )
        assert (Outcome.UNMET, ()) == (found.outcome, found.rejected)

    @pytest.mark.parametrize(
        ("awarded_on", "outcome"),
        [("2024-01-15", Outcome.MET), ("2024-01-16", Outcome.UNMET)],
    )
    def test_held_for_at_least_n_years(self, awarded_on, outcome):
        """min_years 2 on 2026-01-15: from 2024-01-15 it is met, a day later not."""
        book = rulebook({**self.PREREQUISITE, "min_years": 2})
        found = finding(book, self.held("IFS", awarded_on=awarded_on))
        assert outcome == found.outcome


class TestProvidersByTheSessionsDate:
    TRANSITION: ClassVar[dict[str, Any]] = {
        "id": "x.rsc",
        "kind": "rsc",
        "hours": 24,
        "window_months": 24,
        "providers": [
            {"categories": ["IFRS", "IMHS", "IMHM-C"]},
            {
                "categories": ["IFS"],
                "provider_levels": ["master", "doctorate"],
                "when": {"evidence_before": "2024-04-01"},
            },
        ],
    }

    def test_old_providers_before_the_date_new_ones_after(self):
        """A master's IFS counts for a March 2024 session, not for an April 2024 one."""
        sessions = [
            session(
                "2024-03-31",
                hours=12,
                category="IFS",
                provider_degree="master",
            ),
            session(
                "2024-04-01", hours=6, category="IFS", provider_degree="master"
            ),
            session("2024-05-01", hours=12, provider="b", category="IFRS"),
        ]
        found = finding(
            rulebook(self.TRANSITION),
            {"rsc": sessions},
            as_of=dt.date(2025, 6, 1),
        )
        assert (Outcome.MET, Decimal(24)) == (found.outcome, found.counted)
        assert ("rsc[0]", "rsc[2]") == found.evidence
        (rejected,) = found.rejected
        assert ("rsc[1]", RejectionReason.PROVIDER_NOT_QUALIFIED) == (
            rejected.evidence,
            rejected.reason,
        )
        assert "for sessions before 2024-04-01" in rejected.explanation

    def test_bounds_that_can_never_hold_are_refused(self):
        """evidence_on_or_after on or after evidence_before is refused at its path."""
        rule = {
            **self.TRANSITION,
            "providers": [
                {
                    "categories": ["IFS"],
                    "when": {
                        "evidence_on_or_after": "2024-04-01",
                        "evidence_before": "2024-04-01",
                    },
                }
            ],
        }
        with pytest.raises(
            iecmh_core.InvalidRulebookError, match=r"providers\[0\]\.when"
        ):
            rulebook(rule)


class TestTrainingParts:
    """48 = 30 + 15 about providing RSC + 3 DEI, each hour counted once."""

    RULE: ClassVar[dict[str, Any]] = {
        "id": "x.training",
        "kind": "training",
        "hours": 48,
        "parts": [
            {"title": "relationship-based training", "hours": 30},
            {
                "title": "training about providing RSC",
                "topic": "rsc",
                "hours": 15,
            },
            {"title": "DEI training", "topic": "dei", "hours": 3},
        ],
    }

    @staticmethod
    def trainings(*pieces):
        return {
            "training": [
                {
                    "title": f"t{i}",
                    "completed_on": "2025-01-10",
                    "hours": hours,
                    "topics": list(topics),
                }
                for i, (hours, topics) in enumerate(pieces)
            ]
        }

    def test_an_hour_tagged_rsc_and_dei_fills_one_part(self):
        """30 general + 15 both RSC and DEI + 3 general = 48, but DEI is 3 short."""
        found = finding(
            rulebook(self.RULE),
            self.trainings((30, ()), (15, ("rsc", "dei")), (3, ())),
        )
        assert (Outcome.UNMET, Decimal(45), Decimal(3)) == (
            found.outcome,
            found.counted,
            found.shortfall,
        )
        assert "each hour counts toward one part only" in found.explanation
        assert "DEI training" in found.explanation

    def test_the_same_hours_meet_overlapping_sub_minimums(self):
        """Without parts (separate topic rules) the same 15 hours count twice."""
        dei = rulebook(
            {"id": "x.dei", "kind": "training", "hours": 3, "topic": "dei"}
        )
        found = finding(
            dei, self.trainings((30, ()), (15, ("rsc", "dei")), (3, ()))
        )
        assert Outcome.MET == found.outcome

    def test_forty_eight_hours_of_which_twenty_are_both_rsc_and_dei(self):
        """28 untagged + 20 both: the 20 fill RSC and DEI; 28 < 30 relationship-based."""
        found = finding(
            rulebook(self.RULE), self.trainings((28, ()), (20, ("rsc", "dei")))
        )
        assert (Outcome.UNMET, Decimal(46), Decimal(2)) == (
            found.outcome,
            found.counted,
            found.shortfall,
        )
        assert (
            "the 30 hours of relationship-based training can be filled with "
            "only 28 hours" in found.explanation
        )
        assert "tagged with none of dei or rsc" in found.explanation

    def test_surplus_tagged_hours_may_fill_the_general_part_if_the_rule_says(
        self,
    ):
        """With surplus_fills_general the same 48 hours meet the rule."""
        rule = {**self.RULE, "surplus_fills_general": True}
        found = finding(
            rulebook(rule), self.trainings((28, ()), (20, ("rsc", "dei")))
        )
        assert (Outcome.MET, Decimal(48)) == (found.outcome, found.counted)

    @pytest.mark.parametrize(
        ("dei_hours", "outcome"), [(3, Outcome.MET), (2.99, Outcome.UNMET)]
    )
    def test_each_part_from_both_sides(self, dei_hours, outcome):
        """30 general + 15 RSC + 3 (or 2.99) DEI."""
        found = finding(
            rulebook(self.RULE),
            self.trainings((30, ()), (15, ("rsc",)), (dei_hours, ("dei",))),
        )
        assert outcome == found.outcome

    def test_parts_beyond_the_hours_are_refused(self):
        """Parts adding up to more than hours are refused at $.parts."""
        rule = {**self.RULE, "hours": 40}
        with pytest.raises(
            iecmh_core.InvalidRulebookError, match=r"requirements\[0\]\.parts"
        ):
            rulebook(rule)


class TestPaidOrSupervisedVolunteerWork:
    RULE: ClassVar[dict[str, Any]] = {**WORK, "unpaid_if_supervised": True}

    def test_paid_and_supervised_volunteer_work_add_up(self):
        """A year paid plus a year of supervised volunteering is two years."""
        jobs = [
            job("2022-01-01", "2022-12-31"),
            job("2023-01-01", "2023-12-31", paid=False, supervised=True),
        ]
        found = finding(rulebook(self.RULE), {"work": jobs})
        assert (Outcome.MET, ("work[0]", "work[1]")) == (
            found.outcome,
            found.evidence,
        )
        assert "paid or supervised volunteer work" in found.explanation

    def test_unsupervised_volunteering_does_not_count(self):
        """Unpaid and not supervised: rejected; not saying: undetermined."""
        book = rulebook(self.RULE)
        unsupervised = job(
            "2022-01-01", "2023-12-31", paid=False, supervised=False
        )
        found = finding(book, {"work": [unsupervised]})
        assert [RejectionReason.NOT_SUPERVISED] == [
            r.reason for r in found.rejected
        ]
        silent = job("2022-01-01", "2023-12-31", paid=False)
        found = finding(book, {"work": [silent]})
        assert (Outcome.UNDETERMINED, ("$.work[0].supervised",)) == (
            found.outcome,
            found.missing,
        )

    def test_without_the_option_unpaid_work_is_unpaid(self):
        """The default still rejects unpaid work as unpaid."""
        volunteer = job(
            "2022-01-01", "2023-12-31", paid=False, supervised=True
        )
        found = finding(rulebook(WORK), {"work": [volunteer]})
        assert [RejectionReason.UNPAID] == [r.reason for r in found.rejected]


class TestEmerging:
    """A category may endorse as Emerging, with time to finish the rest."""

    @staticmethod
    def book(months=24):
        data = {
            "id": "test",
            "association": "test",
            "title": "Test rules",
            "effective_from": "2020-01-01",
            "categories": [
                {
                    "code": "ERS",
                    "name": "Endorsed Reflective Supervisor",
                    "family": "IMH-E",
                    "age_band": "infant",
                    "scope": "reflective_supervision",
                    "requirements": [
                        {
                            "id": "ers.ethics",
                            "kind": "ethics",
                            "title": "Ethics",
                            "sources": SOURCE,
                        },
                        {
                            "id": "ers.training",
                            "kind": "training",
                            "title": "15 hours about providing RSC",
                            "sources": SOURCE,
                            "hours": 15,
                            "topic": "rsc",
                        },
                    ],
                    "emerging": {
                        "requirements": [
                            {
                                "id": "ers.emerging-ethics",
                                "kind": "ethics",
                                "title": "Ethics",
                                "sources": SOURCE,
                            }
                        ],
                        "months_to_finish": months,
                        "sources": SOURCE,
                    },
                }
            ],
        }
        return load_rulebook(data)

    def test_meeting_the_emerging_requirements_is_emerging_with_a_deadline(
        self,
    ):
        """Signed, no training yet: emerging, to finish by 2028-01-15."""
        portfolio = load_portfolio(
            {"id": "p", "code_of_ethics_signed_on": "2025-01-01"}
        )
        result = evaluate(portfolio, "ERS", self.book(), AS_OF)
        assert iecmh_core.Eligibility.EMERGING == result.outcome
        assert result.emerging is not None
        assert (Outcome.MET, dt.date(2028, 1, 15)) == (
            result.emerging.outcome,
            result.emerging.deadline,
        )
        assert () == iecmh_core.validate(
            iecmh_core.dump(result), "determination"
        )

    def test_not_meeting_them_is_not_eligible_without_a_deadline(self):
        """Not signed: not eligible, the Emerging findings say why."""
        portfolio = load_portfolio(
            {"id": "p", "code_of_ethics_signed_on": None}
        )
        result = evaluate(portfolio, "ERS", self.book(), AS_OF)
        assert iecmh_core.Eligibility.NOT_ELIGIBLE == result.outcome
        assert result.emerging is not None
        assert (Outcome.UNMET, None) == (
            result.emerging.outcome,
            result.emerging.deadline,
        )

    def test_meeting_everything_is_eligible_with_no_emerging_section(self):
        """All requirements met: eligible, and the Emerging path is not reported."""
        portfolio = load_portfolio(
            {
                "id": "p",
                "code_of_ethics_signed_on": "2025-01-01",
                "training": [
                    {
                        "title": "Providing RSC",
                        "completed_on": "2025-03-01",
                        "hours": 15,
                        "topics": ["rsc"],
                    }
                ],
            }
        )
        result = evaluate(portfolio, "ERS", self.book(), AS_OF)
        assert (iecmh_core.Eligibility.ELIGIBLE, None) == (
            result.outcome,
            result.emerging,
        )
