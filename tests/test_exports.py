"""
Exports to the credential and competency standards: iecmh_core._exports.
"""

# Assertions read `expected == actual` (STYLE.md, practice 19).

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given

import linked_data
from iecmh_core import (
    AnyOfRequirement,
    Domain,
    EducationLevel,
    EducationRequirement,
    EthicsRequirement,
    ExamRequirement,
    Framework,
    IncompleteExportError,
    InvalidDocumentError,
    KnowledgeArea,
    LeadershipLevel,
    LeadershipRequirement,
    MembershipRequirement,
    Path,
    ProviderRule,
    ReferenceSlot,
    ReferencesRequirement,
    RscFormat,
    RscRequirement,
    TrainingRequirement,
    TrainingTopic,
    UnknownCategoryError,
    UnknownFrameworkError,
    WorkRequirement,
    bundled_framework,
    bundled_rulebook,
    bundled_rulebooks,
    export_case,
    export_ctdl,
    requirement_conditions,
)
from iecmh_core._exports import NAMESPACE, stable_uuid
from iecmh_core._vocab import AgeBand, Service
from strategies import frameworks, rulebooks, simple_requirements

EDITION_2017 = "mi-aimh-competency-guidelines-2017"
EDITION_2024 = "mi-aimh-competency-guidelines-2024"
EDITIONS = [EDITION_2017, EDITION_2024]
SOURCES = ("https://example.org/rules",)
DOMAIN_CODES = ["TF", "LRAP", "SE", "DSS", "WWO", "C", "T", "R"]
CTDL_CONTEXT = "https://credreg.net/ctdl/schema/context/json"
OWNER = "https://credentialengineregistry.org/resources/ce-00000000-0000-4000-8000-000000000001"


def case(name: str = EDITION_2024, **options: Any) -> dict[str, Any]:
    """
    Export the bundled framework edition *name* to CASE.
    """
    return export_case(bundled_framework(name), **options)


