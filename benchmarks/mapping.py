"""
Time load_portfolio on a parsed mapping against the same document as text.

A service parses a request body itself and hands the library a ``dict``;
that dict must take the same compiled validation path as text does. The
portfolio is the realistic applicant of ``benchmarks/evaluate.py``; the two
take turns round by round, each keeps its best round, and the clock is the
process's CPU time (`time.process_time`).

Usage::

    python benchmarks/mapping.py           # print the figures
    python benchmarks/mapping.py --check   # and fail if dict > 1.2x text
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import timeit
from pathlib import Path

import iecmh_core
from iecmh_core._schemas import fast_path_available

sys.path.insert(0, str(Path(__file__).resolve().parent))
from evaluate import realistic_portfolio

TARGET = 1.2
UNIT = " us per portfolio"


def measure(repeat: int = 15, number: int = 40) -> tuple[float, float]:
    """
    Return the best time per portfolio of a dict and of the same text.
    """
    text = json.dumps(iecmh_core.dump(realistic_portfolio()))
    data = json.loads(text)
    if iecmh_core.load_portfolio(data) != iecmh_core.load_portfolio(text):
        msg = "a dict and its text load into different portfolios"
        raise SystemExit(msg)
    dict_times, text_times = [], []
    for _ in range(repeat):
        dict_times.append(
            timeit.timeit(
                lambda: iecmh_core.load_portfolio(data),
                number=number,
                timer=time.process_time,
            )
        )
        text_times.append(
            timeit.timeit(
                lambda: iecmh_core.load_portfolio(text),
                number=number,
                timer=time.process_time,
            )
        )
    return min(dict_times) / number, min(text_times) / number


def main() -> int:
    """
    Print the figures; with --check, fail when the ratio misses the target.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument(
        "--check",
        action="store_true",
        help=f"exit 1 when a dict takes more than {TARGET}x its text",
    )
    args = parser.parse_args()
    if not fast_path_available():
        print(
            "the fast path is not installed: pip install 'iecmh-core[fast]'",
            file=sys.stderr,
        )
        return 1
    as_dict, as_text = measure()
    ratio = as_dict / as_text
    rows = [
        ("load_portfolio(dict):", f"{as_dict * 1e6:9.1f}{UNIT}"),
        ("load_portfolio(text):", f"{as_text * 1e6:9.1f}{UNIT}"),
        ("ratio:", f"{ratio:9.2f}x (target <= {TARGET}x)"),
    ]
    for label, figure in rows:
        print(f"{label:<24}{figure}")
    if args.check and ratio > TARGET:
        print("a dict is slower than the target ratio", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
