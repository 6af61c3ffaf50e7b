"""
Renewal and the endorsement lifecycle.

An endorsement is renewed every year by a due date the association sets. The
rulebook says what renewal asks (per category, as data) and how the cycle
runs (due date, grace before lapsing, first-year exemption, what
reinstatement asks). From an endorsement's renewal history this module tells
its status on any date, and evaluates a renewal or a reinstatement with the
same explained, three-valued findings as eligibility.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum

import attrs

from iecmh_core._arguments import expect
from iecmh_core._catalogue import RulebookCatalogue, catalogue_of
from iecmh_core._determination import (
    Determination,
    EvaluationWarning,
    Purpose,
    WarningCode,
)
from iecmh_core._engine import _Facts, decide
from iecmh_core._evaluation import (
    date_warnings,
    resolve_rulebook,
)
from iecmh_core._portfolio import HeldEndorsement, Portfolio
from iecmh_core._rulebook import RenewalPolicy, Rulebook
from iecmh_core.exceptions import (
    EndorsementNotCurrentError,
    EndorsementNotHeldError,
    RulebookMismatchError,
    UnknownRulebookError,
)


class LifecycleStatus(enum.Enum):
    """
    The status of an endorsement on a date.

    ``ACTIVE``: in good standing. ``DUE``: the current renewal is open and
    not yet done (it opens some days before the due date and stays due
    through the grace days after it). ``LAPSED``: a renewal was missed past
    the grace days; the holder is removed from the registry until
    reinstated. ``REINSTATED``: reinstated after lapsing, with no renewal
    completed since. ``INACTIVE``: on inactive status (leave, illness), when
    no renewal falls due. ``ARCHIVED``: the holder archived the category.
    ``NOT_YET_AWARDED``: the date is before the award; the endorsement is
    not held yet.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``NOT_YET_AWARDED``.
    """

    NOT_YET_AWARDED = "not_yet_awarded"
    ACTIVE = "active"
    DUE = "due"
    LAPSED = "lapsed"
    INACTIVE = "inactive"
    REINSTATED = "reinstated"
    ARCHIVED = "archived"


@attrs.frozen(kw_only=True)
class EndorsementState:
    """
    An endorsement's status on a date, explained.

    Attributes:
        category: The category code.
        on: The date.
        status: The status.
        explanation: Why, in plain language.
        due_on: The due date of the renewal cycle the date falls in (the
            next renewal to make), if any.
        lapsed_on: When the endorsement lapsed, if it is lapsed.
        warnings: Caveats on the rules applied (another association's
            edition, or one outside its effective dates).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 *warnings*.
    """

    category: str
    on: dt.date
    status: LifecycleStatus
    explanation: str
    due_on: dt.date | None = None
    lapsed_on: dt.date | None = None
    warnings: tuple[EvaluationWarning, ...] = ()


def due_date(policy: RenewalPolicy, year: int) -> dt.date:
    """
    Return the due date of *year*'s renewal under *policy*.

    A day past the month's end (29 February in a common year) falls back to
    the month's last day.
    """
    last = calendar.monthrange(year, policy.due_month)[1]
    return dt.date(year, policy.due_month, min(policy.due_day, last))


def _held(
    portfolio: Portfolio, endorsement: HeldEndorsement | str
) -> HeldEndorsement:
    if isinstance(endorsement, HeldEndorsement):
        return endorsement
    held = [e for e in portfolio.endorsements if e.category == endorsement]
    if not held:
        raise EndorsementNotHeldError(
            endorsement, tuple(e.category for e in portfolio.endorsements)
        )
    return max(held, key=lambda e: e.awarded_on)


def _association_of(
    held: HeldEndorsement, catalogue: RulebookCatalogue
) -> str | None:
    """
    The association *held* was awarded under, from its edition's id.

    Raises:
        UnknownRulebookError: The endorsement names an edition the
            catalogue does not hold, so its association cannot be told.
    """
    if held.rulebook is None:
        return None
    book = catalogue.find(held.rulebook)
    if book is not None:
        return book.association
    wanted = (
        f"{held.rulebook}, the edition the {held.category} endorsement was "
        "awarded under (add it to the catalogue, or pass that association's "
        "rulebook)"
    )
    raise UnknownRulebookError(wanted, catalogue.ids())


def _policy_book(
    held: HeldEndorsement,
    rulebook: Rulebook | str | None,
    on: dt.date,
    *,
    any_association: bool = False,
    catalogue: RulebookCatalogue | None = None,
) -> tuple[Rulebook, tuple[EvaluationWarning, ...]]:
    """
    The edition whose renewal rules apply to *held* on *on*, with caveats.

    Without *rulebook*, the edition in force on *on* (and not superseded)
    of the association the endorsement was awarded under, never another
    association's. A given *rulebook* of another association is refused
    unless *any_association*.
    """
    books = catalogue_of(catalogue)
    warnings: tuple[EvaluationWarning, ...] = ()
    if rulebook is None:
        association = _association_of(held, books)
        book = books.select(held.category, on, association=association)
    else:
        book = resolve_rulebook(rulebook, held.category, on, books)
        unknown = (
            held.rulebook is not None and books.find(held.rulebook) is None
        )
        # An edition passed as an object is trusted when the endorsement's
        # own edition is not in the catalogue to compare it with.
        expected = (
            None
            if unknown and isinstance(rulebook, Rulebook)
            else _association_of(held, books)
        )
        if expected is not None and expected != book.association:
            if not any_association:
                raise RulebookMismatchError(
                    held.category, expected, book.id, book.association
                )
            warnings = (
                EvaluationWarning(
                    WarningCode.OTHER_ASSOCIATION,
                    f"the {held.category} endorsement was awarded under "
                    f"{expected}'s rules; {book.id} is {book.association}'s",
                ),
            )
        warnings += date_warnings(book, on)
    if book.renewal is None:
        wanted = f"an edition with renewal rules (not {book.id})"
        raise UnknownRulebookError(
            wanted,
            [b.id for b in books.editions if b.renewal is not None],
        )
    return book, warnings


def _first_cycle(held: HeldEndorsement, policy: RenewalPolicy) -> int:
    return held.awarded_on.year + (1 if policy.first_year_exempt else 0)


def evaluate_renewal(  # noqa: PLR0913 - the four, and two keyword options
    portfolio: Portfolio,
    endorsement: HeldEndorsement | str,
    year: int,
    rulebook: Rulebook | str | None = None,
    *,
    any_association: bool = False,
    catalogue: RulebookCatalogue | None = None,
) -> Determination:
    """
    Decide whether an endorsement's renewal for *year* is met, and explain.

    The category's renewal requirements are evaluated on the year's due
    date, over the renewal year: trainings and RSC within the 12 months up
    to the due date, the Code of Ethics signed again within them, a
    membership current on the due date. A requirement that does not apply
    (the first-year exemption; the Clinical Mentor rule by years held; the
    RSC-provider hours for people who provide no RSC) is met, saying why.
    Each endorsement held is renewed with the same hours: a holder of
    several categories counts them once for all.

    Args:
        portfolio: The holder's portfolio.
        endorsement: The endorsement held, or its category code (the most
            recently awarded one of that code in the portfolio).
        year: The renewal year.
        rulebook: A `Rulebook`, a bundled edition's id, or ``None`` for the
            edition in force on the due date of the association the
            endorsement was awarded under.
        any_association: Use *rulebook* even when it is another
            association's than the endorsement's (with a warning).
        catalogue: The editions to choose from (see `load_catalogue`); the
            bundled ones when ``None``. The endorsement's association is
            that of the edition it names, looked up here.

    Returns:
        The determination, with ``purpose`` renewal and ``as_of`` the due
        date, and ``warnings`` when the edition is another association's
        or not in force on the due date.

    Raises:
        EndorsementNotHeldError: The portfolio holds no endorsement of that
            category.
        EndorsementNotCurrentError: *year* precedes the award.
        RulebookMismatchError: *rulebook* is another association's and
            *any_association* is false.
        UnknownRulebookError: The rulebook has no renewal rules, or no
            edition of the endorsement's association is in force.

    >>> portfolio = load_portfolio({
    ...     "id": "a-1", "code_of_ethics_signed_on": "2025-03-01",
    ...     "training": [{"title": "Update", "completed_on": "2025-05-01",
    ...                   "hours": 14.5, "topics": ["dei"]}],
    ...     "endorsements": [{"category": "IFA", "rulebook": "mi-aimh-2024",
    ...                       "awarded_on": "2023-04-01", "status": "active"}],
    ... })
    >>> renewal = evaluate_renewal(portfolio, "IFA", 2025)
    >>> training = renewal.findings[0]
    >>> training.outcome.value, training.shortfall
    ('unmet', Decimal('0.5'))

    .. versionadded:: 0.1.0
    """
    expect(
        "portfolio", portfolio, Portfolio, "a Portfolio (see load_portfolio)"
    )
    expect(
        "endorsement",
        endorsement,
        (HeldEndorsement, str),
        "a HeldEndorsement or a category code",
    )
    expect("year", year, int, "a year (int)")
    expect(
        "rulebook",
        rulebook,
        (Rulebook, str),
        "a Rulebook or a rulebook id",
        optional=True,
    )
    held = _held(portfolio, endorsement)
    if not held.awarded_on.year <= year < dt.MAXYEAR:
        raise EndorsementNotCurrentError(
            held.category,
            f"the year {year} (awarded on {held.awarded_on})",
            expected=(
                f"a renewal year from {held.awarded_on.year} to "
                f"{dt.MAXYEAR - 1}"
            ),
        )
    probe = dt.date(year, 12, 31)
    book, warnings = _policy_book(
        held,
        rulebook,
        probe,
        any_association=any_association,
        catalogue=catalogue,
    )
    policy = book.renewal
    assert policy is not None  # noqa: S101 - _policy_book guarantees it
    due = due_date(policy, year)
    category = book.category(held.category)
    facts = _Facts.of(
        portfolio,
        due,
        held_since=held.awarded_on,
        first_year=year < _first_cycle(held, policy),
    )
    return attrs.evolve(
        decide(
            portfolio,
            book,
            category.code,
            category.renewal,
            facts,
            purpose=Purpose.RENEWAL,
        ),
        warnings=warnings,
    )


def evaluate_reinstatement(  # noqa: PLR0913 - the four, and two keyword options
    portfolio: Portfolio,
    endorsement: HeldEndorsement | str,
    on: dt.date,
    rulebook: Rulebook | str | None = None,
    *,
    any_association: bool = False,
    catalogue: RulebookCatalogue | None = None,
) -> Determination:
    """
    Decide whether a lapsed endorsement can be reinstated on a date.

    The rulebook's reinstatement requirements are evaluated on *on*, with
    evidence counted from the day the endorsement lapsed: reference ratings
    submitted before it are rejected as not new, and the Code of Ethics must
    be signed again since.

    Raises:
        EndorsementNotHeldError: The portfolio holds no endorsement of that
            category.
        EndorsementNotCurrentError: The endorsement is not lapsed on *on*.
        RulebookMismatchError: *rulebook* is another association's and
            *any_association* is false.
        UnknownRulebookError: The rulebook has no renewal rules.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 *any_association*.
    """
    expect(
        "portfolio", portfolio, Portfolio, "a Portfolio (see load_portfolio)"
    )
    expect(
        "endorsement",
        endorsement,
        (HeldEndorsement, str),
        "a HeldEndorsement or a category code",
    )
    expect("on", on, dt.date, "a datetime.date")
    expect(
        "rulebook",
        rulebook,
        (Rulebook, str),
        "a Rulebook or a rulebook id",
        optional=True,
    )
    held = _held(portfolio, endorsement)
    book, warnings = _policy_book(
        held,
        rulebook,
        on,
        any_association=any_association,
        catalogue=catalogue,
    )
    policy = book.renewal
    assert policy is not None  # noqa: S101 - _policy_book guarantees it
    state = endorsement_status(held, on, book, any_association=True)
    if state.lapsed_on is None:
        raise EndorsementNotCurrentError(
            held.category, state.explanation, expected="a lapsed endorsement"
        )
    since = state.lapsed_on
    facts = _Facts.of(portfolio, on, held_since=held.awarded_on, since=since)
    return attrs.evolve(
        decide(
            portfolio,
            book,
            held.category,
            policy.reinstatement,
            facts,
            purpose=Purpose.REINSTATEMENT,
        ),
        warnings=warnings,
    )


def _inactive_on(held: HeldEndorsement, day: dt.date) -> bool:
    return any(
        p.start <= day and (p.end is None or day <= p.end)
        for p in held.inactive
    )


def endorsement_status(
    endorsement: HeldEndorsement,
    on: dt.date,
    rulebook: Rulebook | str | None = None,
    *,
    any_association: bool = False,
    catalogue: RulebookCatalogue | None = None,
) -> EndorsementState:
    """
    Derive an endorsement's status on a date from its renewal history.

    Walking the renewal cycles from the first one due (the year after the
    award, where the first year is exempt): a cycle whose due date falls in
    an inactive period needs no renewal; a cycle not renewed by the end of
    its grace days lapses the endorsement, until a reinstatement on or after
    that day restarts the cycles.

    Args:
        endorsement: The endorsement held, with its renewal history.
        on: The date.
        rulebook: A `Rulebook` with a renewal policy, a bundled edition's
            id, or ``None`` for the edition the endorsement's association
            has in force on *on*.
        any_association: Use *rulebook* even when it is another
            association's than the endorsement's (with a warning).
        catalogue: The editions to choose from (see `load_catalogue`); the
            bundled ones when ``None``. The endorsement's association is
            that of the edition it names, looked up here.

    Returns:
        The status, explained; ``not_yet_awarded`` before the award.

    Raises:
        RulebookMismatchError: *rulebook* is another association's and
            *any_association* is false.

    >>> held = HeldEndorsement(
    ...     category="IFS", rulebook="mi-aimh-2024",
    ...     awarded_on=datetime.date(2023, 5, 1),
    ...     status=EndorsementStatus.ACTIVE,
    ...     renewals=(Renewal(year=2024, renewed_on=datetime.date(2024, 12, 2)),),
    ... )
    >>> endorsement_status(held, datetime.date(2025, 6, 1)).status
    <LifecycleStatus.ACTIVE: 'active'>
    >>> endorsement_status(held, datetime.date(2025, 11, 1)).status
    <LifecycleStatus.DUE: 'due'>
    >>> state = endorsement_status(held, datetime.date(2026, 3, 1))
    >>> state.status, state.lapsed_on
    (<LifecycleStatus.LAPSED: 'lapsed'>, datetime.date(2026, 2, 1))

    .. versionadded:: 0.1.0
    """  # noqa: E501
    expect("endorsement", endorsement, HeldEndorsement, "a HeldEndorsement")
    expect("on", on, dt.date, "a datetime.date")
    expect(
        "rulebook",
        rulebook,
        (Rulebook, str),
        "a Rulebook or a rulebook id",
        optional=True,
    )
    book, warnings = _policy_book(
        endorsement,
        rulebook,
        on,
        any_association=any_association,
        catalogue=catalogue,
    )
    state = _status_on(endorsement, on, book)
    return attrs.evolve(state, warnings=warnings) if warnings else state


def _status_on(  # noqa: C901, PLR0911 - a return per status
    endorsement: HeldEndorsement, on: dt.date, book: Rulebook
) -> EndorsementState:
    policy = book.renewal
    assert policy is not None  # noqa: S101 - _policy_book guarantees it
    code = endorsement.category
    if on < endorsement.awarded_on:
        return EndorsementState(
            category=code,
            on=on,
            status=LifecycleStatus.NOT_YET_AWARDED,
            explanation=f"Not held yet on {on}: awarded on "
            f"{endorsement.awarded_on}",
        )
    if endorsement.archived_on is not None and endorsement.archived_on <= on:
        return EndorsementState(
            category=code,
            on=on,
            status=LifecycleStatus.ARCHIVED,
            explanation=f"Archived on {endorsement.archived_on}",
        )
    if _inactive_on(endorsement, on):
        return EndorsementState(
            category=code,
            on=on,
            status=LifecycleStatus.INACTIVE,
            explanation=f"On inactive status on {on}; no renewal falls due",
        )
    grace = dt.timedelta(days=policy.grace_days)
    renewed = {
        r.year: r.renewed_on
        for r in endorsement.renewals
        if r.renewed_on <= on
    }
    reinstated = sorted(d for d in endorsement.reinstated_on if d <= on)
    year = _first_cycle(endorsement, policy)
    since_reinstatement: dt.date | None = None
    while True:
        due = due_date(policy, year)
        lapse = due + grace + dt.timedelta(days=1)
        if lapse > on:
            break
        done = renewed.get(year)
        if _inactive_on(endorsement, due) or (
            done is not None and done < lapse
        ):
            year += 1
            continue
        back = next((d for d in reinstated if d >= lapse), None)
        if back is None:
            return EndorsementState(
                category=code,
                on=on,
                status=LifecycleStatus.LAPSED,
                explanation=f"The {year} renewal, due {due}, was not made by "
                f"{lapse - dt.timedelta(days=1)}; the endorsement lapsed on "
                f"{lapse} and needs reinstatement",
                lapsed_on=lapse,
            )
        since_reinstatement = back
        year = max(year + 1, back.year)
    # A due date inside an inactive period needs no renewal, even while its
    # grace days run.
    while _inactive_on(endorsement, due_date(policy, year)):
        if year >= dt.MAXYEAR - 1:
            return EndorsementState(
                category=code,
                on=on,
                status=LifecycleStatus.ACTIVE,
                explanation="In good standing; every renewal from now on "
                "falls due in an open-ended inactive period",
            )
        year += 1
    due = due_date(policy, year)
    opens = due - dt.timedelta(days=policy.opens_days_before)
    if year not in renewed and on >= opens:
        return EndorsementState(
            category=code,
            on=on,
            status=LifecycleStatus.DUE,
            explanation=f"The {year} renewal is open and due on {due}"
            + (f" (late; it lapses after {due + grace})" if on > due else ""),
            due_on=due,
        )
    if since_reinstatement is not None and not any(
        d >= since_reinstatement for d in renewed.values()
    ):
        return EndorsementState(
            category=code,
            on=on,
            status=LifecycleStatus.REINSTATED,
            explanation=f"Reinstated on {since_reinstatement}; the next "
            f"renewal is due on {due}",
            due_on=due,
        )
    upcoming = due if year not in renewed else due_date(policy, year + 1)
    return EndorsementState(
        category=code,
        on=on,
        status=LifecycleStatus.ACTIVE,
        explanation=f"In good standing; the next renewal is due on {upcoming}",
        due_on=upcoming,
    )