def items_of(package: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """
    Return the package's CFItems of CFItemType *kind*, in order.
    """
    return [i for i in package["CFItems"] if i["CFItemType"] == kind]


def associations_of(
    package: dict[str, Any], kind: str
) -> list[dict[str, Any]]:
    """
    Return the package's associations of type *kind*, in order.
    """
    return [
        a for a in package["CFAssociations"] if a["associationType"] == kind
    ]


def identifiers(package: dict[str, Any]) -> list[str]:
    """
    Return the identifier of the document, every item and association.
    """
    return [
        package["CFDocument"]["identifier"],
        *(i["identifier"] for i in package["CFItems"]),
        *(a["identifier"] for a in package["CFAssociations"]),
    ]


def values_of(data: Any, key: str) -> Iterator[Any]:
    """
    Yield the value of every *key* anywhere in *data*.
    """
    if isinstance(data, dict):
        for name, value in data.items():
            if name == key:
                yield value
            yield from values_of(value, key)
    elif isinstance(data, list):
        for item in data:
            yield from values_of(item, key)


def walk(requirements) -> Iterator[Any]:
    """
    Yield every requirement, those inside OR paths included, depth first.
    """
    for requirement in requirements:
        yield requirement
        if isinstance(requirement, AnyOfRequirement):
            for path in requirement.paths:
                yield from walk(path.requirements)


def ctdl(
    category: str, rulebook: str = "mi-aimh-2024", framework: str | None = None
) -> list[dict[str, Any]]:
    """
    Export *category* of a bundled rulebook to CTDL and return the graph.
    """
    return export_ctdl(
        bundled_rulebook(rulebook),
        category,
        bundled_framework(framework) if framework else None,
        owner=OWNER,
    )["@graph"]


def en(text: Any) -> dict[str, Any]:
    """
    Return a CTDL language map holding *text* in US English.
    """
    return {"en-US": text}


class TestStableUuid:
    """
    stable_uuid derives version 5 UUIDs from names, the same every time.
    """

    def test_namespace(self):
        """
        The namespace is the URL namespace's UUID for urn:iecmh.
        """
        assert uuid.uuid5(uuid.NAMESPACE_URL, "urn:iecmh") == NAMESPACE

    def test_joined(self):
        """
        The parts are joined with slashes under the namespace.
        """
        assert str(uuid.uuid5(NAMESPACE, "a/b/c")) == stable_uuid(
            "a", "b", "c"
        )

    def test_pinned(self):
        """
        The 2024 edition's identifier never changes.
        """
        assert "43eb76f8-fbdc-5ca0-9e37-0691863dc67c" == stable_uuid(
            EDITION_2024
        )

    def test_version(self):
        """
        The identifiers are version 5 UUIDs.
        """
        assert 5 == uuid.UUID(stable_uuid("x")).version


class TestCaseDocument:
    """
    The CFDocument describes the framework edition.
    """

    def test_fields(self):
        """
        The document holds the edition's identity, field by field.
        """
        framework = bundled_framework(EDITION_2024)
        identifier = stable_uuid(EDITION_2024)

        assert {
            "identifier": identifier,
            "uri": f"urn:uuid:{identifier}",
            "creator": "Michigan Association for Infant Mental Health",
            "title": framework.title,
            "lastChangeDateTime": "2024-01-01T00:00:00Z",
            "version": "2024",
            "adoptionStatus": "Adopted",
            "language": "en",
            "caseVersion": "1.1",
            "frameworkType": "Competency Guidelines",
            "notes": (
                "Exported by iecmh_core from the framework edition "
                f"{EDITION_2024}; sources: {', '.join(framework.sources)}"
            ),
            "statusStartDate": "2024-01-01",
        } == case()["CFDocument"]

    def test_package(self):
        """
        The package holds the document, the items and the associations.
        """
        assert ["CFDocument", "CFItems", "CFAssociations"] == list(case())

    def test_no_effective_date(self):
        """
        An edition without a date has no start date and a fixed stamp.
        """
        framework = Framework(id="f", title="F", edition="1")

        document = export_case(framework)["CFDocument"]

        assert ("2000-01-01T00:00:00Z", False) == (
            document["lastChangeDateTime"],
            "statusStartDate" in document,
        )


class TestCaseItems:
    """
    One CFItem per domain and per knowledge area.
    """

    @pytest.mark.parametrize("name", EDITIONS)
    def test_one_per_domain_and_area(self, name):
        """
        The items are each domain followed by its areas, in order.
        """
        framework = bundled_framework(name)

        assert [
            entry
            for domain in framework.domains
            for entry in [
                ("Domain", domain.name),
                *(("Knowledge Area", a.name) for a in domain.knowledge_areas),
            ]
        ] == [
            (i["CFItemType"], i["fullStatement"])
            for i in case(name)["CFItems"]
        ]

    def test_domain_fields(self):
        """
        A domain item holds its statement, code and position.
        """
        package = case()
        identifier = stable_uuid(EDITION_2024, "theoretical-foundations")

        assert {
            "identifier": identifier,
            "uri": f"urn:uuid:{identifier}",
            "fullStatement": "Theoretical Foundations",
            "humanCodingScheme": "TF",
            "listEnumeration": "1",
            "CFItemType": "Domain",
            "lastChangeDateTime": "2024-01-01T00:00:00Z",
        } == items_of(package, "Domain")[0]

    @pytest.mark.parametrize("name", EDITIONS)
    def test_domain_codes(self, name):
        """
        Domains are coded by their initials and numbered from 1.
        """
        domains = items_of(case(name), "Domain")

        assert list(
            zip(DOMAIN_CODES, [str(n) for n in range(1, 9)], strict=True)
        ) == [(d["humanCodingScheme"], d["listEnumeration"]) for d in domains]

    def test_area_fields(self):
        """
        An area item holds its statement, code, position and categories.
        """
        package = case()
        framework = bundled_framework(EDITION_2024)
        area = framework.domains[0].knowledge_areas[0]
        identifier = stable_uuid(EDITION_2024, area.id)

        assert {
            "identifier": identifier,
            "uri": f"urn:uuid:{identifier}",
            "fullStatement": "Pregnancy & early parenthood",
            "humanCodingScheme": "TF.1",
            "listEnumeration": "1",
            "CFItemType": "Knowledge Area",
            "conceptKeywords": list(area.categories),
            "lastChangeDateTime": "2024-01-01T00:00:00Z",
        } == items_of(package, "Knowledge Area")[0]

    @pytest.mark.parametrize("name", EDITIONS)
    def test_area_codes(self, name):
        """
        Areas are coded by their domain's code and their position.
        """
        framework = bundled_framework(name)

        assert [
            f"{code}.{n}"
            for code, domain in zip(
                DOMAIN_CODES, framework.domains, strict=True
            )
            for n in range(1, len(domain.knowledge_areas) + 1)
        ] == [
            a["humanCodingScheme"]
            for a in items_of(case(name), "Knowledge Area")
        ]

    def test_notes(self):
        """
        An area's notes say when it is unconfirmed and carry its remark.
        """
        framework = bundled_framework(EDITION_2024)
        areas = [a for d in framework.domains for a in d.knowledge_areas]

        assert [
            " ".join(
                (
                    []
                    if a.confirmed
                    else ["Not confirmed by a cited public source."]
                )
                + ([a.note] if a.note else [])
            )
            or None
            for a in areas
        ] == [i.get("notes") for i in items_of(case(), "Knowledge Area")]

    def test_note_cases(self):
        """
        Notes say "not confirmed", the area's remark, both, or are left out.
        """
        framework = Framework(
            id="f",
            title="F",
            edition="1",
            domains=(
                Domain(
                    id="d",
                    name="D",
                    knowledge_areas=(
                        KnowledgeArea(id="a", name="A", confirmed=False),
                        KnowledgeArea(id="b", name="B", note="Renamed."),
                        KnowledgeArea(
                            id="c", name="C", confirmed=False, note="Maybe."
                        ),
                        KnowledgeArea(id="e", name="E"),
                    ),
                ),
            ),
        )

        areas = items_of(export_case(framework), "Knowledge Area")

        assert [
            "Not confirmed by a cited public source.",
            "Renamed.",
            "Not confirmed by a cited public source. Maybe.",
            None,
        ] == [a.get("notes") for a in areas]


class TestCaseAssociations:
    """
    Areas are children of their domains, domains of the document.
    """

    @pytest.mark.parametrize("name", EDITIONS)
    def test_is_child_of(self, name):
        """
        Each area is a child of its domain, each domain of the document,
        numbered in order.
        """
        package = case(name)
        framework = bundled_framework(name)
        document = stable_uuid(name)
        expected = []
        for d_index, domain in enumerate(framework.domains, start=1):
            domain_id = stable_uuid(name, domain.id)
            expected.append((domain_id, document, d_index))
            expected.extend(
                (stable_uuid(name, area.id), domain_id, a_index)
                for a_index, area in enumerate(domain.knowledge_areas, 1)
            )

        assert expected == [
            (
                a["originNodeURI"]["identifier"],
                a["destinationNodeURI"]["identifier"],
                a["sequenceNumber"],
            )
            for a in associations_of(package, "isChildOf")
        ]

    def test_is_child_of_fields(self):
        """
        An isChildOf association links its nodes by title, id and uri.
        """
        package = case()
        domain, area = items_of(package, "Domain")[0], package["CFItems"][1]
        identifier = stable_uuid(
            EDITION_2024, area["identifier"], "isChildOf", domain["identifier"]
        )

        assert {
            "identifier": identifier,
            "uri": f"urn:uuid:{identifier}",
            "associationType": "isChildOf",
            "originNodeURI": {
                "title": area["fullStatement"],
                "identifier": area["identifier"],
                "uri": area["uri"],
            },
            "destinationNodeURI": {
                "title": domain["fullStatement"],
                "identifier": domain["identifier"],
                "uri": domain["uri"],
            },
            "sequenceNumber": 1,
            "lastChangeDateTime": "2024-01-01T00:00:00Z",
        } == package["CFAssociations"][1]

    def test_item_links_name_items(self):
        """
        Every node an isChildOf association names is an item or the
        document, with its uri.
        """
        package = case()
        nodes = {
            i["identifier"]: i["uri"]
            for i in [package["CFDocument"], *package["CFItems"]]
        }

        assert [] == [
            link
            for a in associations_of(package, "isChildOf")
            for link in (a["originNodeURI"], a["destinationNodeURI"])
            if nodes.get(link["identifier"]) != link["uri"]
        ]

    def test_replaced_by(self):
        """
        2024's cultural-humility replaces 2017's cultural-competence item.
        """
        old = {i["fullStatement"]: i for i in case(EDITION_2017)["CFItems"]}
        new = {i["fullStatement"]: i for i in case(EDITION_2024)["CFItems"]}
        identifier = stable_uuid(
            EDITION_2024, "cultural-competence", "replacedBy"
        )

        (association,) = associations_of(case(EDITION_2024), "replacedBy")
        origin = association["originNodeURI"]

        assert {
            "identifier": identifier,
            "uri": f"urn:uuid:{identifier}",
            "associationType": "replacedBy",
            "originNodeURI": {
                "title": "Cultural competence",
                "identifier": old["Cultural competence"]["identifier"],
                "uri": old["Cultural competence"]["uri"],
            },
            "destinationNodeURI": {
                "title": "Cultural humility",
                "identifier": new["Cultural humility"]["identifier"],
                "uri": new["Cultural humility"]["uri"],
            },
            "lastChangeDateTime": "2024-01-01T00:00:00Z",
        } == association
        assert old["Cultural competence"]["fullStatement"] == origin["title"]

    def test_first_edition_replaces_nothing(self):
        """
        The 2017 edition supersedes none, so it has no replacedBy.
        """
        assert [] == associations_of(case(EDITION_2017), "replacedBy")

    def test_counts(self):
        """
        2024 has one isChildOf per item and one replacedBy.
        """
        package = case()

        assert (len(package["CFItems"]), 1) == (
            len(associations_of(package, "isChildOf")),
            len(associations_of(package, "replacedBy")),
        )


class TestCaseIdentifiers:
    """
    CASE identifiers are valid, unique and stable.
    """

    @pytest.mark.parametrize("name", EDITIONS)
    def test_valid(self, name):
        """
        Every identifier is a version 5 UUID in its canonical form.
        """
        for identifier in identifiers(case(name)):
            assert (identifier, 5) == (
                str(uuid.UUID(identifier)),
                uuid.UUID(identifier).version,
            )

    @pytest.mark.parametrize("name", EDITIONS)
    def test_unique(self, name):
        """
        No two things share an identifier.
        """
        found = identifiers(case(name))

        assert len(found) == len(set(found))

    def test_editions_differ(self):
        """
        The two editions share no identifier.
        """
        assert set() == set(identifiers(case(EDITION_2017))) & set(
            identifiers(case(EDITION_2024))
        )

    @pytest.mark.parametrize("name", EDITIONS)
    def test_same_twice(self, name):
        """
        Two exports of an edition are equal.
        """
        assert case(name) == case(name)

    def test_across_processes(self):
        """
        Two processes, hashing differently, print the same bytes.
        """
        runs = [
            subprocess.run(
                [sys.executable, "-m", "iecmh_core", "export", "case"],
                capture_output=True,
                check=True,
                env={**os.environ, "PYTHONHASHSEED": seed},
            )
            for seed in ("1", "2")
        ]

        assert runs[0].stdout == runs[1].stdout
        assert case(EDITION_2024) == json.loads(runs[0].stdout)

    @pytest.mark.parametrize("name", EDITIONS)
    def test_base_uri(self, name):
        """
        Every uri is the base uri followed by the identifier.
        """
        base = "https://case.example.org/uri/"
        package = case(name, base_uri=base)

        links = list(values_of(package, "uri"))

        assert len(identifiers(package)) < len(links)
        assert [] == [uri for uri in links if not uri.startswith(base)]
        assert identifiers(case(name)) == identifiers(package)
        assert [] == [
            node
            for node in [
                package["CFDocument"],
                *package["CFItems"],
                *package["CFAssociations"],
                *values_of(package, "originNodeURI"),
                *values_of(package, "destinationNodeURI"),
            ]
            if node["uri"] != base + node["identifier"]
        ]

    def test_default_base_uri(self):
        """
        By default every uri is a urn:uuid.
        """
        package = case()

        assert [] == [
            uri
            for uri in values_of(package, "uri")
            if not uri.startswith("urn:uuid:")
        ]

    @given(framework=frameworks())
    def test_any_framework(self, framework):
        """
        Any framework exports one item per domain and area, with unique
        identifiers, as JSON, the same twice.
        """
        superseded = (
            attrs.evolve(framework, id=framework.supersedes, supersedes=None)
            if framework.supersedes
            else None
        )
        package = export_case(framework, superseded=superseded)

        assert sum(1 + len(d.knowledge_areas) for d in framework.domains) == (
            len(package["CFItems"])
        )
        assert len(identifiers(package)) == len(set(identifiers(package)))
        assert package == export_case(framework, superseded=superseded)
        assert package == json.loads(json.dumps(package))


class TestCtdlCredential:
    """
    A category exports as a ceterms:Certification.
    """

    def test_fields(self):
        """
        The credential names the category, the rulebook and its dates.
        """
        credential = ctdl("IFS")[0]

        assert {
            "@id": "urn:iecmh:rulebook:mi-aimh-2024#IFS",
            "@type": "ceterms:Certification",
            "ceterms:ctid": "ce-" + stable_uuid("mi-aimh-2024", "IFS"),
            "ceterms:name": en("Infant Family Specialist"),
            "ceterms:versionIdentifier": [
                {
                    "@type": "ceterms:IdentifierValue",
                    "ceterms:identifierTypeName": en("iecmh_core rulebook"),
                    "ceterms:identifierValueCode": "mi-aimh-2024",
                }
            ],
            "ceterms:dateEffective": "2024-01-01",
            "ceterms:ownedBy": [OWNER],
            "ceterms:credentialStatusType": {
                "@type": "ceterms:CredentialAlignmentObject",
                "ceterms:framework": (
                    "https://credreg.net/ctdl/terms/CredentialStatus"
                ),
                "ceterms:frameworkName": en("Credential Status"),
                "ceterms:targetNode": "credentialStat:Active",
                "ceterms:targetNodeName": en("Active"),
            },
            "ceterms:subjectWebpage": (
                "https://mi-aimh.org/endorsement/overview-of-endorsement"
            ),
            "ceterms:inLanguage": ["en-US"],
        } == {
            key: value
            for key, value in credential.items()
            if key not in {"ceterms:description", "ceterms:requires"}
        }
        assert credential["ceterms:description"]["en-US"].startswith(
            "Infant Family Specialist (IFS), IMH-E, as defined by the "
            "rulebook edition mi-aimh-2024 ("
        )
        assert credential["ceterms:description"]["en-US"].endswith(
            ", in force from 2024-01-01."
        )

    @pytest.mark.parametrize(
        ("rulebook", "code"),
        [(b.id, c.code) for b in bundled_rulebooks() for c in b.categories],
    )
    def test_ctid(self, rulebook, code):
        """
        The ctid is "ce-" and a UUID derived from the rulebook and category.
        """
        ctid = ctdl(code, rulebook)[0]["ceterms:ctid"]

        assert ctid.startswith("ce-")
        assert stable_uuid(rulebook, code) == str(uuid.UUID(ctid[3:]))

    def test_expiration(self):
        """
        An edition that ended has an expiration date, also in words, and
        its credential is deprecated.
        """
        credential = ctdl("IFS", "mi-aimh-2017")[0]

        assert "2023-12-31" == credential["ceterms:expirationDate"]
        assert (
            "credentialStat:Deprecated"
            == (
                credential["ceterms:credentialStatusType"][
                    "ceterms:targetNode"
                ]
            )
        )
        assert credential["ceterms:description"]["en-US"].endswith(
            "in force from 2017-01-01 to 2023-12-31."
        )

    def test_no_expiration(self):
        """
        An edition in force has no expiration date.
        """
        assert "ceterms:expirationDate" not in ctdl("IFS")[0]

    def test_document(self):
        """
        The export is JSON-LD with the CTDL context, the credential and
        its owner alone.
        """
        exported = export_ctdl(
            bundled_rulebook("mi-aimh-2024"), "IFS", owner=OWNER
        )

        assert (CTDL_CONTEXT, 2) == (
            exported["@context"],
            len(exported["@graph"]),
        )
        assert [] == list(values_of(exported, "ceterms:targetCompetency"))
        assert exported == json.loads(json.dumps(exported))

    def test_owner(self):
        """
        The owner is a CredentialOrganization, the association by default.
        """
        owner = ctdl("IFS")[1]
        named = export_ctdl(
            bundled_rulebook("massaimh-2024"),
            "I/ECFS",
            owner="https://example.org/o",
            owner_name="Another name",
        )["@graph"][1]

        assert {
            "@id": OWNER,
            "@type": "ceterms:CredentialOrganization",
            "ceterms:name": en(
                "Michigan Association for Infant Mental Health"
            ),
        } == owner
        assert en("Another name") == named["ceterms:name"]

    def test_subject_webpage_given(self):
        """
        The caller's subject web page replaces the rulebook's first source.
        """
        page = "https://example.org/ifs"
        credential = export_ctdl(
            bundled_rulebook("mi-aimh-2024"),
            "IFS",
            owner=OWNER,
            subject_webpage=page,
        )["@graph"][0]

        assert page == credential["ceterms:subjectWebpage"]

    @pytest.mark.parametrize("owner", [None, "", "not a uri", "mi-aimh"])
    def test_owner_required(self, owner):
        """
        Without an absolute owner URI the export is refused, naming what
        the Registry needs and how to give it.
        """
        with pytest.raises(IncompleteExportError) as caught:
            export_ctdl(bundled_rulebook("mi-aimh-2024"), "IFS", owner=owner)

        assert (
            "the CTDL export of IFS: ceterms:ownedBy: expected the absolute "
            "URI of the organization that owns the credential (owner, or "
            "--owner), which the Credential Registry requires; got "
            + ("nothing" if owner is None else repr(owner))
        ) == str(caught.value)
        assert ("ceterms:ownedBy", owner) == (
            caught.value.field,
            caught.value.found,
        )

    @pytest.mark.parametrize("page", [None, "example.org/ifs", "ftp://x/y"])
    def test_subject_webpage_required(self, page):
        """
        A rulebook with no source and no page given is refused.
        """
        book = attrs.evolve(bundled_rulebook("mi-aimh-2024"), sources=())

        with pytest.raises(IncompleteExportError) as caught:
            export_ctdl(book, "IFS", owner=OWNER, subject_webpage=page)

        assert "ceterms:subjectWebpage" == caught.value.field
        assert str(caught.value).startswith(
            "the CTDL export of IFS: ceterms:subjectWebpage: expected the "
            "http(s) URL of the credential's web page (subject_webpage, or "
            "--subject-webpage)"
        )

    def test_unknown_category(self):
        """
        A category the rulebook lacks raises UnknownCategoryError.
        """
        with pytest.raises(UnknownCategoryError) as caught:
            ctdl("NOPE")

        assert ("NOPE", "mi-aimh-2024") == (
            caught.value.code,
            caught.value.rulebook,
        )


class TestCtdlConditions:
    """
    One ConditionProfile per requirement, in rulebook order.
    """

    @pytest.mark.parametrize(
        ("rulebook", "code"),
        [(b.id, c.code) for b in bundled_rulebooks() for c in b.categories],
    )
    def test_one_per_requirement(self, rulebook, code):
        """
        The profiles name the category's requirements, in order, and each
        description leads back to the rule.
        """
        category = bundled_rulebook(rulebook).category(code)

        profiles = ctdl(code, rulebook)[0]["ceterms:requires"]

        assert [en(f"{r.title} ({r.id})") for r in category.requirements] == [
            p["ceterms:name"] for p in profiles
        ]
        for requirement, profile in zip(
            category.requirements, profiles, strict=True
        ):
            assert "ceterms:ConditionProfile" == profile["@type"]
            assert (
                f"urn:iecmh:rulebook:{rulebook}#{requirement.id}"
                in profile["ceterms:description"]["en-US"]
            )
            assert (
                en(requirement_conditions(requirement))
                == (profile["ceterms:condition"])
            )
            assert requirement.sources[0] == profile["ceterms:subjectWebpage"]

    def test_training_hours(self):
        """
        Training hours are a creditValue in clock hours.
        """
        (profile,) = [
            p
            for p in ctdl("IFS")[0]["ceterms:requires"]
            if p["ceterms:name"]["en-US"].endswith("(ifs.training)")
        ]
        hours = bundled_rulebook("mi-aimh-2024").category("IFS")
        (training,) = [r for r in hours.requirements if r.id == "ifs.training"]

        assert [
            {
                "@type": "ceterms:ValueProfile",
                "schema:value": int(training.hours),
                "ceterms:creditUnitType": ["creditUnit:ClockHour"],
                "schema:description": en("clock hours"),
            }
        ] == profile["ceterms:creditValue"]

    def test_rsc_hours(self):
        """
        RSC hours are a creditValue in clock hours too.
        """
        category = bundled_rulebook("mi-aimh-2024").category("IFS")
        (rsc,) = [r for r in category.requirements if r.id == "ifs.rsc"]
        (profile,) = [
            p
            for p in ctdl("IFS")[0]["ceterms:requires"]
            if p["ceterms:name"]["en-US"].endswith("(ifs.rsc)")
        ]

        assert (rsc.hours, "creditUnit:ClockHour") == (
            Decimal(str(profile["ceterms:creditValue"][0]["schema:value"])),
            profile["ceterms:creditValue"][0]["ceterms:creditUnitType"][0],
        )

    def test_work_years(self):
        """
        Work years are the yearsOfExperience.
        """
        category = bundled_rulebook("mi-aimh-2024").category("IFS")
        (work,) = [r for r in category.requirements if r.id == "ifs.work"]
        (profile,) = [
            p
            for p in ctdl("IFS")[0]["ceterms:requires"]
            if p["ceterms:name"]["en-US"].endswith("(ifs.work)")
        ]

        assert work.years == Decimal(str(profile["ceterms:yearsOfExperience"]))
        assert "ceterms:creditValue" not in profile

    def test_leadership_years(self):
        """
        Leadership years are the yearsOfExperience.
        """
        (profile,) = [
            p
            for p in ctdl("IFRS")[0]["ceterms:requires"]
            if p["ceterms:name"]["en-US"].endswith("(ifrs.leadership)")
        ]

        assert "ceterms:yearsOfExperience" in profile

    def test_references(self):
        """
        Reference ratings are asked for as a submission.
        """
        (profile,) = [
            p
            for p in ctdl("IFS")[0]["ceterms:requires"]
            if p["ceterms:name"]["en-US"].endswith("(ifs.references)")
        ]

        assert (
            en("Reference ratings")
            == (profile["ceterms:submissionOfDescription"])
        )
        assert "ceterms:submissionOf" not in profile

    def test_any_of(self):
        """
        IFA's OR has one alternativeCondition per path, each holding the
        conditions and quantities of its requirements.
        """
        category = bundled_rulebook("mi-aimh-2024").category("IFA")
        (either,) = [
            r for r in category.requirements if isinstance(r, AnyOfRequirement)
        ]
        profile = ctdl("IFA")[0]["ceterms:requires"][0]

        alternatives = profile["ceterms:alternativeCondition"]

        assert [
            (
                "ceterms:ConditionProfile",
                en(path.title),
                en(
                    [
                        line
                        for r in path.requirements
                        for line in requirement_conditions(r)
                    ]
                ),
            )
            for path in either.paths
        ] == [
            (a["@type"], a["ceterms:name"], a["ceterms:condition"])
            for a in alternatives
        ]
        assert 2 == len(alternatives)
        assert "ceterms:yearsOfExperience" not in alternatives[0]
        assert 2 == alternatives[1]["ceterms:yearsOfExperience"]
        assert [] == [
            inner.id
            for path in either.paths
            for inner in path.requirements
            if f"urn:iecmh:rulebook:mi-aimh-2024#{inner.id}"
            not in json.dumps(alternatives)
        ]

    def test_exam_parts(self):
        """
        IMHS's exam parts each target an assessment.
        """
        profiles = {
            p["ceterms:name"]["en-US"]: p
            for p in ctdl("IMHS")[0]["ceterms:requires"]
        }
        category = bundled_rulebook("mi-aimh-2024").category("IMHS")
        exams = [
            r for r in category.requirements if isinstance(r, ExamRequirement)
        ]

        assert [
            [
                {
                    "@type": "ceterms:AssessmentProfile",
                    "ceterms:name": en(f"Endorsement exam, part {r.part}"),
                    "ceterms:description": en(requirement_conditions(r)[0]),
                }
            ]
            for r in exams
        ] == [
            profiles[f"{r.title} ({r.id})"]["ceterms:targetAssessment"]
            for r in exams
        ]
        assert [1, 2] == [r.part for r in exams]

    def test_note(self):
        """
        A requirement's note is added to its description.
        """
        category = bundled_rulebook("mi-aimh-2024").category("IFS")
        profiles = ctdl("IFS")[0]["ceterms:requires"]

        for requirement, profile in zip(
            category.requirements, profiles, strict=True
        ):
            text = profile["ceterms:description"]["en-US"]
            assert (
                f"How the rulebook reads its sources: {requirement.note}"
                in text
            ) == bool(requirement.note)

    def test_date_effective(self):
        """
        Each profile takes effect with the rulebook.
        """
        profiles = ctdl("IFS", "mi-aimh-2017")[0]["ceterms:requires"]

        assert {"2017-01-01"} == {p["ceterms:dateEffective"] for p in profiles}

    @given(rulebook=rulebooks())
    def test_any_rulebook(self, rulebook):
        """
        Any rulebook's categories export as JSON, one profile per
        requirement, the same twice.
        """
        page = "https://example.org/category"
        for category in rulebook.categories:
            exported = export_ctdl(
                rulebook, category.code, owner=OWNER, subject_webpage=page
            )

            assert len(category.requirements) == len(
                exported["@graph"][0]["ceterms:requires"]
            )
            assert exported == json.loads(json.dumps(exported))
            assert exported == export_ctdl(
                rulebook, category.code, owner=OWNER, subject_webpage=page
            )


class TestCtdlCompetencies:
    """
    With a framework, its domains and areas export as CTDL-ASN.
    """

    def test_framework_node(self):
        """
        The framework is a CompetencyFramework whose top children are the
        domains.
        """
        framework = bundled_framework(EDITION_2024)
        node = f"urn:iecmh:framework:{EDITION_2024}"

        graph = ctdl("IFS", framework=EDITION_2024)

        assert {
            "@id": node,
            "@type": "ceasn:CompetencyFramework",
            "ceasn:name": en(framework.title),
            "ceterms:versionIdentifier": [
                {
                    "@type": "ceterms:IdentifierValue",
                    "ceterms:identifierTypeName": en("edition"),
                    "ceterms:identifierValueCode": "2024",
                }
            ],
            "ceasn:inLanguage": ["en-US"],
            "ceasn:hasTopChild": [f"{node}#{d.id}" for d in framework.domains],
            "ceasn:dateValidFrom": "2024-01-01T00:00:00Z",
        } == graph[2]

    @pytest.mark.parametrize("name", EDITIONS)
    def test_one_competency_per_domain_and_area(self, name):
        """
        Each domain and area is a Competency, areas children of domains.
        """
        framework = bundled_framework(name)
        node = f"urn:iecmh:framework:{name}"
        expected = []
        for domain in framework.domains:
            expected.append(
                {
                    "@id": f"{node}#{domain.id}",
                    "@type": "ceasn:Competency",
                    "ceasn:competencyText": en(domain.name),
                    "ceasn:codedNotation": domain.id,
                    "ceasn:isPartOf": node,
                    "ceasn:isTopChildOf": node,
                    "ceasn:competencyCategory": en("Domain"),
                }
            )
            expected.extend(
                {
                    "@id": f"{node}#{area.id}",
                    "@type": "ceasn:Competency",
                    "ceasn:competencyText": en(area.name),
                    "ceasn:codedNotation": area.id,
                    "ceasn:isPartOf": node,
                    "ceasn:isChildOf": [f"{node}#{domain.id}"],
                    "ceasn:competencyCategory": en("Knowledge Area"),
                }
                for area in domain.knowledge_areas
            )

        assert expected == ctdl("IFS", framework=name)[3:]

    @pytest.mark.parametrize(
        "category", ["IFA", "IFS", "IFRS", "IMHS", "IMHM-C", "ECMHM-RF"]
    )
    def test_target_competencies(self, category):
        """
        The credential aligns exactly the areas the category expects.
        """
        framework = bundled_framework(EDITION_2024)
        node = f"urn:iecmh:framework:{EDITION_2024}"

        credential = ctdl(category, framework=EDITION_2024)[0]
        condition = credential["ceterms:requires"][-1]

        assert [
            {
                "@type": "ceterms:CredentialAlignmentObject",
                "ceterms:framework": node,
                "ceterms:frameworkName": en(framework.title),
                "ceterms:targetNode": f"{node}#{area.id}",
                "ceterms:targetNodeName": en(area.name),
            }
            for domain in framework.domains
            for area in domain.knowledge_areas
            if category in area.categories
        ] == condition["ceterms:targetCompetency"]
        assert (
            "ceterms:ConditionProfile",
            en(f"Competencies ({EDITION_2024})"),
        ) == (condition["@type"], condition["ceterms:name"])
        assert "ceterms:targetCompetency" not in credential

    def test_mentors_add_statistics(self):
        """
        IMHM-C is aligned to statistics and IFS is not.
        """
        node = f"urn:iecmh:framework:{EDITION_2024}#statistics"

        assert (True, False) == tuple(
            node
            in [
                a["ceterms:targetNode"]
                for a in ctdl(code, framework=EDITION_2024)[0][
                    "ceterms:requires"
                ][-1]["ceterms:targetCompetency"]
            ]
            for code in ("IMHM-C", "IFS")
        )

    def test_no_valid_from(self):
        """
        A framework without a date has no dateValidFrom, and one without
        areas for the category no competency condition.
        """
        framework = Framework(id="f", title="F", edition="1")

        graph = export_ctdl(
            bundled_rulebook("mi-aimh-2024"), "IFS", framework, owner=OWNER
        )["@graph"]

        assert "ceasn:CompetencyFramework" == graph[2]["@type"]
        assert "ceasn:dateValidFrom" not in graph[2]
        assert [] == list(values_of(graph, "ceterms:targetCompetency"))


def _requirement(cls, **fields):
    return cls(id="x.r", title="R", sources=SOURCES, **fields)


class TestRequirementConditions:
    """
    requirement_conditions says what a requirement asks, a line a condition.
    """

    @pytest.mark.parametrize(
        "requirement",
        [
            pytest.param(r, id=f"{b.id}: {r.id}")
            for b in bundled_rulebooks()
            for c in b.categories
            for r in walk(c.requirements)
        ],
    )
    def test_every_bundled_requirement(self, requirement):
        """
        Every bundled requirement, OR paths included, gives non-empty lines.
        """
        lines = requirement_conditions(requirement)

        assert [] != lines
        assert [] == [
            line for line in lines if not isinstance(line, str) or not line
        ]

    @given(requirement=simple_requirements("x.r"))
    def test_any_requirement(self, requirement):
        """
        Any requirement but an OR gives non-empty lines.
        """
        lines = requirement_conditions(requirement)

        assert [] != lines
        assert all(isinstance(line, str) and line for line in lines)

    @pytest.mark.parametrize(
        ("requirement", "lines"),
        [
            (
                _requirement(
                    EducationRequirement, levels=(EducationLevel.MASTER,)
                ),
                ["A completed degree or credential: master"],
            ),
            (
                _requirement(
                    EducationRequirement,
                    levels=(
                        EducationLevel.BACHELOR,
                        EducationLevel.MASTER,
                        EducationLevel.DOCTORATE,
                    ),
                ),
                [
                    (
                        "A completed degree or credential: bachelor, master or "
                        "doctorate"
                    )
                ],
            ),
            (
                _requirement(
                    WorkRequirement, years=Decimal("1.5"), paid_only=False
                ),
                ["At least 1.5 years of full-time-equivalent work"],
            ),
            (
                _requirement(
                    WorkRequirement,
                    years=Decimal(2),
                    paid_only=True,
                    age_bands=(AgeBand.INFANT,),
                    services=(Service.PREVENTION,),
                    min_families=8,
                    after_level=EducationLevel.MASTER,
                    supervised_only=True,
                ),
                [
                    "At least 2 years of full-time-equivalent paid work",
                    "With the age band infant",
                    "Providing prevention services",
                    "Serving at least 8 families",
                    "After a master degree or higher",
                    "Supervised",
                ],
            ),
            (
                _requirement(TrainingRequirement, hours=Decimal(30)),
                ["At least 30 clock hours of in-service training"],
            ),
            (
                _requirement(
                    TrainingRequirement,
                    hours=Decimal(15),
                    topic=TrainingTopic.RSC,
                ),
                [
                    (
                        "At least 15 clock hours of in-service training about "
                        "providing reflective supervision/consultation"
                    )
                ],
            ),
            (
                _requirement(
                    TrainingRequirement,
                    hours=Decimal(6),
                    topic=TrainingTopic.DEI,
                ),
                [
                    (
                        "At least 6 clock hours of in-service training on "
                        "diversity, equity and inclusion in IECMH"
                    )
                ],
            ),
            (
                _requirement(
                    ExamRequirement, part=1, pass_percent=Decimal(80)
                ),
                ["Pass part 1 of the Endorsement exam with at least 80%"],
            ),
            (
                _requirement(ExamRequirement, part=2),
                ["Pass part 2 of the Endorsement exam"],
            ),
            (
                _requirement(MembershipRequirement),
                [
                    "A current membership in an infant mental health association"
                ],
            ),
            (
                _requirement(MembershipRequirement, associations=("mi-aimh",)),
                ["A current membership in mi-aimh association"],
            ),
            (
                _requirement(EthicsRequirement),
                ["The Code of Ethics and Endorsement Agreement, signed"],
            ),
            (
                _requirement(LeadershipRequirement, years=Decimal(3)),
                ["At least 3 years of leadership"],
            ),
            (
                _requirement(
                    LeadershipRequirement,
                    years=Decimal(3),
                    levels=(LeadershipLevel.STATE, LeadershipLevel.NATIONAL),
                ),
                [
                    "At least 3 years of leadership at the state or national level"
                ],
            ),
            (
                _requirement(
                    ReferencesRequirement,
                    count=2,
                    slots=(
                        ReferenceSlot(title="a supervisor"),
                        ReferenceSlot(title="a colleague"),
                    ),
                    void_at=6,
                ),
                [
                    "2 reference ratings",
                    "One from a supervisor",
                    "One from a colleague",
                    (
                        "A rating with 6 or more items the rater could not rate "
                        "does not count"
                    ),
                ],
            ),
            (
                _requirement(ReferencesRequirement, count=3),
                ["3 reference ratings"],
            ),
            (
                _requirement(
                    AnyOfRequirement,
                    paths=(
                        Path(
                            id="a",
                            title="a degree",
                            requirements=(
                                _requirement(
                                    EducationRequirement,
                                    levels=(EducationLevel.CDA,),
                                ),
                            ),
                        ),
                        Path(
                            id="b",
                            title="two years of work",
                            requirements=(
                                _requirement(
                                    WorkRequirement, years=Decimal(2)
                                ),
                            ),
                        ),
                    ),
                ),
                ["One of: a degree; or two years of work"],
            ),
        ],
        ids=lambda value: getattr(value, "kind", None) and value.kind.value,
    )
    def test_lines(self, requirement, lines):
        """
        Each kind of requirement is said in its own words.
        """
        assert lines == requirement_conditions(requirement)

    def test_rsc_minimal(self):
        """
        An RSC requirement says its hours, window and formats.
        """
        requirement = _requirement(
            RscRequirement,
            hours=Decimal(24),
            window_months=24,
            providers=(ProviderRule(categories=("IMHM-C",)),),
            formats=(RscFormat.INDIVIDUAL, RscFormat.GROUP),
        )

        assert [
            (
                "At least 24 clock hours of reflective supervision/consultation "
                "received within the 24 months up to the date evaluated"
            ),
            "In individual or group format (peer RSC does not count)",
            "Provider: endorsed IMHM-C",
        ] == requirement_conditions(requirement)

    def test_rsc_full(self):
        """
        An RSC requirement says every limit and provider rule it has.
        """
        requirement = _requirement(
            RscRequirement,
            hours=Decimal("50.5"),
            window_months=36,
            providers=(
                ProviderRule(
                    categories=("IMHM-C", "IMHM-RF"),
                    vetted=True,
                    provider_levels=(EducationLevel.MASTER,),
                    applicant_levels=(EducationLevel.BACHELOR,),
                ),
                ProviderRule(vetted=True),
            ),
            formats=(RscFormat.INDIVIDUAL,),
            min_span_months=12,
            max_providers=2,
            majority_from_one=True,
            about_providing_rsc=True,
        )

        assert [
            (
                "At least 50.5 clock hours of reflective supervision/consultation "
                "received within the 36 months up to the date evaluated"
            ),
            "In individual format (peer RSC does not count)",
            "Spread over at least 12 months",
            "From at most 2 providers",
            "More than half of the hours from one provider",
            "About the RSC the applicant provides to others",
            (
                "Provider: endorsed IMHM-C or IMHM-RF or vetted by the "
                "association, with a master degree (for applicants whose highest "
                "degree is bachelor)"
            ),
            "Provider: vetted by the association",
        ] == requirement_conditions(requirement)


# -- the standards' own artifacts, in ../shared/interop ------------------------

CASE_SCHEMA = "case_v1p1/case_v1p1_cfpackage-jsonschema1.json"
CATEGORIES = [
    (book.id, category.code)
    for book in bundled_rulebooks()
    for category in book.categories
]


@pytest.fixture(scope="module")
def interop() -> Any:
    """
    Return ../shared/interop, or skip: it holds the official artifacts.
    """
    from conftest import SHARED  # noqa: PLC0415

    if not (SHARED / "interop").is_dir():
        pytest.skip(
            f"../shared is absent: {SHARED / 'interop'} holds the official "
            "CASE schema, CTDL vocabularies and JSON-LD contexts this test "
            "checks the exports against"
        )
    return SHARED / "interop"


@pytest.fixture(scope="module")
def validator(interop):
    """
    Return a validator of the official CASE 1.1 CFPackage schema.
    """
    schema = json.loads((interop / CASE_SCHEMA).read_text("utf-8"))
    checker = jsonschema.Draft201909Validator.FORMAT_CHECKER
    # Format checking must be real: uuid, date and date-time (the last
    # needs rfc3339-validator, in the tests group) are checked.
    assert {"uuid", "date", "date-time"} <= set(checker.checkers)
    jsonschema.Draft201909Validator.check_schema(schema)
    return jsonschema.Draft201909Validator(schema, format_checker=checker)


@pytest.fixture(scope="module")
def terms(interop):
    """
    Return the CTDL and CTDL-ASN vocabularies' terms by their ids.
    """
    return _vocabulary(interop)


@pytest.fixture(scope="module")
def known(interop):
    """
    Return the published JSON-LD contexts by their URLs.
    """
    return linked_data.contexts(interop.parent)


class TestCaseOfficialSchema:
    """
    The package validates against 1EdTech's CASE 1.1 CFPackage schema.
    """

    @pytest.mark.parametrize("name", EDITIONS)
    @pytest.mark.parametrize(
        "base_uri", ["urn:uuid:", "https://case.example.org/uri/"]
    )
    def test_valid(self, validator, name, base_uri):
        package = case(name, base_uri=base_uri)

        assert [] == [
            f"{error.json_path}: {error.message}"
            for error in validator.iter_errors(package)
        ]

    def test_the_validator_finds_what_1_0_put_in_packages(self, validator):
        """
        The schema refuses CFDocumentURI on a package's items and a
        malformed date-time, so a passing test means something.
        """
        package = case()
        package["CFItems"][0]["CFDocumentURI"] = {
            "title": "t",
            "identifier": package["CFDocument"]["identifier"],
            "uri": package["CFDocument"]["uri"],
        }
        package["CFDocument"]["lastChangeDateTime"] = "2024-01-01"

        assert {"$.CFItems[0]", "$.CFDocument.lastChangeDateTime"} == {
            error.json_path for error in validator.iter_errors(package)
        }

    @given(framework=frameworks())
    def test_any_framework(self, validator, framework):
        superseded = (
            attrs.evolve(framework, id=framework.supersedes, supersedes=None)
            if framework.supersedes
            else None
        )
        package = export_case(framework, superseded=superseded)

        assert [] == [
            f"{error.json_path}: {error.message}"
            for error in validator.iter_errors(package)
        ]


class TestCaseSuperseded:
    """
    A replacedBy origin needs the superseded edition, to take its title.
    """

    def test_given(self):
        framework = bundled_framework(EDITION_2024)
        old = bundled_framework(EDITION_2017)
        renamed = attrs.evolve(
            old,
            domains=tuple(
                attrs.evolve(
                    domain,
                    knowledge_areas=tuple(
                        attrs.evolve(area, name="Competence, renamed")
                        if area.id == "cultural-competence"
                        else area
                        for area in domain.knowledge_areas
                    ),
                )
                for domain in old.domains
            ),
        )

        (association,) = associations_of(
            export_case(framework, superseded=renamed), "replacedBy"
        )

        assert "Competence, renamed" == association["originNodeURI"]["title"]

    def test_unknown(self):
        framework = attrs.evolve(
            bundled_framework(EDITION_2024), supersedes="elsewhere-1999"
        )

        other = attrs.evolve(bundled_framework(EDITION_2017), id="mine-1")

        with pytest.raises(UnknownFrameworkError) as caught:
            export_case(framework)
        with pytest.raises(UnknownFrameworkError) as named:
            export_case(framework, superseded=other)

        assert "elsewhere-1999" == caught.value.wanted
        assert (*caught.value.known, "mine-1") == named.value.known

    def test_alias_not_in_the_old_edition(self):
        framework = bundled_framework(EDITION_2024)
        other = attrs.evolve(
            bundled_framework(EDITION_2017), id=EDITION_2017, domains=()
        )

        with pytest.raises(InvalidDocumentError) as caught:
            export_case(framework, superseded=other)

        (problem,) = caught.value.problems
        assert (
            "$.domains[0].knowledge_areas[9].aliases[0]",
            (
                "expected the id of a knowledge area of the superseded "
                f"edition {EDITION_2017}; got 'cultural-competence'"
            ),
        ) == (problem.path, problem.message)


def _vocabulary(interop) -> dict[str, dict[str, Any]]:
    terms = {}
    for name in ("ctdl-schema.json", "ctdlasn-schema.json"):
        graph = json.loads((interop / "ctdl" / name).read_text("utf-8"))
        terms.update({term["@id"]: term for term in graph["@graph"]})
    return terms


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
)
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")


