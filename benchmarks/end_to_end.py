"""
Time a portfolio from JSON text to a JSON determination against the floor.

Ours is what a service does with a portfolio it receives: parse the text,
validate it against the JSON Schema (with the compiled fast path) and the
rules a schema cannot state, structure it into model objects, evaluate it
with explanations and write the determination as JSON text. The floor is
the least any program could do with the same text and still answer:
``json.loads``, cattrs structuring into the same model objects with no
validation, the hand-written rules of ``benchmarks/evaluate.py`` (imported,
not copied) and ``json.dumps`` of their answers. The portfolio is the same
realistic applicant as there. The two take turns round by round, and each
keeps its best round. The clock is the process's CPU time
(`time.process_time`), so that the other processes of a busy machine weigh
less on the figures than on a wall clock.

Usage::

    python benchmarks/end_to_end.py           # print the figures
    python benchmarks/end_to_end.py --check   # and fail if the ratio > 2
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import timeit
from pathlib import Path
from typing import Any

import iecmh_core
from iecmh_core import Portfolio
from iecmh_core._convert import converter
from iecmh_core._schemas import FAST_PATH, fast_path_available

sys.path.insert(0, str(Path(__file__).resolve().parent))
from evaluate import AS_OF, baseline, realistic_portfolio

TARGET = 2.0
UNIT = " us per portfolio"


def portfolio_text() -> str:
    """
    Return the benchmark's applicant as one line of JSON text.
    """
    return json.dumps(iecmh_core.dump(realistic_portfolio()))


def ours(text: str, book: iecmh_core.Rulebook) -> str:
    """
    Text in, validated, structured, evaluated with explanations, JSON out.
    """
    portfolio = iecmh_core.load_portfolio(text)
    determination = iecmh_core.evaluate(portfolio, "IFS", book, AS_OF)
    return iecmh_core.dump_json(determination)


def floor(text: str) -> str:
    """
    Text in, structured without validation, hand-written rules, JSON out.
    """
    data: Any = json.loads(text)
    portfolio = converter.structure(data, Portfolio)
    return json.dumps(baseline(portfolio, AS_OF))


def measure(
    repeat: int = 25, number: int = 20, *, fast: bool = True
) -> tuple[float, float]:
    """
    Return the best time per portfolio of ours and of the floor.
    """
    FAST_PATH["enabled"] = fast
    text = portfolio_text()
    book = iecmh_core.bundled_rulebook("mi-aimh-2024")
    determination = json.loads(ours(text, book))
    expected = json.loads(floor(text))
    actual = {
        f["requirement"]: f["outcome"] == "met"
        for f in determination["findings"]
    }
    if expected != actual:
        msg = f"floor and engine disagree: {expected} != {actual}"
        raise SystemExit(msg)
    ours_times, floor_times = [], []
    for _ in range(repeat):
        ours_times.append(
            timeit.timeit(
                lambda: ours(text, book),
                number=number,
                timer=time.process_time,
            )
        )
        floor_times.append(
            timeit.timeit(
                lambda: floor(text), number=number, timer=time.process_time
            )
        )
    return min(ours_times) / number, min(floor_times) / number


def main() -> int:
    """
    Print the figures; with --check, fail when the ratio misses the target.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument(
        "--check",
        action="store_true",
        help=f"exit 1 when ours is more than {TARGET}x the floor",
    )
    parser.add_argument(
        "--no-fast-path",
        action="store_true",
        help="validate with jsonschema alone, for comparison (no target)",
    )
    args = parser.parse_args()
    fast = not args.no_fast_path
    if fast and not fast_path_available():
        print(
            "the fast path is not installed: pip install 'iecmh-core[fast]'",
            file=sys.stderr,
        )
        return 1
    mine, least = measure(fast=fast)
    ratio = mine / least
    path = "fast path" if fast else "jsonschema only"
    target = f"target <= {TARGET}x" if fast else "no target without it"
    rows = [
        (f"end to end ({path}):", f"{mine * 1e6:9.1f}{UNIT}"),
        ("floor (loads, structure, rules):", f"{least * 1e6:9.1f}{UNIT}"),
        ("ratio:", f"{ratio:9.2f}x ({target})"),
    ]
    for label, figure in rows:
        print(f"{label:<34}{figure}")
    if args.check and fast and ratio > TARGET:
        print("end to end is slower than the target ratio", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
