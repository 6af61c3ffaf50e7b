"""
Time ``import iecmh_core`` against ``import jsonschema``, each in a fresh
interpreter.

Each module is imported in a new ``python -X importtime -c "import ..."``
process, several times, taking turns; the figure kept is the best
cumulative import time CPython reports for the module itself (everything it
imports included, interpreter start-up excluded). ``iecmh_core`` imports
jsonschema, attrs and cattrs, and builds its schema registry at import, so
its figure includes the whole of jsonschema's. There is no target: the
figures say what a command-line run or a worker process pays before its
first portfolio. The compiled validator (``jsonschema_rs``) is imported on
first use, not at import, and is not counted.

Usage::

    python benchmarks/imports.py
"""

from __future__ import annotations

import argparse
import subprocess
import sys

MODULES = ("iecmh_core", "jsonschema")


def import_time(module: str) -> float:
    """
    Return the cumulative import time of *module*, in seconds, in a fresh
    interpreter.
    """
    done = subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=True,
    )
    for line in done.stderr.splitlines():
        # import time: self [us] | cumulative | imported package
        fields = line.removeprefix("import time:").split("|")
        if len(fields) == 3 and fields[2].strip() == module:
            return int(fields[1]) / 1e6
    msg = f"no import time reported for {module}"
    raise SystemExit(msg)


def main() -> int:
    """
    Print each module's best import time and the ratio.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument(
        "--repeat",
        type=int,
        default=9,
        help="fresh interpreters per module (default: 9)",
    )
    args = parser.parse_args()
    times: dict[str, list[float]] = {module: [] for module in MODULES}
    for _ in range(args.repeat):
        for module in MODULES:
            times[module].append(import_time(module))
    ours, theirs = (min(times[module]) for module in MODULES)
    print(f"import iecmh_core: {ours * 1e3:7.1f} ms")
    print(f"import jsonschema: {theirs * 1e3:7.1f} ms")
    print(f"ratio:             {ours / theirs:7.2f}x (no target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
