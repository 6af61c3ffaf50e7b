"""
The workforce picture: what holds a cohort back, from its determinations.

A cohort report is made in one pass over a stream of determinations (or
`BatchRecord` objects, the output of `evaluate_batch`): nothing is kept per
applicant, only counts, so memory stays flat however large the cohort. The
shortfall of each requirement is kept as counts of its distinct values
(hours come in quarters, references and years in small whole numbers), so
the median and quartiles are exact without holding a list.

Privacy comes first: a report never holds a name, holds portfolio ids only
when asked, and writes ``None`` (JSON ``null``) for every count of fewer
applicants than the minimum group size.
"""

from __future__ import annotations

import collections
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from iecmh_core._determination import Determination, Finding
from iecmh_core._engine import add_months, number
from iecmh_core._vocab import Eligibility, Outcome, RequirementKind

if TYPE_CHECKING:
    # Only for the annotation: _batch reads documents, which know this
    # module's report.
    from iecmh_core._batch import BatchRecord

#: How many error line numbers a report keeps, the first ones.
ERROR_LINES = 10

#: The requirement outcomes always written, in this order; any other value
#: a newer determination carries is counted under its own name after them.
_OUTCOMES = tuple(outcome.value for outcome in Outcome)
_ELIGIBILITIES = tuple(eligibility.value for eligibility in Eligibility)

#: The bin widths a shortfall histogram may use, smallest first: at most
#: `_BINS` bins cover the largest shortfall.
_STEPS = tuple(
    Decimal(step) * Decimal(10) ** power
    for power in range(-2, 7)
    for step in ("1", "2", "2.5", "5")
)
_BINS = 10
_INDEX = re.compile(r"\[\d+\]")


