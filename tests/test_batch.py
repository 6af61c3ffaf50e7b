"""
Evaluating many portfolios, one JSON document per line: iecmh_core._batch.
"""

# Assertions read `expected == actual` (STYLE.md, practice 19).

from __future__ import annotations

import collections
import datetime as dt
import errno
import io
import json
import multiprocessing
import os
import pathlib
import signal
import subprocess
import sys
import time
import types
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iecmh_core import (
    BatchRecord,
    BatchSummary,
    DocumentKind,
    _batch,
    bundled_rulebook,
    dump,
    evaluate,
    evaluate_batch,
    load_portfolio,
    validate,
)
from iecmh_core._batch import CHUNK, summary_text
from iecmh_core._schemas import validator_for
from iecmh_core.exceptions import (
    Problem,
    UnknownCategoryError,
    UnknownRulebookError,
)

AS_OF = dt.date(2026, 1, 15)
RULEBOOK = "mi-aimh-2024"
BASE = {
    "id": "applicant-1",
    "code_of_ethics_signed_on": "2025-02-01",
    "rsc": [
        {
            "provider": "p-7",
            "provider_category": "IMHM-C",
            "format": "individual",
            "date": "2024-11-05",
            "hours": 1.5,
        }
    ],
}
BAD_HOURS = BASE | {"rsc": [BASE["rsc"][0] | {"hours": "two"}]}
HOURS_PROBLEM = Problem("$.rsc[0].hours", 'expected a number, got "two"')


def portfolio_line(number: int) -> str:
    """
    Return the base portfolio, with the id ``applicant-<number>``, as JSON.
    """
    return json.dumps(BASE | {"id": f"applicant-{number}"})


def run(lines, *, jobs=1, summary=None, rulebook=RULEBOOK, as_of=AS_OF):
    """
    Evaluate *lines* for IFS (under mi-aimh-2024 on AS_OF unless told);
    return the records as a list.
    """
    return list(
        evaluate_batch(
            lines, "IFS", rulebook, as_of, jobs=jobs, summary=summary
        )
    )


class Counted:
    """
    An iterable of lines that counts how many have been taken from it.
    """

    def __init__(self, lines: Iterator[str]) -> None:
        self.lines = lines
        self.taken = 0

    def __iter__(self) -> Iterator[str]:
        for line in self.lines:
            self.taken += 1
            yield line


class TestOrder:
    """
    Records come out one per non-blank line, in input order.
    """

    @pytest.mark.parametrize("jobs", [1, 2])
    def test_order_kept(self, jobs, monkeypatch):
        """
        Over many small chunks, each record has its line and portfolio.
        """
        monkeypatch.setattr(_batch, "CHUNK", 3)
        lines = [portfolio_line(n) for n in range(1, 41)]
        lines[16] = json.dumps(BAD_HOURS)

        records = run(lines, jobs=jobs)

        assert list(range(1, 41)) == [r.line for r in records]
        assert [f"applicant-{n}" for n in range(1, 41) if n != 17] == [
            r.determination.portfolio
            for r in records
            if r.determination is not None
        ]
        assert (HOURS_PROBLEM,) == records[16].problems
        assert records[16].determination is None

    def test_processes_give_the_same_records(self, monkeypatch):
        """
        jobs=2 gives the very records jobs=1 gives, in the same order.
        """
        monkeypatch.setattr(_batch, "CHUNK", 2)
        lines = [portfolio_line(n) for n in range(1, 16)]
        lines[3] = "{"
        lines[9] = ""

        in_process = run(lines, jobs=1)
        in_processes = run(lines, jobs=2)

        assert in_process == in_processes
        assert 14 == len(in_processes)

    @pytest.mark.parametrize("jobs", [0, -3])
    def test_no_jobs_means_this_process(self, jobs):
        """
        jobs below 1 evaluates in this process, as jobs=1 does.
        """
        lines = [portfolio_line(1), portfolio_line(2)]

        assert run(lines) == run(lines, jobs=jobs)

    def test_each_determination_is_evaluate(self):
        """
        A line's determination is what evaluate gives for its portfolio.
        """
        (record,) = run([portfolio_line(7)])

        expected = evaluate(
            load_portfolio(portfolio_line(7)), "IFS", RULEBOOK, AS_OF
        )
        assert BatchRecord(line=1, determination=expected) == record

    def test_empty_input(self):
        """
        No lines, no records, and a summary of nothing.
        """
        summary = BatchSummary()

        assert [] == run([], summary=summary)
        assert BatchSummary() == summary
        assert 0 == summary.total

    @given(
        kinds=st.lists(
            st.sampled_from(["valid", "invalid", "not json", "blank"]),
            max_size=8,
        )
    )
    def test_every_line_accounted_for(self, kinds):
        """
        Each non-blank line gives one record, blank lines are counted, and
        the summary's counts add up.
        """
        text = {
            "valid": portfolio_line(1),
            "invalid": json.dumps(BAD_HOURS),
            "not json": "not json",
            "blank": "  ",
        }
        summary = BatchSummary()

        records = run([text[kind] for kind in kinds], summary=summary)

        numbered = list(enumerate(kinds, start=1))
        assert [n for n, k in numbered if k != "blank"] == [
            r.line for r in records
        ]
        assert [n for n, k in numbered if k in {"invalid", "not json"}] == (
            summary.errors
        )
        assert kinds.count("blank") == summary.blank
        assert len(records) == summary.total
        assert kinds.count("valid") == sum(summary.outcomes.values())


