"""
The closed vocabularies: iecmh_core._vocab.
"""

# Assertions read `expected == actual` (STYLE.md, practice 19).

from __future__ import annotations

import enum

import pytest

from iecmh_core import (
    AgeBand,
    DocumentKind,
    EducationLevel,
    Eligibility,
    EndorsementStatus,
    Family,
    LeadershipLevel,
    Outcome,
    ReferenceRole,
    RejectionReason,
    RequirementKind,
    RscFormat,
    Scope,
    Service,
    TrainingTopic,
    schema,
)
from iecmh_core._schemas import SCHEMA_REGISTRY

COMMON = SCHEMA_REGISTRY.contents("urn:iecmh:schema:common:1")["$defs"]

#: Each vocabulary and the shared definition that lists its values.
DEFINITIONS: list[tuple[type[enum.Enum], str]] = [
    (EducationLevel, "educationLevel"),
    (AgeBand, "ageBand"),
    (Service, "service"),
    (TrainingTopic, "trainingTopic"),
    (RscFormat, "rscFormat"),
    (ReferenceRole, "referenceRole"),
    (LeadershipLevel, "leadershipLevel"),
    (EndorsementStatus, "endorsementStatus"),
    (Outcome, "outcome"),
    (Eligibility, "eligibility"),
    (RequirementKind, "requirementKind"),
    (Family, "family"),
    (Scope, "scope"),
]
VOCABULARIES = [vocabulary for vocabulary, _ in DEFINITIONS] + [
    DocumentKind,
    RejectionReason,
]


class TestValues:
    """
    The enumerations' values are the strings the documents use.
    """

    @pytest.mark.parametrize(
        ("vocabulary", "name"), DEFINITIONS, ids=[n for _, n in DEFINITIONS]
    )
    def test_match_schema(self, vocabulary, name):
        """
        Each vocabulary has exactly the values its schema definition lists.
        """
        assert COMMON[name]["enum"] == [member.value for member in vocabulary]

    def test_rejection_reasons_match_schema(self):
        """
        Rejection reasons are exactly those the determination schema lists.
        """
        reason = schema("determination")["$defs"]["rejection"]["properties"][
            "reason"
        ]

        assert reason["enum"] == [member.value for member in RejectionReason]

    def test_document_kinds(self):
        """
        The document kinds are the five shipped document schemas.
        """
        assert [
            "portfolio",
            "rulebook",
            "framework",
            "determination",
            "cohort-report",
        ] == [kind.value for kind in DocumentKind]

    @pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=str)
    def test_by_value(self, vocabulary):
        """
        Every member is found again by its value, and values are unique.
        """
        values = [member.value for member in vocabulary]

        assert len(set(values)) == len(values)
        for member in vocabulary:
            assert member is vocabulary(member.value)

    @pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=str)
    def test_unknown_value(self, vocabulary):
        """
        A value outside the vocabulary is a ValueError.
        """
        with pytest.raises(ValueError, match="not a valid"):
            vocabulary("no such value")

    @pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=str)
    def test_hashable(self, vocabulary):
        """
        Members work as dict keys and set members.
        """
        members = set(vocabulary)

        assert len(vocabulary) == len(members)
        assert {member: member.value for member in vocabulary} == {
            member: vocabulary(member.value).value for member in members
        }


class TestEducationLevel:
    """
    Education levels are ordered by rank.
    """

    def test_ranks(self):
        """
        Ranks run from 0 for high school to 5 for a doctorate.
        """
        assert [0, 1, 2, 3, 4, 5] == [level.rank for level in EducationLevel]

    @pytest.mark.parametrize(
        ("lower", "higher"),
        [
            ("high_school", "cda"),
            ("cda", "associate"),
            ("associate", "bachelor"),
            ("bachelor", "master"),
            ("master", "doctorate"),
        ],
    )
    def test_order(self, lower, higher):
        """
        Each level ranks below the next.
        """
        assert EducationLevel(lower).rank < EducationLevel(higher).rank
