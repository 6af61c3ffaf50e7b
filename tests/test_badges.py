"""
The Open Badges 3.0 export: iecmh_core._badges.

The credential's own rules are read on a small inline rulebook; its validity
against the 1EdTech AchievementCredential schema in ../shared is checked for
every category of every bundled edition.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import attrs
import jsonschema
import pytest
from pyld import jsonld

import iecmh_core
import linked_data
from iecmh_core import (
    EndorsementNotCurrentError,
    EndorsementNotHeldError,
    bundled_framework,
    export_case,
    export_ob3,
    load_portfolio,
    load_rulebook,
    requirement_conditions,
)
from iecmh_core._badges import OB3_CONTEXT

SOURCES = ["https://example.org/rules"]
ISSUED = dt.date(2025, 6, 1)
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
ACHIEVEMENT_KEYS = (
    "id",
    "type",
    "achievementType",
    "name",
    "humanCode",
    "version",
    "inLanguage",
)

BOOK = load_rulebook(
    {
        "id": "test-2020",
        "association": "test",
        "title": "Test rules",
        "effective_from": "2020-01-01",
        "renewal": {
            "due_month": 12,
            "due_day": 31,
            "grace_days": 31,
            "opens_days_before": 91,
            "sources": SOURCES,
        },
        "categories": [
            {
                "code": "X",
                "name": "Test category",
                "family": "IMH-E",
                "age_band": "infant",
                "scope": "prevention",
                "requirements": [
                    {
                        "id": "x.training",
                        "kind": "training",
                        "title": "Thirty hours of training",
                        "sources": SOURCES,
                        "hours": 30,
                    },
                    {
                        "id": "x.either",
                        "kind": "any_of",
                        "title": "A degree or two years of work",
                        "sources": SOURCES,
                        "paths": [
                            {
                                "id": "degree",
                                "title": "a degree",
                                "requirements": [
                                    {
                                        "id": "x.degree",
                                        "kind": "education",
                                        "title": "Degree",
                                        "sources": SOURCES,
                                        "levels": ["bachelor"],
                                    }
                                ],
                            },
                            {
                                "id": "work",
                                "title": "work",
                                "requirements": [
                                    {
                                        "id": "x.work",
                                        "kind": "work",
                                        "title": "Work",
                                        "sources": SOURCES,
                                        "years": 2,
                                    }
                                ],
                            },
                        ],
                    },
                    {
                        "id": "x.ethics",
                        "kind": "ethics",
                        "title": "The Code of Ethics signed",
                        "sources": SOURCES,
                    },
                ],
            }
        ],
    }
)


def portfolio(**held: Any) -> iecmh_core.Portfolio:
    """A holder of an X endorsement awarded on 1 April 2023 and renewed for 2024."""
    endorsement = {
        "category": "X",
        "awarded_on": "2023-04-01",
        "status": "active",
        "renewals": [{"year": 2024, "renewed_on": "2024-12-01"}],
        **held,
    }
    return load_portfolio(
        {
            "id": "holder-1",
            "code_of_ethics_signed_on": "2023-03-01",
            "endorsements": [endorsement],
        }
    )


def badge(holder=None, issued_on=ISSUED, **options: Any) -> dict[str, Any]:
    """Export the holder's X endorsement under the test rulebook."""
    return export_ob3(
        holder or portfolio(), "X", BOOK, issued_on=issued_on, **options
    )


