"""
Run every benchmark, one after the other, and print every figure.

The five benchmarks: evaluation against the hand-written rules
(``evaluate.py``), text to JSON against the unvalidated floor
(``end_to_end.py``), a parsed mapping against the same text
(``mapping.py``), ``iecmh batch`` on 10,000 and 100,000 generated
portfolios (``batch.py``, a few minutes) and the import times
(``imports.py``). Each runs in a process of its own.

Usage::

    python benchmarks/run.py                     # print every figure
    python benchmarks/run.py --check             # fail on a missed target
    python benchmarks/run.py --sizes 1000 5000   # a quicker batch run
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    """
    Run the benchmarks; with --check, exit 1 when any misses its target.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 when any benchmark misses its target",
    )
    parser.add_argument(
        "--sizes",
        nargs="+",
        metavar="N",
        help="the batch benchmark's sizes (default: 10000 100000)",
    )
    parser.add_argument(
        "--jobs",
        nargs="+",
        metavar="J",
        help="the batch benchmark's --jobs values (default: 1)",
    )
    args = parser.parse_args()
    check = ["--check"] if args.check else []
    batch = [*check]
    if args.sizes:
        batch += ["--sizes", *args.sizes]
    if args.jobs:
        batch += ["--jobs", *args.jobs]
    runs = [
        ("evaluation with explanations vs hand-written", "evaluate.py", check),
        ("end to end, fast path, vs the floor", "end_to_end.py", check),
        ("load_portfolio: a dict vs its text", "mapping.py", check),
        ("iecmh batch: speed and peak memory", "batch.py", batch),
        ("import times", "imports.py", []),
    ]
    failed = []
    for title, script, options in runs:
        print(f"\n== {title} ({script})", flush=True)
        started = time.perf_counter()
        done = subprocess.run(  # noqa: S603 - our own scripts
            [sys.executable, str(HERE / script), *options], check=False
        )
        print(f"   [{time.perf_counter() - started:.0f} s]", flush=True)
        if done.returncode:
            failed.append(script)
    if failed:
        print(f"\nmissed or failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    print("\nall benchmarks ran" + (" and met their targets" * args.check))
    return 0


if __name__ == "__main__":
    sys.exit(main())
