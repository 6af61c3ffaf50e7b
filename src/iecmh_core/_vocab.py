"""
The closed vocabularies of the Endorsement system.

Every enumeration's values are the strings used in the JSON documents, so
``EducationLevel("master")`` is the level a portfolio spells ``"master"``.
"""

from __future__ import annotations

import enum


class _Vocabulary(enum.Enum):
    # Members are singletons, so identity hashing is exact, and it runs in C
    # where Enum's own __hash__ runs Python code on every dict or set lookup.
    __hash__ = object.__hash__


class EducationLevel(_Vocabulary):
    """
    A level of education, from a high-school diploma to a doctorate.

    Levels are ordered: ``EducationLevel.MASTER.rank`` is greater than
    ``EducationLevel.BACHELOR.rank``, so "a bachelor's degree or higher"
    compares ranks.

    >>> EducationLevel("cda").rank < EducationLevel.BACHELOR.rank
    True

    .. versionadded:: 0.1.0
    """

    HIGH_SCHOOL = "high_school"
    CDA = "cda"
    ASSOCIATE = "associate"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORATE = "doctorate"

    @property
    def rank(self) -> int:
        """
        The position of the level, 0 for high school up to 5 for a doctorate.
        """
        return _LEVEL_RANKS[self]


_LEVEL_RANKS = {level: rank for rank, level in enumerate(EducationLevel)}


class AgeBand(_Vocabulary):
    """
    The ages of the children a professional works with.

    ``INFANT`` is birth to 36 months, ``EARLY_CHILDHOOD`` is 3 to 6 years,
    ``INFANT_EARLY_CHILDHOOD`` is both.

    .. versionadded:: 0.1.0
    """

    PRENATAL = "prenatal"
    INFANT = "infant"
    EARLY_CHILDHOOD = "early_childhood"
    INFANT_EARLY_CHILDHOOD = "infant_early_childhood"


class Service(_Vocabulary):
    """
    A kind of service a job provided, along the promotion-to-treatment scale.

    .. versionadded:: 0.1.0
    """

    PROMOTION = "promotion"
    PREVENTION = "prevention"
    EARLY_INTERVENTION = "early_intervention"
    TREATMENT = "treatment"
    RSC_PROVISION = "rsc_provision"
    POLICY = "policy"
    ADMINISTRATION = "administration"
    RESEARCH = "research"
    TEACHING = "teaching"


class TrainingTopic(_Vocabulary):
    """
    A topic that some rules count separately within training hours.

    ``RSC`` is training about *providing* reflective supervision/consultation;
    ``DEI`` is diversity, equity and inclusion in IECMH.

    .. versionadded:: 0.1.0
    """

    RSC = "rsc"
    DEI = "dei"


class RscFormat(_Vocabulary):
    """
    How reflective supervision/consultation was received.

    Peer RSC (colleagues meeting with no designated facilitator) never counts
    toward an endorsement.

    .. versionadded:: 0.1.0
    """

    INDIVIDUAL = "individual"
    GROUP = "group"
    PEER = "peer"


class ReferenceRole(_Vocabulary):
    """
    The rater's relationship to the applicant in a reference rating.

    .. versionadded:: 0.1.0
    """

    SUPERVISOR = "supervisor"
    RSC_PROVIDER = "rsc_provider"
    TEACHER = "teacher"
    TRAINER = "trainer"
    CONSULTANT = "consultant"
    COLLEAGUE = "colleague"
    SUPERVISEE = "supervisee"
    PARENT = "parent"
    BOARD_MEMBER = "board_member"
    OTHER = "other"


class LeadershipLevel(_Vocabulary):
    """
    The reach of a leadership activity.

    .. versionadded:: 0.1.0
    """

    LOCAL = "local"
    REGIONAL = "regional"
    STATE = "state"
    NATIONAL = "national"


class EndorsementStatus(_Vocabulary):
    """
    The recorded status of an endorsement a professional already holds.

    .. versionadded:: 0.1.0
    """

    ACTIVE = "active"
    EMERGING = "emerging"
    INACTIVE = "inactive"
    LAPSED = "lapsed"
    REINSTATED = "reinstated"
    ARCHIVED = "archived"


class Outcome(_Vocabulary):
    """
    The three-valued outcome of one requirement.

    ``UNDETERMINED`` means the portfolio lacks a value needed to decide: a
    missing value is never read as zero or false.

    .. versionadded:: 0.1.0
    """

    MET = "met"
    UNMET = "unmet"
    UNDETERMINED = "undetermined"


class Eligibility(_Vocabulary):
    """
    The outcome of a whole determination.

    ``EMERGING``: not every requirement is met, but the category's Emerging
    requirements are; the applicant may be endorsed as Emerging and has
    until the determination's ``emerging.deadline`` to meet the rest.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``EMERGING``.
    """

    ELIGIBLE = "eligible"
    EMERGING = "emerging"
    NOT_ELIGIBLE = "not_eligible"
    UNDETERMINED = "undetermined"


class RequirementKind(_Vocabulary):
    """
    The kinds of requirement a rulebook can state.

    ``ANY_OF`` is an OR over alternative groups of requirements (for example
    a degree *or* two years of paid work). ``ENDORSEMENT_HELD`` is a
    prerequisite: another endorsement already held (for add-ons).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``ENDORSEMENT_HELD``.
    """

    EDUCATION = "education"
    WORK = "work"
    TRAINING = "training"
    RSC = "rsc"
    REFERENCES = "references"
    EXAM = "exam"
    MEMBERSHIP = "membership"
    ETHICS = "ethics"
    LEADERSHIP = "leadership"
    ENDORSEMENT_HELD = "endorsement_held"
    ANY_OF = "any_of"


class Family(_Vocabulary):
    """
    The Endorsement family a category belongs to.

    ``IMH-E`` covers pregnancy to 36 months, ``ECMH-E`` ages 3 to 6, and
    ``IECMH-E`` the combined 0 to 6 categories some associations use.

    .. versionadded:: 0.1.0
    """

    IMH_E = "IMH-E"
    ECMH_E = "ECMH-E"
    IECMH_E = "IECMH-E"


class Scope(_Vocabulary):
    """
    The scope of practice a category reflects (categories are not a ladder).

    .. versionadded:: 0.1.0
    """

    PROMOTION = "promotion"
    PREVENTION = "prevention"
    REFLECTIVE_SUPERVISION = "reflective_supervision"
    INTERVENTION = "intervention"
    LEADERSHIP = "leadership"


class DocumentKind(_Vocabulary):
    """
    The kinds of JSON document iecmh_core reads and writes.

    .. versionadded:: 0.1.0
    """

    PORTFOLIO = "portfolio"
    RULEBOOK = "rulebook"
    FRAMEWORK = "framework"
    DETERMINATION = "determination"
    COHORT_REPORT = "cohort-report"