class TestCredential:
    """
    export_ob3 describes the endorsement as an AchievementCredential.
    """

    def test_types_and_context(self):
        """The credential is an OpenBadgeCredential in the 3.0.3 context."""
        credential = badge()

        assert ["VerifiableCredential", "OpenBadgeCredential"] == (
            credential["type"]
        )
        assert VC_CONTEXT == credential["@context"][0]
        assert credential["@context"][1].endswith("/context-3.0.3.json")
        assert list(OB3_CONTEXT) == credential["@context"]

    def test_issuer_is_the_association(self):
        """The issuer is a Profile named after the rulebook's association."""
        credential = badge()

        assert {
            "id": "urn:iecmh:association:test",
            "type": ["Profile"],
            "name": "test",
        } == credential["issuer"]
        creator = credential["credentialSubject"]["achievement"]["creator"]
        assert credential["issuer"] == creator

    def test_issuer_id(self):
        """issuer_id gives the issuer profile's id."""
        credential = badge(issuer_id="https://example.org/issuer")

        assert "https://example.org/issuer" == credential["issuer"]["id"]

    @pytest.mark.parametrize(
        ("edition", "code", "name"),
        [
            (
                "mi-aimh-2024",
                "IFS",
                "Michigan Association for Infant Mental Health",
            ),
            (
                "massaimh-2024",
                "I/ECFS",
                "Massachusetts Association for Infant Mental Health",
            ),
        ],
    )
    def test_issuer_named_for_a_bundled_association(self, edition, code, name):
        """A bundled association's issuer profile has its full name."""
        holder = load_portfolio(
            {
                "id": "holder-1",
                "code_of_ethics_signed_on": None,
                "endorsements": [
                    {
                        "category": code,
                        "rulebook": edition,
                        "awarded_on": "2025-02-01",
                        "status": "active",
                    }
                ],
            }
        )
        credential = export_ob3(holder, code, edition, issued_on=ISSUED)
        achievement = credential["credentialSubject"]["achievement"]

        assert (["Profile"], name) == (
            credential["issuer"]["type"],
            credential["issuer"]["name"],
        )
        assert name in achievement["description"]

    def test_valid_from_the_award(self):
        """validFrom and awardedDate are the award date, at midnight UTC."""
        credential = badge()

        assert ("2023-04-01T00:00:00Z", "2023-04-01T00:00:00Z") == (
            credential["validFrom"],
            credential["awardedDate"],
        )

    @pytest.mark.parametrize(
        ("renewals", "issued_on", "until"),
        [
            pytest.param(
                [{"year": 2024, "renewed_on": "2024-12-01"}],
                ISSUED,
                "2026-01-31",
                id="active",
            ),
            pytest.param(
                [], dt.date(2023, 6, 1), "2025-01-31", id="first-year"
            ),
            pytest.param(
                [{"year": 2024, "renewed_on": "2024-12-01"}],
                dt.date(2025, 11, 1),
                "2026-01-31",
                id="due",
            ),
            pytest.param(
                [
                    {"year": 2024, "renewed_on": "2024-12-01"},
                    {"year": 2025, "renewed_on": "2025-10-15"},
                ],
                dt.date(2025, 11, 1),
                "2027-01-31",
                id="renewed",
            ),
        ],
    )
    def test_valid_through_the_cycles_grace_days(
        self, renewals, issued_on, until
    ):
        """validUntil is the end of the last grace day of the cycle in force."""
        credential = badge(portfolio(renewals=renewals), issued_on=issued_on)

        assert f"{until}T23:59:59Z" == credential["validUntil"]

    def test_valid_until_the_due_date_without_grace(self):
        """Without grace days, validUntil is the end of the due date."""
        assert BOOK.renewal is not None
        book = attrs.evolve(
            BOOK, renewal=attrs.evolve(BOOK.renewal, grace_days=0)
        )
        credential = export_ob3(portfolio(), "X", book, issued_on=ISSUED)

        assert "2025-12-31T23:59:59Z" == credential["validUntil"]

    def test_not_expired_when_issued_in_the_grace_days(self):
        """A credential issued during the grace days is valid on its issue day."""
        credential = badge(issued_on=dt.date(2026, 1, 15))
        until = dt.datetime.fromisoformat(credential["validUntil"])

        assert dt.datetime(2026, 1, 15, tzinfo=dt.UTC) <= until

    def test_a_new_id_each_renewal_cycle(self):
        """The id stays within a renewal cycle and changes after a renewal."""
        renewed = portfolio(
            renewals=[
                {"year": 2024, "renewed_on": "2024-12-01"},
                {"year": 2025, "renewed_on": "2025-10-15"},
            ]
        )

        assert badge()["id"] == badge(issued_on=dt.date(2025, 7, 1))["id"]
        assert (
            badge()["id"]
            != badge(renewed, issued_on=dt.date(2025, 11, 1))["id"]
        )

    def test_the_achievement(self):
        """The achievement is the category, versioned by the rulebook."""
        achievement = badge()["credentialSubject"]["achievement"]

        assert {
            "id": "urn:iecmh:rulebook:test-2020#X",
            "type": ["Achievement"],
            "achievementType": "Certification",
            "name": "Test category (X)",
            "humanCode": "X",
            "version": "test-2020",
            "inLanguage": "en",
        } == {key: achievement[key] for key in ACHIEVEMENT_KEYS}
        assert "Test category (X) Endorsement" == badge()["name"]

    def test_criteria_name_every_requirement(self):
        """The criteria narrative gives every requirement's title and conditions."""
        narrative = badge()["credentialSubject"]["achievement"]["criteria"][
            "narrative"
        ]
        category = BOOK.category("X")

        assert narrative.startswith(
            "Met the requirements of X in the rulebook edition test-2020 "
            "(Test rules):\n"
        )
        for requirement in category.requirements:
            assert f"- {requirement.title}: " in narrative
            for condition in requirement_conditions(requirement):
                assert condition in narrative
        assert len(category.requirements) + 1 == len(narrative.splitlines())

    @pytest.mark.parametrize(
        "base_uri", [None, "https://example.org/case/"], ids=["urn", "url"]
    )
    def test_aligned_with_the_frameworks_domains(self, base_uri):
        """With a framework, one CFItem alignment per domain, by CASE uri."""
        framework = bundled_framework(on=ISSUED)
        published = {} if base_uri is None else {"base_uri": base_uri}
        aligned = {} if base_uri is None else {"case_base_uri": base_uri}
        achievement = badge(framework=framework, **aligned)[
            "credentialSubject"
        ]["achievement"]
        case_domains = sorted(
            (
                item
                for item in export_case(framework, **published)["CFItems"]
                if item["CFItemType"] == "Domain"
            ),
            key=lambda item: int(item["listEnumeration"]),
        )

        assert [
            {
                "type": ["Alignment"],
                "targetName": domain.name,
                "targetUrl": item["uri"],
                "targetType": "CFItem",
                "targetCode": domain.id,
                "targetFramework": framework.title,
            }
            for domain, item in zip(
                framework.domains, case_domains, strict=True
            )
        ] == achievement["alignment"]
        assert len(framework.domains) == len(achievement["alignment"])
        assert all(
            a["targetUrl"].startswith(base_uri or "urn:uuid:")
            for a in achievement["alignment"]
        )

    def test_no_alignment_without_a_framework(self):
        """Without a framework the achievement has no alignment."""
        assert "alignment" not in badge()["credentialSubject"]["achievement"]

    def test_subject_id(self):
        """A subject id names the holder instead of any identifier."""
        subject = badge(subject_id="did:example:holder", salt="pepper")[
            "credentialSubject"
        ]

        assert ("did:example:holder", ["AchievementSubject"]) == (
            subject["id"],
            subject["type"],
        )
        assert "identifier" not in subject

    def test_salted_identifier(self):
        """With a salt, the portfolio id is given hashed: sha256 of id and salt."""
        subject = badge(salt="pepper")["credentialSubject"]
        digest = hashlib.sha256(b"holder-1pepper").hexdigest()

        assert [
            {
                "type": "IdentityObject",
                "hashed": True,
                "identityHash": f"sha256${digest}",
                "identityType": "identifier",
                "salt": "pepper",
            }
        ] == subject["identifier"]
        assert "id" not in subject

    def test_random_salt_by_default(self):
        """
        Without a salt or subject id, the portfolio id is hashed with a
        fresh random salt, never given in clear.
        """
        first = badge()["credentialSubject"]["identifier"][0]
        second = badge()["credentialSubject"]["identifier"][0]

        assert first["salt"] != second["salt"]
        assert 32 == len(first["salt"])
        for identity in (first, second):
            digest = hashlib.sha256(
                ("holder-1" + identity["salt"]).encode()
            ).hexdigest()
            assert {
                "type": "IdentityObject",
                "hashed": True,
                "identityHash": f"sha256${digest}",
                "identityType": "identifier",
                "salt": identity["salt"],
            } == identity
        assert "holder-1" not in json.dumps(badge())

    def test_identical_across_calls(self):
        """Two exports of the same endorsement on the same day are identical."""
        framework = bundled_framework(on=ISSUED)

        assert json.dumps(badge(framework=framework, salt="s")) == json.dumps(
            badge(framework=framework, salt="s")
        )

    def test_json_ready(self):
        """The credential is plain JSON data."""
        credential = badge(framework=bundled_framework(on=ISSUED))

        assert credential == json.loads(json.dumps(credential))

    def test_the_id_names_the_holder_and_award(self):
        """The credential id is a UUID URN that differs between awards."""
        first = badge()["id"]
        other = badge(portfolio(awarded_on="2023-04-02"))["id"]

        assert first.startswith("urn:uuid:")
        assert first != other

    def test_a_held_endorsement_given_as_such(self):
        """The endorsement may be given itself rather than by code."""
        holder = portfolio()

        assert badge(holder, salt="s") == export_ob3(
            holder, holder.endorsements[0], BOOK, issued_on=ISSUED, salt="s"
        )

    def test_issued_today_by_default(self):
        """Without issued_on the credential is issued today."""
        today = dt.date.today()  # noqa: DTZ011 - the library's documented default
        holder = portfolio(awarded_on=today.isoformat(), renewals=[])
        before = dt.date.today()  # noqa: DTZ011
        credential = export_ob3(holder, "X", BOOK, salt="s")
        after = dt.date.today()  # noqa: DTZ011

        assert credential in (
            badge(holder, issued_on=before, salt="s"),
            badge(holder, issued_on=after, salt="s"),
        )

    @pytest.mark.parametrize(
        ("held", "issued_on"),
        [
            pytest.param({"renewals": []}, ISSUED, id="lapsed"),
            pytest.param(
                {"inactive": [{"start": "2025-05-01", "end": None}]},
                ISSUED,
                id="inactive",
            ),
            pytest.param({"archived_on": "2025-06-01"}, ISSUED, id="archived"),
        ],
    )
    def test_not_current(self, held, issued_on):
        """A lapsed, inactive or archived endorsement is not exported."""
        holder = portfolio(**held)
        state = iecmh_core.endorsement_status(
            holder.endorsements[0], issued_on, BOOK
        )

        with pytest.raises(EndorsementNotCurrentError) as caught:
            badge(holder, issued_on=issued_on)

        assert ("X", state.explanation) == (
            caught.value.category,
            caught.value.reason,
        )

    @pytest.mark.parametrize(
        ("held", "issued_on", "expected"),
        [
            ({}, ISSUED, "active"),
            ({}, dt.date(2025, 10, 2), "due"),
            ({}, dt.date(2026, 1, 31), "due"),
            (
                {"renewals": [], "reinstated_on": ["2025-03-01"]},
                ISSUED,
                "reinstated",
            ),
        ],
    )
    def test_current(self, held, issued_on, expected):
        """An active, due or reinstated endorsement is exported."""
        holder = portfolio(**held)
        state = iecmh_core.endorsement_status(
            holder.endorsements[0], issued_on, BOOK
        )

        assert expected == state.status.value
        assert "validUntil" in badge(holder, issued_on=issued_on)

    def test_not_held(self):
        """A category the portfolio does not hold is refused."""
        with pytest.raises(EndorsementNotHeldError) as caught:
            export_ob3(portfolio(), "IFS", BOOK, issued_on=ISSUED)

        assert ("IFS", ("X",)) == (caught.value.category, caught.value.held)


