"""
Evaluating many portfolios: a stream in, a stream out, in the same order.

Nothing is held but the lines being worked on, so memory stays flat however
long the input; a line that cannot be evaluated becomes an error record with
its line number and the JSON paths of its problems, and the stream goes on.
"""

from __future__ import annotations

import collections
import contextlib
import ctypes
import datetime as dt
import errno
import io
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from types import FrameType
from typing import Any, BinaryIO, Self, TextIO

import attrs

from iecmh_core._arguments import expect
from iecmh_core._convert import converter
from iecmh_core._determination import Determination
from iecmh_core._documents import _check, _parse, _Unreadable
from iecmh_core._evaluation import evaluate, resolve_rulebook
from iecmh_core._rulebook import Rulebook
from iecmh_core._vocab import DocumentKind
from iecmh_core.exceptions import Problem

#: How many lines a worker process takes at a time.
CHUNK = 256

#: Linux's ``prctl`` option asking for a signal when the parent dies.
_PR_SET_PDEATHSIG = 1
#: How often a worker looks whether its parent is still there, in seconds.
_STOP_WITHIN = 10
_WATCH_EVERY = 0.2


@attrs.frozen(kw_only=True)
class BatchRecord:
    """
    The result for one line of a batch: a determination or the problems.

    Attributes:
        line: The line's number, from 1.
        determination: The determination, when the line held a valid
            portfolio.
        problems: Why the line could not be evaluated, each with its JSON
            path, when it could not.

    .. versionadded:: 0.1.0
    """

    line: int
    determination: Determination | None = None
    problems: tuple[Problem, ...] = ()

    def to_json(self) -> str:
        """
        Write the record as one line of JSON.

        A determination is written as its document; a line that could not
        be evaluated as ``{"line": N, "problems": [...]}``.
        """
        if self.determination is not None:
            return json.dumps(
                converter.unstructure(self.determination), ensure_ascii=False
            )
        return json.dumps(
            {
                "line": self.line,
                "problems": [
                    {"path": p.path, "message": p.message}
                    for p in self.problems
                ],
            },
            ensure_ascii=False,
        )


@attrs.define(kw_only=True)
class BatchSummary:
    """
    Counts of a batch's outcomes, filled in as records go by.

    Attributes:
        outcomes: How many determinations had each overall outcome.
        errors: How many lines could not be evaluated.
        blank: How many blank lines were passed over.

    .. versionadded:: 0.1.0
    """

    outcomes: collections.Counter[str] = attrs.field(
        factory=collections.Counter
    )
    errors: list[int] = attrs.field(factory=list)
    blank: int = 0

    @property
    def total(self) -> int:
        """
        The number of records written.
        """
        return sum(self.outcomes.values()) + len(self.errors)


def _one(
    number: int,
    text: str | bytes,
    category: str,
    rulebook: Rulebook,
    as_of: dt.date,
) -> BatchRecord:
    try:
        data = _parse(text, f"line {number}")
    except _Unreadable as unreadable:
        return BatchRecord(line=number, problems=tuple(unreadable.problems))
    problems, portfolio = _check(data, DocumentKind.PORTFOLIO, parsed=True)
    if problems:
        return BatchRecord(line=number, problems=tuple(problems))
    return BatchRecord(
        line=number,
        determination=evaluate(portfolio, category, rulebook, as_of),
    )


def _chunk(
    lines: list[tuple[int, str | bytes]],
    category: str,
    rulebook: Rulebook,
    as_of: dt.date,
) -> list[BatchRecord]:
    return [_one(n, text, category, rulebook, as_of) for n, text in lines]


def _numbered(
    lines: Iterable[str | bytes], summary: BatchSummary | None, skip: int
) -> Iterator[tuple[int, str | bytes]]:
    # Bytes go to the JSON parser as they are: a line that is not UTF-8
    # becomes an error record, never text quietly altered.
    blank = 0
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            blank += 1
        elif skip:
            skip -= 1
        else:
            yield number, raw
    if summary is not None:
        summary.blank = blank


