"""
An applicant's portfolio: the evidence an endorsement decision is made from.

The classes mirror the portfolio document of the data contract field for
field. ``None`` means "not given": the engine never reads a missing value as
zero or false. Where the contract gives ``null`` a meaning of its own (an
``end`` of ``null`` is an open-ended job, a ``completed_on`` of ``null`` is a
degree in progress), the field is required in the document and may be null.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
from attrs import validators as v

from iecmh_core._vocab import (
    AgeBand,
    EducationLevel,
    EndorsementStatus,
    LeadershipLevel,
    ReferenceRole,
    RscFormat,
    Service,
    TrainingTopic,
)

_ONE = Decimal(1)
_HUNDRED = Decimal(100)


def _date() -> Any:
    return v.instance_of(dt.date)


def _optional(validator: Any) -> Any:
    return v.optional(validator)


def _tuple_of(member: type) -> Any:
    return v.deep_iterable(v.instance_of(member), v.instance_of(tuple))


def _finite(
    _instance: object, attribute: attrs.Attribute[Any], value: Any
) -> None:
    if isinstance(value, Decimal) and not value.is_finite():
        msg = f"'{attribute.name}' must be a finite number, got {value}"
        raise ValueError(msg)


def _integer(
    _instance: object, attribute: attrs.Attribute[Any], value: Any
) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"'{attribute.name}' must be an integer, got {value!r}"
        raise TypeError(msg)


def _not_before(start_field: str) -> Any:
    def check(
        instance: object, attribute: attrs.Attribute[Any], value: Any
    ) -> None:
        start = getattr(instance, start_field)
        if value is not None and value < start:
            msg = (
                f"'{attribute.name}' must be on or after "
                f"{start_field} ({start.isoformat()}), "
                f"got {value.isoformat()}"
            )
            raise ValueError(msg)

    return check


def _hours(
    _instance: object, attribute: attrs.Attribute[Any], value: Any
) -> None:
    if not isinstance(value, Decimal) or not value.is_finite():
        msg = f"'{attribute.name}' must be a finite Decimal, got {value!r}"
        raise TypeError(msg)
    if value <= 0:
        msg = f"'{attribute.name}' must be more than 0 hours, got {value}"
        raise ValueError(msg)
    if value != value.quantize(Decimal("0.01")):
        msg = (
            f"'{attribute.name}' must have at most 2 decimal places, "
            f"got {value}"
        )
        raise ValueError(msg)


@attrs.frozen(kw_only=True)
class Membership:
    """
    A membership in an infant mental health association.

    Attributes:
        association: The association's id, for example ``"mi-aimh"``.
        start: The first day of the membership.
        end: The last day of the membership; ``None`` when open-ended.

    .. versionadded:: 0.1.0
    """

    association: str = attrs.field(validator=v.min_len(1))
    start: dt.date = attrs.field(validator=_date())
    end: dt.date | None = attrs.field(
        validator=[_optional(_date()), _not_before("start")]
    )


@attrs.frozen(kw_only=True)
class Education:
    """
    A degree, diploma or credential the applicant holds or is working on.

    Attributes:
        level: The level of education.
        field: The field of study, in free text.
        institution: The school or university.
        completed_on: When it was completed; ``None`` while in progress.

    .. versionadded:: 0.1.0
    """

    level: EducationLevel = attrs.field(
        validator=v.instance_of(EducationLevel)
    )
    completed_on: dt.date | None = attrs.field(validator=_optional(_date()))
    field: str | None = attrs.field(
        default=None, validator=_optional(v.instance_of(str))
    )
    institution: str | None = attrs.field(
        default=None, validator=_optional(v.instance_of(str))
    )


@attrs.frozen(kw_only=True)
class WorkExperience:
    """
    A period of paid or volunteer work with young children and families.

    Attributes:
        title: The job title.
        start: The first day of the job.
        end: The last day; ``None`` while the job goes on.
        paid: Whether the work was paid.
        age_band: The ages of the children served.
        fte: The share of a full-time post, ``0 < fte <= 1``.
        employer: The employer.
        services: The kinds of service the job provided.
        families_served: How many families were served; ``None`` if not
            given.
        supervised: Whether the work was supervised; ``None`` if not given.

    .. versionadded:: 0.1.0
    """

    title: str = attrs.field(validator=v.instance_of(str))
    start: dt.date = attrs.field(validator=_date())
    end: dt.date | None = attrs.field(
        validator=[_optional(_date()), _not_before("start")]
    )
    paid: bool = attrs.field(validator=v.instance_of(bool))
    age_band: AgeBand = attrs.field(validator=v.instance_of(AgeBand))
    fte: Decimal = attrs.field(
        default=_ONE,
        validator=[
            v.instance_of(Decimal),
            _finite,
            v.gt(Decimal(0)),
            v.le(_ONE),
        ],
    )
    employer: str | None = attrs.field(
        default=None, validator=_optional(v.instance_of(str))
    )
    services: tuple[Service, ...] = attrs.field(
        default=(), validator=_tuple_of(Service)
    )
    families_served: int | None = attrs.field(
        default=None, validator=_optional([_integer, v.ge(0)])
    )
    supervised: bool | None = attrs.field(
        default=None, validator=_optional(v.instance_of(bool))
    )


@attrs.frozen(kw_only=True)
class Training:
    """
    An in-service training or course, counted in clock hours.

    Attributes:
        title: The training's title.
        completed_on: When it was completed.
        hours: Clock hours, exact, more than 0 with at most 2 decimals.
        provider: Who gave the training.
        topics: The topics some rules count separately.
        knowledge_areas: Ids of the competency framework's knowledge areas
            the training covers.

    .. versionadded:: 0.1.0
    """

    title: str = attrs.field(validator=v.instance_of(str))
    completed_on: dt.date = attrs.field(validator=_date())
    hours: Decimal = attrs.field(validator=_hours)
    provider: str | None = attrs.field(
        default=None, validator=_optional(v.instance_of(str))
    )
    topics: tuple[TrainingTopic, ...] = attrs.field(
        default=(), validator=_tuple_of(TrainingTopic)
    )
    knowledge_areas: tuple[str, ...] = attrs.field(
        default=(), validator=_tuple_of(str)
    )


@attrs.frozen(kw_only=True)
class RscSession:
    """
    Reflective supervision/consultation the applicant received.

    Attributes:
        provider: The provider's id in the calling system.
        provider_category: The provider's endorsement category code;
            ``None`` when the provider holds no endorsement.
        format: Individual, group or peer.
        date: When the session took place.
        hours: Clock hours, exact, more than 0 with at most 2 decimals.
        provider_degree: The provider's education level, if given.
        vetted: Whether the association vetted the provider, if given.
        about_providing_rsc: Whether the session was about the RSC the
            applicant provides to others, if given.

    .. versionadded:: 0.1.0
    """

    provider: str = attrs.field(validator=v.min_len(1))
    provider_category: str | None = attrs.field(
        validator=_optional(v.instance_of(str))
    )
    format: RscFormat = attrs.field(validator=v.instance_of(RscFormat))
    date: dt.date = attrs.field(validator=_date())
    hours: Decimal = attrs.field(validator=_hours)
    provider_degree: EducationLevel | None = attrs.field(
        default=None, validator=_optional(v.instance_of(EducationLevel))
    )
    vetted: bool | None = attrs.field(
        default=None, validator=_optional(v.instance_of(bool))
    )
    about_providing_rsc: bool | None = attrs.field(
        default=None, validator=_optional(v.instance_of(bool))
    )


@attrs.frozen(kw_only=True)
class Reference:
    """
    A reference rating submitted by a rater.

    Attributes:
        rater: The rater's id in the calling system.
        role: The rater's relationship to the applicant.
        rater_category: The rater's endorsement category code; ``None`` when
            the rater holds no endorsement.
        submitted_on: When the rating was submitted.
        vetted: Whether the association vetted the rater, if given.
        not_enough_information: How many items the rater could not rate,
            if given.

    .. versionadded:: 0.1.0
    """

    rater: str = attrs.field(validator=v.min_len(1))
    role: ReferenceRole = attrs.field(validator=v.instance_of(ReferenceRole))
    rater_category: str | None = attrs.field(
        validator=_optional(v.instance_of(str))
    )
    submitted_on: dt.date = attrs.field(validator=_date())
    vetted: bool | None = attrs.field(
        default=None, validator=_optional(v.instance_of(bool))
    )
    not_enough_information: int | None = attrs.field(
        default=None, validator=_optional([_integer, v.ge(0)])
    )


@attrs.frozen(kw_only=True)
class Exam:
    """
    One sitting of one part of the Endorsement exam.

    Attributes:
        part: 1 (multiple choice) or 2 (vignettes).
        taken_on: When the part was taken.
        score_percent: The part 1 score in percent, if given.
        passed: Whether the part was passed, if given (part 2 is scored
            pass or fail).

    .. versionadded:: 0.1.0
    """

    part: int = attrs.field(validator=[_integer, v.in_((1, 2))])
    taken_on: dt.date = attrs.field(validator=_date())
    score_percent: Decimal | None = attrs.field(
        default=None,
        validator=_optional(
            [v.instance_of(Decimal), _finite, v.ge(Decimal(0)), v.le(_HUNDRED)]
        ),
    )
    passed: bool | None = attrs.field(
        default=None, validator=_optional(v.instance_of(bool))
    )


@attrs.frozen(kw_only=True)
class Leadership:
    """
    A leadership activity (supervising, mentoring, chairing, advocating).

    Attributes:
        description: What the activity was.
        level: Its reach: local, regional, state or national.
        start: When it began.
        end: When it ended; ``None`` while it goes on.

    .. versionadded:: 0.1.0
    """

    description: str = attrs.field(validator=v.instance_of(str))
    level: LeadershipLevel = attrs.field(
        validator=v.instance_of(LeadershipLevel)
    )
    start: dt.date = attrs.field(validator=_date())
    end: dt.date | None = attrs.field(
        validator=[_optional(_date()), _not_before("start")]
    )


@attrs.frozen(kw_only=True)
class Renewal:
    """
    A completed yearly renewal of an endorsement.

    Attributes:
        year: The renewal year (renewals fall due at its end).
        renewed_on: When the renewal was completed.

    .. versionadded:: 0.1.0
    """

    year: int = attrs.field(validator=[_integer, v.ge(1900), v.le(9999)])
    renewed_on: dt.date = attrs.field(validator=_date())


@attrs.frozen(kw_only=True)
class Period:
    """
    A span of days, open-ended while *end* is ``None``.

    Attributes:
        start: The first day.
        end: The last day; ``None`` while it goes on.

    .. versionadded:: 0.1.0
    """

    start: dt.date = attrs.field(validator=_date())
    end: dt.date | None = attrs.field(
        validator=[_optional(_date()), _not_before("start")]
    )


@attrs.frozen(kw_only=True)
class HeldEndorsement:
    """
    An endorsement the professional already holds.

    Attributes:
        category: The category code, for example ``"IFS"``.
        awarded_on: When it was awarded.
        status: Its recorded status.
        rulebook: The id of the rulebook edition it was awarded under,
            if known.
        renewals: The yearly renewals completed.
        inactive: Periods of inactive status (leave, illness, a job
            change), during which no renewal falls due.
        reinstated_on: Days the endorsement was reinstated after lapsing.
        archived_on: The day the holder archived the category, if any.

    .. versionadded:: 0.1.0
    """

    category: str = attrs.field(validator=v.min_len(1))
    awarded_on: dt.date = attrs.field(validator=_date())
    status: EndorsementStatus = attrs.field(
        validator=v.instance_of(EndorsementStatus)
    )
    rulebook: str | None = attrs.field(
        default=None, validator=_optional(v.instance_of(str))
    )
    renewals: tuple[Renewal, ...] = attrs.field(
        default=(), validator=_tuple_of(Renewal)
    )
    inactive: tuple[Period, ...] = attrs.field(
        default=(), validator=_tuple_of(Period)
    )
    reinstated_on: tuple[dt.date, ...] = attrs.field(
        default=(), validator=_tuple_of(dt.date)
    )
    archived_on: dt.date | None = attrs.field(
        default=None, validator=_optional(_date())
    )


@attrs.frozen(kw_only=True)
class Portfolio:
    """
    An applicant's portfolio: everything an endorsement decision reads.

    Build one from JSON with `iecmh_core.load_portfolio`; write one back with
    `iecmh_core.dump`.

    Attributes:
        id: The applicant's id in the calling system.
        code_of_ethics_signed_on: When the Code of Ethics and Endorsement
            Agreement were signed; ``None`` when not signed.
        name: A display name; never used to decide anything.
        memberships: Association memberships.
        education: Degrees and credentials.
        work: Work experience.
        training: In-service trainings.
        rsc: Reflective supervision/consultation received.
        references: Reference ratings.
        exams: Exam sittings.
        leadership: Leadership activities.
        endorsements: Endorsements already held.

    >>> import datetime
    >>> Portfolio(id="a-1", code_of_ethics_signed_on=None).training
    ()

    .. versionadded:: 0.1.0
    """

    id: str = attrs.field(validator=v.min_len(1))
    code_of_ethics_signed_on: dt.date | None = attrs.field(
        validator=_optional(_date())
    )
    name: str | None = attrs.field(
        default=None, validator=_optional(v.instance_of(str))
    )
    memberships: tuple[Membership, ...] = attrs.field(
        default=(), validator=_tuple_of(Membership)
    )
    education: tuple[Education, ...] = attrs.field(
        default=(), validator=_tuple_of(Education)
    )
    work: tuple[WorkExperience, ...] = attrs.field(
        default=(), validator=_tuple_of(WorkExperience)
    )
    training: tuple[Training, ...] = attrs.field(
        default=(), validator=_tuple_of(Training)
    )
    rsc: tuple[RscSession, ...] = attrs.field(
        default=(), validator=_tuple_of(RscSession)
    )
    references: tuple[Reference, ...] = attrs.field(
        default=(), validator=_tuple_of(Reference)
    )
    exams: tuple[Exam, ...] = attrs.field(
        default=(), validator=_tuple_of(Exam)
    )
    leadership: tuple[Leadership, ...] = attrs.field(
        default=(), validator=_tuple_of(Leadership)
    )
    endorsements: tuple[HeldEndorsement, ...] = attrs.field(
        default=(), validator=_tuple_of(HeldEndorsement)
    )
