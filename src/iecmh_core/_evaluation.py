"""
The bundled rulebook editions and the public entry point, `evaluate`.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib.resources import files

import attrs

from iecmh_core._arguments import expect
from iecmh_core._catalogue import (
    RulebookCatalogue,
    catalogue_of,
    in_force_on,
)
from iecmh_core._coverage import Coverage, compute_coverage
from iecmh_core._determination import (
    Determination,
    EvaluationWarning,
    WarningCode,
)
from iecmh_core._documents import load_framework
from iecmh_core._engine import evaluate_category
from iecmh_core._framework import Framework
from iecmh_core._portfolio import Portfolio
from iecmh_core._rulebook import Rulebook
from iecmh_core.exceptions import (
    UnknownFrameworkError,
    UnknownRulebookError,
)


def bundled_rulebooks() -> tuple[Rulebook, ...]:
    """
    Return every rulebook edition shipped with the library.

    They are read and checked against the rulebook schema once, on first
    use, and ordered by association and then by the date they take effect.

    >>> [r.id for r in bundled_rulebooks()]
    ['infancy-onward-2024', 'massaimh-2024', 'mi-aimh-2017', 'mi-aimh-2024']

    .. versionadded:: 0.1.0
    """
    return RulebookCatalogue.bundled().editions


def bundled_rulebook(rulebook_id: str) -> Rulebook:
    """
    Return the bundled edition with the id *rulebook_id*.

    Raises:
        UnknownRulebookError: No bundled edition has that id; the message
            lists those that exist.

    >>> bundled_rulebook("mi-aimh-2024").effective_from
    datetime.date(2024, 1, 1)

    .. versionadded:: 0.1.0
    """
    return RulebookCatalogue.bundled().get(rulebook_id)


def rulebook_in_force(
    association: str,
    on: dt.date | None = None,
    *,
    catalogue: RulebookCatalogue | None = None,
) -> Rulebook:
    """
    Return *association*'s edition in force on the date *on*.

    Args:
        association: The association's id, e.g. ``"mi-aimh"``.
        on: The date; today (the machine's local date) when ``None``.
        catalogue: The editions to choose from; the bundled ones when
            ``None``. An edition superseded on *on* is not chosen.

    Raises:
        UnknownRulebookError: No edition of *association* is in force on
            that date.

    >>> rulebook_in_force("mi-aimh", datetime.date(2020, 6, 1)).id
    'mi-aimh-2017'

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 *catalogue*.
    """
    expect("association", association, str, "an association id (str)")
    expect("on", on, dt.date, "a datetime.date", optional=True)
    day = on or dt.date.today()  # noqa: DTZ011 - documented: the local date
    books = catalogue_of(catalogue).in_force(day, association=association)
    if books:
        return max(books, key=lambda b: b.effective_from)
    wanted = f"an edition of {association} in force on {day}"
    raise UnknownRulebookError(wanted, catalogue_of(catalogue).ids())


def date_warnings(
    book: Rulebook, day: dt.date
) -> tuple[EvaluationWarning, ...]:
    """
    Warn when *book* is not in force on *day*, or say nothing.
    """
    if in_force_on(book, day):
        return ()
    until = ""
    if book.effective_until is not None:
        until = f" to {book.effective_until}"
    return (
        EvaluationWarning(
            WarningCode.OUTSIDE_EFFECTIVE_DATES,
            f"{book.id} is in force from {book.effective_from}{until}, not "
            f"on {day}; its rules are applied as asked, but they were not "
            "the rules on that date",
        ),
    )


def resolve_rulebook(
    rulebook: Rulebook | str | None,
    category: str,
    day: dt.date,
    catalogue: RulebookCatalogue | None = None,
) -> Rulebook:
    """
    Return the rulebook an evaluation of *category* on *day* applies.

    That is *rulebook* itself, the edition of *catalogue* it names, or for
    ``None`` the edition *catalogue* selects for *category* on *day* (see
    `RulebookCatalogue.select`); the bundled editions when *catalogue* is
    ``None``. Every function that picks an edition comes here.
    """
    if rulebook is None:
        return catalogue_of(catalogue).select(category, day)
    if isinstance(rulebook, str):
        return catalogue_of(catalogue).get(rulebook)
    return rulebook


def evaluate(  # noqa: PLR0913 - the contract's four, plus the opt-in section
    portfolio: Portfolio,
    category: str,
    rulebook: Rulebook | str | None = None,
    as_of: dt.date | None = None,
    *,
    coverage: bool = False,
    framework: Framework | str | None = None,
    catalogue: RulebookCatalogue | None = None,
) -> Determination:
    """
    Decide whether *portfolio* meets *category*'s requirements, and explain.

    Every requirement of the category gives one `Finding`: met, unmet or
    undetermined (the portfolio lacks a value needed to decide; a missing
    value is never read as zero or false), with the evidence counted, the
    evidence rejected and why, and for unmet quantities what would close
    the gap. Evidence dated after *as_of* is ignored.

    Args:
        portfolio: The applicant's portfolio.
        category: The category code, e.g. ``"IFS"``.
        rulebook: A `Rulebook`, the id of a bundled edition, or ``None`` for
            the bundled edition in force on *as_of* that defines the
            category (MI-AIMH's when several do).
        as_of: The date the evaluation speaks for; today (the machine's
            local date) when ``None``: the only place the wall clock is read.
        coverage: Add the optional ``coverage`` section: how the portfolio
            covers the competency framework (see `competency_coverage`).
        framework: The framework for the coverage section (a `Framework`
            or a bundled edition's id); giving one implies *coverage*.
        catalogue: The editions *rulebook* (an id, or ``None``) is chosen
            from: a `RulebookCatalogue` of the bundled editions and the
            caller's (see `load_catalogue`); the bundled ones when
            ``None``.

    Returns:
        The determination. An edition applied on a date outside its
        effective dates is applied as asked, with an
        ``outside_effective_dates`` warning in ``warnings``.

    Raises:
        UnknownRulebookError: *rulebook* names no bundled edition.
        UnknownCategoryError: The rulebook defines no such category.

    >>> portfolio = load_portfolio(
    ...     '{"id": "a-1", "code_of_ethics_signed_on": "2025-02-01"}'
    ... )
    >>> result = evaluate(
    ...     portfolio, "IFS", "mi-aimh-2024", datetime.date(2026, 1, 15)
    ... )
    >>> result.outcome
    <Eligibility.NOT_ELIGIBLE: 'not_eligible'>
    >>> [f.requirement for f in result.findings if f.outcome.value == "met"]
    ['ifs.ethics']

    .. versionadded:: 0.1.0
    """
    expect(
        "portfolio", portfolio, Portfolio, "a Portfolio (see load_portfolio)"
    )
    expect("category", category, str, "a category code (str)")
    expect(
        "rulebook",
        rulebook,
        (Rulebook, str),
        "a Rulebook or a rulebook id",
        optional=True,
    )
    expect("as_of", as_of, dt.date, "a datetime.date", optional=True)
    expect(
        "framework",
        framework,
        (Framework, str),
        "a Framework or a framework id",
        optional=True,
    )
    day = as_of or dt.date.today()  # noqa: DTZ011 - documented: the local date
    book = resolve_rulebook(rulebook, category, day, catalogue)
    determination = evaluate_category(portfolio, book, category, day)
    warnings = date_warnings(book, day)
    if warnings:
        determination = attrs.evolve(determination, warnings=warnings)
    if coverage or framework is not None:
        determination = attrs.evolve(
            determination,
            coverage=competency_coverage(portfolio, category, framework, day),
        )
    return determination


@cache
def bundled_frameworks() -> tuple[Framework, ...]:
    """
    Return every framework edition shipped with the library, oldest first.

    >>> [f.edition for f in bundled_frameworks()]
    ['2017', '2024']

    .. versionadded:: 0.1.0
    """
    folder = files(__package__).joinpath("frameworks")
    editions = [
        load_framework(entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".json")
    ]
    return tuple(
        sorted(editions, key=lambda f: (f.effective_from or dt.date.min, f.id))
    )


def bundled_framework(
    framework_id: str | None = None, on: dt.date | None = None
) -> Framework:
    """
    Return a bundled framework edition by id, or the one in force on a date.

    Args:
        framework_id: The edition's id; when ``None``, the latest edition
            in force on *on*.
        on: The date for choosing by date; today (the local date) when
            ``None``.

    Raises:
        UnknownFrameworkError: No bundled edition matches.

    >>> bundled_framework(on=datetime.date(2020, 1, 1)).id
    'mi-aimh-competency-guidelines-2017'

    .. versionadded:: 0.1.0
    """
    editions = bundled_frameworks()
    known = [f.id for f in editions]
    if framework_id is not None:
        for edition in editions:
            if edition.id == framework_id:
                return edition
        raise UnknownFrameworkError(framework_id, known)
    day = on or dt.date.today()  # noqa: DTZ011 - documented: the local date
    in_force = [
        f
        for f in editions
        if f.effective_from is None or f.effective_from <= day
    ]
    if not in_force:
        wanted = f"an edition in force on {day}"
        raise UnknownFrameworkError(wanted, known)
    return in_force[-1]


def competency_coverage(
    portfolio: Portfolio,
    category: str,
    framework: Framework | str | None = None,
    as_of: dt.date | None = None,
) -> Coverage:
    """
    Report, domain by domain, what in a portfolio covers the framework.

    Every domain is listed, in the framework's order, with every knowledge
    area the category expects or the portfolio covers: the trainings that
    name it and their hours, and the expected areas nothing covers. Exam
    parts passed and valid reference ratings are listed with the domains
    they show. Evidence dated after *as_of* is ignored.

    Args:
        portfolio: The applicant's portfolio.
        category: The category code whose expected areas to check.
        framework: A `Framework`, a bundled edition's id, or ``None`` for
            the bundled edition in force on *as_of*.
        as_of: The date; today (the local date) when ``None``.

    Returns:
        The coverage.

    >>> portfolio = load_portfolio({
    ...     "id": "a-1", "code_of_ethics_signed_on": None,
    ...     "training": [{"title": "Attachment", "completed_on": "2025-01-10",
    ...                   "hours": 6,
    ...                   "knowledge_areas": ["attachment-separation-trauma-grief-loss"]}],
    ... })
    >>> result = competency_coverage(
    ...     portfolio, "IFS", as_of=datetime.date(2026, 1, 15))
    >>> first = result.domains[0]
    >>> first.name, first.hours
    ('Theoretical Foundations', Decimal('6'))
    >>> [a.area for a in first.areas if a.covered]
    ['attachment-separation-trauma-grief-loss']

    .. versionadded:: 0.1.0
    """  # noqa: E501
    expect(
        "portfolio", portfolio, Portfolio, "a Portfolio (see load_portfolio)"
    )
    expect("category", category, str, "a category code (str)")
    expect(
        "framework",
        framework,
        (Framework, str),
        "a Framework or a framework id",
        optional=True,
    )
    expect("as_of", as_of, dt.date, "a datetime.date", optional=True)
    day = as_of or dt.date.today()  # noqa: DTZ011 - documented: the local date
    edition = (
        framework
        if isinstance(framework, Framework)
        else bundled_framework(framework, day)
    )
    return compute_coverage(portfolio, category, edition, day)
