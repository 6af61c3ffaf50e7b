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

import datetime as dt
import enum
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

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
_OUTCOMES = ("met", "unmet", "undetermined")
_ELIGIBILITIES = ("eligible", "not_eligible", "undetermined")

#: The bin widths a shortfall histogram may use, smallest first: at most
#: `_BINS` bins cover the largest shortfall.
_STEPS = tuple(
    Decimal(step) * Decimal(10) ** power
    for power in range(-2, 7)
    for step in ("1", "2", "2.5", "5")
)
_BINS = 10
_INDEX = re.compile(r"\[\d+\]")
_K = TypeVar("_K")


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


def _name(member: enum.Enum) -> str:
    # Known members are looked up (Enum.value is slow in a loop); a value
    # a newer determination carries is counted under its own name.
    return _NAMES.get(member) or str(member.value)


_NAMES: dict[enum.Enum, str] = {
    member: member.value
    for vocabulary in (Outcome, Eligibility)
    for member in vocabulary
}


def _bump(counts: dict[_K, int], key: _K, by: int = 1) -> None:
    counts[key] = counts.get(key, 0) + by


@attrs.define
class _Requirement:
    kind: RequirementKind
    unit: str | None = None
    outcomes: dict[str, int] = attrs.field(factory=dict)
    only: int = 0
    shortfalls: dict[Decimal, int] = attrs.field(factory=dict)
    quantity: bool = False

    def merge(self, other: _Requirement) -> None:
        self.unit = self.unit or other.unit
        self.only += other.only
        self.quantity = self.quantity or other.quantity
        for key, count in other.outcomes.items():
            _bump(self.outcomes, key, count)
        for value, count in other.shortfalls.items():
            _bump(self.shortfalls, value, count)


@attrs.define
class _Group:
    applicants: int = 0
    outcomes: dict[str, int] = attrs.field(factory=dict)
    requirements: dict[str, _Requirement] = attrs.field(factory=dict)
    rejections: dict[str, int] = attrs.field(factory=dict)
    rejected: dict[str, int] = attrs.field(factory=dict)
    missing: dict[str, int] = attrs.field(factory=dict)
    missed: dict[str, int] = attrs.field(factory=dict)
    near: int = 0
    lacking: dict[str, int] = attrs.field(factory=dict)
    expiring: dict[str, list[int]] = attrs.field(factory=dict)

    def add(self, determination: Determination, seen: _Seen) -> None:
        self.applicants += 1
        _bump(self.outcomes, _name(determination.outcome))
        self.count(determination.findings)
        if len(seen.lacking) == 1:
            self.requirements[seen.lacking[0].requirement].only += 1
        for key, count in seen.reasons.items():
            _bump(self.rejected, key, count)
            _bump(self.rejections, key)
        for key, count in seen.missing.items():
            _bump(self.missed, key, count)
            _bump(self.missing, key)
        for finding in seen.expiring:
            counts = self.expiring.setdefault(finding.requirement, [0, 0])
            counts[0] += 1
            counts[1] += finding.outcome is Outcome.MET
        if seen.near:
            self.near += 1
            for finding in seen.lacking:
                _bump(self.lacking, finding.requirement)

    def count(self, findings: Iterable[Finding]) -> None:
        requirements = self.requirements
        for finding in findings:
            requirement = requirements.get(finding.requirement)
            if requirement is None:
                requirement = requirements[finding.requirement] = _Requirement(
                    finding.kind
                )
            _bump(requirement.outcomes, _name(finding.outcome))
            if finding.unit is not None and requirement.unit is None:
                requirement.unit = finding.unit
            if finding.shortfall is not None:
                requirement.quantity = True
                if finding.outcome is Outcome.UNMET:
                    _bump(requirement.shortfalls, finding.shortfall)

    def merge(self, other: _Group) -> None:
        self.applicants += other.applicants
        self.near += other.near
        for mine, theirs in (
            (self.outcomes, other.outcomes),
            (self.rejections, other.rejections),
            (self.rejected, other.rejected),
            (self.missing, other.missing),
            (self.missed, other.missed),
            (self.lacking, other.lacking),
        ):
            for key, count in theirs.items():
                _bump(mine, key, count)
        for key, requirement in other.requirements.items():
            if key in self.requirements:
                self.requirements[key].merge(requirement)
            else:
                self.requirements[key] = _Requirement(requirement.kind)
                self.requirements[key].merge(requirement)
        for key, (count, met) in other.expiring.items():
            counts = self.expiring.setdefault(key, [0, 0])
            counts[0] += count
            counts[1] += met


def _merged(groups: Iterable[_Group]) -> _Group:
    whole = _Group()
    for group in groups:
        whole.merge(group)
    return whole