class CtdlChecker:
    """
    Checks a CTDL graph against the vocabulary's own domain and range data.
    """

    def __init__(self, terms: dict[str, dict[str, Any]]) -> None:
        self.terms = terms
        self.problems: list[str] = []
        self.nodes: dict[str, str] = {}

    def supertypes(self, kind: str) -> set[str]:
        found = {kind}
        for parent in self.terms.get(kind, {}).get("rdfs:subClassOf", []):
            found |= self.supertypes(parent)
        return found

    def is_class(self, kind: str) -> bool:
        return self.terms.get(kind, {}).get("@type") == "rdfs:Class"

    def check_graph(self, document: dict[str, Any]) -> list[str]:
        self.nodes = {
            node["@id"]: node["@type"]
            for node in document["@graph"]
            if "@id" in node
        }
        for index, node in enumerate(document["@graph"]):
            self.check_node(node, f"$['@graph'][{index}]")
        return self.problems

    def check_node(self, node: dict[str, Any], path: str) -> None:
        kind = node.get("@type")
        if not isinstance(kind, str) or not self.is_class(kind):
            self.problems.append(f"{path}: {kind!r} is no CTDL class")
            return
        kinds = self.supertypes(kind)
        for key, value in node.items():
            if key in {"@id", "@type"}:
                continue
            where = f"{path}[{key!r}]"
            term = self.terms.get(key)
            if term is None or term.get("@type") != "rdf:Property":
                self.problems.append(f"{where}: no CTDL property {key}")
                continue
            if not kinds & set(term.get("schema:domainIncludes", [])):
                self.problems.append(f"{where}: {kind} is not in its domain")
            self.check_value(value, term["schema:rangeIncludes"], where)

    def check_value(self, value: Any, ranges: list[str], where: str) -> None:
        if "rdf:langString" in ranges and isinstance(value, dict):
            if "@type" in value or not all(
                _LANGUAGE.match(tag)
                and (
                    isinstance(text, str)
                    or (
                        isinstance(text, list)
                        and all(isinstance(t, str) for t in text)
                    )
                )
                for tag, text in value.items()
            ):
                self.problems.append(f"{where}: not a language map: {value}")
            return
        if "rdf:langString" in ranges and isinstance(value, list):
            # The term's context makes it a language container: it takes
            # one map, whose values may be lists, not a list of maps.
            self.problems.append(
                f"{where}: {value!r} is not in {ranges}: a list of maps"
            )
            return
        if isinstance(value, list):
            for index, item in enumerate(value):
                self.check_value(item, ranges, f"{where}[{index}]")
            return
        if not any(self.fits(value, kind, where) for kind in ranges):
            self.problems.append(f"{where}: {value!r} is not in {ranges}")

    def fits(self, value: Any, kind: str, where: str) -> bool:  # noqa: PLR0911
        if isinstance(value, dict):
            if not self.is_class(kind):
                return False
            if kind not in self.supertypes(value.get("@type", "")):
                return False
            self.check_node(value, where)
            return True
        if isinstance(value, bool):
            return kind == "xsd:boolean"
        if isinstance(value, int | float):
            return kind in {"xsd:float", "xsd:decimal", "xsd:integer"}
        checks = {
            "xsd:string": lambda _: True,
            "xsd:date": _DATE.match,
            "xsd:dateTime": _DATE_TIME.match,
            "xsd:anyURI": _IRI.match,
            "xsd:language": _LANGUAGE.match,
        }
        if kind in checks:
            return bool(checks[kind](value))
        if value in self.nodes:
            return kind in self.supertypes(self.nodes[value])
        concept = self.terms.get(value, {})
        return kind == "skos:Concept" and concept.get("@type") == kind


