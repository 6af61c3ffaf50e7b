"""
The hypothesis strategies of the test suite, in one module.

Every strategy builds *valid* model objects: values the loaders accept and
the shipped schemas describe (ids, category codes and URLs match their
patterns; hours are exact decimals above 0 with at most 2 places; an
``end`` is never before its ``start``; ids are unique where a rule says
so). Optional collections are sometimes empty, as a loaded document whose
optional arrays were left out would be.
"""

from __future__ import annotations

import datetime as dt
import enum
import string
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TypeVar

import attrs
from hypothesis import strategies as st

from iecmh_core import (
    AgeBand,
    Alternative,
    AnyOfRequirement,
    Category,
    CohortReport,
    Determination,
    Distance,
    DocumentKind,
    Domain,
    Education,
    EducationLevel,
    EducationRequirement,
    Eligibility,
    EmergingPath,
    EmergingResult,
    EndorsementHeldRequirement,
    EndorsementStatus,
    EthicsRequirement,
    EvaluationWarning,
    EvidenceDates,
    Exam,
    ExamRequirement,
    Family,
    Finding,
    Framework,
    HeldEndorsement,
    KnowledgeArea,
    Leadership,
    LeadershipLevel,
    LeadershipRequirement,
    Membership,
    MembershipRequirement,
    Outcome,
    Path,
    Period,
    Portfolio,
    ProviderRule,
    Reference,
    ReferenceRole,
    ReferenceSlot,
    ReferencesRequirement,
    Rejection,
    RejectionReason,
    Renewal,
    RenewalPolicy,
    Requirement,
    RequirementKind,
    RscFormat,
    RscRequirement,
    RscSession,
    Rulebook,
    Scope,
    Service,
    Training,
    TrainingPart,
    TrainingRequirement,
    TrainingTopic,
    WarningCode,
    WorkExperience,
    WorkRequirement,
    summarize_cohort,
)
from iecmh_core._rulebook_checks import CONTRACT_CATEGORIES

_T = TypeVar("_T")
_E = TypeVar("_E", bound=enum.Enum)

FIRST_DAY = dt.date(1990, 1, 1)
LAST_DAY = dt.date(2035, 12, 31)

#: Printable ASCII without the whitespace that is not a plain space.
_PRINTABLE = string.ascii_letters + string.digits + string.punctuation + " "

#: Any string (the schema asks for a string, nothing more).
texts = st.text(alphabet=_PRINTABLE, max_size=12)
#: A non-empty string (the schema's ``minLength: 1``).
names = st.text(alphabet=_PRINTABLE, min_size=1, max_size=12)
_LOWER = string.ascii_lowercase + string.digits
_UPPER = string.ascii_uppercase


def _joined(*parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(*parts).map("".join)


#: A stable id, ``^[a-z0-9][a-z0-9.-]*$``.
ids = _joined(
    st.sampled_from(_LOWER), st.text(alphabet=_LOWER + ".-", max_size=12)
)
#: A category code, ``^[A-Z][A-Z/]*(-[A-Z]+)?$``.
category_codes = st.one_of(
    st.sampled_from(["IFS", "IFRS", "IMHM-C", "ECMHM-RF", "I/ECFS"]),
    _joined(
        st.sampled_from(_UPPER),
        st.text(alphabet=_UPPER + "/", max_size=5),
        st.sampled_from(["", "-"]).flatmap(
            lambda dash: (
                _joined(
                    st.just(dash),
                    st.text(alphabet=_UPPER, min_size=1, max_size=3),
                )
                if dash
                else st.just("")
            )
        ),
    ),
)
#: A public https address.
urls = _joined(
    st.just("https://"),
    st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=10),
    st.just(".org/"),
    st.text(alphabet=_LOWER + "/-", max_size=10),
)
#: A calendar date between 1990 and 2035.
dates = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)
#: Clock hours: 0.01 up to 50, with at most 2 decimal places.
hours = st.integers(min_value=1, max_value=5000).map(
    lambda k: Decimal(k) / 100
)
#: A share of a full-time post, 0.01 up to 1.
ftes = st.integers(min_value=1, max_value=100).map(lambda k: Decimal(k) / 100)
#: A percentage, 0 up to 100, with at most 2 decimal places.
percents = st.integers(min_value=0, max_value=10000).map(
    lambda k: Decimal(k) / 100
)
#: An exact non-negative quantity with at most 2 decimal places.
quantities = st.integers(min_value=0, max_value=100000).map(
    lambda k: Decimal(k) / 100
)
#: An exact positive quantity (years, hours) with at most 2 decimal places.
positive_quantities = st.integers(min_value=1, max_value=100000).map(
    lambda k: Decimal(k) / 100
)
#: Years a rulebook may ask for: above 0, at most the schema's 100.
positive_years = st.integers(min_value=1, max_value=10000).map(
    lambda k: Decimal(k) / 100
)


def optional(strategy: st.SearchStrategy[_T]) -> st.SearchStrategy[_T | None]:
    """
    Return *strategy* or ``None``.
    """
    return st.none() | strategy


def unique_tuples(
    strategy: st.SearchStrategy[_T], *, min_size: int = 0, max_size: int = 3
) -> st.SearchStrategy[tuple[_T, ...]]:
    """
    Return tuples of distinct values of *strategy* (``uniqueItems``).
    """
    return st.lists(
        strategy, min_size=min_size, max_size=max_size, unique=True
    ).map(tuple)


