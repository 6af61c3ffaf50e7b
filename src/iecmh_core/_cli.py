"""
The ``iecmh`` command line.

Exit status: 0 when the command succeeded (a document is valid), 2 on bad
input or usage, with every problem on standard error naming the file and the
JSON path.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from iecmh_core._documents import (
    Source,
    _read,
    _Unreadable,
    guess_kind,
    validate,
)
from iecmh_core._vocab import DocumentKind

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def _source(name: str, stdin: TextIO) -> tuple[Source, str]:
    if name == "-":
        return stdin.read(), "<stdin>"
    return Path(name), name


def _validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    source, label = _source(args.file, sys.stdin)
    kind = DocumentKind(args.kind) if args.kind else None
    if kind is None:
        kind = _guess(source)
    problems = validate(source, kind)
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        described = kind.value if kind else "document"
        print(
            f"{label}: invalid {described} ({len(problems)} {noun})",
            file=err,
        )
        for problem in problems:
            print(f"{label}: {problem}", file=err)
        return EXIT_BAD_INPUT
    print(f"{label}: valid {kind.value if kind else 'document'}", file=out)
    return EXIT_OK


def _guess(source: Source) -> DocumentKind | None:
    try:
        data, _ = _read(source)
    except _Unreadable:
        return None
    return guess_kind(data)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iecmh",
        description=(
            "Check Infant and Early Childhood Mental Health Endorsement "
            "documents: portfolios, rulebooks, competency frameworks and "
            "determinations."
        ),
        epilog=(
            "Exit status: 0 success; 2 bad input or usage, with every "
            "problem on standard error as FILE: JSON-PATH: MESSAGE."
        ),
    )
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True
    )
    check = commands.add_parser(
        "validate",
        help="check a document against its JSON Schema and rules",
        description=(
            "Check a document against its shipped JSON Schema and the rules "
            "a schema cannot state, and report every problem with its JSON "
            "path."
        ),
        epilog="Exit status: 0 valid; 2 invalid or unreadable.",
    )
    check.add_argument(
        "file", metavar="FILE", help="the JSON document; - reads stdin"
    )
    check.add_argument(
        "--kind",
        choices=[kind.value for kind in DocumentKind],
        help="the kind of document (guessed from its keys when left out)",
    )
    check.set_defaults(run=_validate)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """
    Run the ``iecmh`` command line and return its exit status.

    Args:
        argv: The arguments, without the program name; ``sys.argv[1:]``
            when ``None``.
        out: Where results go; standard output when ``None``.
        err: Where problems go; standard error when ``None``.

    Returns:
        The exit status.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    status: int = args.run(args, out, err)
    return status
