"""
Coverage of the competency framework by a portfolio's evidence.

A knowledge area is covered only by evidence that names it: a training whose
``knowledge_areas`` list the area's id (or a former id kept as an alias).
Exam parts and reference ratings show whole domains, as the framework's
evidence mapping says; they are reported with the domain, never as covering
a named area.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from iecmh_core._framework import EvidenceKind, Framework, KnowledgeArea
from iecmh_core._portfolio import Exam, Portfolio

_ZERO = Decimal(0)


@attrs.frozen(kw_only=True)
class AreaCoverage:
    """
    How a portfolio covers one knowledge area.

    Attributes:
        area: The knowledge area's id.
        name: Its name.
        expected: Whether the category expects the area.
        covered: Whether any evidence names the area.
        confirmed: Whether a cited source confirms the area.
        evidence: The trainings that name it, as ``training[i]``.
        hours: Their clock hours, exact.

    .. versionadded:: 0.1.0
    """

    area: str
    name: str
    expected: bool
    covered: bool
    confirmed: bool
    evidence: tuple[str, ...]
    hours: Decimal


@attrs.frozen(kw_only=True)
class DomainCoverage:
    """
    How a portfolio covers one domain.

    Attributes:
        domain: The domain's id.
        name: Its name.
        areas: Every knowledge area of the domain, expected or covered.
        uncovered: The ids of the areas the category expects that nothing
            covers.
        hours: Clock hours of the trainings naming any area of the domain
            (each training counted once).
        evidence: Exam parts and reference ratings that show the domain as
            a whole, as ``exams[i]`` and ``references[i]``.

    .. versionadded:: 0.1.0
    """

    domain: str
    name: str
    areas: tuple[AreaCoverage, ...]
    uncovered: tuple[str, ...]
    hours: Decimal
    evidence: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Coverage:
    """
    How a portfolio covers the competency framework a category expects.

    Attributes:
        framework: The id of the framework edition used.
        category: The category code.
        as_of: The date; evidence dated later is ignored.
        domains: Every domain, in the framework's order.
        unknown: Knowledge area ids the portfolio names that the framework
            does not know, as paths such as
            ``$.training[2].knowledge_areas[0]``: reported, not dropped.

    .. versionadded:: 0.1.0
    """

    framework: str
    category: str
    as_of: dt.date
    domains: tuple[DomainCoverage, ...]
    unknown: tuple[str, ...] = ()


def _area_coverage(
    area: KnowledgeArea,
    category: str,
    naming: dict[str, list[int]],
    portfolio: Portfolio,
) -> AreaCoverage:
    indexes = sorted(
        {i for name in (area.id, *area.aliases) for i in naming.get(name, ())}
    )
    return AreaCoverage(
        area=area.id,
        name=area.name,
        expected=category in area.categories,
        covered=bool(indexes),
        confirmed=area.confirmed,
        evidence=tuple(f"training[{i}]" for i in indexes),
        hours=sum((portfolio.training[i].hours for i in indexes), _ZERO),
    )


def _passed(exam: Exam, mark: Decimal | None) -> bool:
    # As in eligibility, a score decides when there is one and a mark.
    if mark is not None and exam.score_percent is not None:
        return exam.score_percent >= mark
    return exam.passed is True


def _domain_evidence(
    framework: Framework, portfolio: Portfolio, as_of: dt.date
) -> dict[str, list[str]]:
    shown: dict[str, list[str]] = {}
    for mapping in framework.evidence:
        refs: list[str] = []
        if mapping.evidence is EvidenceKind.REFERENCES:
            refs = [
                f"references[{i}]"
                for i, r in enumerate(portfolio.references)
                if r.submitted_on <= as_of
                and r.not_enough_information is not None
                and (
                    mapping.void_at is None
                    or r.not_enough_information < mapping.void_at
                )
            ]
        else:
            part = 1 if mapping.evidence is EvidenceKind.EXAM_PART_1 else 2
            mark = mapping.pass_percent
            refs = [
                f"exams[{i}]"
                for i, e in enumerate(portfolio.exams)
                if e.part == part and e.taken_on <= as_of and _passed(e, mark)
            ]
        for domain in mapping.domains:
            shown.setdefault(domain, []).extend(refs)
    return shown


def compute_coverage(
    portfolio: Portfolio, category: str, edition: Framework, day: dt.date
) -> Coverage:
    """
    Compute the coverage of *edition* by *portfolio* for *category*.
    """
    naming: dict[str, list[int]] = {}
    unknown = []
    for index, training in enumerate(portfolio.training):
        if training.completed_on > day:
            continue
        for position, name in enumerate(training.knowledge_areas):
            if edition.area(name) is None:
                unknown.append(
                    f"$.training[{index}].knowledge_areas[{position}]"
                )
            naming.setdefault(name, []).append(index)
    shown = _domain_evidence(edition, portfolio, day)
    domains = []
    for domain in edition.domains:
        areas = tuple(
            coverage
            for area in domain.knowledge_areas
            if (
                coverage := _area_coverage(area, category, naming, portfolio)
            ).expected
            or coverage.covered
        )
        trainings = sorted(
            {e for a in areas for e in a.evidence},
            key=lambda ref: int(ref[9:-1]),
        )
        domains.append(
            DomainCoverage(
                domain=domain.id,
                name=domain.name,
                areas=areas,
                uncovered=tuple(
                    a.area for a in areas if a.expected and not a.covered
                ),
                hours=sum(
                    (
                        portfolio.training[int(ref[9:-1])].hours
                        for ref in trainings
                    ),
                    _ZERO,
                ),
                evidence=tuple(dict.fromkeys(shown.get(domain.id, ()))),
            )
        )
    return Coverage(
        framework=edition.id,
        category=category,
        as_of=day,
        domains=tuple(domains),
        unknown=tuple(unknown),
    )