def tuples_of(
    strategy: st.SearchStrategy[_T], *, min_size: int = 0, max_size: int = 2
) -> st.SearchStrategy[tuple[_T, ...]]:
    """
    Return tuples of values of *strategy*, repeats allowed.
    """
    return st.lists(strategy, min_size=min_size, max_size=max_size).map(tuple)


def enum_tuples(
    members: type[_E], *, min_size: int = 0
) -> st.SearchStrategy[tuple[_E, ...]]:
    """
    Return tuples of distinct members of the enumeration *members*.
    """
    return unique_tuples(st.sampled_from(members), min_size=min_size)


# Built once: a strategy built inside a composite is built again per draw.
_optional_texts = optional(texts)
_optional_dates = optional(dates)
_optional_ids = optional(ids)
_optional_codes = optional(category_codes)
_optional_booleans = optional(st.booleans())
_optional_levels = optional(st.sampled_from(EducationLevel))
_source_lists = unique_tuples(urls)


_date_pairs = st.tuples(dates, dates)


@st.composite
def periods(draw: st.DrawFn) -> tuple[dt.date, dt.date | None]:
    """
    A ``start`` and an ``end`` on or after it, or ``None`` (open-ended).
    """
    start, end = sorted(draw(_date_pairs))
    return start, end if draw(st.booleans()) else None


_periods = periods()


# --- portfolios -------------------------------------------------------------


@st.composite
def memberships(draw: st.DrawFn) -> Membership:
    """
    A membership; its end, if any, is on or after its start.
    """
    start, end = draw(_periods)
    return Membership(association=draw(names), start=start, end=end)


@st.composite
def educations(draw: st.DrawFn) -> Education:
    """
    A degree, completed or in progress.
    """
    return Education(
        level=draw(st.sampled_from(EducationLevel)),
        completed_on=draw(_optional_dates),
        field=draw(_optional_texts),
        institution=draw(_optional_texts),
    )


_services = enum_tuples(Service)
_families = optional(st.integers(0, 500))


@st.composite
def work_experiences(draw: st.DrawFn) -> WorkExperience:
    """
    A job; its end, if any, is on or after its start; 0 < fte <= 1.
    """
    start, end = draw(_periods)
    return WorkExperience(
        title=draw(texts),
        start=start,
        end=end,
        paid=draw(st.booleans()),
        age_band=draw(st.sampled_from(AgeBand)),
        fte=draw(ftes),
        employer=draw(_optional_texts),
        services=draw(_services),
        families_served=draw(_families),
        supervised=draw(_optional_booleans),
    )


_topics = enum_tuples(TrainingTopic)
_area_ids = unique_tuples(ids)


@st.composite
def trainings(draw: st.DrawFn) -> Training:
    """
    A training of exact hours above 0 with at most 2 decimal places.
    """
    return Training(
        title=draw(texts),
        completed_on=draw(dates),
        hours=draw(hours),
        provider=draw(_optional_texts),
        topics=draw(_topics),
        knowledge_areas=draw(_area_ids),
    )


@st.composite
def rsc_sessions(draw: st.DrawFn) -> RscSession:
    """
    An RSC session of exact hours above 0 with at most 2 decimal places.
    """
    return RscSession(
        provider=draw(names),
        provider_category=draw(_optional_codes),
        format=draw(st.sampled_from(RscFormat)),
        date=draw(dates),
        hours=draw(hours),
        provider_degree=draw(_optional_levels),
        vetted=draw(_optional_booleans),
        about_providing_rsc=draw(_optional_booleans),
    )


_not_rated = optional(st.integers(0, 30))


@st.composite
def references(draw: st.DrawFn) -> Reference:
    """
    A reference rating.
    """
    return Reference(
        rater=draw(names),
        role=draw(st.sampled_from(ReferenceRole)),
        rater_category=draw(_optional_codes),
        submitted_on=draw(dates),
        vetted=draw(_optional_booleans),
        not_enough_information=draw(_not_rated),
    )


_parts = st.sampled_from([1, 2])
_optional_percents = optional(percents)


@st.composite
def exams(draw: st.DrawFn) -> Exam:
    """
    One sitting of part 1 or 2 of the exam.
    """
    return Exam(
        part=draw(_parts),
        taken_on=draw(dates),
        score_percent=draw(_optional_percents),
        passed=draw(_optional_booleans),
    )


@st.composite
def leaderships(draw: st.DrawFn) -> Leadership:
    """
    A leadership activity; its end, if any, is on or after its start.
    """
    start, end = draw(_periods)
    return Leadership(
        description=draw(texts),
        level=draw(st.sampled_from(LeadershipLevel)),
        start=start,
        end=end,
    )


@st.composite
def held_endorsements(draw: st.DrawFn) -> HeldEndorsement:
    """
    An endorsement already held.
    """
    return HeldEndorsement(
        category=draw(category_codes),
        awarded_on=draw(dates),
        status=draw(st.sampled_from(EndorsementStatus)),
        rulebook=draw(_optional_ids),
    )


