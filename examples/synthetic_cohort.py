# An example script run by path, not part of a package:
# ruff: noqa: INP001
"""
Make a synthetic cohort of Infant Family Specialist applicants.

Each applicant has a bachelor's degree, a job, some trainings, RSC sessions
with an endorsed consultant and two or three references, drawn at random
from a fixed seed, so the same cohort comes out every time: some eligible,
most short of training hours, RSC hours, years of work or a reference. No
applicant has a name. docs/report.md summarizes this cohort.

Usage::

    python examples/synthetic_cohort.py 400 > cohort.jsonl
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
from typing import Any

AS_OF = dt.date(2026, 1, 15)


def _day(rng: random.Random, first: dt.date) -> str:
    span = (AS_OF - first).days
    return (first + dt.timedelta(days=rng.randrange(span))).isoformat()


def applicant(number: int, rng: random.Random) -> dict[str, Any]:
    """
    Make applicant *number*'s portfolio, drawing from *rng*.
    """
    degree = dt.date(rng.randrange(2008, 2022), 5, 20)
    signed = rng.random() < 0.9
    roles = ["supervisor", "rsc_provider", "colleague"][
        : rng.choice([2, 3, 3])
    ]
    return {
        "id": f"applicant-{number}",
        "code_of_ethics_signed_on": (
            _day(rng, dt.date(2021, 1, 1)) if signed else None
        ),
        "memberships": [
            {"association": "mi-aimh", "start": "2020-01-01", "end": None}
        ],
        "education": [
            {"level": "bachelor", "completed_on": degree.isoformat()}
        ],
        "work": [
            {
                "title": "Home visitor",
                "start": _day(rng, degree),
                "end": None,
                "paid": True,
                "age_band": "infant",
                "services": ["prevention"],
                "families_served": rng.randrange(5, 40),
            }
        ],
        "training": [
            {
                "title": f"Module {i}",
                "completed_on": _day(rng, degree),
                "hours": rng.choice([3, 6]),
            }
            for i in range(rng.randint(2, 9))
        ],
        "rsc": [
            {
                "provider": "consultant-1",
                "provider_category": "IMHM-C",
                "format": rng.choice(["individual", "group"]),
                "date": _day(rng, dt.date(2024, 6, 1)),
                "hours": 1.5,
            }
            for _ in range(rng.randint(4, 22))
        ],
        "references": [
            {
                "rater": f"rater-{r}",
                "role": role,
                "rater_category": None,
                "submitted_on": _day(rng, dt.date(2025, 1, 1)),
                "not_enough_information": 0,
            }
            for r, role in enumerate(roles)
        ],
    }


def cohort_lines(size: int = 400, seed: int = 2026) -> list[str]:
    """
    Return *size* applicants' portfolios as JSON Lines, the same each time.
    """
    rng = random.Random(seed)  # noqa: S311 - example data, not secrets
    return [json.dumps(applicant(n, rng)) for n in range(1, size + 1)]


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    sys.stdout.write("".join(line + "\n" for line in cohort_lines(size)))