class TestLines:
    """
    What a line may hold: a portfolio, nothing, or something else.
    """

    def test_blank_lines(self):
        """
        Blank and white-space lines give no record but are counted.
        """
        summary = BatchSummary()
        lines = ["", portfolio_line(1), "\n", "   \t\n", portfolio_line(2)]

        records = run(lines, summary=summary)

        assert [2, 5] == [r.line for r in records]
        assert 3 == summary.blank
        assert [] == summary.errors
        assert collections.Counter({"not_eligible": 2}) == summary.outcomes

    def test_invalid_json(self):
        """
        A line of invalid JSON is an error record at $, and the batch goes
        on.
        """
        records = run(['{"id": "a-1",', portfolio_line(2)])

        assert 1 == records[0].line
        assert records[0].determination is None
        assert ["$"] == [p.path for p in records[0].problems]
        assert (
            records[0]
            .problems[0]
            .message.startswith(
                "expected JSON text, got invalid JSON at line 1 column"
            )
        )
        assert records[1].determination is not None

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("[]", "expected an object, got []"),
            ("42", "expected an object, got 42"),
            ('"a-1"', 'expected an object, got "a-1"'),
            ("null", "expected an object, got null"),
        ],
    )
    def test_not_an_object(self, text, message):
        """
        A line of JSON that is not an object is an error record at $.
        """
        assert [BatchRecord(line=1, problems=(Problem("$", message),))] == (
            run([text])
        )

    def test_duplicate_keys(self):
        """
        A line naming a key twice is an error record at the key's path.
        """
        (record,) = run(['{"id": "a", "id": "b"}'])

        assert (
            Problem("$.id", "expected unique keys, got 'id' more than once"),
        ) == record.problems

    def test_every_problem_with_its_path(self):
        """
        An invalid portfolio's record lists every problem, as validate does.
        """
        document = BAD_HOURS | {"colour": "blue", "name": 3}

        (record,) = run([json.dumps(document)])

        assert validate(document, "portfolio") == record.problems
        assert 3 == len(record.problems)

    def test_bytes_lines(self):
        """
        Lines given as bytes (a file opened in binary) give the same
        records as text.
        """
        lines = [f"{line}\n" for line in ["{", portfolio_line(2), "", "[]"]]
        summary = BatchSummary()

        records = run([line.encode() for line in lines], summary=summary)

        assert run(lines) == records
        assert [1, 2, 4] == [r.line for r in records]
        assert 1 == summary.blank

    def test_file_lines(self, tmp_path):
        """
        A file opened for reading will do, with its line ends.
        """
        path = tmp_path / "portfolios.jsonl"
        path.write_text(
            f"{portfolio_line(1)}\n\n{portfolio_line(3)}\n", encoding="utf-8"
        )

        with path.open(encoding="utf-8") as handle:
            records = run(handle)

        assert [1, 3] == [r.line for r in records]