_evidence: dict[str, st.SearchStrategy[tuple[Any, ...]]] = {
    "memberships": tuples_of(memberships()),
    "education": tuples_of(educations()),
    "work": tuples_of(work_experiences()),
    "training": tuples_of(trainings()),
    "rsc": tuples_of(rsc_sessions()),
    "references": tuples_of(references()),
    "exams": tuples_of(exams()),
    "leadership": tuples_of(leaderships()),
    "endorsements": tuples_of(held_endorsements()),
}


@st.composite
def portfolios(draw: st.DrawFn) -> Portfolio:
    """
    A whole portfolio, with up to two items of every kind of evidence.
    """
    return Portfolio(
        id=draw(names),
        code_of_ethics_signed_on=draw(_optional_dates),
        name=draw(_optional_texts),
        **{key: draw(strategy) for key, strategy in _evidence.items()},
    )


# --- competency frameworks --------------------------------------------------

_code_sets = unique_tuples(category_codes)
#: Category codes a rulebook may refer to without defining them.
contract_code_sets = unique_tuples(
    st.sampled_from(sorted(CONTRACT_CATEGORIES))
)
_name_pools = st.lists(ids, min_size=10, max_size=10, unique=True)


@st.composite
def frameworks(draw: st.DrawFn) -> Framework:
    """
    A framework whose domain ids, area ids and aliases are all distinct.
    """
    pool = iter(draw(_name_pools))
    domains = []
    for _ in range(draw(st.integers(1, 3))):
        areas = tuple(
            KnowledgeArea(
                id=next(pool),
                name=draw(names),
                categories=draw(_code_sets),
                confirmed=draw(st.booleans()),
                aliases=(next(pool),) if draw(st.booleans()) else (),
                sources=draw(_source_lists),
                note=draw(_optional_texts),
            )
            for _ in range(draw(st.integers(0, 1)))
        )
        domains.append(
            Domain(
                id=next(pool),
                name=draw(names),
                knowledge_areas=areas,
                sources=draw(_source_lists),
            )
        )
    return Framework(
        id=draw(ids),
        title=draw(names),
        edition=draw(names),
        domains=tuple(domains),
        effective_from=draw(_optional_dates),
        supersedes=draw(_optional_ids),
        sources=draw(_source_lists),
    )


# --- determinations ---------------------------------------------------------


@st.composite
def rejections(draw: st.DrawFn) -> Rejection:
    """
    A piece of evidence not counted, with its reason.
    """
    return Rejection(
        evidence=draw(texts),
        reason=draw(st.sampled_from(RejectionReason)),
        explanation=draw(names),
    )


_rejection_tuples = tuples_of(rejections())
_optional_quantities = optional(quantities)
_text_tuples = tuples_of(texts)
_url_tuples = tuples_of(urls)


@st.composite
def findings(draw: st.DrawFn, *, nested: bool = True) -> Finding:
    """
    A finding; when *nested*, an OR finding has alternatives of its own.
    """
    kind = draw(st.sampled_from(RequirementKind))
    return Finding(
        requirement=draw(ids),
        kind=kind,
        outcome=draw(st.sampled_from(Outcome)),
        explanation=draw(names),
        required=draw(_optional_quantities),
        counted=draw(_optional_quantities),
        shortfall=draw(_optional_quantities),
        unit=draw(_optional_texts),
        evidence=draw(_text_tuples),
        rejected=draw(_rejection_tuples),
        missing=draw(_text_tuples),
        advice=draw(_optional_texts),
        expires_on=draw(_optional_dates),
        alternatives=(
            draw(_alternative_tuples)
            if nested and kind is RequirementKind.ANY_OF
            else ()
        ),
        closest=draw(_optional_texts),
        sources=draw(_url_tuples),
        note=draw(_optional_texts),
    )


_leaf_finding_tuples = tuples_of(findings(nested=False))


@st.composite
def alternatives(draw: st.DrawFn) -> Alternative:
    """
    One path of an OR finding, with findings of its own.
    """
    return Alternative(
        id=draw(ids),
        title=draw(names),
        outcome=draw(st.sampled_from(Outcome)),
        findings=draw(_leaf_finding_tuples),
    )


_alternative_tuples = tuples_of(alternatives(), min_size=1)
_finding_tuples = tuples_of(findings(), max_size=3)


@st.composite
def determinations(draw: st.DrawFn) -> Determination:
    """
    A determination with a few findings.
    """
    return Determination(
        portfolio=draw(names),
        category=draw(category_codes),
        rulebook=draw(ids),
        as_of=draw(dates),
        outcome=draw(st.sampled_from(Eligibility)),
        findings=draw(_finding_tuples),
        emerging=draw(
            optional(
                st.builds(
                    EmergingResult,
                    outcome=st.sampled_from(Outcome),
                    findings=_finding_tuples,
                    deadline=_optional_dates,
                )
            )
        ),
        warnings=draw(
            tuples_of(
                st.builds(
                    EvaluationWarning,
                    st.sampled_from(WarningCode),
                    names,
                )
            )
        ),
    )


# --- rulebooks --------------------------------------------------------------

_level_sets = enum_tuples(EducationLevel)


