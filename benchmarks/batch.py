"""
Run `iecmh batch` on generated portfolios and report speed and peak memory.

For each size (10,000 and 100,000 portfolios unless told otherwise) the
script writes that many generated portfolios as JSON Lines into a temporary
folder, then runs ``python -m iecmh_core batch`` on them in a child process
of its own and reports the wall time, the portfolios per second and the
child's peak resident memory (its ``ru_maxrss``). Each run goes through a
fresh wrapper process that starts the command, waits for it and reads
``getrusage(RUSAGE_CHILDREN)``, so the peak belongs to that run alone. With
``--jobs 2`` the worker processes are the command's children, and the peak
is that of the largest single process, not their sum.

The portfolios vary: 997 different applicants, each line one of them under
an id of its own, with one to three jobs, 3 to 30 trainings, no to 48 RSC
sessions and up to three references, some eligible, some not, some
undetermined; one line in a thousand is invalid (an impossible date) and
gives an error record. The determinations are written to the null device:
the time is that of reading, validating, evaluating and writing JSON, not
of the disk.

Memory must stay flat as the input grows: ``--check`` exits with status 1
when the peak for the largest size is more than 1.2 times the peak for the
smallest.

Usage::

    python benchmarks/batch.py                       # 10k and 100k, 1 job
    python benchmarks/batch.py --jobs 1 2            # and with 2 processes
    python benchmarks/batch.py --sizes 1000 5000     # a quick run
    python benchmarks/batch.py --check               # fail if memory grows

POSIX only (it reads ``resource.getrusage``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET = 1.2
SIZES = (10_000, 100_000)
AS_OF = "2026-01-15"
INVALID_EVERY = 1000
POOL = 997

# Runs the command given as arguments and prints, as JSON, its wall time,
# exit status, standard error and peak resident memory (ru_maxrss: KiB on
# Linux, bytes on macOS). RUSAGE_CHILDREN covers every process this wrapper
# waited for, and those processes waited for: here, the one command and
# any worker processes it started.
_WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(
    sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    text=True,
)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
if sys.platform == "darwin":
    peak //= 1024
print(json.dumps({
    "seconds": seconds, "status": done.returncode,
    "peak_kib": peak, "stderr": done.stderr,
}))
"""


def _day(rng: random.Random, first: dt.date, last: dt.date) -> str:
    span = (last - first).days
    return (first + dt.timedelta(days=rng.randrange(span + 1))).isoformat()


def generate(number: int, rng: random.Random) -> dict[str, Any]:
    """
    Make the portfolio on line *number*: varied, and valid.
    """
    as_of = dt.date.fromisoformat(AS_OF)
    degree = dt.date(rng.randrange(2005, 2022), 5, 20)
    jobs = []
    start = degree + dt.timedelta(days=rng.randrange(30, 400))
    for j in range(rng.randint(1, 3)):
        end = start + dt.timedelta(days=rng.randrange(200, 1500))
        job: dict[str, Any] = {
            "title": f"Job {j + 1}",
            "start": start.isoformat(),
            "end": None if end >= as_of else end.isoformat(),
            "paid": rng.random() < 0.9,
            "age_band": rng.choice(
                ["infant", "infant_early_childhood", "early_childhood"]
            ),
            "services": rng.sample(
                ["promotion", "prevention", "early_intervention"],
                rng.randint(1, 2),
            ),
        }
        if rng.random() < 0.8:
            job["families_served"] = rng.randrange(5, 60)
        if rng.random() < 0.3:
            job["fte"] = rng.choice([0.5, 0.6, 0.8])
        jobs.append(job)
        if end >= as_of:
            break
        start = end + dt.timedelta(days=rng.randrange(1, 90))
    training = [
        {
            "title": f"Module {i}",
            "provider": "Example AIMH",
            "completed_on": _day(rng, degree, as_of),
            "hours": rng.choice([1, 1.25, 1.5, 2, 2.5, 3, 6]),
            "topics": ["dei"] if rng.random() < 0.1 else [],
            "knowledge_areas": [],
        }
        for i in range(rng.randint(3, 30))
    ]
    providers = [("rsc-a", "IMHM-C"), ("rsc-b", "IMHS"), ("rsc-c", None)]
    rsc = []
    for _ in range(rng.randint(0, 48)):
        provider, category = rng.choice(providers)
        rsc.append(
            {
                "provider": provider,
                "provider_category": category,
                "provider_degree": "master",
                "format": rng.choice(["individual", "individual", "group"]),
                "date": _day(rng, dt.date(2023, 6, 1), as_of),
                "hours": rng.choice([0.75, 1, 1.5]),
                "about_providing_rsc": False,
            }
        )
    roles = ["supervisor", "rsc_provider", "colleague", "teacher"]
    references = []
    for r in range(rng.randint(0, 3)):
        reference: dict[str, Any] = {
            "rater": f"r{r}",
            "role": rng.choice(roles),
            "rater_category": None,
            "submitted_on": _day(rng, dt.date(2025, 1, 1), as_of),
        }
        if rng.random() < 0.9:
            reference["not_enough_information"] = rng.randrange(0, 8)
        references.append(reference)
    signed = _day(rng, dt.date(2020, 1, 1), as_of)
    return {
        "id": f"gen-{number}",
        "memberships": [
            {"association": "mi-aimh", "start": "2019-01-01", "end": None}
        ],
        "code_of_ethics_signed_on": signed if rng.random() < 0.95 else None,
        "education": [
            {"level": "bachelor", "completed_on": degree.isoformat()}
        ],
        "work": jobs,
        "training": training,
        "rsc": rsc,
        "references": references,
    }


