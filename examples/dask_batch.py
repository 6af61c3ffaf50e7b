"""
Evaluate JSON Lines portfolios with Dask: one output line per input line.

Each partition of the bag (a block of lines of one input file) is handed to
`iecmh_core.evaluate_batch` whole, in a worker; the records come back in
the partition's order and are written one output file per partition, numbered
in partition order. ``tests/test_scale.py`` runs this file on the local
scheduler.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable
from pathlib import Path

import dask.bag as db

import iecmh_core


@functools.cache
def rulebook(name: str) -> iecmh_core.Rulebook:
    """
    Load a rulebook once per worker process: a bundled id or a JSON file.
    """
    if name.endswith(".json"):
        return iecmh_core.load_rulebook(Path(name))
    return iecmh_core.bundled_rulebook(name)


def evaluate_partition(
    lines: Iterable[str], category: str, rulebook_name: str, as_of: str
) -> list[str]:
    """
    Evaluate one partition's lines; return one JSON line per portfolio.

    A line that cannot be evaluated gives an error record, with its line
    number in the partition and the portfolio's id when the line has one.
    """
    lines = list(lines)
    out = []
    for record in iecmh_core.evaluate_batch(
        lines,
        category,
        rulebook(rulebook_name),
        dt.date.fromisoformat(as_of),
    ):
        if record.determination is not None:
            out.append(record.to_json())
        else:
            error = json.loads(record.to_json())
            error["portfolio"] = portfolio_id(lines[record.line - 1])
            out.append(json.dumps(error, ensure_ascii=False))
    return out


def portfolio_id(text: str) -> str | None:
    """
    Return the id of the portfolio on a line, if the line has one.
    """
    try:
        data = json.loads(text)
    except ValueError:
        return None
    found = data.get("id") if isinstance(data, dict) else None
    return found if isinstance(found, str) else None


def evaluate_files(  # noqa: PLR0913 - the job's whole description
    inputs: str,
    outputs: str,
    category: str,
    rulebook_name: str,
    as_of: str,
    *,
    blocksize: str | int | None = "64MiB",
    **compute: object,
) -> list[str]:
    """
    Evaluate every line of the files *inputs* names into *outputs*.

    Args:
        inputs: A path or glob of JSON Lines files, local or remote
            (``s3://bucket/portfolios/*.jsonl``).
        outputs: Where to write, with a ``*`` for the partition number
            (``results/*.jsonl``).
        category: The category code, e.g. ``"IFS"``.
        rulebook_name: A bundled edition's id or a rulebook JSON file.
        as_of: The date, ``YYYY-MM-DD``: fixed here, never read from each
            worker's clock.
        blocksize: The most bytes of input per partition.
        compute: Passed to Dask's ``compute``, e.g. ``scheduler="sync"``.

    Returns:
        The paths written, in partition order.
    """
    bag = db.read_text(inputs, blocksize=blocksize)
    results = bag.map_partitions(
        evaluate_partition, category, rulebook_name, as_of
    )
    paths: list[str] = results.to_textfiles(
        outputs, last_endline=True, **compute
    )
    return paths


if __name__ == "__main__":
    import sys

    written = evaluate_files(*sys.argv[1:6])
    sys.stdout.write(f"{len(written)} files written\n")

# ruff: noqa: INP001 - an example script, not part of a package