@st.composite
def provider_rules(draw: st.DrawFn) -> ProviderRule:
    """
    A rule for which RSC providers qualify: by category or by vetting.
    """
    codes = draw(contract_code_sets)
    when = None
    if draw(st.booleans()):
        first, second = sorted(
            draw(st.lists(dates, min_size=2, max_size=2, unique=True))
        )
        bounds = draw(st.sampled_from(["before", "after", "both"]))
        when = EvidenceDates(
            evidence_before=second if bounds != "after" else None,
            evidence_on_or_after=first if bounds != "before" else None,
        )
    return ProviderRule(
        categories=codes,
        provider_levels=draw(_level_sets),
        applicant_levels=draw(_level_sets),
        vetted=draw(st.booleans()) if codes else True,
        when=when,
    )


_roles = enum_tuples(ReferenceRole)


@st.composite
def reference_slots(draw: st.DrawFn) -> ReferenceSlot:
    """
    One of the reference ratings a category asks for.
    """
    return ReferenceSlot(
        title=draw(names),
        roles=draw(_roles),
        rater_categories=draw(contract_code_sets),
        vetted_counts=draw(st.booleans()),
    )


_common_fields: st.SearchStrategy[dict[str, Any]] = st.fixed_dictionaries(
    {
        "title": names,
        "sources": unique_tuples(urls, min_size=1),
        "note": _optional_texts,
    }
)

#: Each requirement class but `AnyOfRequirement`, with its own fields.
_REQUIREMENT_FIELDS: tuple[
    tuple[type[Requirement], dict[str, st.SearchStrategy[Any]]], ...
] = (
    (
        EducationRequirement,
        {"levels": enum_tuples(EducationLevel, min_size=1)},
    ),
    (
        WorkRequirement,
        {
            "years": positive_years,
            "paid_only": st.booleans(),
            "after_level": _optional_levels,
            "age_bands": enum_tuples(AgeBand),
            "services": _services,
            "min_families": optional(st.integers(1, 100)),
            "supervised_only": st.booleans(),
            "unpaid_if_supervised": st.booleans(),
        },
    ),
    (
        TrainingRequirement,
        {
            "hours": positive_quantities,
            "topic": optional(st.sampled_from(TrainingTopic)),
        },
    ),
    (
        TrainingRequirement,
        {
            # Parts of at most 3 x 30 hours fit in the 100 hours.
            "hours": st.just(Decimal(100)),
            "surplus_fills_general": st.booleans(),
            "parts": tuples_of(
                st.builds(
                    TrainingPart,
                    title=names,
                    hours=st.integers(1, 30).map(Decimal),
                    topic=optional(st.sampled_from(TrainingTopic)),
                ),
                min_size=2,
                max_size=3,
            ),
        },
    ),
    (
        RscRequirement,
        {
            "hours": positive_quantities,
            # At least the longest spread drawn, which may not exceed it.
            "window_months": st.integers(24, 120),
            "providers": tuples_of(provider_rules(), min_size=1),
            "formats": unique_tuples(
                st.sampled_from([RscFormat.INDIVIDUAL, RscFormat.GROUP]),
                min_size=1,
            ),
            "min_span_months": optional(st.integers(1, 24)),
            "max_providers": optional(st.integers(1, 5)),
            "majority_from_one": st.booleans(),
            "about_providing_rsc": st.booleans(),
        },
    ),
    (
        ReferencesRequirement,
        {
            "count": st.integers(2, 5),
            "slots": tuples_of(reference_slots()),
            "void_at": optional(st.integers(1, 10)),
        },
    ),
    (
        ExamRequirement,
        {"part": _parts, "pass_percent": _optional_percents},
    ),
    (MembershipRequirement, {"associations": unique_tuples(names)}),
    (EthicsRequirement, {}),
    (
        LeadershipRequirement,
        {
            "years": positive_years,
            "levels": enum_tuples(LeadershipLevel),
            "work_services": enum_tuples(Service),
        },
    ),
    (
        EndorsementHeldRequirement,
        {
            "categories": unique_tuples(
                st.sampled_from(sorted(CONTRACT_CATEGORIES)), min_size=1
            ),
            "good_standing": st.booleans(),
            "min_years": st.none() | st.integers(1, 40),
        },
    ),
)

_requirement_fields: st.SearchStrategy[
    tuple[type[Requirement], dict[str, Any]]
] = st.one_of(
    [
        st.tuples(st.just(cls), st.fixed_dictionaries(fields))
        for cls, fields in _REQUIREMENT_FIELDS
    ]
)


@st.composite
def simple_requirements(draw: st.DrawFn, requirement_id: str) -> Requirement:
    """
    A requirement of any kind but ``any_of``, with the id *requirement_id*.
    """
    cls, fields = draw(_requirement_fields)
    requirement: Requirement = cls(
        id=requirement_id, **draw(_common_fields), **fields
    )
    return requirement


@st.composite
def any_of_requirements(
    draw: st.DrawFn, requirement_id: str, path_requirement_ids: Sequence[str]
) -> AnyOfRequirement:
    """
    An OR over paths, one per id in *path_requirement_ids* (two or more).
    """
    paths = tuple(
        Path(
            id=draw(ids),
            title=draw(names),
            requirements=(draw(simple_requirements(each)),),
        )
        for each in path_requirement_ids
    )
    return AnyOfRequirement(
        id=requirement_id, paths=paths, **draw(_common_fields)
    )


