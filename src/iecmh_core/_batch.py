"""
Evaluating many portfolios: a stream in, a stream out, in the same order.

Nothing is held but the lines being worked on, so memory stays flat however
long the input; a line that cannot be evaluated becomes an error record with
its line number and the JSON paths of its problems, and the stream goes on.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

import attrs

from iecmh_core._convert import converter
from iecmh_core._determination import Determination
from iecmh_core._documents import _check, _parse, _Unreadable
from iecmh_core._evaluation import evaluate, resolve_rulebook
from iecmh_core._rulebook import Rulebook
from iecmh_core._vocab import DocumentKind
from iecmh_core.exceptions import Problem

#: How many lines a worker process takes at a time.
CHUNK = 256


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
    lines: Iterable[str | bytes], summary: BatchSummary | None
) -> Iterator[tuple[int, str | bytes]]:
    # Bytes go to the JSON parser as they are: a line that is not UTF-8
    # becomes an error record, never text quietly altered.
    blank = 0
    for number, raw in enumerate(lines, start=1):
        if raw.strip():
            yield number, raw
        else:
            blank += 1
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
    day = as_of or dt.date.today()  # noqa: DTZ011 - documented: the local date
    book = resolve_rulebook(rulebook, category, day)
    book.category(category)
    chunks = _chunks(_numbered(lines, summary), CHUNK)
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
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for chunk in chunks:
            window.append(pool.submit(_chunk, chunk, category, book, day))
            if len(window) >= jobs * 4:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()


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
    for number, text in _numbered(lines, None):
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