@attrs.define
class _Seen:
    """
    What one determination shows beyond its findings' outcomes.
    """

    lacking: list[Finding]
    near: bool
    reasons: dict[str, int]
    missing: dict[str, int]
    expiring: list[Finding]


def _look(
    findings: Iterable[Finding],
    reasons: dict[str, int],
    missing: dict[str, int],
) -> None:
    for finding in findings:
        for rejection in finding.rejected:
            _bump(reasons, rejection.reason.value)
        for path in finding.missing:
            _bump(missing, _INDEX.sub("[*]", path))
        for alternative in finding.alternatives:
            _look(alternative.findings, reasons, missing)


def _see(
    determination: Determination, distance: Distance, months: int
) -> _Seen:
    met = Outcome.MET
    lacking = [f for f in determination.findings if f.outcome is not met]
    reasons: dict[str, int] = {}
    missing: dict[str, int] = {}
    _look(determination.findings, reasons, missing)
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
    return _Seen(lacking, near, reasons, missing, expiring)


def _listed(determination: Determination, seen: _Seen) -> NearApplicant:
    return NearApplicant(
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


def _shortfall(counts: dict[Decimal, int], minimum: int) -> Shortfall:
    total = sum(counts.values())
    if total == 0 or total < minimum:
        return Shortfall(applicants=_hidden(total, minimum))
    step = _step(
        max(counts), whole=all(v == v.to_integral_value() for v in counts)
    )
    binned: dict[int, int] = {}
    for value, count in counts.items():
        _bump(binned, int(value // step), count)
    # The bins add up to the applicants shown: suppressed as a set.
    shown = _suppressed(
        {str(index): binned.get(index, 0) for index in range(max(binned) + 1)},
        minimum,
    )
    bins = tuple(
        ShortfallBin(
            start=int(index) * step,
            end=(int(index) + 1) * step,
            applicants=count,
        )
        for index, count in shown.items()
    )
    return Shortfall(
        applicants=total,
        q1=quantile(counts, Decimal("0.25")),
        median=quantile(counts, Decimal("0.5")),
        q3=quantile(counts, Decimal("0.75")),
        bins=bins,
    )


def _tallies(
    applicants: dict[str, int],
    occurrences: dict[str, int],
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
    listed: tuple[NearApplicant, ...] = (),
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
            listed=listed,
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
            category=key if field == "category" else None,
            rulebook=key if field == "rulebook" else None,
        )
        for key in sorted(groups)
    )


@attrs.define
class _Cohort:
    """
    The running counts, one group per category and edition.

    They are merged at the end into the cohort's, each category's and each
    edition's: each determination is counted once, not three times.
    """

    distance: Distance
    months: int
    ids: bool
    pairs: dict[tuple[str, str], _Group] = attrs.field(factory=dict)
    listed: list[NearApplicant] = attrs.field(factory=list)
    records: int = 0
    errors: int = 0
    lines: list[int] = attrs.field(factory=list)
    first: dt.date | None = None
    last: dt.date | None = None

    def add(self, record: Determination | BatchRecord) -> None:
        self.records += 1
        if isinstance(record, Determination):
            determination = record
        elif record.determination is None:
            self.errors += 1
            if len(self.lines) < ERROR_LINES:
                self.lines.append(record.line)
            return
        else:
            determination = record.determination
        day = determination.as_of
        if self.first is None or day < self.first:
            self.first = day
        if self.last is None or day > self.last:
            self.last = day
        seen = _see(determination, self.distance, self.months)
        key = (determination.category, determination.rulebook)
        group = self.pairs.get(key)
        if group is None:
            group = self.pairs[key] = _Group()
        group.add(determination, seen)
        if seen.near and self.ids:
            self.listed.append(_listed(determination, seen))

    def report(self, minimum: int, top: int) -> CohortReport:
        categories: dict[str, _Group] = {}
        rulebooks: dict[str, _Group] = {}
        for (category, rulebook), group in self.pairs.items():
            categories.setdefault(category, _Group()).merge(group)
            rulebooks.setdefault(rulebook, _Group()).merge(group)
        cohort = _merged(self.pairs.values())
        return CohortReport(
            records=self.records,
            errors=self.errors,
            error_lines=tuple(self.lines),
            first_as_of=self.first,
            last_as_of=self.last,
            min_group=minimum,
            distance=self.distance,
            expiring_months=self.months,
            ids=self.ids,
            cohort=_finish(
                cohort,
                minimum,
                top,
                applicants=_hidden(cohort.applicants, minimum),
                listed=tuple(self.listed),
            ),
            by_category=_finish_all(categories, minimum, top, "category"),
            by_rulebook=_finish_all(rulebooks, minimum, top, "rulebook"),
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
    cohort = _Cohort(distance or Distance(), expiring_months, ids)
    for record in records:
        cohort.add(record)
    return cohort.report(min_group, top)