def _chunks(
    numbered: Iterator[tuple[int, str | bytes]], size: int
) -> Iterator[list[tuple[int, str | bytes]]]:
    chunk: list[tuple[int, str | bytes]] = []
    for item in numbered:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def evaluate_batch(  # noqa: PLR0913 - evaluate's arguments, and the batch's
    lines: Iterable[str | bytes],
    category: str,
    rulebook: Rulebook | str | None = None,
    as_of: dt.date | None = None,
    *,
    jobs: int = 1,
    summary: BatchSummary | None = None,
    skip: int = 0,
) -> Iterator[BatchRecord]:
    """
    Evaluate a stream of portfolios, one JSON document per line.

    Records come out in input order, one per non-blank line, as the input
    is read: the whole input is never held, so memory stays flat however
    many lines there are. A line that is not a valid portfolio gives a
    record with its line number and every problem's JSON path, and the
    stream goes on: nothing is lost or silently skipped (blank lines, which
    hold no record, are counted in *summary*).

    Args:
        lines: The input lines (a file opened for reading will do).
        category: The category code.
        rulebook: A `Rulebook`, a bundled edition's id, or ``None`` for the
            bundled edition in force on *as_of* (chosen once for the batch).
        as_of: The date; today (the local date) when ``None``, read once.
        jobs: How many processes evaluate; 1 evaluates in this process.
        summary: A `BatchSummary` to fill in as records go by.
        skip: How many records an earlier, interrupted run already wrote:
            the first *skip* non-blank lines are read but not evaluated,
            and the records go on from the next one.

    Worker processes (*jobs* above 1) never outlive this process: they
    ignore Ctrl-C (this process stops them), die with it when it is killed,
    and are stopped as soon as the records stop being taken.

    Yields:
        One `BatchRecord` per non-blank line, in order.

    >>> lines = [
    ...     '{"id": "a-1", "code_of_ethics_signed_on": "2025-02-01"}',
    ...     '{"id": "a-2", "code_of_ethics_signed_on": "2025-02-30"}',
    ... ]
    >>> for record in evaluate_batch(
    ...         lines, "IFS", "mi-aimh-2024", datetime.date(2026, 1, 15)):
    ...     print(record.line, record.determination and record.determination.outcome.value,
    ...           [str(p) for p in record.problems])
    1 not_eligible []
    2 None ['$.code_of_ethics_signed_on: expected a valid date (YYYY-MM-DD), got "2025-02-30"']

    .. versionadded:: 0.1.0
    """  # noqa: E501
    expect("category", category, str, "a category code (str)")
    expect(
        "rulebook",
        rulebook,
        (Rulebook, str),
        "a Rulebook or a rulebook id",
        optional=True,
    )
    expect("as_of", as_of, dt.date, "a datetime.date", optional=True)
    expect("jobs", jobs, int, "a number of processes (int)")
    day = as_of or dt.date.today()  # noqa: DTZ011 - documented: the local date
    book = resolve_rulebook(rulebook, category, day)
    book.category(category)
    chunks = _chunks(_numbered(lines, summary, skip), CHUNK)
    if jobs <= 1:
        results: Iterator[list[BatchRecord]] = (
            _chunk(chunk, category, book, day) for chunk in chunks
        )
    else:
        results = _in_processes(chunks, jobs, category, book, day)
    for records in results:
        for record in records:
            if summary is not None:
                if record.determination is None:
                    summary.errors.append(record.line)
                else:
                    summary.outcomes[record.determination.outcome.value] += 1
            yield record


def _in_processes(
    chunks: Iterator[list[tuple[int, str | bytes]]],
    jobs: int,
    category: str,
    book: Rulebook,
    day: dt.date,
) -> Iterator[list[BatchRecord]]:
    # A bounded window of chunks in flight keeps memory flat: the pool's own
    # map would read the whole input ahead of the workers.
    window: collections.deque[Future[list[BatchRecord]]] = collections.deque()
    pool = ProcessPoolExecutor(
        max_workers=jobs, initializer=_worker_start, initargs=(os.getpid(),)
    )
    finished = False
    try:
        for chunk in chunks:
            window.append(pool.submit(_chunk, chunk, category, book, day))
            if len(window) >= jobs * 4:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()
        finished = True
    finally:
        if finished:
            pool.shutdown()
        else:
            # Interrupted, failed or abandoned: the chunks in flight are
            # not wanted, and waiting for them would delay the exit.
            _stop(pool)


def _stop(pool: ProcessPoolExecutor) -> None:
    # The chunks not yet started are cancelled; the ones running finish (a
    # chunk takes well under a second) and the workers then exit. Killing
    # them instead could cut a result off in the pipe, and the executor's
    # own thread would then wait on it forever at exit. The executor has no
    # public handle on its workers before Python 3.14: its map (gone after
    # shutdown) is read first.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            process.join(_STOP_WITHIN)


def _worker_start(parent: int) -> None:  # pragma: no cover - in workers
    # Ctrl-C reaches the whole process group: the parent stops the workers,
    # which must not print a traceback each.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform == "linux":
        # The kernel kills this worker when its parent dies, even by
        # SIGKILL, which no handler in the parent can see.
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    # Elsewhere (and should the parent have died before prctl), a watcher
    # ends the worker once it has been handed to another parent.
    threading.Thread(target=_watch, args=(parent,), daemon=True).start()


def _watch(parent: int) -> None:  # pragma: no cover - in workers
    while os.getppid() == parent:
        time.sleep(_WATCH_EVERY)
    os._exit(1)


class CannotWriteError(Exception):
    """
    The results could not be written; every complete line is kept.
    """

    def __init__(self, target: str, reason: str, kept: int) -> None:
        super().__init__(f"{target}: cannot write: {reason}")
        self.target = target
        self.reason = reason
        self.kept = kept


class NotResumableError(Exception):
    """
    An existing results file is not the output of a batch.
    """