class TestArguments:
    """
    The rulebook, category and date are settled once, before any line.
    """

    @pytest.mark.parametrize(
        ("rulebook", "category", "error"),
        [
            ("nope-1", "IFS", UnknownRulebookError),
            (RULEBOOK, "NOPE", UnknownCategoryError),
            (bundled_rulebook(RULEBOOK), "NOPE", UnknownCategoryError),
            (None, "NOPE", UnknownCategoryError),
        ],
    )
    def test_unknown_raises_before_any_line(self, rulebook, category, error):
        """
        An unknown rulebook or category raises before a line is read.
        """
        lines = Counted(iter([portfolio_line(1)] * 10))
        records = evaluate_batch(lines, category, rulebook, AS_OF)

        with pytest.raises(error):
            next(records)
        assert 0 == lines.taken

    def test_rulebook_object(self):
        """
        A Rulebook object gives the same records as its bundled id.
        """
        lines = [portfolio_line(1), "{"]

        assert run(lines) == run(lines, rulebook=bundled_rulebook(RULEBOOK))

    def test_default_rulebook(self):
        """
        With no rulebook, the bundled edition in force on as_of is used.
        """
        (record,) = run([portfolio_line(1)], rulebook=None)

        assert "mi-aimh-2024" == record.determination.rulebook

    def test_today_read_once(self, monkeypatch):
        """
        With no as_of, today is read once and used for every line.
        """
        calls = []

        class Today(dt.date):
            @classmethod
            def today(cls):
                calls.append(1)
                return dt.date(2025, 6, 1) + dt.timedelta(days=len(calls))

        monkeypatch.setattr(_batch, "dt", types.SimpleNamespace(date=Today))
        lines = [portfolio_line(n) for n in range(1, 6)]

        records = run(lines, rulebook=None, as_of=None)

        assert 1 == len(calls)
        assert {dt.date(2025, 6, 2)} == {
            r.determination.as_of for r in records
        }
        assert {"mi-aimh-2024"} == {r.determination.rulebook for r in records}


class TestMemory:
    """
    The input is read as records are taken, never all at once.
    """

    LINES = 100_000

    def lines(self) -> Counted:
        """
        Return a counted stream of LINES portfolio lines.
        """
        return Counted(portfolio_line(n) for n in range(1, self.LINES + 1))

    def test_in_process(self):
        """
        The first record comes after about one chunk of lines is read.
        """
        lines = self.lines()
        records = evaluate_batch(lines, "IFS", RULEBOOK, AS_OF)

        first = next(records)
        taken = lines.taken
        records.close()

        assert 1 == first.line
        assert CHUNK <= taken <= CHUNK * 2

    def test_in_processes(self):
        """
        With jobs=2, the first record comes once the window of chunks in
        flight is full, not after the whole input.
        """
        lines = Counted(
            portfolio_line(n) if n % 64 == 0 else "{}"
            for n in range(1, self.LINES + 1)
        )
        records = evaluate_batch(lines, "IFS", RULEBOOK, AS_OF, jobs=2)

        first = next(records)
        taken = lines.taken
        records.close()

        assert 1 == first.line
        assert CHUNK <= taken <= CHUNK * 2 * 4 + CHUNK
        assert taken == lines.taken

    def test_no_lines_read_ahead_of_records(self):
        """
        Taking records a chunk at a time reads the input a chunk at a time.
        """
        lines = self.lines()
        records = evaluate_batch(lines, "IFS", RULEBOOK, AS_OF)

        for _ in range(CHUNK + 1):
            next(records)
        taken = lines.taken
        records.close()

        assert CHUNK * 2 == taken


class TestBatchRecord:
    """
    BatchRecord.to_json writes one line of JSON per record.
    """

    def test_determination(self):
        """
        A determination is written as its document, which validates.
        """
        (record,) = run([portfolio_line(1)])

        line = record.to_json()
        document = json.loads(line)

        assert "\n" not in line
        assert dump(record.determination) == document
        assert () == validate(document, "determination")
        assert validator_for(DocumentKind.DETERMINATION).is_valid(document)
        assert "applicant-1" == document["portfolio"]

    def test_error_record(self):
        """
        A line that could not be evaluated is written as its line number
        and its problems, each with path and message.
        """
        record = BatchRecord(
            line=12,
            problems=(
                Problem("$.name", "expected a string, got 3"),
                Problem("$.rsc[0].hours", 'expected a number, got "two"'),
            ),
        )

        assert {
            "line": 12,
            "problems": [
                {"path": "$.name", "message": "expected a string, got 3"},
                {
                    "path": "$.rsc[0].hours",
                    "message": 'expected a number, got "two"',
                },
            ],
        } == json.loads(record.to_json())

    def test_not_ascii_kept(self):
        """
        Text that is not ASCII is written as it is, not escaped.
        """
        record = BatchRecord(line=1, problems=(Problem("$", "got \u00e9"),))

        assert (
            '{"line": 1, "problems": [{"path": "$", "message": "got \u00e9"}]}'
            == (record.to_json())
        )

    def test_from_a_batch(self):
        """
        An invalid line's record names its line and its problems' paths.
        """
        records = run([portfolio_line(1), json.dumps(BAD_HOURS)])

        assert {
            "line": 2,
            "problems": [
                {
                    "path": "$.rsc[0].hours",
                    "message": 'expected a number, got "two"',
                }
            ],
        } == json.loads(records[1].to_json())