_requirement_id_pools = st.lists(ids, min_size=5, max_size=5, unique=True)


@st.composite
def categories(draw: st.DrawFn, code: str) -> Category:
    """
    A category *code* whose requirement ids (OR paths included) are unique.
    """
    pool = draw(_requirement_id_pools)
    requirements: list[Requirement] = []
    parts: set[int] = set()
    for each in pool[: draw(st.integers(1, 2))]:
        requirement = draw(simple_requirements(each))
        # A category requires each exam part once.
        if isinstance(requirement, ExamRequirement):
            if requirement.part in parts:
                continue
            parts.add(requirement.part)
        requirements.append(requirement)
    if draw(st.booleans()):
        requirements.append(draw(any_of_requirements(pool[2], pool[3:])))
    emerging = None
    if draw(st.booleans()):
        # Emerging requirements take ids of their own in the category.
        emerging = EmergingPath(
            requirements=(draw(simple_requirements(pool[4] + ".emerging")),),
            months_to_finish=draw(st.integers(1, 120)),
            sources=draw(unique_tuples(urls, min_size=1)),
            note=draw(_optional_texts),
        )
    return Category(
        code=code,
        name=draw(names),
        family=draw(st.sampled_from(Family)),
        age_band=draw(st.sampled_from(AgeBand)),
        scope=draw(st.sampled_from(Scope)),
        requirements=tuple(requirements),
        emerging=emerging,
        note=draw(_optional_texts),
        sources=draw(unique_tuples(urls)),
    )


_category_codes = st.lists(category_codes, min_size=1, max_size=2, unique=True)


@st.composite
def rulebooks(draw: st.DrawFn) -> Rulebook:
    """
    A rulebook of one or two categories with distinct codes.
    """
    effective_from, until = sorted(draw(_date_pairs))
    return Rulebook(
        id=draw(ids),
        association=draw(ids),
        title=draw(names),
        effective_from=effective_from,
        categories=tuple(
            draw(categories(code)) for code in draw(_category_codes)
        ),
        effective_until=until if draw(st.booleans()) else None,
        supersedes=draw(_optional_ids),
        sources=draw(_source_lists),
        note=draw(_optional_texts),
    )


#: A strategy for each kind of document.
@st.composite
def cohort_reports(draw: st.DrawFn) -> CohortReport:
    """
    A cohort report over a few determinations, with any settings.
    """
    within = draw(
        st.dictionaries(
            st.sampled_from([k.value for k in RequirementKind]) | ids,
            positive_quantities,
            max_size=2,
        )
    )
    return summarize_cohort(
        draw(st.lists(determinations(), max_size=8)),
        distance=Distance(requirements=draw(st.integers(1, 3)), within=within),
        expiring_months=draw(st.integers(0, 24)),
        min_group=draw(st.integers(1, 3)),
        ids=draw(st.booleans()),
        top=draw(st.integers(0, 5)),
    )


DOCUMENTS: dict[DocumentKind, st.SearchStrategy[Any]] = {
    DocumentKind.PORTFOLIO: portfolios(),
    DocumentKind.RULEBOOK: rulebooks(),
    DocumentKind.FRAMEWORK: frameworks(),
    DocumentKind.DETERMINATION: determinations(),
    DocumentKind.COHORT_REPORT: cohort_reports(),
}

#: Any JSON value: null, booleans, numbers, strings, arrays and objects.
json_values: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


# --- applicants, for the engine's properties --------------------------------
#
# Portfolios drawn from the vocabulary the bundled rulebooks use (their
# category codes, realistic dates and quantities), so that the rules bite.

_RULEBOOK_CODES = st.sampled_from(
    ["IFS", "IFRS", "IMHS", "IMHM-C", "ECMHS", "ECMHM-C", "I/ECMHM-C", None]
)
_recent = st.dates(
    min_value=dt.date(2010, 1, 1), max_value=dt.date(2026, 1, 15)
)


@st.composite
def _applicant_rsc(draw: st.DrawFn) -> RscSession:
    return RscSession(
        provider=draw(st.sampled_from(["p1", "p2", "p3"])),
        provider_category=draw(_RULEBOOK_CODES),
        format=draw(st.sampled_from(RscFormat)),
        date=draw(_recent),
        hours=draw(st.integers(25, 1200).map(lambda k: Decimal(k) / 100)),
        provider_degree=draw(_optional_levels),
        vetted=draw(_optional_booleans),
        about_providing_rsc=draw(_optional_booleans),
    )


@st.composite
def _applicant_work(draw: st.DrawFn) -> WorkExperience:
    start = draw(_recent)
    end = draw(optional(st.dates(min_value=start, max_value=LAST_DAY)))
    return WorkExperience(
        title="job",
        start=start,
        end=end,
        paid=draw(st.booleans()),
        age_band=draw(st.sampled_from(AgeBand)),
        fte=draw(ftes),
        services=draw(enum_tuples(Service)),
        families_served=draw(optional(st.integers(0, 40))),
        supervised=draw(_optional_booleans),
    )


@st.composite
def _applicant_reference(draw: st.DrawFn) -> Reference:
    return Reference(
        rater=draw(st.sampled_from(["r1", "r2", "r3", "r4"])),
        role=draw(st.sampled_from(ReferenceRole)),
        rater_category=draw(_RULEBOOK_CODES),
        submitted_on=draw(_recent),
        vetted=draw(_optional_booleans),
        not_enough_information=draw(optional(st.integers(0, 8))),
    )


