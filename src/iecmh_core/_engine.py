"""
The eligibility engine: portfolio, category and date in; determination out.

There is one evaluator per requirement *kind*, never one per category: the
categories' differences are all in the rulebook's data. Every evaluator
sorts the evidence it looks at into three piles (counted, rejected with a
reason, and unknown because the portfolio lacks a value) and decides in
three values: met when the counted evidence is enough, undetermined when the
unknown evidence could make it enough, unmet otherwise. Evidence dated after
the as-of date is left out entirely, as if it were not in the portfolio.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_CEILING, Decimal
from typing import Any

import attrs

from iecmh_core._determination import (
    Alternative,
    Determination,
    EmergingResult,
    Finding,
    Purpose,
    Rejection,
    RejectionReason,
)
from iecmh_core._portfolio import Portfolio, Reference, RscSession
from iecmh_core._rulebook import (
    AnyOfRequirement,
    EducationRequirement,
    EndorsementHeldRequirement,
    EthicsRequirement,
    EvidenceDates,
    ExamRequirement,
    LeadershipRequirement,
    MembershipRequirement,
    ProviderRule,
    ReferenceSlot,
    ReferencesRequirement,
    Requirement,
    RscRequirement,
    Rulebook,
    TrainingPart,
    TrainingRequirement,
    WorkRequirement,
)
from iecmh_core._vocab import (
    EducationLevel,
    Eligibility,
    EndorsementStatus,
    Outcome,
    Service,
)

_ZERO = Decimal(0)
_ONE = Decimal(1)
_UNSEEN: Any = object()


def add_months(day: dt.date, months: int) -> dt.date:
    """
    Return *day* moved by *months* calendar months.

    The day is clamped to the month's last day, so 31 January plus one month
    is 28 or 29 February; past the calendar's ends it saturates at
    `datetime.date.min` or `datetime.date.max`.
    """
    years, month = divmod(day.month - 1 + months, 12)
    year = day.year + years
    if year < dt.MINYEAR:
        return dt.date.min
    if year > dt.MAXYEAR:
        return dt.date.max
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def window_start(as_of: dt.date, months: int) -> dt.date:
    """
    Return the first day whose evidence still counts *months* later.

    A session on day *d* counts on *as_of* while ``add_months(d, months)``
    is after *as_of*; since that is monotone in *d*, the days that count
    are those from the returned day on.
    """
    day = add_months(as_of, -months)
    while day < as_of and add_months(day, months) <= as_of:
        day += dt.timedelta(days=1)
    return day


def number(value: Decimal) -> str:
    """
    Write an exact quantity for people: ``26.5``, ``24``, ``0.25``.
    """
    return f"{value.normalize():f}"


def _listing(items: Iterable[str], last: str = "or") -> str:
    names = list(items)
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {last} {names[-1]}"


def _plural(count: int | Decimal, noun: str) -> str:
    return noun if count == 1 else f"{noun}s"


def _or3(values: Iterable[bool | None]) -> bool | None:
    result: bool | None = False
    for value in values:
        if value is True:
            return True
        if value is None:
            result = None
    return result


def _decide(known: bool, possible: bool) -> Outcome:
    if known:
        return Outcome.MET
    return Outcome.UNDETERMINED if possible else Outcome.UNMET


@attrs.frozen
class _Facts:
    """
    What every evaluator needs to know of the portfolio on the as-of date.
    """

    portfolio: Portfolio
    as_of: dt.date
    degrees: tuple[tuple[EducationLevel, dt.date], ...]
    held_since: dt.date | None = None
    first_year: bool = False
    since: dt.date | None = None

    @classmethod
    def of(
        cls,
        portfolio: Portfolio,
        as_of: dt.date,
        *,
        held_since: dt.date | None = None,
        first_year: bool = False,
        since: dt.date | None = None,
    ) -> _Facts:
        degrees = tuple(
            (e.level, e.completed_on)
            for e in portfolio.education
            if e.completed_on is not None and e.completed_on <= as_of
        )
        return cls(portfolio, as_of, degrees, held_since, first_year, since)

    def level_on(self, day: dt.date) -> EducationLevel | None:
        """
        The applicant's highest degree completed on or before *day*.
        """
        done = [level for level, date in self.degrees if date <= day]
        return max(done, key=_rank, default=None)

    def degree_date(self, level: EducationLevel) -> dt.date | None:
        """
        When the applicant first completed a degree of *level* or higher.
        """
        dates = [d for lv, d in self.degrees if lv.rank >= level.rank]
        return min(dates, default=None)


def _rank(level: EducationLevel) -> int:
    return level.rank


def _base(requirement: Requirement, **fields: Any) -> Finding:
    return Finding(
        requirement=requirement.id,
        kind=requirement.kind,
        sources=requirement.sources,
        note=requirement.note,
        **fields,
    )


_MISSING_SHOWN = 5


def _record_advice(missing: Sequence[str], facts: _Facts) -> str:
    """
    Advise recording the missing values that left a finding undetermined.

    The evidence is there; what is missing is a value, so the advice names
    the values rather than asking for more evidence.
    """
    items: list[str] = []
    for path in dict.fromkeys(missing):
        pile, _, field = path.removeprefix("$.").partition(".")
        if pile.startswith("exams["):
            exam = facts.portfolio.exams[int(pile[6:-1])]
            what = (
                "the score"
                if field == "score_percent"
                else "whether it passed"
            )
            items.append(
                f"{what} of the part {exam.part} exam taken on {exam.taken_on}"
            )
        else:
            items.append(f"`{field}` for {pile}")
    if len(items) > _MISSING_SHOWN:
        rest = len(items) - _MISSING_SHOWN
        items = [
            *items[:_MISSING_SHOWN],
            f"{rest} more {_plural(rest, 'value')}",
        ]
    return "Record " + _listing(items, "and")


def _any_counts(  # noqa: PLR0913 - the parts of one plain-language finding
    req: Requirement,
    evidence: list[str],
    rejected: list[Rejection],
    *,
    met: str,
    unmet: str,
    advice: str,
) -> Finding:
    """
    The finding of a requirement that any one piece of evidence meets.
    """
    if evidence:
        return _base(
            req,
            outcome=Outcome.MET,
            explanation=met,
            evidence=tuple(evidence),
            rejected=tuple(rejected),
        )
    return _base(
        req,
        outcome=Outcome.UNMET,
        explanation=unmet,
        rejected=tuple(rejected),
        advice=advice,
    )


# -- education ---------------------------------------------------------------


def _education(req: EducationRequirement, facts: _Facts) -> Finding:
    accepted = _listing(level.value for level in req.levels)
    evidence: list[str] = []
    rejected: list[Rejection] = []
    first_index = 0
    for index, entry in enumerate(facts.portfolio.education):
        ref = f"education[{index}]"
        done = entry.completed_on
        if done is not None and done > facts.as_of:
            continue
        if entry.level not in req.levels:
            rejected.append(
                Rejection(
                    evidence=ref,
                    reason=RejectionReason.LEVEL_NOT_ACCEPTED,
                    explanation=f"{entry.level.value} is not an accepted "
                    f"level ({accepted})",
                )
            )
        elif done is None:
            rejected.append(
                Rejection(
                    evidence=ref,
                    reason=RejectionReason.IN_PROGRESS,
                    explanation=f"the {entry.level.value} is still in "
                    "progress",
                )
            )
        else:
            if not evidence:
                first_index = index
            evidence.append(ref)
    first = facts.portfolio.education[first_index] if evidence else None
    return _any_counts(
        req,
        evidence,
        rejected,
        met=f"Completed {first.level.value} on {first.completed_on}, an "
        f"accepted level ({accepted})"
        if first
        else "",
        unmet=f"No completed education at an accepted level ({accepted}) "
        f"on or before {facts.as_of}",
        advice=f"Complete a degree or credential at one of: {accepted}",
    )


# -- training ----------------------------------------------------------------


def _training(req: TrainingRequirement, facts: _Facts) -> Finding:
    topic = req.topic
    about = f" on {topic.value}" if topic else ""
    counted = _ZERO
    evidence: list[str] = []
    counted_ids: list[int] = []
    rejected: list[Rejection] = []
    start = (
        window_start(facts.as_of, req.window_months)
        if req.window_months
        else None
    )
    for index, entry in enumerate(facts.portfolio.training):
        if entry.completed_on > facts.as_of:
            continue
        ref = f"training[{index}]"
        if start is not None and entry.completed_on < start:
            rejected.append(
                Rejection(
                    evidence=ref,
                    reason=RejectionReason.OUTSIDE_WINDOW,
                    explanation=f"completed on {entry.completed_on}, before "
                    f"the {req.window_months} months up to {facts.as_of}",
                )
            )
            continue
        if topic is not None and topic not in entry.topics:
            rejected.append(
                Rejection(
                    evidence=ref,
                    reason=RejectionReason.TOPIC_NOT_TAGGED,
                    explanation=f"not tagged with the topic {topic.value}",
                )
            )
            continue
        counted += entry.hours
        evidence.append(ref)
        counted_ids.append(index)
    shortfall = max(req.hours - counted, _ZERO)
    why = ""
    if req.parts:
        deficiency, why = _training_parts(req, facts, counted_ids)
        shortfall = max(shortfall, deficiency)
        counted = min(counted, req.hours - deficiency)
    met = shortfall == 0
    count = len(evidence)
    when = (
        f"from {start} to {facts.as_of}"
        if start is not None
        else f"on or before {facts.as_of}"
    )
    explanation = (
        f"{number(counted)} of {number(req.hours)} clock hours of "
        f"training{about} completed {when}, in "
        f"{count} {_plural(count, 'training')}{why}"
    )
    return _base(
        req,
        outcome=Outcome.MET if met else Outcome.UNMET,
        explanation=explanation,
        required=req.hours,
        counted=counted,
        shortfall=shortfall,
        unit="hours",
        evidence=tuple(evidence),
        rejected=tuple(rejected),
        advice=None
        if met
        else f"{number(shortfall)} more clock hours of training{about}",
    )


def _parts_cut(
    parts: Sequence[TrainingPart],
    hours_by_topics: dict[frozenset[Any], Decimal],
    *,
    surplus: bool,
) -> tuple[Decimal, tuple[int, ...]]:
    """
    The most of the parts' hours the trainings can fill, each hour once.

    This is a maximum flow from trainings to parts; by the max-flow min-cut
    theorem it is the least, over every set S of parts, of the hours of the
    parts outside S plus the hours of the trainings that could fill a part
    in S. The parts are few (a handful), so every set is tried. Returns the
    filled hours and the set S that limits them (empty when all fill).

    A part with a topic takes hours tagged with it; a part with none takes
    untagged hours, and also tagged ones when *surplus* says so.
    """
    best = sum((p.hours for p in parts), _ZERO)
    limit: tuple[int, ...] = ()
    for size in range(1, len(parts) + 1):
        for group in itertools.combinations(range(len(parts)), size):
            topics = {parts[i].topic for i in group}
            general = None in topics
            outside = sum(
                (p.hours for i, p in enumerate(parts) if i not in group), _ZERO
            )
            feeding = sum(
                (
                    hours
                    for tags, hours in hours_by_topics.items()
                    if topics & tags or (general and (surplus or not tags))
                ),
                _ZERO,
            )
            if outside + feeding < best:
                best, limit = outside + feeding, group
    return best, limit


def _training_parts(
    req: TrainingRequirement, facts: _Facts, counted_ids: Sequence[int]
) -> tuple[Decimal, str]:
    """
    The shortfall the parts leave, and why, for the counted trainings.
    """
    wanted = {p.topic for p in req.parts if p.topic is not None}
    hours_by_topics: dict[frozenset[Any], Decimal] = {}
    for index in counted_ids:
        entry = facts.portfolio.training[index]
        tags = frozenset(entry.topics) & wanted
        hours_by_topics[tags] = hours_by_topics.get(tags, _ZERO) + entry.hours
    filled, limit = _parts_cut(
        req.parts, hours_by_topics, surplus=req.surplus_fills_general
    )
    needed = sum((p.hours for p in req.parts), _ZERO)
    if filled >= needed:
        return _ZERO, ""
    names = _listing((req.parts[i].title for i in limit), "and")
    asked = sum((req.parts[i].hours for i in limit), _ZERO)
    could = asked - (needed - filled)
    why = (
        f"; each hour counts toward one part only, and the {number(asked)} "
        f"hours of {names} can be filled with only {number(could)} hours of "
        "the trainings that fit them"
    )
    if (
        wanted
        and not req.surplus_fills_general
        and any(req.parts[i].topic is None for i in limit)
    ):
        tagged = _listing(sorted(t.value for t in wanted))
        why += (
            " (a part with no topic takes the trainings tagged with none of "
            f"{tagged}; tagged hours belong to their own parts)"
        )
    return needed - filled, why


# -- RSC ---------------------------------------------------------------------


def _provider_qualifies(
    rule: ProviderRule, session: RscSession, applicant: EducationLevel | None
) -> bool | None:
    if rule.when is not None and not rule.when.holds_on(session.date):
        return False
    if rule.applicant_levels and applicant not in rule.applicant_levels:
        return False
    endorsed: bool | None = False
    if session.provider_category in rule.categories:
        if not rule.provider_levels:
            endorsed = True
        elif session.provider_degree is None:
            endorsed = None
        else:
            endorsed = session.provider_degree in rule.provider_levels
    vetted: bool | None = False
    if rule.vetted:
        vetted = session.vetted
    return _or3((endorsed, vetted))


def _unknowns(
    rules: Sequence[ProviderRule],
    session: RscSession,
    applicant: EducationLevel | None,
) -> list[str]:
    """
    Name the session's missing values that the provider rules depend on.
    """
    names = []
    relevant = [
        rule
        for rule in rules
        if (not rule.applicant_levels or applicant in rule.applicant_levels)
        and (rule.when is None or rule.when.holds_on(session.date))
    ]
    if session.provider_degree is None and any(
        rule.provider_levels and session.provider_category in rule.categories
        for rule in relevant
    ):
        names.append("provider_degree")
    if session.vetted is None and any(rule.vetted for rule in relevant):
        names.append("vetted")
    return names


def _describe_providers(rules: Sequence[ProviderRule]) -> str:
    parts = []
    for rule in rules:
        who = []
        if rule.categories:
            text = "endorsed " + _listing(rule.categories)
            if rule.provider_levels:
                text += " with a " + _listing(
                    level.value for level in rule.provider_levels
                )
            who.append(text)
        if rule.vetted:
            who.append("vetted by the association")
        text = " or ".join(who)
        if rule.applicant_levels:
            text += " (for applicants whose highest degree is " + _listing(
                level.value for level in rule.applicant_levels
            )
            text += ")"
        if rule.when is not None:
            text += _dates_words(rule.when)
        parts.append(text)
    return "; ".join(parts)


def _rules_for(req: RscRequirement, facts: _Facts) -> list[ProviderRule]:
    """
    The provider rules that apply to the applicant's degree today.
    """
    level = facts.level_on(facts.as_of)
    rules = [
        rule
        for rule in req.providers
        if (not rule.applicant_levels or level in rule.applicant_levels)
        and (rule.when is None or rule.when.holds_on(facts.as_of))
    ]
    return rules or list(req.providers)


def _dates_words(when: EvidenceDates) -> str:
    bounds = []
    if when.evidence_on_or_after is not None:
        bounds.append(f"on or after {when.evidence_on_or_after}")
    if when.evidence_before is not None:
        bounds.append(f"before {when.evidence_before}")
    return f" (for sessions {' and '.join(bounds)})"


@attrs.frozen
class _Choice:
    providers: tuple[str, ...]
    hours: Decimal
    main: Decimal
    first: dt.date | None
    last: dt.date | None


def _choices(
    sessions: Sequence[tuple[int, RscSession]], limit: int | None
) -> list[_Choice]:
    totals: dict[str, list[Any]] = {}
    for _, session in sessions:
        day = session.date
        total = totals.get(session.provider)
        if total is None:
            totals[session.provider] = [session.hours, day, day]
        else:
            total[0] += session.hours
            total[1] = min(total[1], day)
            total[2] = max(total[2], day)
    names = sorted(totals)
    size = min(limit or len(names), len(names))
    groups: Iterable[tuple[str, ...]] = (
        itertools.combinations(names, size) if names else [()]
    )
    choices = []
    for group in groups:
        parts = [totals[name] for name in group]
        choices.append(
            _Choice(
                providers=group,
                hours=sum((p[0] for p in parts), _ZERO),
                main=max((p[0] for p in parts), default=_ZERO),
                first=min((p[1] for p in parts), default=None),
                last=max((p[2] for p in parts), default=None),
            )
        )
    return choices


def _rsc_ok(choice: _Choice, req: RscRequirement) -> tuple[bool, bool, bool]:
    enough = choice.hours >= req.hours
    majority = not req.majority_from_one or choice.main * 2 > req.hours
    spread = True
    if req.min_span_months:
        spread = (
            choice.first is not None
            and choice.last is not None
            and add_months(choice.first, req.min_span_months) <= choice.last
        )
    return enough, majority, spread


def _best(choices: Sequence[_Choice], req: RscRequirement) -> _Choice:
    def key(choice: _Choice) -> tuple[bool, bool, bool, Decimal, Decimal]:
        enough, majority, spread = _rsc_ok(choice, req)
        return (
            enough and majority and spread,
            enough,
            majority,
            choice.hours,
            choice.main,
        )

    return max(choices, key=key)


def _rsc(req: RscRequirement, facts: _Facts) -> Finding:  # noqa: C901, PLR0912, PLR0915
    as_of = facts.as_of
    known: list[tuple[int, RscSession]] = []
    unknown: list[tuple[int, RscSession]] = []
    missing: list[str] = []
    rejected: list[Rejection] = []
    formats = _listing(f.value for f in req.formats)
    start = window_start(as_of, req.window_months)
    verdicts: dict[tuple[Any, ...], bool | None] = {}
    accepted = req.formats
    # The classic matrix lets the applicant's own degree decide who may
    # provide RSC: judge it on each session's date, so that RSC received
    # while bachelor's-prepared still counts after a later master's degree.
    by_degree = any(rule.applicant_levels for rule in req.providers)
    dated = [rule.when for rule in req.providers if rule.when is not None]
    for index, session in enumerate(facts.portfolio.rsc):
        day = session.date
        if day > as_of:
            continue
        applicant = facts.level_on(day) if by_degree else None
        key = (
            session.provider_category,
            session.provider_degree,
            session.vetted,
            applicant,
            tuple(when.holds_on(day) for when in dated),
        )
        qualifies = verdicts.get(key, _UNSEEN)
        if qualifies is _UNSEEN:
            qualifies = verdicts[key] = _or3(
                _provider_qualifies(rule, session, applicant)
                for rule in req.providers
            )
        if (
            qualifies is True
            and day >= start
            and session.format in accepted
            and not req.about_providing_rsc
        ):
            known.append((index, session))
            continue
        ref = f"rsc[{index}]"
        if day < start:
            rejected.append(
                Rejection(
                    evidence=ref,
                    reason=RejectionReason.OUTSIDE_WINDOW,
                    explanation=f"received on {session.date}, "
                    f"{req.window_months} months or more before {as_of}",
                )
            )
            continue
        if session.format not in accepted:
            rejected.append(
                Rejection(
                    evidence=ref,
                    reason=RejectionReason.FORMAT_NOT_ACCEPTED,
                    explanation=f"{session.format.value} RSC does not count "
                    f"(only {formats})",
                )
            )
            continue
        gaps: list[str] = []
        if req.about_providing_rsc:
            if session.about_providing_rsc is False:
                rejected.append(
                    Rejection(
                        evidence=ref,
                        reason=RejectionReason.NOT_ABOUT_PROVIDING_RSC,
                        explanation="not about the RSC the applicant "
                        "provides to others",
                    )
                )
                continue
            if session.about_providing_rsc is None:
                gaps.append(f"$.rsc[{index}].about_providing_rsc")
        if qualifies is False:
            who = session.provider_category or "no endorsement"
            rejected.append(
                Rejection(
                    evidence=ref,
                    reason=RejectionReason.PROVIDER_NOT_QUALIFIED,
                    explanation=f"provider {session.provider} ({who}) does "
                    "not qualify: the provider must be "
                    + _describe_providers(req.providers),
                )
            )
            continue
        if qualifies is None:
            gaps.extend(
                f"$.rsc[{index}].{name}"
                for name in _unknowns(req.providers, session, applicant)
            )
        if gaps:
            unknown.append((index, session))
            missing.extend(gaps)
        else:
            known.append((index, session))

    best = _best(_choices(known, req.max_providers), req)
    enough, majority, spread = _rsc_ok(best, req)
    met = enough and majority and spread
    possible = met
    if not met and unknown:
        maybe = _best(_choices(known + unknown, req.max_providers), req)
        possible = all(_rsc_ok(maybe, req))
    chosen = set(best.providers)
    evidence = []
    for index, session in known:
        if session.provider in chosen:
            evidence.append(f"rsc[{index}]")
        else:
            rejected.append(
                Rejection(
                    evidence=f"rsc[{index}]",
                    reason=RejectionReason.PROVIDER_LIMIT,
                    explanation=f"hours count from at most "
                    f"{req.max_providers} providers; "
                    f"{_listing(best.providers, 'and')} gave more",
                )
            )
    rejected.sort(key=lambda r: int(r.evidence[4:-1]))
    counted = best.hours
    shortfall = max(req.hours - counted, _ZERO)
    providers = len(best.providers)
    about = " about providing RSC" if req.about_providing_rsc else ""
    explanation = (
        f"{number(counted)} of {number(req.hours)} RSC hours{about} received "
        f"in the {req.window_months} months before {as_of} from "
        f"{providers} qualifying {_plural(providers, 'provider')}"
    )
    if enough and not majority:
        explanation += (
            f"; but more than half of the {number(req.hours)} hours must "
            f"come from one provider, and the most from one is "
            f"{number(best.main)}"
        )
    advice_parts = []
    if not enough:
        advice_parts.append(
            f"{number(shortfall)} more RSC hours{about} from a qualifying "
            f"provider ({_describe_providers(_rules_for(req, facts))}), "
            f"{formats}"
        )
    if enough and not majority:
        advice_parts.append(
            f"more than half of the {number(req.hours)} hours must come from "
            f"one provider (the most from one is {number(best.main)})"
        )
    if not spread and req.min_span_months:
        if best.first is None:
            advice_parts.append(
                f"the hours must spread over at least {req.min_span_months} "
                "months"
            )
        else:
            until = add_months(best.first, req.min_span_months)
            explanation += (
                f"; the sessions run from {best.first} to {best.last}, "
                f"less than the {req.min_span_months} months the hours must "
                "spread over"
            )
            advice_parts.append(
                f"continue RSC until at least {until} so the hours spread "
                f"over {req.min_span_months} months"
            )
    if not met and possible:
        explanation += (
            "; sessions with missing details could make up the difference"
        )
    # best.first is the earliest counted session: the first to fall out.
    expires = None
    if best.first is not None:
        expires = add_months(best.first, req.window_months)
    return _base(
        req,
        outcome=_decide(met, possible),
        explanation=explanation,
        required=req.hours,
        counted=counted,
        shortfall=shortfall,
        unit="hours",
        evidence=tuple(evidence),
        rejected=tuple(rejected),
        missing=tuple(missing) if not met else (),
        advice="; ".join(advice_parts) or None,
        expires_on=expires,
    )


# -- work and leadership (durations) ----------------------------------------


def _day_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=1) if day < dt.date.max else day


def _fte_days(spans: Iterable[tuple[dt.date, dt.date, Decimal]]) -> Decimal:
    """
    Total full-time-equivalent days, at most one full-time day per day.

    Each span runs from its start to its end, both days included, at its
    full-time equivalence; where spans overlap their equivalences add up to
    at most 1 on any day, so two half-time jobs on the same days count as
    one full-time post and two full-time jobs count once.
    """
    changes: dict[dt.date, Decimal] = {}
    for start, end, fte in spans:
        changes[start] = changes.get(start, _ZERO) + fte
        after = _day_after(end)
        changes[after] = changes.get(after, _ZERO) - fte
    total = _ZERO
    level = _ZERO
    previous: dt.date | None = None
    for day in sorted(changes):
        if previous is not None and level > 0:
            total += min(level, _ONE) * (day - previous).days
        level += changes[day]
        previous = day
    return total


def add_years(day: dt.date, years: Decimal) -> dt.date:
    """
    Return the date *years* calendar years after *day*.

    Whole months go by the calendar (see `add_months`); a fraction of a
    month left over, as in a rule of 0.1 years, adds that share of the
    following month's days, rounded up.
    """
    months = years * 12
    whole = int(months)
    moved = add_months(day, whole)
    part = months - whole
    if part:
        following = add_months(moved, 1)
        extra = int(
            (part * (following - moved).days).to_integral_value(
                rounding=ROUND_CEILING
            )
        )
        if moved < dt.date.max - dt.timedelta(days=extra):
            return moved + dt.timedelta(days=extra)
        return dt.date.max
    return moved


def _calendar_words(start: dt.date, end: dt.date) -> str:
    """
    Say the time from *start* up to *end* (excluded) in calendar terms.

    Whole years first, then whole months, then days: from 2022-01-02 to
    2024-01-01 is "1 year, 11 months and 30 days".
    """
    years = end.year - start.year
    if add_months(start, 12 * years) > end:
        years -= 1
    mark = add_months(start, 12 * years)
    months = (end.year - mark.year) * 12 + end.month - mark.month
    if add_months(mark, months) > end:
        months -= 1
    days = (end - add_months(mark, months)).days
    parts = [
        f"{count} {_plural(count, noun)}"
        for count, noun in ((years, "year"), (months, "month"), (days, "day"))
        if count
    ]
    return _listing(parts, "and") if parts else "0 days"


@attrs.frozen
class _Duration:
    """
    Time counted toward a rule of some calendar years, and what it lacks.

    N years are counted as the sources count them: from a start date up to
    the day before its N-th anniversary. The start is the earliest day of
    the counted evidence (the N years up to the as-of date when nothing is
    counted), so the rule needs as many full-time-equivalent days as those
    N calendar years hold: 730 for two years from 2022-01-01, 731 when the
    years hold a 29 February.
    """

    required: Decimal
    counted: Decimal
    start: dt.date

    @classmethod
    def of(
        cls,
        spans: Sequence[tuple[dt.date, dt.date, Decimal]],
        years: Decimal,
        as_of: dt.date,
    ) -> _Duration:
        if spans:
            starts = {span[0] for span in spans}
            start = min(starts)
            # The fewest days any counted start needs: adding evidence (and
            # so a start) never raises what the rule asks.
            required = min(
                Decimal((add_years(day, years) - day).days) for day in starts
            )
        else:
            start = as_of
            required = Decimal((add_years(as_of, years) - as_of).days)
        return cls(required, _fte_days(spans), start)

    @property
    def met(self) -> bool:
        return self.counted >= self.required

    @property
    def shortfall(self) -> Decimal:
        return max(self.required - self.counted, _ZERO).to_integral_value(
            rounding=ROUND_CEILING
        )

    def counted_words(self) -> str:
        whole = int(self.counted)
        end = self.start + dt.timedelta(
            days=min(whole, (dt.date.max - self.start).days)
        )
        text = _calendar_words(self.start, end)
        if self.counted != whole:
            text += f" ({number(self.counted)} days)"
        return text

    def shortfall_words(self) -> str:
        target = self.start + dt.timedelta(
            days=min(int(self.required), (dt.date.max - self.start).days)
        )
        gap = int(self.shortfall)
        return _calendar_words(
            target - dt.timedelta(days=min(gap, (target - dt.date.min).days)),
            target,
        )


def _years_words(years: Decimal) -> str:
    return f"{number(years)} {_plural(years, 'year')}"


def _work(req: WorkRequirement, facts: _Facts) -> Finding:  # noqa: C901, PLR0912, PLR0915
    as_of = facts.as_of
    since = facts.degree_date(req.after_level) if req.after_level else None
    known: list[tuple[dt.date, dt.date, Decimal]] = []
    unknown: list[tuple[dt.date, dt.date, Decimal]] = []
    evidence: list[str] = []
    rejected: list[Rejection] = []
    missing: list[str] = []

    def reject(ref: str, reason: RejectionReason, text: str) -> None:
        rejected.append(
            Rejection(evidence=ref, reason=reason, explanation=text)
        )

    for index, job in enumerate(facts.portfolio.work):
        if job.start > as_of:
            continue
        ref = f"work[{index}]"
        end = as_of if job.end is None or job.end > as_of else job.end
        start = job.start
        volunteer = not job.paid and req.unpaid_if_supervised
        if req.paid_only and not job.paid and not volunteer:
            reject(ref, RejectionReason.UNPAID, "unpaid work does not count")
            continue
        if req.age_bands and job.age_band not in req.age_bands:
            reject(
                ref,
                RejectionReason.AGE_BAND,
                f"served the age band {job.age_band.value}, not "
                + _listing(b.value for b in req.age_bands),
            )
            continue
        if req.services and not set(job.services) & set(req.services):
            reject(
                ref,
                RejectionReason.SERVICES,
                "provided none of the services "
                + _listing(s.value for s in req.services),
            )
            continue
        if req.after_level:
            if since is None or since > end:
                reject(
                    ref,
                    RejectionReason.BEFORE_DEGREE,
                    "done before completing a "
                    f"{req.after_level.value} degree or higher",
                )
                continue
            start = max(start, since)
        gaps = []
        if req.min_families is not None:
            if job.families_served is None:
                gaps.append(f"$.work[{index}].families_served")
            elif job.families_served < req.min_families:
                reject(
                    ref,
                    RejectionReason.TOO_FEW_FAMILIES,
                    f"served {job.families_served} families, fewer than "
                    f"{req.min_families}",
                )
                continue
        if req.supervised_only or volunteer:
            if job.supervised is None:
                gaps.append(f"$.work[{index}].supervised")
            elif not job.supervised:
                reject(
                    ref,
                    RejectionReason.NOT_SUPERVISED,
                    "the work was not supervised"
                    + (
                        "; unpaid work counts only when supervised"
                        if volunteer
                        else ""
                    ),
                )
                continue
        span = (start, end, job.fte)
        if gaps:
            unknown.append(span)
            missing.extend(gaps)
        else:
            known.append(span)
            evidence.append(ref)
    duration = _Duration.of(known, req.years, as_of)
    met = duration.met
    possible = met or (
        bool(unknown) and _Duration.of(known + unknown, req.years, as_of).met
    )
    filters = _work_filters(req)
    explanation = (
        f"{duration.counted_words()} of {_years_words(req.years)} of "
        f"{filters} (full-time equivalent) up to {as_of}: "
        f"{number(duration.counted)} of the {number(duration.required)} "
        "days the years hold"
    )
    if not met and possible:
        explanation += "; jobs with missing details could make up the rest"
    advice = None
    if not met:
        advice = (
            f"{duration.shortfall_words()} more of {filters} "
            "(full-time equivalent)"
        )
    return _base(
        req,
        outcome=_decide(met, possible),
        explanation=explanation,
        required=duration.required,
        counted=duration.counted,
        shortfall=duration.shortfall,
        unit="days",
        evidence=tuple(evidence),
        rejected=tuple(rejected),
        missing=tuple(missing) if not met else (),
        advice=advice,
    )


def _work_filters(req: WorkRequirement) -> str:
    words = ["paid" if req.paid_only else ""]
    if req.unpaid_if_supervised:
        words = ["paid or supervised volunteer"]
    if req.supervised_only:
        words.append("supervised")
    words.append("work")
    text = " ".join(w for w in words if w)
    if req.age_bands:
        text += " with the age band " + _listing(
            b.value for b in req.age_bands
        )
    if req.services:
        text += " providing " + _listing(s.value for s in req.services)
    if req.min_families:
        text += f" serving at least {req.min_families} families"
    if req.after_level:
        text += f" after a {req.after_level.value} degree or higher"
    return text


def _leadership(req: LeadershipRequirement, facts: _Facts) -> Finding:
    as_of = facts.as_of
    spans = []
    evidence = []
    rejected = []
    levels = _listing(level.value for level in req.levels)
    for index, activity in enumerate(facts.portfolio.leadership):
        if activity.start > as_of:
            continue
        ref = f"leadership[{index}]"
        if req.levels and activity.level not in req.levels:
            rejected.append(
                Rejection(
                    evidence=ref,
                    reason=RejectionReason.LEVEL_NOT_ACCEPTED,
                    explanation=f"{activity.level.value} leadership does not "
                    f"count (only {levels})",
                )
            )
            continue
        end = (
            as_of
            if activity.end is None or activity.end > as_of
            else (activity.end)
        )
        spans.append((activity.start, end, _ONE))
        evidence.append(ref)
    counting = set(req.work_services)
    services = _listing(s.value for s in req.work_services)
    for index, job in enumerate(facts.portfolio.work):
        if job.start > as_of:
            continue
        ref = f"work[{index}]"
        if counting and counting & set(job.services):
            end = as_of if job.end is None or job.end > as_of else job.end
            # Supervising or mentoring is leadership for its whole span,
            # paid or unpaid, whatever the job's full-time equivalence.
            spans.append((job.start, end, _ONE))
            evidence.append(ref)
        elif not counting and Service.RSC_PROVISION in job.services:
            rejected.append(
                Rejection(
                    evidence=ref,
                    reason=RejectionReason.NOT_LEADERSHIP,
                    explanation="providing RSC or supervision in a job is "
                    "not leadership under this rule; record leadership "
                    "activities under leadership",
                )
            )
    duration = _Duration.of(spans, req.years, as_of)
    met = duration.met
    at = f" at the {levels} level" if req.levels else ""
    also = f" (work providing {services} counts)" if counting else ""
    return _base(
        req,
        outcome=Outcome.MET if met else Outcome.UNMET,
        explanation=f"{duration.counted_words()} of "
        f"{_years_words(req.years)} of leadership{at}{also} up to {as_of}: "
        f"{number(duration.counted)} of the {number(duration.required)} "
        "days the years hold",
        required=duration.required,
        counted=duration.counted,
        shortfall=duration.shortfall,
        unit="days",
        evidence=tuple(evidence),
        rejected=tuple(rejected),
        advice=None
        if met
        else f"{duration.shortfall_words()} more of leadership{at}{also}",
    )


# -- references --------------------------------------------------------------


def _fills(slot: ReferenceSlot, reference: Reference) -> bool | None:
    if slot.roles and reference.role not in slot.roles:
        return False
    if not slot.rater_categories:
        return True
    if reference.rater_category in slot.rater_categories:
        return True
    if slot.vetted_counts:
        return reference.vetted
    return False


def _matching(edges: Sequence[Sequence[int]], width: int) -> list[bool]:
    """
    Fill as many slots as possible with distinct references; say which.
    """
    owner: list[int | None] = [None] * width

    def place(slot: int, seen: set[int]) -> bool:
        for ref in edges[slot]:
            if ref in seen:
                continue
            seen.add(ref)
            holder = owner[ref]
            if holder is None or place(holder, seen):
                owner[ref] = slot
                return True
        return False

    return [place(slot, set()) for slot in range(len(edges))]


def _usable(
    valid: int, edges: Sequence[Sequence[int]], count: int, width: int
) -> tuple[int, list[bool]]:
    filled = _matching(edges, width)
    matched = sum(filled)
    free = max(count - len(edges), 0)
    return matched + min(valid - matched, free), filled


def _references(req: ReferencesRequirement, facts: _Facts) -> Finding:  # noqa: C901
    rejected: list[Rejection] = []
    missing: list[str] = []
    refs = facts.portfolio.references
    sure: list[int] = []
    maybe: list[int] = []
    for index, reference in enumerate(refs):
        if reference.submitted_on > facts.as_of:
            continue
        if facts.since is not None and reference.submitted_on < facts.since:
            rejected.append(
                Rejection(
                    evidence=f"references[{index}]",
                    reason=RejectionReason.BEFORE_LAPSE,
                    explanation=f"submitted on {reference.submitted_on}, "
                    f"before the endorsement lapsed on {facts.since}; "
                    "reinstatement needs new ratings",
                )
            )
            continue
        blanks = reference.not_enough_information
        if req.void_at is not None:
            if blanks is None:
                missing.append(f"$.references[{index}].not_enough_information")
                maybe.append(index)
                continue
            if blanks >= req.void_at:
                rejected.append(
                    Rejection(
                        evidence=f"references[{index}]",
                        reason=RejectionReason.VOID_REFERENCE,
                        explanation=f"the rater could not rate {blanks} "
                        f"items; a rating with {req.void_at} or more is void",
                    )
                )
                continue
        sure.append(index)
    width = len(refs)
    sure_edges = [
        [i for i in sure if _fills(slot, refs[i]) is True]
        for slot in req.slots
    ]
    open_edges = [
        [i for i in sure + maybe if _fills(slot, refs[i]) is not False]
        for slot in req.slots
    ]
    counted, filled = _usable(len(sure), sure_edges, req.count, width)
    possible, _ = _usable(len(sure) + len(maybe), open_edges, req.count, width)
    missing.extend(
        f"$.references[{i}].vetted"
        for slot_edges, slot in zip(open_edges, req.slots, strict=True)
        for i in slot_edges
        if refs[i].vetted is None and _fills(slot, refs[i]) is None
    )
    met = counted >= req.count
    unfilled = [
        slot.title
        for slot, ok in zip(req.slots, filled, strict=True)
        if not ok
    ]
    if not met and unfilled:
        still = "fills none of the ratings still needed: " + _listing(unfilled)
        rejected.extend(
            Rejection(
                evidence=f"references[{i}]",
                reason=RejectionReason.NO_SLOT,
                explanation=still,
            )
            for i in sure
            if not any(i in e for e in sure_edges)
        )
        rejected.sort(key=lambda r: int(r.evidence[11:-1]))
    shortfall = Decimal(max(req.count - counted, 0))
    explanation = (
        f"{counted} of {req.count} valid reference ratings submitted on or "
        f"before {facts.as_of}"
    )
    if unfilled:
        explanation += "; still needed: a rating from " + _listing(
            unfilled, "and"
        )
    advice = None
    if not met:
        advice = f"{req.count - counted} more valid reference " + _plural(
            req.count - counted, "rating"
        )
        if unfilled:
            advice += ", including " + _listing(unfilled, "and")
    outcome = _decide(met, possible >= req.count)
    return _base(
        req,
        outcome=outcome,
        explanation=explanation,
        required=Decimal(req.count),
        counted=Decimal(counted),
        shortfall=shortfall,
        unit="references",
        evidence=tuple(f"references[{i}]" for i in sure),
        rejected=tuple(rejected),
        missing=tuple(dict.fromkeys(missing)) if not met else (),
        advice=advice,
    )


# -- exam, membership, ethics -------------------------------------------------


def _exam(req: ExamRequirement, facts: _Facts) -> Finding:  # noqa: C901, PLR0912
    evidence: list[str] = []
    rejected: list[Rejection] = []
    missing: list[str] = []
    best: Decimal | None = None
    mark = req.pass_percent
    for index, sitting in enumerate(facts.portfolio.exams):
        if sitting.part != req.part or sitting.taken_on > facts.as_of:
            continue
        ref = f"exams[{index}]"
        score = sitting.score_percent
        if mark is not None and score is not None:
            best = score if best is None else max(best, score)
            passed: bool | None = score >= mark
        else:
            passed = sitting.passed
        if passed:
            evidence.append(ref)
        elif passed is None:
            field = "score_percent" if mark is not None else "passed"
            missing.append(f"$.exams[{index}].{field}")
        else:
            reason, text = (
                (
                    RejectionReason.BELOW_PASS_MARK,
                    (
                        f"scored {number(score)}%, below the pass mark of "
                        f"{number(mark)}%"
                    ),
                )
                if mark is not None and score is not None
                else (RejectionReason.NOT_PASSED, "not passed")
            )
            rejected.append(
                Rejection(evidence=ref, reason=reason, explanation=text)
            )
    met = bool(evidence)
    outcome = _decide(met, bool(missing))
    if met:
        explanation = f"Passed part {req.part} of the exam"
        if best is not None and mark is not None:
            explanation += f" with {number(best)}% (pass mark {number(mark)}%)"
    elif outcome is Outcome.UNDETERMINED:
        explanation = (
            f"Part {req.part} of the exam was taken but its result is not "
            "given"
        )
    elif rejected:
        explanation = f"Part {req.part} of the exam was not passed"
    else:
        explanation = (
            f"No sitting of part {req.part} of the exam on or before "
            f"{facts.as_of}"
        )
    quantities: dict[str, Any] = {}
    if mark is not None:
        # A sitting whose score is not recorded counts nothing and lacks
        # nothing yet: its score is unknown, not zero.
        unknown_score = best is None and outcome is Outcome.UNDETERMINED
        quantities = {
            "required": mark,
            "counted": None if unknown_score else best or _ZERO,
            "shortfall": None
            if unknown_score
            else max(mark - (best or _ZERO), _ZERO),
            "unit": "percent",
        }
    return _base(
        req,
        outcome=outcome,
        explanation=explanation,
        evidence=tuple(evidence),
        rejected=tuple(rejected),
        missing=tuple(missing) if outcome is Outcome.UNDETERMINED else (),
        advice=None if met else f"Pass part {req.part} of the exam",
        **quantities,
    )


def _membership(req: MembershipRequirement, facts: _Facts) -> Finding:
    as_of = facts.as_of
    evidence = []
    rejected = []
    for index, membership in enumerate(facts.portfolio.memberships):
        if membership.start > as_of:
            continue
        ref = f"memberships[{index}]"
        if req.associations and membership.association not in req.associations:
            rejected.append(
                Rejection(
                    evidence=ref,
                    reason=RejectionReason.ASSOCIATION_NOT_ACCEPTED,
                    explanation=f"{membership.association} is not one of "
                    + _listing(req.associations),
                )
            )
        elif membership.end is not None and membership.end < as_of:
            rejected.append(
                Rejection(
                    evidence=ref,
                    reason=RejectionReason.NOT_CURRENT,
                    explanation=f"ended on {membership.end}",
                )
            )
        else:
            evidence.append(ref)
    which = (
        f"an accepted association ({_listing(req.associations)})"
        if req.associations
        else "an IMH association"
    )
    return _any_counts(
        req,
        evidence,
        rejected,
        met=f"A membership in {which} is current on {as_of}",
        unmet=f"No membership in {which} is current on {as_of}",
        advice=f"Join or renew a membership in {which}",
    )


def _ethics(req: EthicsRequirement, facts: _Facts) -> Finding:
    signed = facts.portfolio.code_of_ethics_signed_on
    start = (
        window_start(facts.as_of, req.window_months)
        if req.window_months
        else facts.since
    )
    if (
        signed is not None
        and start is not None
        and start <= facts.as_of
        and signed < start
    ):
        return _base(
            req,
            outcome=Outcome.UNMET,
            explanation="The Code of Ethics and Endorsement Agreement were "
            f"last signed on {signed}, before {start}; they must be signed "
            "again",
            advice="Sign the Code of Ethics and Endorsement Agreement again",
        )
    if signed is not None and signed <= facts.as_of:
        return _base(
            req,
            outcome=Outcome.MET,
            explanation="The Code of Ethics and Endorsement Agreement were "
            f"signed on {signed}",
            evidence=("code_of_ethics_signed_on",),
        )
    return _base(
        req,
        outcome=Outcome.UNMET,
        explanation="The Code of Ethics and Endorsement Agreement were not "
        f"signed on or before {facts.as_of}",
        advice="Sign the Code of Ethics and Endorsement Agreement",
    )


# -- prerequisites -----------------------------------------------------------

_GOOD_STANDING = frozenset(
    {EndorsementStatus.ACTIVE, EndorsementStatus.REINSTATED}
)


def _endorsement_held(
    req: EndorsementHeldRequirement, facts: _Facts
) -> Finding:
    as_of = facts.as_of
    wanted = _listing(req.categories)
    evidence: list[str] = []
    rejected: list[Rejection] = []
    for index, held in enumerate(facts.portfolio.endorsements):
        if held.awarded_on > as_of:
            continue
        ref = f"endorsements[{index}]"
        if held.category not in req.categories:
            rejected.append(
                Rejection(
                    evidence=ref,
                    reason=RejectionReason.CATEGORY_NOT_ACCEPTED,
                    explanation=f"{held.category} is not one of {wanted}",
                )
            )
            continue
        archived = held.archived_on is not None and held.archived_on <= as_of
        if req.good_standing and (
            archived or held.status not in _GOOD_STANDING
        ):
            state = "archived" if archived else held.status.value
            rejected.append(
                Rejection(
                    evidence=ref,
                    reason=RejectionReason.NOT_IN_GOOD_STANDING,
                    explanation=f"the {held.category} endorsement is {state}, "
                    "not in good standing",
                )
            )
            continue
        if req.min_years is not None:
            years = _full_years(held.awarded_on, as_of)
            if years < req.min_years:
                rejected.append(
                    Rejection(
                        evidence=ref,
                        reason=RejectionReason.HELD_TOO_BRIEFLY,
                        explanation=f"held {years} full "
                        f"{_plural(years, 'year')} since "
                        f"{held.awarded_on}, fewer than {req.min_years}",
                    )
                )
                continue
        evidence.append(ref)
    standing = " in good standing" if req.good_standing else ""
    longer = (
        f" for at least {_years_words(Decimal(req.min_years))}"
        if req.min_years is not None
        else ""
    )
    first = (
        facts.portfolio.endorsements[int(evidence[0][13:-1])]
        if evidence
        else None
    )
    return _any_counts(
        req,
        evidence,
        rejected,
        met=f"Holds the {first.category} endorsement (awarded on "
        f"{first.awarded_on}){standing}{longer}, one of {wanted}"
        if first
        else "",
        unmet=f"Holds no {wanted} endorsement{standing}{longer} on {as_of}: "
        f"this category is open only to holders of {wanted}",
        advice=f"Hold an endorsement{standing} as {wanted}{longer} first",
    )


# -- OR paths ----------------------------------------------------------------


def _distance(alternative: Alternative) -> tuple[int, int, Decimal]:
    unmet = undetermined = 0
    gap = _ZERO
    for finding in alternative.findings:
        if finding.outcome is Outcome.UNMET:
            unmet += 1
        elif finding.outcome is Outcome.UNDETERMINED:
            undetermined += 1
        if finding.outcome is Outcome.MET:
            continue
        if finding.shortfall and finding.required:
            gap += finding.shortfall / finding.required
        elif finding.required is None:
            # An unmet requirement with no quantity (a degree not held) is a
            # whole requirement away, farther than any partial quantity.
            gap += _ONE
    return unmet, undetermined, gap


def _any_of(req: AnyOfRequirement, facts: _Facts) -> Finding:
    alternatives = []
    for path in req.paths:
        findings = tuple(_evaluate(r, facts) for r in path.requirements)
        alternatives.append(
            Alternative(
                id=path.id,
                title=path.title,
                outcome=_combine(f.outcome for f in findings),
                findings=findings,
            )
        )
    outcome = _or_outcome(a.outcome for a in alternatives)
    closest = min(alternatives, key=_distance)
    if outcome is Outcome.MET:
        chosen = next(a for a in alternatives if a.outcome is Outcome.MET)
        explanation = f"Met through {chosen.title}"
        evidence = tuple(e for f in chosen.findings for e in f.evidence)
        closest = chosen
    else:
        evidence = ()
        short = [
            f.explanation
            for f in closest.findings
            if f.outcome is not Outcome.MET
        ]
        explanation = (
            f"None of the {len(alternatives)} paths is met; the closest is "
            f"{closest.title}: " + "; ".join(short)
        )
    advice = None
    if outcome is not Outcome.MET:
        advice = (
            "; ".join(f.advice for f in closest.findings if f.advice) or None
        )
    return _base(
        req,
        outcome=outcome,
        explanation=explanation,
        evidence=evidence,
        alternatives=tuple(alternatives),
        closest=closest.id,
        advice=advice,
    )


def _combine(outcomes: Iterable[Outcome]) -> Outcome:
    result = Outcome.MET
    for outcome in outcomes:
        if outcome is Outcome.UNMET:
            return Outcome.UNMET
        if outcome is Outcome.UNDETERMINED:
            result = Outcome.UNDETERMINED
    return result


def _or_outcome(outcomes: Iterable[Outcome]) -> Outcome:
    result = Outcome.UNMET
    for outcome in outcomes:
        if outcome is Outcome.MET:
            return Outcome.MET
        if outcome is Outcome.UNDETERMINED:
            result = Outcome.UNDETERMINED
    return result


_EVALUATORS: dict[type, Callable[[Any, _Facts], Finding]] = {
    EducationRequirement: _education,
    WorkRequirement: _work,
    TrainingRequirement: _training,
    RscRequirement: _rsc,
    ReferencesRequirement: _references,
    ExamRequirement: _exam,
    MembershipRequirement: _membership,
    EthicsRequirement: _ethics,
    LeadershipRequirement: _leadership,
    EndorsementHeldRequirement: _endorsement_held,
    AnyOfRequirement: _any_of,
}


def _full_years(start: dt.date, end: dt.date) -> int:
    years = end.year - start.year
    return years - 1 if add_months(start, 12 * years) > end else years


def _not_required(requirement: Requirement, facts: _Facts) -> str | None:  # noqa: PLR0911 - a reason per condition
    """
    Say why a requirement does not apply, or ``None`` when it does.
    """
    when = requirement.when
    if facts.first_year and not (when and when.in_first_year):
        return (
            "the first renewal year is exempt (endorsed in "
            f"{facts.held_since.year if facts.held_since else '?'})"
        )
    if when is None:
        return None
    held = (
        _full_years(facts.held_since, facts.as_of)
        if facts.held_since is not None
        else None
    )
    least, under = when.held_for_years_at_least, when.held_for_years_under
    if least is not None and held is None:
        return f"no endorsement held to count {least} years from"
    if least is not None and held is not None and held < least:
        return f"held {held} full years, fewer than {least}"
    if under is not None and held is not None and held >= under:
        return f"held {held} full years, {under} or more"
    if when.provides_rsc:
        start = add_months(facts.as_of, -12)
        providing = any(
            Service.RSC_PROVISION in job.services
            and job.start <= facts.as_of
            and (job.end is None or job.end > start)
            for job in facts.portfolio.work
        )
        if not providing:
            return f"no job in the 12 months up to {facts.as_of} provides RSC"
    return None


def _evaluate(requirement: Requirement, facts: _Facts) -> Finding:
    if requirement.when is not None or facts.first_year:
        reason = _not_required(requirement, facts)
        if reason is not None:
            return _base(
                requirement,
                outcome=Outcome.MET,
                explanation=f"Not required: {reason}",
            )
    finding = _EVALUATORS[type(requirement)](requirement, facts)
    if finding.outcome is Outcome.UNDETERMINED and finding.missing:
        return attrs.evolve(
            finding, advice=_record_advice(finding.missing, facts)
        )
    return finding


_ELIGIBILITY = {
    Outcome.MET: Eligibility.ELIGIBLE,
    Outcome.UNMET: Eligibility.NOT_ELIGIBLE,
    Outcome.UNDETERMINED: Eligibility.UNDETERMINED,
}


def decide(  # noqa: PLR0913 - the parts of a determination
    portfolio: Portfolio,
    rulebook: Rulebook,
    code: str,
    requirements: Sequence[Requirement],
    facts: _Facts,
    *,
    purpose: Purpose | None = None,
) -> Determination:
    """
    Evaluate *requirements* against the facts and combine the findings.
    """
    findings = tuple(_evaluate(r, facts) for r in requirements)
    return Determination(
        portfolio=portfolio.id,
        category=code,
        rulebook=rulebook.id,
        as_of=facts.as_of,
        outcome=_ELIGIBILITY[_combine(f.outcome for f in findings)],
        findings=findings,
        purpose=purpose,
    )


def evaluate_category(
    portfolio: Portfolio, rulebook: Rulebook, code: str, as_of: dt.date
) -> Determination:
    """
    Evaluate *portfolio* against category *code* of *rulebook* on *as_of*.
    """
    category = rulebook.category(code)
    facts = _Facts.of(portfolio, as_of)
    determination = decide(
        portfolio, rulebook, category.code, category.requirements, facts
    )
    path = category.emerging
    if path is None or determination.outcome is Eligibility.ELIGIBLE:
        return determination
    findings = tuple(_evaluate(r, facts) for r in path.requirements)
    outcome = _combine(f.outcome for f in findings)
    met = outcome is Outcome.MET
    emerging = EmergingResult(
        outcome=outcome,
        findings=findings,
        deadline=add_months(as_of, path.months_to_finish) if met else None,
    )
    return attrs.evolve(
        determination,
        emerging=emerging,
        outcome=Eligibility.EMERGING if met else determination.outcome,
    )