class TestSummaryText:
    """
    summary_text() describes a batch's counts in one line for people.
    """

    def test_counts(self):
        """
        Records, each outcome (sorted), errors with their lines, and blank
        lines.
        """
        summary = BatchSummary(
            outcomes=collections.Counter(
                {"not_eligible": 2, "eligible": 1, "undetermined": 3}
            ),
            errors=[4, 9],
            blank=2,
        )

        assert (
            "8 records; 1 eligible; 2 not_eligible; 3 undetermined; "
            "2 errors (lines 4, 9); 2 blank lines passed over"
        ) == summary_text(summary)

    def test_nothing(self):
        """
        An empty batch has no records and no errors.
        """
        assert "0 records; 0 errors" == summary_text(BatchSummary())

    def test_ten_errors(self):
        """
        Up to ten error lines are all listed.
        """
        summary = BatchSummary(errors=list(range(1, 11)))

        assert (
            "10 records; 10 errors (lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)"
        ) == summary_text(summary)

    def test_more_errors(self):
        """
        After ten error lines, "..." stands for the rest.
        """
        summary = BatchSummary(errors=list(range(3, 40, 3)))

        assert (
            "13 records; 13 errors (lines 3, 6, 9, 12, 15, 18, 21, 24, 27, "
            "30...)"
        ) == summary_text(summary)

    def test_from_a_batch(self):
        """
        The summary a batch fills in reads as its lines were.
        """
        summary = BatchSummary()
        run([portfolio_line(1), "", "{", portfolio_line(4)], summary=summary)

        assert (
            "3 records; 2 not_eligible; 1 errors (lines 3); "
            "1 blank lines passed over"
        ) == summary_text(summary)


class TestSkip:
    """
    skip passes over the records an earlier run wrote.
    """

    def test_skip_keeps_line_numbers(self):
        """
        The records after the skipped ones keep their own line numbers,
        blank lines included.
        """
        lines = [
            portfolio_line(1),
            "",
            json.dumps(BAD_HOURS),
            portfolio_line(4),
        ]
        summary = BatchSummary()

        records = list(
            evaluate_batch(
                lines, "IFS", RULEBOOK, AS_OF, summary=summary, skip=1
            )
        )

        assert [3, 4] == [record.line for record in records]
        assert 1 == summary.blank


class TestLoneSurrogate:
    """
    A line spelling a lone surrogate is one error record; the rest go on.
    """

    @pytest.mark.parametrize(
        ("text", "path"),
        [
            ('{"id": "\\ud83d", "code_of_ethics_signed_on": null}', "$.id"),
            (
                (
                    '{"id": "a", "code_of_ethics_signed_on": null, '
                    '"\\udc00": 1}'
                ),
                '$["\\udc00"]',
            ),
        ],
    )
    def test_one_error_record(self, text, path):
        lines = [portfolio_line(1), text, text.encode(), portfolio_line(4)]

        records = run(lines)

        assert [1, 2, 3, 4] == [record.line for record in records]
        assert [path, path] == [records[i].problems[0].path for i in (1, 2)]
        assert all(record.to_json().encode() for record in records)

    def test_escaped_backslash_is_text(self):
        """
        An escaped backslash before "ud83d" is plain text, not a surrogate.
        """
        line = json.dumps(BASE | {"id": "a\\ud83d"})

        (record,) = run([line])

        assert "a\\ud83d" == record.determination.portfolio


class Shrinking(io.BytesIO):
    """
    A file that takes *room* bytes and then is full, as a disk fills.
    """

    def __init__(self, room: int) -> None:
        super().__init__()
        self.room = room

    def write(self, data) -> int:
        room = self.room - self.tell()
        if room <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        return super().write(bytes(data)[:room])