class TestCtdlVocabulary:
    """
    Every class and property the CTDL export uses is CTDL's, on its domain,
    with a value in its range, as the vocabulary itself says.
    """

    @pytest.mark.parametrize(("rulebook", "code"), CATEGORIES)
    @pytest.mark.parametrize("framework", [None, EDITION_2017, EDITION_2024])
    def test_every_category(self, terms, rulebook, code, framework):
        exported = export_ctdl(
            bundled_rulebook(rulebook),
            code,
            bundled_framework(framework) if framework else None,
            owner=OWNER,
        )

        assert [] == CtdlChecker(terms).check_graph(exported)

    @given(rulebook=rulebooks())
    def test_any_rulebook(self, terms, rulebook):
        for category in rulebook.categories:
            exported = export_ctdl(
                rulebook,
                category.code,
                owner=OWNER,
                subject_webpage="https://example.org/category",
            )

            assert [] == CtdlChecker(terms).check_graph(exported)

    @pytest.mark.parametrize(
        ("node", "problem"),
        [
            (
                {
                    "@type": "ceterms:Certification",
                    "ceterms:targetCondition": [],
                },
                "no CTDL property ceterms:targetCondition",
            ),
            (
                {
                    "@type": "ceterms:Certification",
                    "ceterms:targetCompetency": [],
                },
                "ceterms:Certification is not in its domain",
            ),
            (
                {
                    "@type": "ceterms:ConditionProfile",
                    "ceterms:submissionOf": "Reference ratings",
                },
                "'Reference ratings' is not in ['xsd:anyURI']",
            ),
            (
                {
                    "@type": "ceasn:CompetencyFramework",
                    "ceasn:dateValidFrom": "2024-01-01",
                },
                "'2024-01-01' is not in ['xsd:dateTime']",
            ),
            (
                {
                    "@type": "ceterms:ConditionProfile",
                    "ceterms:condition": [{"en-US": "x"}],
                },
                "[{'en-US': 'x'}] is not in ['rdf:langString']",
            ),
            (
                {
                    "@type": "ceterms:ConditionProfile",
                    "ceterms:creditValue": [
                        {"@type": "schema:QuantitativeValue"}
                    ],
                },
                "is not in ['ceterms:ValueProfile']",
            ),
        ],
    )
    def test_the_checker_finds_what_the_old_export_did(
        self, terms, node, problem
    ):
        """
        The mistakes the export used to make are each found.
        """
        found = CtdlChecker(terms).check_graph({"@graph": [node]})

        assert 1 == len(found)
        assert problem in found[0]


