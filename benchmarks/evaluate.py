"""
Time `iecmh_core.evaluate` against a hand-written evaluation of the same
rules, in one run, and print the ratio.

The portfolio is a realistic Infant Family Specialist applicant: 3 jobs,
40 trainings, 60 RSC sessions, 3 references. The baseline is the IFS
category of the bundled ``mi-aimh-2024`` rulebook written out as straight-line
Python with no explanations, no rejected-evidence lists and no three-valued
logic: the fastest honest answer to "is this portfolio eligible?". Before
timing, the script checks that both give the same outcome for every
requirement, so the comparison is between two evaluations of the same rules.

Usage::

    python benchmarks/evaluate.py           # print the figures
    python benchmarks/evaluate.py --check   # and fail if the ratio > 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import sys
import timeit
from decimal import Decimal

import iecmh_core
from iecmh_core import Portfolio

AS_OF = dt.date(2026, 1, 15)
TARGET = 3.0


def realistic_portfolio() -> Portfolio:
    """
    Build the benchmark's applicant: eligible for IFS on `AS_OF`.
    """
    start = dt.date(2024, 3, 1)
    training = [
        {
            "title": f"Module {i}",
            "provider": "Example AIMH",
            "completed_on": (
                dt.date(2019, 1, 10) + dt.timedelta(days=45 * i)
            ).isoformat(),
            "hours": 1.25 if i % 3 else 2.5,
            "topics": ["dei"] if i % 10 == 0 else [],
            "knowledge_areas": [],
        }
        for i in range(40)
    ]
    rsc = [
        {
            "provider": "rsc-a" if i % 3 else "rsc-b",
            "provider_category": "IMHM-C" if i % 3 else "IMHS",
            "provider_degree": "master",
            "format": "group" if i % 4 == 0 else "individual",
            "date": (start + dt.timedelta(days=10 * i)).isoformat(),
            "hours": 0.75 if i % 2 else 1,
            "about_providing_rsc": False,
        }
        for i in range(60)
    ]
    return iecmh_core.load_portfolio(
        {
            "id": "bench-1",
            "memberships": [
                {"association": "mi-aimh", "start": "2020-01-01", "end": None}
            ],
            "code_of_ethics_signed_on": "2024-02-01",
            "education": [
                {"level": "bachelor", "completed_on": "2014-05-20"},
                {"level": "master", "completed_on": None},
            ],
            "work": [
                {
                    "title": "Home visitor",
                    "start": "2014-09-01",
                    "end": "2018-06-30",
                    "paid": True,
                    "age_band": "infant",
                    "services": ["prevention"],
                    "families_served": 30,
                },
                {
                    "title": "Volunteer",
                    "start": "2016-01-01",
                    "end": "2016-12-31",
                    "paid": False,
                    "age_band": "infant",
                    "services": ["promotion"],
                },
                {
                    "title": "Early intervention specialist",
                    "start": "2018-07-01",
                    "end": None,
                    "paid": True,
                    "fte": 0.8,
                    "age_band": "infant_early_childhood",
                    "services": ["early_intervention"],
                    "families_served": 45,
                },
            ],
            "training": training,
            "rsc": rsc,
            "references": [
                {
                    "rater": "r1",
                    "role": "supervisor",
                    "rater_category": None,
                    "not_enough_information": 0,
                    "submitted_on": "2025-11-01",
                },
                {
                    "rater": "rsc-a",
                    "role": "rsc_provider",
                    "rater_category": "IMHM-C",
                    "not_enough_information": 1,
                    "submitted_on": "2025-11-02",
                },
                {
                    "rater": "r3",
                    "role": "colleague",
                    "rater_category": None,
                    "not_enough_information": 2,
                    "submitted_on": "2025-11-03",
                },
            ],
        }
    )


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError(day)  # pragma: no cover


def baseline(p: Portfolio, as_of: dt.date) -> dict[str, bool]:  # noqa: C901
    """
    The IFS rules of mi-aimh-2024, written out by hand.
    """
    degree_levels = {"bachelor", "master", "doctorate"}
    degrees = [
        e.completed_on
        for e in p.education
        if e.completed_on is not None
        and e.completed_on <= as_of
        and e.level.value in degree_levels
    ]
    education = bool(degrees)

    since = min(degrees) if degrees else None
    changes: dict[dt.date, Decimal] = {}
    if since is not None:
        for job in p.work:
            if (
                job.start > as_of
                or not job.paid
                or job.age_band.value
                not in {"infant", "infant_early_childhood"}
                or not {s.value for s in job.services}
                & {"prevention", "early_intervention"}
                or job.families_served is None
                or job.families_served < 10
            ):
                continue
            end = min(job.end or as_of, as_of)
            begin = max(job.start, since)
            if end < begin:
                continue
            changes[begin] = changes.get(begin, Decimal(0)) + job.fte
            after = end + dt.timedelta(days=1)
            changes[after] = changes.get(after, Decimal(0)) - job.fte
    days = Decimal(0)
    level = Decimal(0)
    previous = None
    for day in sorted(changes):
        if previous is not None and level > 0:
            days += min(level, Decimal(1)) * (day - previous).days
        level += changes[day]
        previous = day
    work = days >= 2 * Decimal("365.25")

    training = (
        sum(
            (t.hours for t in p.training if t.completed_on <= as_of),
            Decimal(0),
        )
        >= 30
    )

    hours: dict[str, Decimal] = {}
    dates: dict[str, list[dt.date]] = {}
    for s in p.rsc:
        if (
            s.date <= as_of
            and _add_months(s.date, 24) > as_of
            and s.format.value in {"individual", "group"}
            and s.provider_category in {"IFRS", "IMHS", "IMHM-C"}
        ):
            hours[s.provider] = hours.get(s.provider, Decimal(0)) + s.hours
            dates.setdefault(s.provider, []).append(s.date)
    rsc = False
    for pair in itertools.combinations(sorted(hours), min(2, len(hours))):
        total = sum(hours[n] for n in pair)
        main = max(hours[n] for n in pair)
        when = [d for n in pair for d in dates[n]]
        if (
            total >= 24
            and main * 2 > 24
            and _add_months(min(when), 12) <= max(when)
        ):
            rsc = True

    slots = (
        {"supervisor", "teacher", "trainer", "consultant"},
        {"rsc_provider"},
        {"supervisor", "teacher", "trainer", "consultant", "colleague"},
    )
    valid = [
        r.role.value
        for r in p.references
        if r.submitted_on <= as_of
        and r.not_enough_information is not None
        and r.not_enough_information < 6
    ]
    references = any(
        all(role in slot for role, slot in zip(chosen, slots, strict=True))
        for chosen in itertools.permutations(valid, 3)
    )

    membership = any(
        m.start <= as_of and (m.end is None or m.end >= as_of)
        for m in p.memberships
    )
    signed = p.code_of_ethics_signed_on
    ethics = signed is not None and signed <= as_of
    return {
        "ifs.education": education,
        "ifs.work": work,
        "ifs.training": training,
        "ifs.rsc": rsc,
        "ifs.references": references,
        "ifs.membership": membership,
        "ifs.ethics": ethics,
    }


def measure(repeat: int = 15, number: int = 100) -> tuple[float, float]:
    """
    Return the best time per call of the engine and of the baseline.
    """
    portfolio = realistic_portfolio()
    book = iecmh_core.bundled_rulebook("mi-aimh-2024")
    ours = iecmh_core.evaluate(portfolio, "IFS", book, AS_OF)
    expected = baseline(portfolio, AS_OF)
    actual = {f.requirement: f.outcome.value == "met" for f in ours.findings}
    if expected != actual:
        msg = f"baseline and engine disagree: {expected} != {actual}"
        raise SystemExit(msg)
    # Interleave the two so that a change in the machine's load during the
    # run weighs on both alike; keep each one's best round.
    engine_times, baseline_times = [], []
    for _ in range(repeat):
        engine_times.append(
            timeit.timeit(
                lambda: iecmh_core.evaluate(portfolio, "IFS", book, AS_OF),
                number=number,
            )
        )
        baseline_times.append(
            timeit.timeit(lambda: baseline(portfolio, AS_OF), number=number)
        )
    engine_time, baseline_time = min(engine_times), min(baseline_times)
    return engine_time / number, baseline_time / number


def main() -> int:
    """
    Print the figures; with --check, fail when the ratio misses the target.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument(
        "--check",
        action="store_true",
        help=f"exit 1 when the engine is more than {TARGET}x the baseline",
    )
    args = parser.parse_args()
    engine, hand = measure()
    ratio = engine / hand
    print(f"engine (with explanations): {engine * 1e6:9.1f} us per portfolio")
    print(f"hand-written baseline:      {hand * 1e6:9.1f} us per portfolio")
    print(f"ratio:                      {ratio:9.2f}x (target <= {TARGET}x)")
    if args.check and ratio > TARGET:
        print("the engine is slower than the target ratio", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