@st.composite
def _applicant_training(draw: st.DrawFn) -> Training:
    return Training(
        title="training",
        completed_on=draw(_recent),
        hours=draw(st.integers(25, 2000).map(lambda k: Decimal(k) / 100)),
        topics=draw(enum_tuples(TrainingTopic)),
    )


@st.composite
def _applicant_exam(draw: st.DrawFn) -> Exam:
    return Exam(
        part=draw(_parts),
        taken_on=draw(_recent),
        score_percent=draw(optional(st.integers(60, 100).map(Decimal))),
        passed=draw(_optional_booleans),
    )


@st.composite
def _applicant_leadership(draw: st.DrawFn) -> Leadership:
    start = draw(_recent)
    return Leadership(
        description="leading",
        level=draw(st.sampled_from(LeadershipLevel)),
        start=start,
        end=draw(optional(st.dates(min_value=start, max_value=LAST_DAY))),
    )


@st.composite
def _applicant_membership(draw: st.DrawFn) -> Membership:
    start = draw(_recent)
    return Membership(
        association=draw(st.sampled_from(["mi-aimh", "massaimh"])),
        start=start,
        end=draw(optional(st.dates(min_value=start, max_value=LAST_DAY))),
    )


@st.composite
def _applicant_education(draw: st.DrawFn) -> Education:
    return Education(
        level=draw(st.sampled_from(EducationLevel)),
        completed_on=draw(optional(_recent)),
    )


_APPLICANT_EVIDENCE: dict[str, st.SearchStrategy[Any]] = {
    "memberships": _applicant_membership(),
    "education": _applicant_education(),
    "work": _applicant_work(),
    "training": _applicant_training(),
    "rsc": _applicant_rsc(),
    "references": _applicant_reference(),
    "exams": _applicant_exam(),
    "leadership": _applicant_leadership(),
}


@st.composite
def applicants(draw: st.DrawFn) -> Portfolio:
    """
    A plausible applicant: evidence in the bundled rulebooks' vocabulary.
    """
    return Portfolio(
        id="applicant",
        code_of_ethics_signed_on=draw(optional(_recent)),
        **{
            key: tuple(draw(st.lists(strategy, max_size=6)))
            for key, strategy in _APPLICANT_EVIDENCE.items()
        },
    )


def later_evidence(
    as_of: dt.date, *, after: bool
) -> st.SearchStrategy[dict[str, tuple[Any, ...]]]:
    """
    More evidence of every kind but education (a later degree may change
    which RSC providers the classic matrix accepts), all dated after *as_of*
    when *after* is true, otherwise dated on any day.
    """
    kinds = {k: s for k, s in _APPLICANT_EVIDENCE.items() if k != "education"}
    if not after:
        return st.fixed_dictionaries(
            {k: st.lists(s, max_size=3).map(tuple) for k, s in kinds.items()}
        )
    later = st.dates(
        min_value=as_of + dt.timedelta(days=1), max_value=LAST_DAY
    )

    def moved(item: Any, day: dt.date) -> Any:
        for name in ("date", "completed_on", "submitted_on", "taken_on"):
            if hasattr(item, name):
                return attrs.evolve(item, **{name: day})
        end = item.end if item.end is None or item.end >= day else day
        return attrs.evolve(item, start=day, end=end)

    return st.fixed_dictionaries(
        {
            k: st.lists(st.tuples(s, later), max_size=3).map(
                lambda pairs: tuple(moved(i, d) for i, d in pairs)
            )
            for k, s in kinds.items()
        }
    )


# --- coverage of a competency framework -------------------------------------
#
# Portfolios whose trainings name a framework's knowledge areas, by id or by
# a former id kept as an alias, mixed with ids the framework does not know;
# with exam sittings and reference ratings, which show whole domains.

#: A knowledge area id that no bundled framework uses.
unknown_area_ids = _joined(st.just("not-an-area-"), ids)


def area_names(framework: Framework) -> list[str]:
    """
    Return every id and alias of *framework*'s knowledge areas, in order.
    """
    return [
        name
        for domain in framework.domains
        for area in domain.knowledge_areas
        for name in (area.id, *area.aliases)
    ]


@st.composite
def named_trainings(
    draw: st.DrawFn,
    framework: Framework,
    completed_on: st.SearchStrategy[dt.date] = _recent,
) -> Training:
    """
    A training naming some of *framework*'s area ids and aliases, in any
    order, and sometimes an id the framework does not know.
    """
    known = area_names(framework)
    named = (
        draw(unique_tuples(st.sampled_from(known), max_size=4))
        if known
        else ()
    )
    unknown = draw(unique_tuples(unknown_area_ids, max_size=1))
    return Training(
        title="training",
        completed_on=draw(completed_on),
        hours=draw(hours),
        topics=draw(_topics),
        knowledge_areas=tuple(draw(st.permutations(named + unknown))),
    )