BUNDLED = [
    (book.id, category.code)
    for book in iecmh_core.bundled_rulebooks()
    for category in book.categories
]


def bundled_holder(edition: str, code: str) -> tuple[Any, dt.date]:
    """A holder of *code* under *edition*, and a day it is current."""
    book = iecmh_core.bundled_rulebook(edition)
    awarded = max(book.effective_from, dt.date(2021, 3, 1))
    issued = awarded + dt.timedelta(days=120)
    holder = load_portfolio(
        {
            "id": "holder-1",
            "code_of_ethics_signed_on": None,
            "endorsements": [
                {
                    "category": code,
                    "rulebook": edition,
                    "awarded_on": awarded.isoformat(),
                    "status": "active",
                }
            ],
        }
    )
    return holder, issued


ACHIEVEMENT_CREDENTIAL = "achievementcredential.schema.json"


@pytest.fixture
def ob3(shared_dir):
    """A validator for the Open Badges 3.0 AchievementCredential schema."""
    path = shared_dir / "interop" / "ob_v3p0" / ACHIEVEMENT_CREDENTIAL
    schema = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft201909Validator.check_schema(schema)
    return jsonschema.Draft201909Validator(
        schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    )


def problems(validator, credential) -> list[str]:
    """The schema's complaints about *credential*, with their JSON paths."""
    return [
        f"{error.json_path}: {error.message}"
        for error in validator.iter_errors(credential)
    ]