def write_portfolios(path: Path, size: int, seed: int = 6) -> int:
    """
    Write *size* generated portfolios to *path*, one per line.

    A pool of `POOL` different portfolios is generated once and each line
    is one of them under an id of its own, so that writing 100,000 lines
    takes seconds, not minutes; one line in `INVALID_EVERY` has an
    impossible date instead.

    Returns:
        How many lines are invalid on purpose.
    """
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    pool = []
    for number in range(POOL):
        portfolio = generate(number, rng)
        portfolio["id"] = "@ID@"
        pool.append(json.dumps(portfolio, separators=(",", ":")))
    portfolio["code_of_ethics_signed_on"] = "2025-02-30"
    bad = json.dumps(portfolio, separators=(",", ":"))
    invalid = 0
    with path.open("w", encoding="utf-8") as out:
        for number in range(1, size + 1):
            if number % INVALID_EVERY == 0:
                template = bad
                invalid += 1
            else:
                template = pool[number % POOL]
            out.write(template.replace('"@ID@"', f'"gen-{number}"', 1))
            out.write("\n")
    return invalid


def run_batch(path: Path, jobs: int) -> dict[str, Any]:
    """
    Run `iecmh batch` on *path* in a fresh wrapper process; return figures.
    """
    command = [
        sys.executable,
        "-m",
        "iecmh_core",
        "batch",
        str(path),
        "--category",
        "IFS",
        "--rulebook",
        "mi-aimh-2024",
        "--as-of",
        AS_OF,
        "--out",
        os.devnull,
        "--jobs",
        str(jobs),
    ]
    wrapper = subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "-c", _WRAPPER, *command],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(wrapper.stdout)
    return result


def _count(pattern: str, text: str) -> int:
    found = re.search(pattern, text)
    return int(found.group(1)) if found else -1


def main() -> int:
    """
    Print the figures; with --check, fail when memory grows with the input.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=list(SIZES),
        metavar="N",
        help="how many portfolios per run (default: 10000 100000)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        nargs="+",
        default=[1],
        metavar="J",
        help="the --jobs values to run each size with (default: 1)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help=f"exit 1 when the largest size's peak memory is more than "
        f"{TARGET}x the smallest's",
    )
    args = parser.parse_args()
    sizes = sorted(set(args.sizes))
    failed = False
    with tempfile.TemporaryDirectory(prefix="iecmh-batch-") as folder:
        inputs = {}
        for size in sizes:
            path = Path(folder) / f"portfolios-{size}.jsonl"
            started = time.perf_counter()
            invalid = write_portfolios(path, size)
            megabytes = path.stat().st_size / 1e6
            print(
                f"generated {size:>7,} portfolios ({megabytes:,.0f} MB, "
                f"{invalid} invalid on purpose) in "
                f"{time.perf_counter() - started:.1f} s",
                flush=True,
            )
            inputs[size] = (path, invalid)
        for jobs in args.jobs:
            peaks = {}
            for size in sizes:
                path, invalid = inputs[size]
                result = run_batch(path, jobs)
                records = _count(r": (\d+) records", result["stderr"])
                errors = _count(r"; (\d+) errors", result["stderr"])
                if result["status"] not in {0, 1} or (records, errors) != (
                    size,
                    invalid,
                ):
                    print(result["stderr"], file=sys.stderr)
                    msg = f"iecmh batch gave {records} records for {size}"
                    raise SystemExit(msg)
                peaks[size] = result["peak_kib"] / 1024
                print(
                    f"iecmh batch --jobs {jobs}: {size:>7,} portfolios in "
                    f"{result['seconds']:7.1f} s = "
                    f"{size / result['seconds']:6,.0f} portfolios/s, "
                    f"peak memory {peaks[size]:6.1f} MiB",
                    flush=True,
                )
            if len(sizes) > 1:
                ratio = peaks[sizes[-1]] / peaks[sizes[0]]
                print(
                    f"peak memory {sizes[-1]:,} / {sizes[0]:,} "
                    f"(--jobs {jobs}): {ratio:.2f}x (target <= {TARGET}x)",
                    flush=True,
                )
                failed = failed or ratio > TARGET
    if args.check and failed:
        print("peak memory grows with the input", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