class TestCtdlJsonLd:
    """
    Expanded with the CTDL context by a real JSON-LD processor, every
    export keeps every value, condition texts as literals.
    """

    @pytest.mark.parametrize(("rulebook", "code"), CATEGORIES)
    def test_lossless(self, known, rulebook, code):
        exported = export_ctdl(
            bundled_rulebook(rulebook),
            code,
            bundled_framework(EDITION_2024),
            owner=OWNER,
        )

        linked_data.expand_losslessly(exported, known)

    @pytest.mark.parametrize(("rulebook", "code"), CATEGORIES)
    def test_condition_texts_survive(self, known, rulebook, code):
        exported = export_ctdl(bundled_rulebook(rulebook), code, owner=OWNER)
        condition = "https://purl.org/ctdl/terms/condition"

        expanded = linked_data.expand_losslessly(exported, known)

        texts = [
            value
            for values in values_of(expanded, condition)
            for value in values
        ]

        assert sorted(
            line
            for lines in values_of(exported, "ceterms:condition")
            for line in lines["en-US"]
        ) == sorted(value["@value"] for value in texts)
        # JSON-LD processors may lower-case language tags (BCP 47 ignores case).
        assert {"en-us"} == {value["@language"].lower() for value in texts}

    @pytest.mark.parametrize(
        "node",
        [
            {"ceterms:condition": [{"en-US": "x"}, {"en-US": "y"}]},
            {"ceterms:targetNode": "clockhours"},
            {"unknownprefix:x": "y"},
        ],
    )
    def test_the_check_fails_on_loss(self, known, node):
        document = {
            "@context": CTDL_CONTEXT,
            "@id": "urn:x",
            "@type": "ceterms:ConditionProfile",
            **node,
        }

        with pytest.raises(AssertionError):
            linked_data.expand_losslessly(document, known)