class TestSchema:
    """
    Exported credentials validate against the 1EdTech OB 3.0 schema.
    """

    @pytest.mark.parametrize(("edition", "code"), BUNDLED)
    def test_every_bundled_category(self, ob3, edition, code):
        """Each bundled category's credential, aligned and salted, is valid."""
        holder, issued = bundled_holder(edition, code)
        credential = export_ob3(
            holder,
            code,
            framework=bundled_framework(on=issued),
            issued_on=issued,
            salt="pepper",
        )

        achievement = credential["credentialSubject"]["achievement"]

        assert [] == problems(ob3, credential)
        assert edition == achievement["version"]

    @pytest.mark.parametrize(
        "options",
        [{}, {"salt": "pepper"}, {"subject_id": "did:example:holder"}],
        ids=["plain", "salted", "subject-id"],
    )
    def test_every_subject(self, ob3, options):
        """The credential is valid whichever way the holder is named."""
        holder, issued = bundled_holder("mi-aimh-2024", "IFS")
        credential = export_ob3(
            holder, "IFS", "mi-aimh-2024", issued_on=issued, **options
        )

        assert [] == problems(ob3, credential)

    def test_the_schema_is_checked(self, ob3):
        """The validator refuses a credential without an issuer."""
        holder, issued = bundled_holder("mi-aimh-2024", "IFS")
        credential = export_ob3(holder, "IFS", issued_on=issued)
        del credential["issuer"]

        assert ["$: 'issuer' is a required property"] == problems(
            ob3, credential
        )

    def test_the_context_is_the_shipped_one(self, shared_dir):
        """The OB context named is 3.0.3, the one shipped in ../shared."""
        shipped = shared_dir / "interop" / "ob_v3p0" / "context-3.0.3.json"
        holder, issued = bundled_holder("mi-aimh-2024", "IFS")
        credential = export_ob3(holder, "IFS", issued_on=issued)

        assert shipped.is_file()
        assert credential["@context"][1].endswith(f"/{shipped.name}")

    def test_every_type_is_defined_by_the_context(self, shared_dir):
        """Each OB type the credential uses is a term of the 3.0.3 context."""
        path = shared_dir / "interop" / "ob_v3p0" / "context-3.0.3.json"
        terms = json.loads(path.read_text(encoding="utf-8"))["@context"]
        holder, issued = bundled_holder("mi-aimh-2024", "IFS")
        credential = export_ob3(
            holder,
            "IFS",
            framework=bundled_framework(on=issued),
            issued_on=issued,
            salt="pepper",
        )
        types: set[str] = set()

        def collect(value):
            if isinstance(value, dict):
                kind = value.get("type", [])
                types.update([kind] if isinstance(kind, str) else kind)
                for inner in value.values():
                    collect(inner)
            elif isinstance(value, list):
                for inner in value:
                    collect(inner)

        collect(credential)

        assert set() == types - {"VerifiableCredential"} - set(terms)
        assert {
            "OpenBadgeCredential",
            "Profile",
            "AchievementSubject",
            "IdentityObject",
            "Achievement",
            "Alignment",
        } <= types