class TestResults:
    """
    Results writes whole lines, and keeps only whole lines when full.
    """

    def test_full_midway_keeps_whole_lines(self):
        records = run([portfolio_line(n) for n in range(1, 4)])
        size = len(records[0].to_json()) + 1
        stream = Shrinking(size + size // 2)
        results = _batch.Results(stream, "results.jsonl")

        results.write(records[0])
        with pytest.raises(_batch.CannotWriteError) as raised:
            results.write(records[1])

        assert (1, "results.jsonl: cannot write: No space left on device") == (
            raised.value.kept,
            str(raised.value),
        )
        assert (records[0].to_json() + "\n").encode() == stream.getvalue()

    def test_nothing_taken(self):
        (record,) = run([portfolio_line(1)])

        class Stuck(io.BytesIO):
            def write(self, _) -> int:
                return 0

        with pytest.raises(_batch.CannotWriteError):
            _batch.Results(Stuck(), "x").write(record)


def _children(pid: int) -> list[int]:
    children = []
    for entry in pathlib.Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(entry.name))
    return children


def _alive(pid: int) -> bool:
    try:
        stat = pathlib.Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(
    not pathlib.Path("/proc/self/stat").exists(),
    reason="finding worker processes needs Linux's /proc",
)
class TestInterrupted:
    """
    A batch killed or interrupted halfway leaves complete lines and no
    worker process behind.
    """

    def start(self, tmp_path):
        """
        Start ``iecmh batch --jobs 2`` on 20,000 lines; return the process
        once its workers run and some records are written.
        """
        source = tmp_path / "in.jsonl"
        source.write_text(
            "".join(f"{portfolio_line(n)}\n" for n in range(20_000))
        )
        target = tmp_path / "out.jsonl"
        command = [sys.executable, "-m", "iecmh_core", "batch", str(source)]
        options = ["--category", "IFS", "--rulebook", RULEBOOK]
        options += ["--as-of", "2026-01-15", "--jobs", "2"]
        # A file, not a pipe: a worker left behind would hold a pipe open
        # and hang the test instead of failing it.
        with (tmp_path / "err.txt").open("w") as err:
            process = subprocess.Popen(  # noqa: S603 - our own command
                [*command, *options, "--out", str(target)],
                stderr=err,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        partial = tmp_path / "out.jsonl.partial"
        while partial.stat().st_size < 1 if partial.exists() else True:
            assert time.monotonic() < deadline, "no record written in 60 s"
            time.sleep(0.02)
        workers = _children(process.pid)
        assert 2 == len(workers)
        return process, workers, target, partial

    def complete_lines(self, partial):
        """
        Return how many lines *partial* holds, checking each is whole JSON.
        """
        data = partial.read_bytes()
        assert data.endswith(b"\n")
        return sum(1 for line in data.splitlines() if json.loads(line))

    def no_worker_within_2s(self, workers):
        deadline = time.monotonic() + 2
        while any(_alive(pid) for pid in workers):
            assert time.monotonic() < deadline, "a worker outlived 2 s"
            time.sleep(0.05)

    def test_killed(self, tmp_path):
        process, workers, target, partial = self.start(tmp_path)

        process.kill()
        process.wait()

        self.no_worker_within_2s(workers)
        # SIGKILL may cut a write short, so only the partial file may end
        # in a cut line (which --resume drops); the results file is never
        # half-written.
        assert not target.exists()
        with partial.open("r+b") as handle:
            count, _ = _batch.resume_point(handle, BatchSummary())
        assert 0 < count < 20_000

    def test_ctrl_c(self, tmp_path):
        process, workers, target, partial = self.start(tmp_path)

        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)
        err = (tmp_path / "err.txt").read_text()

        kept = self.complete_lines(partial)
        assert 130 == process.returncode
        assert not target.exists()
        assert (
            f"iecmh batch: interrupted; {kept} records kept in {partial} "
            "(run again with --resume to go on)\n"
        ) == err
        self.no_worker_within_2s(workers)


class TestWorkersStop:
    """
    Worker processes stop when the records stop being taken.
    """

    def test_abandoned(self):
        """Closing the record stream kills the workers (reaped within 2 s)."""
        records = evaluate_batch(
            (portfolio_line(n) for n in range(CHUNK * 20)),
            "IFS",
            RULEBOOK,
            AS_OF,
            jobs=2,
        )
        next(records)

        records.close()

        # A killed worker is alive until it is reaped: give that a moment.
        deadline = time.monotonic() + 2
        while (
            multiprocessing.active_children() and time.monotonic() < deadline
        ):
            time.sleep(0.05)
        assert [] == [
            p for p in multiprocessing.active_children() if p.is_alive()
        ]