def _positive(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 1:
        msg = f"expected {attribute.name} of at least 1, got {value}"
        raise ValueError(msg)


def _limits(
    _: object, __: attrs.Attribute[Mapping[str, Decimal]], value: object
) -> None:
    if not isinstance(value, Mapping):
        msg = f"expected a mapping of limits, got {value!r}"
        raise TypeError(msg)
    for key, amount in value.items():
        if not isinstance(amount, Decimal) or not amount > 0:
            msg = (
                f"expected a positive Decimal limit for {key!r}, "
                f"got {amount!r}"
            )
            raise ValueError(msg)


@attrs.frozen(kw_only=True)
class Distance:
    """
    How close to eligible an applicant must be to count as within reach.

    An applicant is within reach when the determination is not eligible,
    at most *requirements* requirements are not met, and every requirement
    not met that *within* names is unmet by less than its limit.

    Attributes:
        requirements: At most this many requirements not met (1: "one
            requirement short").
        within: Limits on the shortfall, by requirement kind (``"rsc"``)
            or requirement id (``"ifs.rsc"``, which wins over its kind):
            ``{"rsc": Decimal(6)}`` is "under 6 RSC hours short". A
            requirement so limited that is undetermined, or has no
            shortfall, is not within reach.

    >>> Distance(requirements=1, within={"rsc": Decimal(6)}).describe()
    'at most 1 requirement not met; rsc under 6 short'

    .. versionadded:: 0.1.0
    """

    requirements: int = attrs.field(default=1, validator=_positive)
    within: Mapping[str, Decimal] = attrs.field(
        factory=dict, validator=_limits
    )

    def describe(self) -> str:
        """
        Say the distance in a few words.
        """
        noun = "requirement" if self.requirements == 1 else "requirements"
        parts = [f"at most {self.requirements} {noun} not met"]
        parts.extend(
            f"{key} under {number(amount)} short"
            for key, amount in sorted(self.within.items())
        )
        return "; ".join(parts)

    def reached(self, lacking: list[Finding]) -> bool:
        """
        Tell whether the findings not met are within this distance.
        """
        if not lacking or len(lacking) > self.requirements:
            return False
        for finding in lacking:
            limit = self.within.get(
                finding.requirement, self.within.get(finding.kind.value)
            )
            if limit is None:
                continue
            if (
                finding.outcome is not Outcome.UNMET
                or finding.shortfall is None
                or not finding.shortfall < limit
            ):
                return False
        return True


@attrs.frozen(kw_only=True)
class ShortfallBin:
    """
    How many applicants fall short of a requirement by an amount in a range.

    Attributes:
        start: The smallest shortfall in the bin.
        end: The bin's end: shortfalls up to but not including it (the
            last bin includes it).
        applicants: How many; ``None`` when fewer than the minimum group.

    .. versionadded:: 0.1.0
    """

    start: Decimal
    end: Decimal
    applicants: int | None


@attrs.frozen(kw_only=True)
class Shortfall:
    """
    How far the applicants who did not meet a quantity fell short.

    The quartiles are exact, by linear interpolation between the ordered
    shortfalls (the method R and NumPy use by default, ``"inclusive"`` in
    ``statistics.quantiles``): the median of 1, 2, 4 and 8 hours is 3.

    Attributes:
        applicants: How many unmet findings had a shortfall; ``None`` when
            fewer than the minimum group (and then every figure is left
            out).
        q1: The first quartile.
        median: The median.
        q3: The third quartile.
        bins: A histogram of the shortfalls.

    .. versionadded:: 0.1.0
    """

    applicants: int | None
    q1: Decimal | None = None
    median: Decimal | None = None
    q3: Decimal | None = None
    bins: tuple[ShortfallBin, ...] = ()


@attrs.frozen(kw_only=True)
class RequirementSummary:
    """
    How a cohort fared on one requirement.

    Attributes:
        requirement: The requirement's id, e.g. ``"ifs.rsc"``.
        kind: The requirement's kind.
        unit: The unit of its shortfalls (``"hours"`` ...), for quantities.
        outcomes: How many findings were met, unmet and undetermined
            (always those three, then any other outcome by its name);
            ``None`` for a count under the minimum group.
        only: How many applicants this requirement alone keeps from
            eligibility (every other requirement met).
        shortfall: How far the unmet fell short, for quantities.

    .. versionadded:: 0.1.0
    """

    requirement: str
    kind: RequirementKind
    unit: str | None = None
    outcomes: Mapping[str, int | None]
    only: int | None
    shortfall: Shortfall | None = None

    @property
    def blocking(self) -> int | None:
        """
        How many applicants this requirement holds back (not met).

        ``None`` when a figure it adds up is suppressed.
        """
        values = [v for k, v in self.outcomes.items() if k != "met"]
        if any(v is None for v in values):
            return None
        return sum(v for v in values if v is not None)


@attrs.frozen(kw_only=True)
class Tally:
    """
    How often something was found across a cohort.

    Attributes:
        value: What was found: a rejection reason code, or the JSON path of
            a missing value with list indices as ``[*]``.
        applicants: How many applicants it concerns; ``None`` when fewer
            than the minimum group.
        occurrences: How many times it occurs in all (pieces of evidence
            rejected, values missing); ``None`` when *applicants* is.

    .. versionadded:: 0.1.0
    """

    value: str
    applicants: int | None
    occurrences: int | None


@attrs.frozen(kw_only=True)
class Lack:
    """
    One requirement an applicant within reach has not met.

    Attributes:
        requirement: The requirement's id.
        outcome: Unmet or undetermined.
        shortfall: How much is missing, for quantities.
        unit: The unit of the shortfall.

    .. versionadded:: 0.1.0
    """

    requirement: str
    outcome: Outcome
    shortfall: Decimal | None = None
    unit: str | None = None


@attrs.frozen(kw_only=True)
class NearApplicant:
    """
    An applicant within reach of eligibility, listed only when asked.

    Attributes:
        portfolio: The portfolio's id (never a name).
        category: The category evaluated.
        rulebook: The rulebook edition applied.
        lacking: What the applicant has not met.

    .. versionadded:: 0.1.0
    """

    portfolio: str
    category: str
    rulebook: str
    lacking: tuple[Lack, ...]


@attrs.frozen(kw_only=True)
class Near:
    """
    The applicants within reach of eligibility, and what they lack.

    Attributes:
        applicants: How many are within reach; ``None`` when fewer than the
            minimum group.
        lacking: For each requirement, how many of them lack it.
        listed: Each applicant within reach, only when ids were asked for.

    .. versionadded:: 0.1.0
    """

    applicants: int | None
    lacking: tuple[Tally, ...] = ()
    listed: tuple[NearApplicant, ...] = ()


@attrs.frozen(kw_only=True)
class Expiring:
    """
    A windowed requirement whose counted evidence starts to expire soon.

    Attributes:
        requirement: The requirement's id, e.g. ``"ifs.rsc"``.
        applicants: How many applicants have evidence counted today that
            starts to fall out of the window within the horizon.
        met: How many of them meet the requirement today, and may stop
            meeting it.

    .. versionadded:: 0.1.0
    """

    requirement: str
    applicants: int | None
    met: int | None


@attrs.frozen(kw_only=True)
class CohortGroup:
    """
    The figures of one group: the whole cohort, a category, or an edition.

    A group of fewer applicants than the minimum has ``applicants`` set to
    ``None`` and no other figure.

    Attributes:
        category: The category, in a per-category group.
        rulebook: The rulebook edition, in a per-edition group.
        applicants: How many determinations the group holds.
        outcomes: How many determinations had each overall outcome.
        requirements: Each requirement, in the order first met.
        rejections: The most common reasons evidence was not counted.
        missing: The most common missing values.
        near: The applicants within reach of eligibility.
        expiring: The windowed requirements whose evidence expires within
            the horizon.

    .. versionadded:: 0.1.0
    """

    category: str | None = None
    rulebook: str | None = None
    applicants: int | None
    outcomes: Mapping[str, int | None] = attrs.field(factory=dict)
    requirements: tuple[RequirementSummary, ...] = ()
    rejections: tuple[Tally, ...] = ()
    missing: tuple[Tally, ...] = ()
    near: Near | None = None
    expiring: tuple[Expiring, ...] = ()


@attrs.frozen(kw_only=True)
class CohortReport:
    """
    What holds a cohort back: the document `summarize_cohort` makes.

    Written with `dump` as a ``cohort-report`` document
    (``urn:iecmh:schema:cohort-report:1``).

    Attributes:
        records: How many records were read (determinations and errors).
        errors: How many records were errors (lines that could not be
            evaluated or read).
        error_lines: The line numbers of the first errors.
        first_as_of: The earliest as-of date of the determinations.
        last_as_of: The latest.
        min_group: Counts under this are suppressed (``None``).
        distance: What "within reach" meant.
        expiring_months: The horizon for expiring evidence, in months.
        ids: Whether applicants within reach are listed by portfolio id.
        cohort: The whole cohort.
        by_category: One group per category, by code.
        by_rulebook: One group per rulebook edition, by id.

    .. versionadded:: 0.1.0
    """

    records: int
    errors: int
    error_lines: tuple[int, ...] = ()
    first_as_of: dt.date | None = None
    last_as_of: dt.date | None = None
    min_group: int
    distance: Distance
    expiring_months: int
    ids: bool = False
    cohort: CohortGroup
    by_category: tuple[CohortGroup, ...] = ()
    by_rulebook: tuple[CohortGroup, ...] = ()


@attrs.define
class _Requirement:
    kind: RequirementKind
    unit: str | None = None
    outcomes: collections.Counter[str] = attrs.field(
        factory=collections.Counter
    )
    only: int = 0
    shortfalls: collections.Counter[Decimal] = attrs.field(
        factory=collections.Counter
    )
    quantity: bool = False


@attrs.define
class _Group:
    applicants: int = 0
    outcomes: collections.Counter[str] = attrs.field(
        factory=collections.Counter
    )
    requirements: dict[str, _Requirement] = attrs.field(factory=dict)
    rejections: collections.Counter[str] = attrs.field(
        factory=collections.Counter
    )
    rejected: collections.Counter[str] = attrs.field(
        factory=collections.Counter
    )
    missing: collections.Counter[str] = attrs.field(
        factory=collections.Counter
    )
    missed: collections.Counter[str] = attrs.field(factory=collections.Counter)
    near: int = 0
    lacking: collections.Counter[str] = attrs.field(
        factory=collections.Counter
    )
    listed: list[NearApplicant] = attrs.field(factory=list)
    expiring: dict[str, list[int]] = attrs.field(factory=dict)


def _walk(findings: Iterable[Finding]) -> Iterator[Finding]:
    for finding in findings:
        yield finding
        for alternative in finding.alternatives:
            yield from _walk(alternative.findings)


@attrs.define
class _Seen:
    """
    What one determination shows, worked out once for all its groups.
    """

    determination: Determination
    lacking: list[Finding]
    near: bool
    reasons: collections.Counter[str]
    missing: collections.Counter[str]
    expiring: list[Finding]


def _see(
    determination: Determination, distance: Distance, months: int
) -> _Seen:
    lacking = [
        f for f in determination.findings if f.outcome is not Outcome.MET
    ]
    reasons: collections.Counter[str] = collections.Counter()
    missing: collections.Counter[str] = collections.Counter()
    for finding in _walk(determination.findings):
        reasons.update(r.reason.value for r in finding.rejected)
        missing.update(_INDEX.sub("[*]", path) for path in finding.missing)
    horizon = add_months(determination.as_of, months)
    expiring = [
        f
        for f in determination.findings
        if f.expires_on is not None and f.expires_on < horizon
    ]
    near = (
        determination.outcome is not Eligibility.ELIGIBLE
        and distance.reached(lacking)
    )
    return _Seen(determination, lacking, near, reasons, missing, expiring)


def _add(group: _Group, seen: _Seen, *, ids: bool) -> None:
    determination = seen.determination
    group.applicants += 1
    group.outcomes[determination.outcome.value] += 1
    for finding in determination.findings:
        requirement = group.requirements.get(finding.requirement)
        if requirement is None:
            requirement = group.requirements[finding.requirement] = (
                _Requirement(finding.kind)
            )
        requirement.outcomes[finding.outcome.value] += 1
        if finding.unit is not None:
            requirement.unit = requirement.unit or finding.unit
        if finding.shortfall is not None:
            requirement.quantity = True
            if finding.outcome is Outcome.UNMET:
                requirement.shortfalls[finding.shortfall] += 1
    if len(seen.lacking) == 1:
        group.requirements[seen.lacking[0].requirement].only += 1
    group.rejected.update(seen.reasons)
    group.rejections.update(seen.reasons.keys())
    group.missed.update(seen.missing)
    group.missing.update(seen.missing.keys())
    for finding in seen.expiring:
        counts = group.expiring.setdefault(finding.requirement, [0, 0])
        counts[0] += 1
        counts[1] += finding.outcome is Outcome.MET
    if seen.near:
        group.near += 1
        group.lacking.update(f.requirement for f in seen.lacking)
        if ids:
            group.listed.append(
                NearApplicant(
                    portfolio=determination.portfolio,
                    category=determination.category,
                    rulebook=determination.rulebook,
                    lacking=tuple(
                        Lack(
                            requirement=f.requirement,
                            outcome=f.outcome,
                            shortfall=f.shortfall,
                            unit=f.unit,
                        )
                        for f in seen.lacking
                    ),
                )
            )


def _hidden(count: int, minimum: int) -> int | None:
    return None if 0 < count < minimum else count


def _suppressed(
    counts: Mapping[str, int], minimum: int
) -> dict[str, int | None]:
    """
    Suppress the counts under *minimum*, and one more where needed.

    When only one count of a set that adds up to a total shown would be
    hidden, the next smallest is hidden too, so the total does not give it
    away.
    """
    shown: dict[str, int | None] = {
        key: _hidden(count, minimum) for key, count in counts.items()
    }
    hidden = [key for key, value in shown.items() if value is None]
    if len(hidden) == 1:
        others = sorted(
            (count, key)
            for key, count in counts.items()
            if shown[key] is not None and count > 0
        )
        if others:
            shown[others[0][1]] = None
    return shown


def _ordered(
    counts: Mapping[str, int], known: tuple[str, ...]
) -> dict[str, int]:
    ordered = {key: counts.get(key, 0) for key in known}
    ordered.update(
        (key, counts[key]) for key in sorted(counts) if key not in ordered
    )
    return ordered


def _nth(values: list[tuple[Decimal, int]], index: int) -> Decimal:
    seen = 0
    for value, count in values:
        seen += count
        if index < seen:
            return value
    raise IndexError(index)  # pragma: no cover - index < the total


def quantile(counts: Mapping[Decimal, int], fraction: Decimal) -> Decimal:
    """
    Return the *fraction* quantile of values given as counts, exactly.

    Linear interpolation between the two ordered values around position
    ``(n - 1) * fraction``, as ``statistics.quantiles(method="inclusive")``.

    >>> quantile({Decimal(1): 1, Decimal(2): 1, Decimal(4): 1,
    ...           Decimal(8): 1}, Decimal("0.5"))
    Decimal('3.0')
    """
    values = sorted(counts.items())
    total = sum(count for _, count in values)
    position = (total - 1) * fraction
    low = int(position)
    below = _nth(values, low)
    if low + 1 >= total:
        return below
    above = _nth(values, low + 1)
    return below + (above - below) * (position - low)


def _step(largest: Decimal, *, whole: bool) -> Decimal:
    for step in _STEPS:
        if largest < step * _BINS and (step >= 1 or not whole):
            return step
    return _STEPS[-1]  # pragma: no cover - larger than any real shortfall


def _shortfall(
    counts: collections.Counter[Decimal], minimum: int
) -> Shortfall:
    total = sum(counts.values())
    if total == 0 or total < minimum:
        return Shortfall(applicants=_hidden(total, minimum))
    step = _step(
        max(counts), whole=all(v == v.to_integral_value() for v in counts)
    )
    binned: collections.Counter[int] = collections.Counter()
    for value, count in counts.items():
        binned[int(value // step)] += count
    last = max(binned)
    bins = tuple(
        ShortfallBin(
            start=index * step,
            end=(index + 1) * step,
            applicants=_hidden(binned[index], minimum),
        )
        for index in range(last + 1)
    )
    return Shortfall(
        applicants=total,
        q1=quantile(counts, Decimal("0.25")),
        median=quantile(counts, Decimal("0.5")),
        q3=quantile(counts, Decimal("0.75")),
        bins=bins,
    )


def _tallies(
    applicants: collections.Counter[str],
    occurrences: collections.Counter[str],
    minimum: int,
    top: int,
) -> tuple[Tally, ...]:
    ranked = sorted(applicants.items(), key=lambda item: (-item[1], item[0]))
    tallies = []
    for value, count in ranked[:top]:
        shown = _hidden(count, minimum)
        tallies.append(
            Tally(
                value=value,
                applicants=shown,
                occurrences=None if shown is None else occurrences[value],
            )
        )
    return tuple(tallies)


def _finish(  # noqa: PLR0913 - a group and how to show it
    group: _Group,
    minimum: int,
    top: int,
    *,
    category: str | None = None,
    rulebook: str | None = None,
    applicants: int | None,
) -> CohortGroup:
    if applicants is None:
        return CohortGroup(
            category=category, rulebook=rulebook, applicants=None
        )
    requirements = tuple(
        RequirementSummary(
            requirement=key,
            kind=requirement.kind,
            unit=requirement.unit,
            outcomes=_suppressed(
                _ordered(requirement.outcomes, _OUTCOMES), minimum
            ),
            only=_hidden(requirement.only, minimum),
            shortfall=_shortfall(requirement.shortfalls, minimum)
            if requirement.quantity
            else None,
        )
        for key, requirement in group.requirements.items()
    )
    near = _hidden(group.near, minimum)
    return CohortGroup(
        category=category,
        rulebook=rulebook,
        applicants=applicants,
        outcomes=_suppressed(
            _ordered(group.outcomes, _ELIGIBILITIES), minimum
        ),
        requirements=requirements,
        rejections=_tallies(group.rejections, group.rejected, minimum, top),
        missing=_tallies(group.missing, group.missed, minimum, top),
        near=Near(
            applicants=near,
            lacking=_tallies(group.lacking, group.lacking, minimum, top)
            if near
            else (),
            listed=tuple(group.listed),
        ),
        expiring=tuple(
            Expiring(
                requirement=key,
                applicants=_hidden(counts[0], minimum),
                met=_hidden(counts[1], minimum),
            )
            for key, counts in group.expiring.items()
        ),
    )


def _finish_all(
    groups: dict[str, _Group], minimum: int, top: int, field: str
) -> tuple[CohortGroup, ...]:
    # Every determination is in exactly one group: the sizes add up to
    # the cohort's, so they are suppressed as a set.
    sizes = _suppressed(
        {key: group.applicants for key, group in sorted(groups.items())},
        minimum,
    )
    return tuple(
        _finish(
            groups[key],
            minimum,
            top,
            applicants=sizes[key],
            **{field: key},
        )
        for key in sorted(groups)
    )


def summarize_cohort(  # noqa: PLR0913 - each a setting of the report
    records: Iterable[Determination | BatchRecord],
    *,
    distance: Distance | None = None,
    expiring_months: int = 6,
    min_group: int = 5,
    ids: bool = False,
    top: int = 10,
) -> CohortReport:
    """
    Summarize a cohort's determinations: what holds it back, and by how much.

    The records are read once, as they come, and only counts are kept, so
    memory stays flat however many there are (listing the applicants within
    reach, with *ids*, keeps one small entry for each of them). Determinations
    may mix categories and rulebook editions: the report has the same
    figures for the whole cohort, for each category and for each edition.

    Args:
        records: Determinations, or `BatchRecord` objects (those holding
            problems are counted as errors), e.g. from `evaluate_batch`.
        distance: Who is "within reach" of eligibility; by default one
            requirement short.
        expiring_months: The horizon, in months after each determination's
            as-of date, for counted evidence that falls out of its window.
        min_group: Every count of fewer applicants than this (but more than
            none) is suppressed, written as ``None``; where only one count
            of a set adding up to a total would be, the next smallest is
            too. Statistics of fewer values are left out. 1 shows all.
        ids: List the applicants within reach by portfolio id (never by
            name); they are not suppressed.
        top: How many rejection reasons and missing values to keep, the
            most common first.

    Returns:
        The report; `dump` writes it as a ``cohort-report`` document.

    Raises:
        ValueError: *min_group*, *top* or *expiring_months* is out of
            range.

    >>> import datetime
    >>> lines = [
    ...     '{"id": "a-%d", "code_of_ethics_signed_on": %s}'
    ...     % (n, '"2025-02-01"' if n % 3 else "null")
    ...     for n in range(30)
    ... ]
    >>> report = summarize_cohort(evaluate_batch(
    ...     lines, "IFS", "mi-aimh-2024", datetime.date(2026, 1, 15)))
    >>> report.cohort.applicants, dict(report.cohort.outcomes)
    (30, {'eligible': 0, 'not_eligible': 30, 'undetermined': 0})
    >>> ethics = report.cohort.requirements[-1]
    >>> ethics.requirement, dict(ethics.outcomes)
    ('ifs.ethics', {'met': 20, 'unmet': 10, 'undetermined': 0})

    .. versionadded:: 0.1.0
    """
    if min_group < 1 or top < 0 or expiring_months < 0:
        msg = (
            "expected min_group >= 1, top >= 0 and expiring_months >= 0, "
            f"got {min_group}, {top} and {expiring_months}"
        )
        raise ValueError(msg)
    distance = distance or Distance()
    cohort = _Group()
    categories: dict[str, _Group] = {}
    rulebooks: dict[str, _Group] = {}
    count = errors = 0
    lines: list[int] = []
    first: dt.date | None = None
    last: dt.date | None = None
    for record in records:
        count += 1
        if isinstance(record, Determination):
            determination = record
        elif record.determination is None:
            errors += 1
            if len(lines) < ERROR_LINES:
                lines.append(record.line)
            continue
        else:
            determination = record.determination
        day = determination.as_of
        first = day if first is None or day < first else first
        last = day if last is None or day > last else last
        seen = _see(determination, distance, expiring_months)
        _add(cohort, seen, ids=ids)
        _add(
            categories.setdefault(determination.category, _Group()),
            seen,
            ids=False,
        )
        _add(
            rulebooks.setdefault(determination.rulebook, _Group()),
            seen,
            ids=False,
        )
    total = cohort.applicants
    return CohortReport(
        records=count,
        errors=errors,
        error_lines=tuple(lines),
        first_as_of=first,
        last_as_of=last,
        min_group=min_group,
        distance=distance,
        expiring_months=expiring_months,
        ids=ids,
        cohort=_finish(
            cohort, min_group, top, applicants=_hidden(total, min_group)
        ),
        by_category=_finish_all(categories, min_group, top, "category"),
        by_rulebook=_finish_all(rulebooks, min_group, top, "rulebook"),
    )
