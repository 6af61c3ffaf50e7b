"""
Rulebooks: an association's edition of the Endorsement rules, as data.

A rulebook lists categories; each category lists requirements. A requirement
is one of a small set of *kinds* (education, work, training, RSC, ...), each
with its own parameters, so that a new edition or a state's variant is a new
JSON document, never new code.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

import attrs

from iecmh_core._vocab import (
    AgeBand,
    EducationLevel,
    Family,
    LeadershipLevel,
    ReferenceRole,
    RequirementKind,
    RscFormat,
    Scope,
    Service,
    TrainingTopic,
)


@attrs.frozen(kw_only=True)
class Applicability:
    """
    When a renewal requirement applies: when every condition given holds.

    Attributes:
        held_for_years_at_least: The endorsement has been held at least
            this many years on the due date.
        held_for_years_under: The endorsement has been held fewer than this
            many years on the due date.
        provides_rsc: Only for people who provide RSC: a job in the renewal
            year provides the ``rsc_provision`` service.
        in_first_year: Also applies in the first renewal year, which the
            association otherwise exempts.

    .. versionadded:: 0.1.0
    """

    held_for_years_at_least: int | None = None
    held_for_years_under: int | None = None
    provides_rsc: bool = False
    in_first_year: bool = False


@attrs.frozen(kw_only=True)
class _Base:
    id: str
    title: str
    sources: tuple[str, ...]
    note: str | None = None
    when: Applicability | None = None


@attrs.frozen(kw_only=True)
class EducationRequirement(_Base):
    """
    A completed degree or credential at one of the accepted levels.

    Attributes:
        id: The requirement's id, unique in its category (``"ifs.education"``).
        title: A short label.
        sources: The public sources the rule comes from.
        note: How the rulebook read unclear or conflicting sources.
        levels: The accepted education levels.

    .. versionadded:: 0.1.0
    """

    kind: ClassVar[RequirementKind] = RequirementKind.EDUCATION
    levels: tuple[EducationLevel, ...]


@attrs.frozen(kw_only=True)
class WorkRequirement(_Base):
    """
    Years of specialized work, prorated by FTE.

    Attributes:
        years: The years of full-time-equivalent work required.
        paid_only: Count paid work only.
        after_level: Count only work after completing a degree of at least
            this level (post-bachelor's, post-graduate).
        age_bands: Count only work with these age bands (any if empty).
        services: Count only work providing at least one of these services
            (any if empty).
        min_families: Count only work that served at least this many
            families.
        supervised_only: Count only supervised work.
        unpaid_if_supervised: Also count unpaid (volunteer) work when it
            was supervised, together with paid work: "paid or supervised
            volunteer work". An unpaid job that does not say whether it was
            supervised is unknown.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 *unpaid_if_supervised*.
    """

    kind: ClassVar[RequirementKind] = RequirementKind.WORK
    years: Decimal
    paid_only: bool = True
    after_level: EducationLevel | None = None
    age_bands: tuple[AgeBand, ...] = ()
    services: tuple[Service, ...] = ()
    min_families: int | None = None
    supervised_only: bool = False
    unpaid_if_supervised: bool = False


@attrs.frozen(kw_only=True)
class TrainingPart:
    """
    One part of a training requirement's hours, filled by hours of its own.

    Attributes:
        title: What the part is, e.g. ``"relationship-based training"``.
        hours: The clock hours of the part.
        topic: Only trainings tagged with this topic fill it (any if
            ``None``).

    .. versionadded:: 0.2.0
    """

    title: str
    hours: Decimal
    topic: TrainingTopic | None = None


@attrs.frozen(kw_only=True)
class TrainingRequirement(_Base):
    """
    Clock hours of in-service training, optionally on one topic.

    Attributes:
        hours: The clock hours required.
        topic: Count only trainings tagged with this topic.
        window_months: Count only trainings completed in this many months
            up to the as-of date (a renewal year is 12).
        parts: Disjoint parts of the hours (48 = 30 + 15 about RSC + 3 DEI):
            each training hour counts toward one part only, assigned so
            that as many of the parts' hours as possible are filled. Unlike
            separate requirements per topic (overlapping sub-minimums), an
            hour tagged both RSC and DEI fills one part, not two. A part
            with no topic takes the trainings tagged with none of the
            parts' topics: the parts partition the hours.
        surplus_fills_general: With *parts*, hours tagged with a part's
            topic beyond what the topic parts take may also fill a part
            with no topic (RSC training read as relationship-based too).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 *parts* and *surplus_fills_general*.
    """

    kind: ClassVar[RequirementKind] = RequirementKind.TRAINING
    hours: Decimal
    topic: TrainingTopic | None = None
    window_months: int | None = None
    parts: tuple[TrainingPart, ...] = ()
    surplus_fills_general: bool = False


@attrs.frozen(kw_only=True)
class EvidenceDates:
    """
    Bounds on the date of each piece of evidence a rule applies to.

    A provider rule with these bounds applies session by session: under a
    transition such as "master's-prepared IFS providers count for sessions
    before April 2024", sessions before the day count with the old
    providers and sessions after it with the new ones, in one evaluation.

    Attributes:
        evidence_before: Only evidence dated before this day.
        evidence_on_or_after: Only evidence dated on or after this day.

    >>> EvidenceDates(evidence_before=datetime.date(2024, 4, 1)).holds_on(
    ...     datetime.date(2024, 3, 31))
    True

    .. versionadded:: 0.2.0
    """

    evidence_before: dt.date | None = None
    evidence_on_or_after: dt.date | None = None

    def holds_on(self, day: dt.date) -> bool:
        """
        Whether evidence dated *day* is within the bounds.
        """
        if self.evidence_before is not None and day >= self.evidence_before:
            return False
        return (
            self.evidence_on_or_after is None
            or day >= self.evidence_on_or_after
        )


@attrs.frozen(kw_only=True)
class ProviderRule:
    """
    Which RSC providers qualify, possibly depending on the applicant.

    A session qualifies under the rule when the applicant's highest completed
    degree is one of *applicant_levels* (if given) and the provider holds one
    of *categories* with a degree in *provider_levels* (if given), or, when
    *vetted* is true, the provider was vetted by the association.

    Attributes:
        categories: Endorsement categories that qualify.
        provider_levels: The provider's degree must be one of these.
        applicant_levels: The rule applies only to applicants whose highest
            completed degree is one of these.
        vetted: Vetted providers qualify under this rule.
        when: The rule applies only to sessions dated within these bounds.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 *when*.
    """

    categories: tuple[str, ...] = ()
    provider_levels: tuple[EducationLevel, ...] = ()
    applicant_levels: tuple[EducationLevel, ...] = ()
    vetted: bool = False
    when: EvidenceDates | None = None


@attrs.frozen(kw_only=True)
class RscRequirement(_Base):
    """
    Hours of reflective supervision/consultation received in a window.

    Attributes:
        hours: The clock hours required.
        window_months: Count sessions in this many months up to the as-of
            date.
        providers: Who qualifies as a provider (any rule may match).
        formats: The formats that count. Peer RSC never counts toward an
            endorsement (a rulebook listing it there is refused); some
            renewal rules accept it.
        min_span_months: The counted sessions must spread over at least this
            many months.
        max_providers: Count hours from at most this many providers.
        majority_from_one: More than half of the required hours must come
            from one provider.
        about_providing_rsc: Count only sessions about the RSC the applicant
            provides.

    .. versionadded:: 0.1.0
    """

    kind: ClassVar[RequirementKind] = RequirementKind.RSC
    hours: Decimal
    window_months: int
    providers: tuple[ProviderRule, ...]
    formats: tuple[RscFormat, ...] = (RscFormat.INDIVIDUAL, RscFormat.GROUP)
    min_span_months: int | None = None
    max_providers: int | None = None
    majority_from_one: bool = False
    about_providing_rsc: bool = False


@attrs.frozen(kw_only=True)
class ReferenceSlot:
    """
    One of the reference ratings a category asks for.

    Attributes:
        title: What the slot is, e.g. ``"the RSC provider"``.
        roles: The rater roles that fill it (any if empty).
        rater_categories: The rater must hold one of these categories
            (any rater if empty).
        vetted_counts: A vetted rater fills the slot without the category.

    .. versionadded:: 0.1.0
    """

    title: str
    roles: tuple[ReferenceRole, ...] = ()
    rater_categories: tuple[str, ...] = ()
    vetted_counts: bool = False


@attrs.frozen(kw_only=True)
class ReferencesRequirement(_Base):
    """
    A number of valid reference ratings, filling the required slots.

    Attributes:
        count: How many ratings are required.
        slots: The slots some of the ratings must fill, one rating each.
        void_at: A rating is void when the rater could not rate this many
            items or more.

    .. versionadded:: 0.1.0
    """

    kind: ClassVar[RequirementKind] = RequirementKind.REFERENCES
    count: int
    slots: tuple[ReferenceSlot, ...] = ()
    void_at: int | None = None


@attrs.frozen(kw_only=True)
class ExamRequirement(_Base):
    """
    A part of the Endorsement exam, passed.

    Attributes:
        part: 1 or 2.
        pass_percent: For a scored part, the pass mark in percent.

    .. versionadded:: 0.1.0
    """

    kind: ClassVar[RequirementKind] = RequirementKind.EXAM
    part: int
    pass_percent: Decimal | None = None


@attrs.frozen(kw_only=True)
class MembershipRequirement(_Base):
    """
    A membership current on the as-of date.

    Attributes:
        associations: The associations whose membership counts (any if
            empty).

    .. versionadded:: 0.1.0
    """

    kind: ClassVar[RequirementKind] = RequirementKind.MEMBERSHIP
    associations: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class EthicsRequirement(_Base):
    """
    The Code of Ethics and Endorsement Agreement, signed.

    Attributes:
        window_months: The signature must be this recent: signed within
            this many months up to the as-of date (re-signed every year is
            12).

    .. versionadded:: 0.1.0
    """

    kind: ClassVar[RequirementKind] = RequirementKind.ETHICS
    window_months: int | None = None


@attrs.frozen(kw_only=True)
class LeadershipRequirement(_Base):
    """
    Years of leadership activity at the accepted levels.

    Attributes:
        years: The calendar years required, counted as for `WorkRequirement`.
        levels: The levels that count (any if empty).
        work_services: Work providing any of these services also counts
            as leadership, paid or unpaid, for its whole span (where a
            source says "supervising or mentoring professionals counts").
            When empty, a job providing RSC is listed as rejected, with the
            reason that it is not leadership under this rule.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 *work_services*.
    """

    kind: ClassVar[RequirementKind] = RequirementKind.LEADERSHIP
    years: Decimal
    levels: tuple[LeadershipLevel, ...] = ()
    work_services: tuple[Service, ...] = ()


@attrs.frozen(kw_only=True)
class EndorsementHeldRequirement(_Base):
    """
    A prerequisite: the applicant already holds one of some endorsements.

    For add-ons such as a Reflective Supervisor endorsement open only to
    endorsed Family Specialists or Mental Health Specialists. An
    endorsement counts from its ``awarded_on`` date.

    Attributes:
        categories: The category codes that meet it (any one).
        good_standing: Count only an endorsement in good standing on the
            as-of date: recorded as active or reinstated, not archived.
        min_years: Count only an endorsement held at least this many
            calendar years on the as-of date.

    .. versionadded:: 0.2.0
    """

    kind: ClassVar[RequirementKind] = RequirementKind.ENDORSEMENT_HELD
    categories: tuple[str, ...]
    good_standing: bool = True
    min_years: int | None = None


@attrs.frozen(kw_only=True)
class Path:
    """
    One alternative of an OR requirement: all its requirements must be met.

    Attributes:
        id: The path's id within its requirement.
        title: A short label.
        requirements: The requirements of the path.

    .. versionadded:: 0.1.0
    """

    id: str
    title: str
    requirements: tuple[Requirement, ...]


@attrs.frozen(kw_only=True)
class AnyOfRequirement(_Base):
    """
    An OR over paths: met when any path is met.

    Attributes:
        paths: The alternatives, at least two.

    .. versionadded:: 0.1.0
    """

    kind: ClassVar[RequirementKind] = RequirementKind.ANY_OF
    paths: tuple[Path, ...]


Requirement = (
    EducationRequirement
    | WorkRequirement
    | TrainingRequirement
    | RscRequirement
    | ReferencesRequirement
    | ExamRequirement
    | MembershipRequirement
    | EthicsRequirement
    | LeadershipRequirement
    | EndorsementHeldRequirement
    | AnyOfRequirement
)

REQUIREMENT_CLASSES: dict[str, type[Requirement]] = {
    cls.kind.value: cls
    for cls in (
        EducationRequirement,
        WorkRequirement,
        TrainingRequirement,
        RscRequirement,
        ReferencesRequirement,
        ExamRequirement,
        MembershipRequirement,
        EthicsRequirement,
        LeadershipRequirement,
        EndorsementHeldRequirement,
        AnyOfRequirement,
    )
}


@attrs.frozen(kw_only=True)
class RenewalPolicy:
    """
    How an association's endorsements are renewed each year.

    Attributes:
        due_month: The month of the yearly due date.
        due_day: The day of the yearly due date.
        sources: Where the policy comes from.
        grace_days: Days after the due date before an endorsement that was
            not renewed lapses.
        opens_days_before: Days before the due date from which the renewal
            is reported as due.
        first_year_exempt: Endorsements awarded in a year are first renewed
            at the end of the next year.
        reinstatement: What a lapsed endorsement needs to be reinstated.
        note: How the rulebook read unclear or conflicting sources.

    .. versionadded:: 0.1.0
    """

    due_month: int
    due_day: int
    sources: tuple[str, ...]
    grace_days: int = 0
    opens_days_before: int = 91
    first_year_exempt: bool = True
    reinstatement: tuple[Requirement, ...] = ()
    note: str | None = None


@attrs.frozen(kw_only=True)
class EmergingPath:
    """
    What an Emerging applicant must meet, and the time allowed for the rest.

    Some categories (the Family Reflective Supervisor, the Endorsed
    Reflective Supervisor add-on) endorse an applicant as *Emerging* who
    meets part of the requirements, with time to finish the rest.

    Attributes:
        requirements: What an Emerging applicant must meet.
        months_to_finish: Calendar months from the determination's date to
            meet every requirement of the category.
        sources: The public sources of the Emerging outcome.
        note: How the rulebook read them.

    .. versionadded:: 0.2.0
    """

    requirements: tuple[Requirement, ...]
    months_to_finish: int
    sources: tuple[str, ...]
    note: str | None = None


@attrs.frozen(kw_only=True)
class Category:
    """
    An endorsement category and what it requires.

    Attributes:
        code: The category code, e.g. ``"IFS"``.
        name: The category's name.
        family: IMH-E, ECMH-E or the combined IECMH-E.
        age_band: The ages the category focuses on.
        scope: The scope of practice it reflects.
        requirements: Its requirements, in the order findings are reported.
        renewal: What renewing the endorsement asks each year.
        emerging: The Emerging outcome, where the category has one.
        note: How the rulebook read the category's sources as a whole.
        sources: The public sources for the category as a whole.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 *emerging*, *note* and *sources*.
    """

    code: str
    name: str
    family: Family
    age_band: AgeBand
    scope: Scope
    requirements: tuple[Requirement, ...]
    renewal: tuple[Requirement, ...] = ()
    emerging: EmergingPath | None = None
    note: str | None = None
    sources: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class Rulebook:
    """
    An association's edition of the Endorsement rules.

    Attributes:
        id: The edition's id, e.g. ``"mi-aimh-2024"``.
        association: The association's id, e.g. ``"mi-aimh"``.
        title: A human title.
        effective_from: The first day the edition is in force.
        categories: The categories it defines.
        effective_until: The last day it is in force, if it has ended.
        supersedes: The id of the edition it replaces.
        sources: Sources for the edition as a whole.
        note: Remarks on the edition.
        renewal: How endorsements under the edition are renewed.

    .. versionadded:: 0.1.0
    """

    id: str
    association: str
    title: str
    effective_from: dt.date
    categories: tuple[Category, ...]
    effective_until: dt.date | None = None
    supersedes: str | None = None
    sources: tuple[str, ...] = ()
    note: str | None = None
    renewal: RenewalPolicy | None = None

    def category(self, code: str) -> Category:
        """
        Return the category with *code*.

        Raises:
            UnknownCategoryError: The rulebook defines no such category; the
                message lists the codes it does define.

        .. versionadded:: 0.1.0
        """
        for category in self.categories:
            if category.code == code:
                return category
        from iecmh_core.exceptions import UnknownCategoryError  # noqa: PLC0415

        raise UnknownCategoryError(
            code, self.id, tuple(c.code for c in self.categories)
        )