@st.composite
def covering_portfolios(draw: st.DrawFn, framework: Framework) -> Portfolio:
    """
    A portfolio of trainings naming *framework*'s areas, with exam sittings
    and reference ratings.
    """
    return Portfolio(
        id="applicant",
        code_of_ethics_signed_on=None,
        training=tuple(draw(st.lists(named_trainings(framework), max_size=6))),
        references=tuple(draw(st.lists(_applicant_reference(), max_size=3))),
        exams=tuple(draw(st.lists(_applicant_exam(), max_size=3))),
    )


@st.composite
def coverage_cases(
    draw: st.DrawFn, framework_strategy: st.SearchStrategy[Framework]
) -> tuple[Framework, Portfolio, str, dt.date]:
    """
    A framework, a portfolio naming its areas, a category code (most often
    one the framework's areas apply to) and an as-of date.
    """
    framework = draw(framework_strategy)
    codes = sorted(
        {
            code
            for domain in framework.domains
            for area in domain.knowledge_areas
            for code in area.categories
        }
    )
    category = draw(
        st.sampled_from(codes) | category_codes if codes else category_codes
    )
    return (
        framework,
        draw(covering_portfolios(framework)),
        category,
        draw(_recent),
    )


def later_coverage_evidence(
    framework: Framework, as_of: dt.date
) -> st.SearchStrategy[dict[str, tuple[Any, ...]]]:
    """
    Trainings naming *framework*'s areas, exam sittings and reference
    ratings, all dated after *as_of*.
    """
    later = st.dates(
        min_value=as_of + dt.timedelta(days=1), max_value=LAST_DAY
    )
    return st.fixed_dictionaries(
        {
            "training": st.lists(
                named_trainings(framework, completed_on=later), max_size=3
            ).map(tuple),
            "exams": st.lists(
                st.tuples(_applicant_exam(), later), max_size=2
            ).map(
                lambda pairs: tuple(
                    attrs.evolve(exam, taken_on=day) for exam, day in pairs
                )
            ),
            "references": st.lists(
                st.tuples(_applicant_reference(), later), max_size=2
            ).map(
                lambda pairs: tuple(
                    attrs.evolve(reference, submitted_on=day)
                    for reference, day in pairs
                )
            ),
        }
    )


# --- renewal histories ------------------------------------------------------
#
# Endorsements held with a renewal history (renewals made on time, late or
# never, reinstatements, inactive periods, an archiving), and the renewal
# policies that history is read under.

_HISTORY_END = dt.date(2032, 12, 31)


@st.composite
def renewal_policies(draw: st.DrawFn) -> RenewalPolicy:
    """
    A yearly renewal policy: any due day, grace days, opening and exemption.
    """
    return RenewalPolicy(
        due_month=draw(st.integers(1, 12)),
        due_day=draw(st.integers(1, 31)),
        sources=("https://example.org/rules",),
        grace_days=draw(st.integers(0, 90)),
        opens_days_before=draw(st.integers(0, 120)),
        first_year_exempt=draw(st.booleans()),
    )


@st.composite
def renewal_histories(draw: st.DrawFn) -> HeldEndorsement:
    """
    An X endorsement awarded from 2018 to 2026, with renewals,
    reinstatements and inactive periods dated after the award.
    """
    awarded = draw(
        st.dates(
            min_value=dt.date(2018, 1, 1), max_value=dt.date(2026, 12, 31)
        )
    )
    later = st.dates(min_value=awarded, max_value=_HISTORY_END)
    renewals = st.builds(
        Renewal,
        year=st.integers(awarded.year - 1, _HISTORY_END.year),
        renewed_on=later,
    )
    inactive = st.tuples(later, optional(st.integers(0, 800))).map(
        lambda pair: Period(
            start=pair[0],
            end=None
            if pair[1] is None
            else min(pair[0] + dt.timedelta(days=pair[1]), _HISTORY_END),
        )
    )
    return HeldEndorsement(
        category="X",
        awarded_on=awarded,
        status=draw(st.sampled_from(EndorsementStatus)),
        renewals=tuple(draw(st.lists(renewals, max_size=8))),
        inactive=tuple(draw(st.lists(inactive, max_size=2))),
        reinstated_on=tuple(draw(st.lists(later, max_size=3))),
        archived_on=draw(optional(later)),
    )


# --- broken documents, for the compiled validator's properties --------------
#
# A document dumped to JSON data, then broken in a few places: values of the
# wrong type, unknown keys, required keys taken away, dates not on the
# calendar, negative numbers, odd characters after a string, any JSON value.

import json  # noqa: E402 - this section's own imports, kept with it

from iecmh_core import (  # noqa: E402
    bundled_frameworks,
    bundled_rulebooks,
    dump,
    evaluate,
)

#: Strings that are not calendar dates: by format, by calendar, by year.
BAD_DATES = (
    "2025-02-30",
    "2025-13-01",
    "2025-02-29",
    "2025-04-31",
    "2025-00-10",
    "2025-01-00",
    "0000-01-01",
    "2025-1-01",
    "25-01-01",
    "2025/01/01",
    "2025-01-01T00:00:00",
    "",
)
#: Characters put after a string: line ends, spaces, and others that
#: regular-expression dialects class differently as white space.
ODD_SUFFIXES = (
    "\n",
    "\r\n",
    " ",
    "\t",
    "\x1f",
    "\x85",
    "\u00a0",
    "\u2028",
    "\ufeff",
    "\u00e9",
)
#: Every key whose value is a date, in any kind of document.
DATE_KEYS = frozenset(
    {
        "archived_on",
        "as_of",
        "awarded_on",
        "code_of_ethics_signed_on",
        "completed_on",
        "date",
        "effective_from",
        "effective_until",
        "end",
        "expires_on",
        "renewed_on",
        "start",
        "submitted_on",
        "taken_on",
    }
)
#: Keys no schema knows.
UNKNOWN_KEYS = ("colour", "Id", "notes", "$schema", "", "id ")
#: One value of each JSON type, to put where another type belongs.
_ONE_OF_EACH_TYPE = (None, True, 1, 1.5, "1", [], {})

