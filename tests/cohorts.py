"""
Generated cohorts for the cohort report's tests: varied, valid portfolios.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

AS_OF = dt.date(2026, 1, 15)
_PROVIDERS = (
    ("rsc-a", "IMHM-C"),
    ("rsc-a", "IMHM-C"),
    ("rsc-a", "IMHM-C"),
    ("rsc-b", "IMHS"),
    ("rsc-c", None),
)
_ROLES = ("supervisor", "rsc_provider", "colleague")


def _day(rng: random.Random, first: dt.date) -> str:
    span = (AS_OF - first).days
    return (first + dt.timedelta(days=rng.randrange(span))).isoformat()


def applicant(number: int, rng: random.Random) -> dict[str, Any]:
    """
    Return applicant *number*: some eligible, most short of something.
    """
    degree = dt.date(rng.randrange(2005, 2022), 5, 20)
    start = degree + dt.timedelta(days=rng.randrange(30, 900))
    work: dict[str, Any] = {
        "title": "Home visitor",
        "start": start.isoformat(),
        "end": None,
        "paid": rng.random() < 0.9,
        "age_band": rng.choice(["infant", "infant_early_childhood"]),
        "services": ["prevention"],
    }
    if rng.random() < 0.95:
        work["families_served"] = rng.randrange(5, 40)
    rsc = []
    for _ in range(rng.randint(0, 44)):
        provider, category = rng.choice(_PROVIDERS)
        rsc.append(
            {
                "provider": provider,
                "provider_category": category,
                "provider_degree": "master",
                "format": rng.choice(["individual", "group"]),
                "date": _day(rng, dt.date(2024, 1, 1)),
                "hours": rng.choice([1, 1.5]),
            }
        )
    return {
        "id": f"gen-{number}",
        "name": f"Applicant Name {number}",
        "memberships": [
            {"association": "mi-aimh", "start": "2019-01-01", "end": None}
        ],
        "code_of_ethics_signed_on": (
            _day(rng, dt.date(2020, 1, 1)) if rng.random() < 0.9 else None
        ),
        "education": [
            {"level": "bachelor", "completed_on": degree.isoformat()}
        ],
        "work": [work],
        "training": [
            {
                "title": f"Module {i}",
                "completed_on": _day(rng, degree),
                "hours": rng.choice([2, 3, 6]),
            }
            for i in range(rng.randint(2, 14))
        ],
        "rsc": rsc,
        "references": [
            {
                "rater": f"r{r}",
                "role": _ROLES[r],
                "rater_category": None,
                "submitted_on": _day(rng, dt.date(2025, 1, 1)),
                "not_enough_information": rng.randrange(0, 4),
            }
            for r in range(rng.choice([0, 2, 3, 3, 3, 3]))
        ],
    }


def cohort_lines(size: int, seed: int = 17) -> list[str]:
    """
    Return *size* generated portfolios as JSON Lines, the same each time.
    """
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    return [json.dumps(applicant(n, rng)) for n in range(1, size + 1)]
