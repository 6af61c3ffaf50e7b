"""
What changed between two rulebook editions, and whom a change affects.

Editions are compared as the documents they are, matched by category code
and requirement id, so the comparison needs no knowledge of any kind: a
requirement is added, removed, or changed in named parameters, each from
its old value to its new one. Whom it affects is found by evaluating
portfolios under both editions and keeping those whose outcome changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from iecmh_core._determination import Determination, Finding
from iecmh_core._documents import dump, load_portfolio
from iecmh_core._engine import evaluate_category
from iecmh_core._evaluation import resolve_rulebook
from iecmh_core._rulebook import Rulebook
from iecmh_core.exceptions import InvalidDocumentError

#: The fields of a requirement that hold other requirements; they are
#: matched by id on their own, not compared as one parameter.
_NESTED = ("paths",)


@attrs.frozen
class ParameterChange:
    """
    One parameter whose value differs between two editions.

    Attributes:
        name: The parameter, as in the rulebook document (``"hours"``).
        old: Its value in the old edition, as JSON data (``None`` if unset).
        new: Its value in the new edition, as JSON data (``None`` if unset).

    .. versionadded:: 0.2.0
    """

    name: str
    old: Any
    new: Any


@attrs.frozen
class RequirementChange:
    """
    A requirement added, removed or changed between two editions.

    Attributes:
        category: The category code (empty for the edition's
            reinstatement requirements).
        requirement: The requirement's id.
        change: ``"added"``, ``"removed"`` or ``"changed"``.
        section: Where the requirement is: ``"requirements"``,
            ``"renewal"``, ``"emerging"`` or ``"reinstatement"``.
        parameters: For a changed requirement, each parameter that differs.

    .. versionadded:: 0.2.0
    """

    category: str
    requirement: str
    change: str
    section: str = "requirements"
    parameters: tuple[ParameterChange, ...] = ()


@attrs.frozen
class RulebookDiff:
    """
    What changed from one edition to another.

    Attributes:
        old: The old edition's id.
        new: The new edition's id.
        edition: Changes to the edition's own fields (dates, title,
            sources, note…) and to its renewal policy (``renewal.…``),
            categories aside.
        categories_added: Codes only the new edition defines.
        categories_removed: Codes only the old edition defines.
        categories: Changes to a category's own fields, as
            ``(code, change)`` pairs.
        requirements: Requirements added, removed or changed, in the new
            edition's order (removed ones where they were).

    .. versionadded:: 0.2.0
    """

    old: str
    new: str
    edition: tuple[ParameterChange, ...] = ()
    categories_added: tuple[str, ...] = ()
    categories_removed: tuple[str, ...] = ()
    categories: tuple[tuple[str, ParameterChange], ...] = ()
    requirements: tuple[RequirementChange, ...] = ()

    @property
    def empty(self) -> bool:
        """
        True when nothing but the editions' ids differs.
        """
        return not (
            self.edition
            or self.categories_added
            or self.categories_removed
            or self.categories
            or self.requirements
        )


def _parameters(
    old: Mapping[str, Any], new: Mapping[str, Any], skip: Iterable[str]
) -> tuple[ParameterChange, ...]:
    skipped = set(skip)
    names = [k for k in new if k not in skipped]
    names += [k for k in old if k not in skipped and k not in new]
    return tuple(
        ParameterChange(name, old.get(name), new.get(name))
        for name in names
        if old.get(name) != new.get(name)
    )


def _flat(
    requirements: Iterable[Mapping[str, Any]],
) -> dict[str, Mapping[str, Any]]:
    found: dict[str, Mapping[str, Any]] = {}
    for requirement in requirements:
        found[requirement["id"]] = requirement
        for path in requirement.get("paths", ()):
            found.update(_flat(path["requirements"]))
    return found


def _requirement_changes(
    code: str,
    section: str,
    old: Iterable[Mapping[str, Any]],
    new: Iterable[Mapping[str, Any]],
) -> Iterator[RequirementChange]:
    before, after = _flat(old), _flat(new)
    for rid, requirement in after.items():
        if rid not in before:
            yield RequirementChange(code, rid, "added", section)
            continue
        changed = _parameters(before[rid], requirement, _NESTED)
        paths_old = [
            (p["id"], p["title"]) for p in before[rid].get("paths", ())
        ]
        paths_new = [
            (p["id"], p["title"]) for p in requirement.get("paths", ())
        ]
        if paths_old != paths_new:
            changed += (ParameterChange("paths", paths_old, paths_new),)
        if changed:
            yield RequirementChange(code, rid, "changed", section, changed)
    for rid in before:
        if rid not in after:
            yield RequirementChange(code, rid, "removed", section)


def diff(old: Rulebook, new: Rulebook) -> RulebookDiff:
    """
    Compare two editions: categories, requirements and parameters changed.

    Categories are matched by code and requirements by id (those inside OR
    paths, renewal requirements and Emerging requirements included), so a
    requirement whose id stays the same and whose hours go from 24 to 30
    is one change of one parameter.

    Args:
        old: The earlier edition.
        new: The later edition.

    Returns:
        The differences; `RulebookDiff.empty` when they decide alike.

    >>> book = bundled_rulebook("mi-aimh-2024")
    >>> raised = load_rulebook(
    ...     dump_json(book).replace('"hours": 24,', '"hours": 30,', 1))
    >>> change = diff(book, raised).requirements[0]
    >>> change.category, change.requirement, change.parameters
    ('IFS', 'ifs.rsc', (ParameterChange(name='hours', old=24, new=30),))

    .. versionadded:: 0.2.0
    """
    before, after = dump(old), dump(new)
    edition = _parameters(before, after, ("categories", "id", "renewal"))
    was_policy = before.get("renewal", {})
    now_policy = after.get("renewal", {})
    edition += tuple(
        ParameterChange(f"renewal.{c.name}", c.old, c.new)
        for c in _parameters(was_policy, now_policy, ("reinstatement",))
    )
    old_codes = {c["code"]: c for c in before["categories"]}
    new_codes = {c["code"]: c for c in after["categories"]}
    categories: list[tuple[str, ParameterChange]] = []
    changes: list[RequirementChange] = []
    sections = ("requirements", "renewal", "emerging")
    for code, category in new_codes.items():
        if code not in old_codes:
            continue
        previous = old_codes[code]
        categories.extend(
            (code, change)
            for change in _parameters(previous, category, sections)
        )
        for section in sections:
            if section == "emerging":
                was = previous.get("emerging", {})
                now = category.get("emerging", {})
                categories.extend(
                    (code, ParameterChange(f"emerging.{c.name}", c.old, c.new))
                    for c in _parameters(was, now, ("requirements",))
                )
                old_list = was.get("requirements", ())
                new_list = now.get("requirements", ())
            else:
                old_list = previous.get(section, ())
                new_list = category.get(section, ())
            changes.extend(
                _requirement_changes(code, section, old_list, new_list)
            )
    changes.extend(
        _requirement_changes(
            "",
            "reinstatement",
            was_policy.get("reinstatement", ()),
            now_policy.get("reinstatement", ()),
        )
    )
    return RulebookDiff(
        old=old.id,
        new=new.id,
        edition=edition,
        categories_added=tuple(c for c in new_codes if c not in old_codes),
        categories_removed=tuple(c for c in old_codes if c not in new_codes),
        categories=tuple(categories),
        requirements=tuple(changes),
    )


@attrs.frozen
class OutcomeChange:
    """
    A portfolio whose outcome differs between two editions.

    Attributes:
        line: Its line in the input.
        portfolio: The portfolio's id.
        old: Its outcome under the old edition.
        new: Its outcome under the new edition.
        requirements: The ids of the requirements whose findings differ in
            outcome (present in both editions), or that only one edition
            has and that are not met there.

    .. versionadded:: 0.2.0
    """

    line: int
    portfolio: str
    old: str
    new: str
    requirements: tuple[str, ...] = ()


def _outcomes(determination: Determination) -> dict[str, str]:
    found: dict[str, str] = {}

    def walk(findings: Iterable[Finding]) -> None:
        for finding in findings:
            found[finding.requirement] = finding.outcome.value
            for alternative in finding.alternatives:
                walk(alternative.findings)

    walk(determination.findings)
    return found


def _why(old: Determination, new: Determination) -> tuple[str, ...]:
    before, after = _outcomes(old), _outcomes(new)
    ids = list(after) + [r for r in before if r not in after]
    return tuple(
        rid for rid in ids if before.get(rid, "met") != after.get(rid, "met")
    )


def affected_portfolios(
    old: Rulebook | str,
    new: Rulebook | str,
    lines: Iterable[str | bytes],
    category: str,
    as_of: dt.date | None = None,
) -> Iterator[OutcomeChange]:
    """
    Stream the portfolios whose outcome changes from *old* to *new*.

    Each line (one portfolio as JSON, as for `evaluate_batch`) is evaluated
    under both editions on *as_of*; lines whose outcome is the same give
    nothing, and so do lines that are not valid portfolios (check them with
    `evaluate_batch` or ``iecmh batch``, which reports each one). Memory
    stays flat: the input is read line by line.

    Args:
        old: The earlier edition (a `Rulebook` or a bundled edition's id).
        new: The later edition.
        lines: The portfolios, one JSON document per line.
        category: The category code.
        as_of: The date; today (the local date) when ``None``.

    Yields:
        One `OutcomeChange` per portfolio whose outcome changes, in order.

    >>> book = bundled_rulebook("mi-aimh-2024")
    >>> raised = load_rulebook(
    ...     dump_json(book).replace('"hours": 24,', '"hours": 30,', 1))
    >>> lines = ['{"id": "a-1", "code_of_ethics_signed_on": "2025-01-01"}']
    >>> day = datetime.date(2026, 1, 15)
    >>> list(affected_portfolios(book, raised, lines, "IFS", day))
    []

    (Not eligible under either edition, so its outcome does not change.)

    .. versionadded:: 0.2.0
    """
    day = as_of or dt.date.today()  # noqa: DTZ011 - documented: the local date
    before = resolve_rulebook(old, category, day)
    after = resolve_rulebook(new, category, day)
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            portfolio = load_portfolio(text)
        except InvalidDocumentError:
            continue
        was = evaluate_category(portfolio, before, category, day)
        now = evaluate_category(portfolio, after, category, day)
        if was.outcome is not now.outcome:
            yield OutcomeChange(
                line=number,
                portfolio=portfolio.id,
                old=was.outcome.value,
                new=now.outcome.value,
                requirements=_why(was, now),
            )