_Place = tuple[Any, Any]


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def _copied(value: Any) -> Any:
    return json.loads(json.dumps(value))


def _places(document: Any) -> list[_Place]:
    """
    Return (container, key) for every value inside *document*, in order.
    """
    found: list[_Place] = []
    todo = [document]
    while todo:
        node = todo.pop(0)
        if isinstance(node, dict):
            items: list[tuple[Any, Any]] = list(node.items())
        elif isinstance(node, list):
            items = list(enumerate(node))
        else:
            continue
        for key, value in items:
            found.append((node, key))
            todo.append(value)
    return found


#: The ways `broken` breaks a document, one at a time.
BREAKS = (
    "any value",
    "wrong type",
    "unknown key",
    "drop key",
    "bad date",
    "negative",
    "odd suffix",
    "empty string",
    "repeat item",
)


def _fits(how: str, container: Any, key: Any) -> bool:
    """
    Tell whether the value at container[key] can be broken *how*.
    """
    value = container[key]
    return {
        "any value": True,
        "wrong type": True,
        "unknown key": False,
        "drop key": isinstance(container, dict),
        "bad date": isinstance(container, dict)
        and key in DATE_KEYS
        and (value is None or isinstance(value, str)),
        "negative": _json_type(value) == "number",
        "odd suffix": isinstance(value, str),
        "empty string": isinstance(value, str),
        "repeat item": isinstance(value, list) and bool(value),
    }[how]


def _break_once(draw: st.DrawFn, document: dict[str, Any]) -> None:
    places = _places(document)
    how = draw(st.sampled_from(BREAKS))
    candidates = [place for place in places if _fits(how, *place)]
    if not candidates:
        objects = [document] + [c[k] for c, k in places if type(c[k]) is dict]
        target = draw(st.sampled_from(objects))
        target[draw(st.sampled_from(UNKNOWN_KEYS))] = draw(json_values)
        return
    container, key = draw(st.sampled_from(candidates))
    value = container[key]
    if how == "any value":
        container[key] = draw(json_values)
    elif how == "wrong type":
        others = [
            v for v in _ONE_OF_EACH_TYPE if _json_type(v) != _json_type(value)
        ]
        container[key] = _copied(draw(st.sampled_from(others)))
    elif how == "drop key":
        del container[key]
    elif how == "bad date":
        container[key] = draw(st.sampled_from(BAD_DATES))
    elif how == "negative":
        container[key] = draw(st.sampled_from([-value, 0, -1, -0.5, -1e-9]))
    elif how == "odd suffix":
        container[key] = value + draw(st.sampled_from(ODD_SUFFIXES))
    elif how == "empty string":
        container[key] = ""
    else:
        value.append(_copied(value[0]))


@st.composite
def broken(
    draw: st.DrawFn,
    documents: st.SearchStrategy[dict[str, Any]],
    *,
    max_changes: int = 3,
) -> dict[str, Any]:
    """
    A document of *documents* (JSON data) broken in one to *max_changes*
    places; now and then the change leaves it valid.
    """
    document = _copied(draw(documents))
    for _ in range(draw(st.integers(1, max_changes))):
        _break_once(draw, document)
    return document


@st.composite
def bundled_rulebook_documents(draw: st.DrawFn) -> dict[str, Any]:
    """
    A bundled rulebook edition cut down to one of its categories, dumped.
    """
    book = draw(st.sampled_from(bundled_rulebooks()))
    category = draw(st.sampled_from(book.categories))
    document: dict[str, Any] = dump(attrs.evolve(book, categories=(category,)))
    return document


@st.composite
def bundled_framework_documents(draw: st.DrawFn) -> dict[str, Any]:
    """
    A bundled framework edition cut down to one of its domains, dumped.
    """
    framework = draw(st.sampled_from(bundled_frameworks()))
    domain = draw(st.sampled_from(framework.domains))
    kept = tuple(
        attrs.evolve(mapping, domains=(domain.id,))
        for mapping in framework.evidence
        if domain.id in mapping.domains
    )
    document: dict[str, Any] = dump(
        attrs.evolve(framework, domains=(domain,), evidence=kept)
    )
    return document


@st.composite
def evaluated_determinations(draw: st.DrawFn) -> dict[str, Any]:
    """
    The determination of an applicant's portfolio for a category of a
    bundled rulebook edition, dumped.
    """
    book = draw(st.sampled_from(bundled_rulebooks()))
    category = draw(st.sampled_from(book.categories))
    determination = evaluate(
        draw(applicants()), category.code, book, draw(_recent)
    )
    document: dict[str, Any] = dump(determination)
    return document