@pytest.fixture
def known(shared_dir):
    """The published VC 2.0 and OB 3.0.3 contexts, by their URLs."""
    return linked_data.contexts(shared_dir)


class TestJsonLd:
    """
    Expanded with the VC 2.0 and OB 3.0.3 contexts by a real JSON-LD
    processor, the credential keeps every value.
    """

    @pytest.mark.parametrize(("edition", "code"), BUNDLED)
    @pytest.mark.parametrize(
        "options",
        [{}, {"salt": "pepper"}, {"subject_id": "did:example:holder"}],
        ids=["plain", "salted", "subject-id"],
    )
    def test_lossless(self, known, edition, code, options):
        """Every category's credential, each way of naming the holder."""
        holder, issued = bundled_holder(edition, code)
        credential = export_ob3(
            holder,
            code,
            framework=bundled_framework(on=issued),
            issued_on=issued,
            issuer_id="https://badges.example.org/issuers/1",
            **options,
        )

        linked_data.expand_losslessly(credential, known)

    def test_criteria_are_their_own_node(self, known):
        """
        The criteria do not share the achievement's id, so the graph keeps
        them a node apart instead of merging the two.
        """
        holder, issued = bundled_holder("mi-aimh-2024", "IFS")
        credential = export_ob3(holder, "IFS", issued_on=issued)
        achievement = credential["credentialSubject"]["achievement"]

        flattened = jsonld.flatten(
            credential, None, {"documentLoader": linked_data.loader(known)}
        )
        (node,) = [n for n in flattened if n.get("@id") == achievement["id"]]
        criteria = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#Criteria"

        assert "id" not in achievement["criteria"]
        assert 1 == len(node[criteria])
        assert node[criteria][0]["@id"].startswith("_:")

    def test_a_dropped_term_is_found(self, known):
        """The check fails on a property no context defines."""
        holder, issued = bundled_holder("mi-aimh-2024", "IFS")
        credential = export_ob3(holder, "IFS", issued_on=issued)
        credential["credentialSubject"]["achievement"]["criteria"]["hours"] = 3

        with pytest.raises(AssertionError, match="expansion kept"):
            linked_data.expand_losslessly(credential, known)