class Results:
    """
    Where records go: each written whole and flushed as it is made.

    A file is written without a buffer of ours, one ``write`` per line, so
    a killed run leaves only complete lines; when a write fails (a full
    disk, say) the file is cut back to its last complete line.
    """

    def __init__(
        self, stream: BinaryIO | TextIO, name: str, *, committed: int = 0
    ) -> None:
        self.stream = stream
        self.name = name
        self.committed = committed
        self.lines = 0
        self._writing = self._interrupted = False
        self._held: Any = None

    def write(self, record: BatchRecord) -> None:
        """
        Write *record* as one line, or raise `CannotWriteError`.
        """
        text = record.to_json() + "\n"
        self._writing = True
        try:
            if isinstance(self.stream, io.TextIOBase):
                self.stream.write(text)
                self.stream.flush()
            else:
                self._write_all(text.encode("utf-8"))
        except BrokenPipeError:
            raise
        except OSError as error:
            self._cut()
            reason = error.strerror or str(error)
            raise CannotWriteError(self.name, reason, self.lines) from None
        finally:
            self._writing = False
        self.lines += 1
        if self._interrupted:
            raise KeyboardInterrupt

    def __enter__(self) -> Self:
        """
        Hold Ctrl-C while a line is written, so the count stays true.
        """
        if (
            threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler
        ):
            self._held = signal.signal(signal.SIGINT, self._ctrl_c)
        return self

    def __exit__(self, *_: object) -> None:
        """
        Let Ctrl-C through again.
        """
        if self._held is not None:
            signal.signal(signal.SIGINT, self._held)
            self._held = None

    def _ctrl_c(self, signum: int, frame: FrameType | None) -> None:
        if not self._writing:
            signal.default_int_handler(signum, frame)
        self._interrupted = True

    def _write_all(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = self.stream.write(view)  # type: ignore[arg-type]
            view = view[written or 0 :]
            if written == 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.stream.flush()
        self.committed += len(data)

    def _cut(self) -> None:
        # Not every file can be cut (a device, a pipe): then nothing of a
        # partial line was kept by it either.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            self.stream.truncate(self.committed)


def resume_point(handle: BinaryIO, summary: BatchSummary) -> tuple[int, int]:
    """
    Read and count in *summary* the records an earlier run wrote.

    A partial last line (from a run killed while writing) is cut off and
    will be written again.

    Returns:
        How many records there are, and the offset after the last one.

    Raises:
        NotResumableError: A line is not a batch record.
    """
    handle.seek(0)
    count = offset = 0
    for number, line in enumerate(handle, start=1):
        if not line.endswith(b"\n"):
            break
        try:
            record = json.loads(line)
            is_error = set(record) == {"line", "problems"}
            outcome = None if is_error else str(record["outcome"])
        except (ValueError, TypeError, KeyError):
            msg = f"line {number} is not a record of iecmh batch"
            raise NotResumableError(msg) from None
        if outcome is None:
            summary.errors.append(int(record["line"]))
        else:
            summary.outcomes[outcome] += 1
        count += 1
        offset += len(line)
    handle.seek(offset)
    handle.truncate(offset)
    return count, offset


def _read_one(number: int, text: str | bytes) -> BatchRecord:
    try:
        data = _parse(text, f"line {number}")
    except _Unreadable as unreadable:
        return BatchRecord(line=number, problems=tuple(unreadable.problems))
    if (
        isinstance(data, dict)
        and set(data) == {"line", "problems"}
        and isinstance(data["line"], int)
        and isinstance(data["problems"], list)
    ):
        return BatchRecord(
            line=data["line"],
            problems=tuple(
                Problem(str(p.get("path", "$")), str(p.get("message", "")))
                if isinstance(p, dict)
                else Problem("$", str(p))
                for p in data["problems"]
            ),
        )
    problems, determination = _check(
        data, DocumentKind.DETERMINATION, parsed=True
    )
    if problems:
        return BatchRecord(line=number, problems=tuple(problems))
    return BatchRecord(line=number, determination=determination)


def read_batch(lines: Iterable[str | bytes]) -> Iterator[BatchRecord]:
    """
    Read back what `evaluate_batch` wrote: one record per non-blank line.

    A determination line is checked against the determination schema; an
    error record ``{"line": N, "problems": [...]}`` comes back as it was,
    with the line number of the batch's input; a line that is neither
    gives a record with its own line number and its problems.

    >>> lines = ['{"line": 4, "problems": [{"path": "$", "message": "x"}]}',
    ...          '{"portfolio": "a-1"}']
    >>> for record in read_batch(lines):
    ...     print(record.line, record.determination, len(record.problems))
    4 None 1
    2 None 5

    .. versionadded:: 0.1.0
    """
    for number, text in _numbered(lines, None, 0):
        yield _read_one(number, text)


def summary_text(summary: BatchSummary) -> str:
    """
    Describe a batch's summary in one paragraph for people.
    """
    parts = [f"{summary.total} records"]
    parts.extend(
        f"{count} {outcome}"
        for outcome, count in sorted(summary.outcomes.items())
    )
    errors = len(summary.errors)
    shown = ", ".join(str(n) for n in summary.errors[:10])
    more = "..." if errors > 10 else ""
    parts.append(
        f"{errors} errors" + (f" (lines {shown}{more})" if errors else "")
    )
    if summary.blank:
        parts.append(f"{summary.blank} blank lines passed over")
    return "; ".join(parts)
