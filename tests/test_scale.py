"""
The Dask example of docs/scale.md, run on Dask's local scheduler.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path

import pytest

import iecmh_core

pytest.importorskip("dask.bag")

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "dask_batch.py"
AS_OF = "2026-01-15"


def _example():
    spec = importlib.util.spec_from_file_location("dask_batch", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _portfolio(number: int) -> str:
    portfolio = {
        "id": f"p-{number}",
        "code_of_ethics_signed_on": "2025-02-01" if number % 2 else None,
        "memberships": [
            {"association": "mi-aimh", "start": "2020-01-01", "end": None}
        ],
        "education": [{"level": "bachelor", "completed_on": "2014-05-20"}],
        "training": [
            {
                "title": f"Module {i}",
                "completed_on": "2024-10-14",
                "hours": 1.25,
            }
            for i in range(number % 30)
        ],
    }
    if number % 37 == 0:  # an impossible date: an error record
        portfolio["code_of_ethics_signed_on"] = "2025-02-30"
    return json.dumps(portfolio)


@pytest.fixture
def inputs(tmp_path):
    """
    Three JSON Lines files of 120 portfolios each, with a blank line and a
    line that is not JSON; return the portfolio ids in input order.
    """
    folder = tmp_path / "in"
    folder.mkdir()
    ids = []
    for part in range(3):
        lines = []
        for number in range(part * 120, (part + 1) * 120):
            lines.append(_portfolio(number))
            ids.append(f"p-{number}")
        lines.insert(50, "")
        lines.insert(60, "{not json")
        ids.insert(part * 121 + 59, None)
        (folder / f"part-{part}.jsonl").write_text("\n".join(lines) + "\n")
    return folder, ids


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_every_line_comes_out_in_order(inputs, tmp_path, scheduler):
    folder, ids = inputs
    example = _example()
    written = example.evaluate_files(
        str(folder / "*.jsonl"),
        str(tmp_path / "out" / "*.jsonl"),
        "IFS",
        "mi-aimh-2024",
        AS_OF,
        blocksize=4096,
        scheduler=scheduler,
    )
    assert len(written) > 3  # several partitions per file
    assert written == sorted(written)
    records = [
        json.loads(line)
        for path in written
        for line in Path(path).read_text().splitlines()
    ]
    assert [r["portfolio"] for r in records] == ids
    errors = [r for r in records if "problems" in r]
    assert {r["portfolio"] for r in errors} == {
        None,
        "p-0",
        "p-37",
        "p-74",
        "p-111",
        "p-148",
        "p-185",
        "p-222",
        "p-259",
        "p-296",
        "p-333",
    }
    assert all(r["line"] >= 1 and r["problems"] for r in errors)
    assert {r["outcome"] for r in records if "outcome" in r} == {
        "not_eligible"
    }


def test_the_same_determinations_as_evaluate_batch(inputs, tmp_path):
    folder, _ = inputs
    example = _example()
    rulebook = tmp_path / "rulebook.json"
    rulebook.write_text(
        iecmh_core.dump_json(iecmh_core.bundled_rulebook("mi-aimh-2024"))
    )
    written = example.evaluate_files(
        str(folder / "part-1.jsonl"),
        str(tmp_path / "out" / "*.jsonl"),
        "IFS",
        str(rulebook),
        AS_OF,
        blocksize=None,
        scheduler="sync",
    )
    assert len(written) == 1
    expected = [
        record.to_json()
        for record in iecmh_core.evaluate_batch(
            (folder / "part-1.jsonl").read_text().splitlines(),
            "IFS",
            "mi-aimh-2024",
            dt.date.fromisoformat(AS_OF),
        )
        if record.determination is not None
    ]
    actual = [
        line
        for line in Path(written[0]).read_text().splitlines()
        if '"problems"' not in line
    ]
    assert expected == actual
