"""
The JSON Schemas shipped in the package: iecmh_core._schemas.
"""

# Assertions read `expected == actual` (STYLE.md, practice 19).

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from importlib.resources import files
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from iecmh_core import (
    SCHEMA_REGISTRY,
    DocumentKind,
    IecmhError,
    RequirementKind,
    UnknownKindError,
    _documents,
    dump,
    guess_kind,
    schema,
    validate,
)
from iecmh_core._schemas import SCHEMA_IDS, is_json_data, validator_for
from strategies import DOCUMENTS

KINDS = list(DocumentKind)


def shipped() -> dict[str, dict[str, Any]]:
    """
    Return every schema file shipped in the package, by file name.
    """
    folder = files("iecmh_core").joinpath("schemas")
    return {
        entry.name: json.loads(entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".json")
    }


SHIPPED = shipped()
NAMES = sorted(SHIPPED)
DOCUMENT_SCHEMAS = [f"{kind.value}.json" for kind in KINDS]


def subschemas(
    node: dict[str, Any], where: str
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """
    Yield (role, location, schema) for every property, definition and
    items schema under *node*, walking properties, $defs and items.
    """
    for role, key in (("property", "properties"), ("definition", "$defs")):
        for name, child in node.get(key, {}).items():
            here = f"{where}/{key}/{name}"
            yield role, here, child
            yield from subschemas(child, here)
    items = node.get("items")
    if isinstance(items, dict):
        yield "items", f"{where}/items", items
        yield from subschemas(items, f"{where}/items")


def refs(node: Any) -> Iterator[str]:
    """
    Yield every $ref anywhere in a schema.
    """
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def branches_closed(node: dict[str, Any], defs: dict[str, Any]) -> bool:
    """
    Tell whether a dispatching schema (allOf of if/then) is closed: every
    branch's then points at a definition that allows no extra properties.
    """
    targets = [
        branch["then"]["$ref"].removeprefix("#/$defs/")
        for branch in node.get("allOf", ())
    ]
    return bool(targets) and all(
        defs[target].get("additionalProperties") is False for target in targets
    )


class TestShippedSchemas:
    """
    The schema files are valid, described and closed.
    """

    def test_all_there(self):
        """
        One schema per kind of document, plus the common definitions.
        """
        assert sorted([*DOCUMENT_SCHEMAS, "common.json"]) == NAMES

    @pytest.mark.parametrize("name", NAMES)
    def test_check_schema(self, name):
        """
        Every shipped schema is a valid draft 2020-12 JSON Schema.
        """
        Draft202012Validator.check_schema(SHIPPED[name])

        assert (
            "https://json-schema.org/draft/2020-12/schema"
            == (SHIPPED[name]["$schema"])
        )

    @pytest.mark.parametrize("name", NAMES)
    def test_headers(self, name):
        """
        Every schema has a urn $id, a title and a description.
        """
        contents = SHIPPED[name]
        stem = name.removesuffix(".json")

        assert f"urn:iecmh:schema:{stem}:1" == contents["$id"]
        assert contents["title"].strip()
        assert contents["description"].strip()

    @pytest.mark.parametrize("name", NAMES)
    def test_every_property_described(self, name):
        """
        Every property and definition, however deep, has a description.
        """
        undescribed = [
            where
            for role, where, child in subschemas(SHIPPED[name], "#")
            if role != "items" and not child.get("description", "").strip()
        ]

        assert [] == undescribed

    @pytest.mark.parametrize("name", DOCUMENT_SCHEMAS)
    def test_objects_closed(self, name):
        """
        Every object schema listing properties forbids unknown ones.
        """
        contents = SHIPPED[name]
        defs = contents.get("$defs", {})
        nodes = [("#", contents)] + [
            (where, child) for _, where, child in subschemas(contents, "#")
        ]
        open_ = [
            where
            for where, node in nodes
            if "properties" in node
            and node.get("additionalProperties") is not False
            and not branches_closed(node, defs)
        ]

        assert [] == open_

    def test_requirement_dispatch_covers_every_kind(self):
        """
        The rulebook schema has one closed branch per requirement kind.
        """
        requirement = SHIPPED["rulebook.json"]["$defs"]["requirement"]
        kinds = [
            branch["if"]["properties"]["kind"]["const"]
            for branch in requirement["allOf"]
        ]

        assert [kind.value for kind in RequirementKind] == kinds

    @pytest.mark.parametrize("name", NAMES)
    def test_refs_resolve(self, name):
        """
        Every $ref in a schema resolves in the registry.
        """
        base = SHIPPED[name]["$id"]
        resolver = SCHEMA_REGISTRY.resolver(base_uri=base)

        for ref in refs(SHIPPED[name]):
            assert resolver.lookup(ref).contents is not None


class TestSchemaFunction:
    """
    schema() returns a kind's schema, as a copy.
    """

    @pytest.mark.parametrize("kind", KINDS)
    def test_matches_file(self, kind):
        """
        schema(kind) is the shipped file's contents.
        """
        assert SHIPPED[f"{kind.value}.json"] == schema(kind)
        assert schema(kind) == schema(kind.value)

    @pytest.mark.parametrize("kind", KINDS)
    def test_ids(self, kind):
        """
        Each kind's schema is registered under its urn.
        """
        assert SCHEMA_IDS[kind] == schema(kind)["$id"]

    def test_copy(self):
        """
        Changing the returned schema changes neither the next one nor
        validation.
        """
        first = schema("portfolio")
        first["properties"]["id"]["description"] = "changed"
        first["required"].append("colour")
        del first["additionalProperties"]

        second = schema("portfolio")

        assert "changed" != second["properties"]["id"]["description"]
        assert ["id", "code_of_ethics_signed_on"] == second["required"]
        assert second["additionalProperties"] is False
        assert () == validate({"id": "a", "code_of_ethics_signed_on": None})

    def test_unknown_kind(self):
        """
        An unknown kind is a ValueError.
        """
        with pytest.raises(ValueError, match="nope"):
            schema("nope")


class TestValidators:
    """
    validator_for() builds one validator per kind, with formats checked.
    """

    @pytest.mark.parametrize("kind", KINDS)
    def test_cached(self, kind):
        """
        The same validator object is returned every time.
        """
        assert validator_for(kind) is validator_for(kind)

    def test_formats_checked(self):
        """
        A date that is not on the calendar is invalid, not just a string.
        """
        validator = validator_for(DocumentKind.PORTFOLIO)

        assert validator.is_valid(
            {"id": "a", "code_of_ethics_signed_on": "2024-02-29"}
        )
        assert not validator.is_valid(
            {"id": "a", "code_of_ethics_signed_on": "2025-02-29"}
        )

    def test_contract_example(self, shared_dir):
        """
        The contract's example portfolio is valid against the schema.
        """
        path = shared_dir / "contract" / "portfolio.example.json"
        example = json.loads(path.read_text(encoding="utf-8"))

        assert validator_for(DocumentKind.PORTFOLIO).is_valid(example)

    @pytest.mark.parametrize("kind", sorted(k.value for k in RequirementKind))
    def test_requirements_closed(self, kind):
        """
        A requirement of any kind with an unknown property is invalid.
        """
        document = {
            "id": "r-1",
            "association": "r",
            "title": "Rules",
            "effective_from": "2024-01-01",
            "categories": [
                {
                    "code": "IFS",
                    "name": "Infant Family Specialist",
                    "family": "IMH-E",
                    "age_band": "infant",
                    "scope": "prevention",
                    "requirements": [
                        {"id": "x", "kind": kind, "colour": "blue"}
                    ],
                }
            ],
        }

        problems = validate(document, "rulebook")

        assert "$.categories[0].requirements[0].colour" in [
            problem.path for problem in problems
        ]


class TestDumpedDocuments:
    """
    Every dumped document validates against its shipped schema.
    """

    @pytest.mark.parametrize("kind", KINDS)
    @given(data=st.data())
    def test_validates(self, kind, data):
        """
        dump(x) has no problems, checked as its kind or by guessing.
        """
        dumped = dump(data.draw(DOCUMENTS[kind]))

        assert () == validate(dumped, kind)
        assert validator_for(kind).is_valid(dumped)
        assert kind == guess_kind(dumped)
        assert () == validate(dumped)


# --- the compiled fast path ---------------------------------------------------
#
# jsonschema_rs (the ``fast`` extra) may only say "valid" where jsonschema,
# the reference, says so too: when it does, the schema step is skipped.

import sys  # noqa: E402 - the fast path's tests keep their imports here
import types  # noqa: E402
from decimal import Decimal  # noqa: E402

from iecmh_core import (  # noqa: E402
    AgeBand,
    InvalidDocumentError,
    _schemas,
    bundled_frameworks,
    bundled_rulebooks,
    fast_path_available,
    load_portfolio,
)
from iecmh_core._schemas import (  # noqa: E402
    FAST_PATH,
    _compiled,
    _fast_validators,
    is_valid_fast,
)
from strategies import (  # noqa: E402
    BAD_DATES,
    ODD_SUFFIXES,
    broken,
    bundled_framework_documents,
    bundled_rulebook_documents,
    evaluated_determinations,
    json_values,
)

#: Valid documents of each kind, dumped to JSON data.
DUMPED = {kind: DOCUMENTS[kind].map(dump) for kind in KINDS}
#: The smallest valid document of each kind, with the key holding a date.
SMALLEST = {
    DocumentKind.PORTFOLIO: (
        {"id": "a-1", "code_of_ethics_signed_on": "2025-02-01"},
        "code_of_ethics_signed_on",
    ),
    DocumentKind.RULEBOOK: (
        {
            "id": "r-1",
            "association": "r",
            "title": "Rules",
            "effective_from": "2024-01-01",
            "categories": [
                {
                    "code": "IFS",
                    "name": "Infant Family Specialist",
                    "family": "IMH-E",
                    "age_band": "infant",
                    "scope": "prevention",
                    "requirements": [
                        {
                            "id": "ifs.ethics",
                            "kind": "ethics",
                            "title": "Code of Ethics",
                            "sources": ["https://example.org/rules"],
                        }
                    ],
                }
            ],
        },
        "effective_from",
    ),
    DocumentKind.FRAMEWORK: (
        {
            "id": "f-1",
            "title": "Framework",
            "edition": "2024",
            "domains": [{"id": "theory", "name": "Theory"}],
            "effective_from": "2024-01-01",
        },
        "effective_from",
    ),
    DocumentKind.DETERMINATION: (
        {
            "portfolio": "a-1",
            "category": "IFS",
            "rulebook": "r-1",
            "as_of": "2026-01-15",
            "outcome": "undetermined",
            "findings": [],
        },
        "as_of",
    ),
    DocumentKind.COHORT_REPORT: (
        {
            "records": 0,
            "errors": 0,
            "first_as_of": "2026-01-15",
            "min_group": 5,
            "distance": {"requirements": 1},
            "expiring_months": 6,
            "cohort": {"applicants": 0},
        },
        "first_as_of",
    ),
}
TRAINING = {"title": "Attachment", "completed_on": "2025-01-10", "hours": 6}
PLACES = "expected clock hours with at most 2 decimal places,"
WORK = {
    "title": "Home visitor",
    "start": "2020-01-01",
    "end": None,
    "paid": True,
    "age_band": "infant",
    "fte": 1,
}


def answers(kind: DocumentKind, document: Any) -> tuple[bool, bool]:
    """
    Return (jsonschema's answer, jsonschema_rs's answer) for *document*.
    """
    return (
        validator_for(kind).is_valid(document),
        _fast_validators()[kind].is_valid(document),
    )


def both_ways(check: Any, *args: Any) -> tuple[Any, Any]:
    """
    Return check(*args) with the fast path on, then with it off; an error
    raised counts as its problems.
    """
    results = []
    for enabled in (True, False):
        with pytest.MonkeyPatch.context() as patch:
            patch.setitem(FAST_PATH, "enabled", enabled)
            try:
                results.append(check(*args))
            except InvalidDocumentError as error:
                results.append(error.problems)
    return results[0], results[1]


@pytest.fixture(scope="class")
def compiled() -> Any:
    """
    Skip the tests when jsonschema_rs (the ``fast`` extra) is absent.
    """
    return pytest.importorskip(
        "jsonschema_rs",
        reason="jsonschema_rs (the fast extra) is not installed: only the "
        "reference path can be tested",
    )


@pytest.mark.usefixtures("compiled")
class TestFastPathAgreement:
    """
    jsonschema_rs and jsonschema give the same answer for every document.
    """

    @pytest.mark.parametrize("kind", KINDS)
    @given(data=st.data())
    def test_documents(self, kind, data):
        """
        A dumped document, whole or broken in a few places: the same
        answer.
        """
        document = data.draw(DUMPED[kind] | broken(DUMPED[kind]))

        valid, fast = answers(kind, document)

        assert valid == fast

    @pytest.mark.parametrize("kind", KINDS)
    @given(data=st.data())
    def test_any_json(self, kind, data):
        """
        Any JSON value, or an object of the schema's own keys with any
        values: the same answer.
        """
        keys = st.sampled_from(sorted(schema(kind)["properties"]))
        value = data.draw(json_values | st.dictionaries(keys, json_values))

        valid, fast = answers(kind, value)

        assert valid == fast

    @pytest.mark.parametrize(
        "document",
        [dump(b) for b in bundled_rulebooks()],
        ids=[b.id for b in bundled_rulebooks()],
    )
    def test_bundled_rulebooks(self, document):
        """
        Every bundled rulebook edition is valid to both.
        """
        assert (True, True) == answers(DocumentKind.RULEBOOK, document)

    @pytest.mark.parametrize(
        "document",
        [dump(f) for f in bundled_frameworks()],
        ids=[f.id for f in bundled_frameworks()],
    )
    def test_bundled_frameworks(self, document):
        """
        Every bundled framework edition is valid to both.
        """
        assert (True, True) == answers(DocumentKind.FRAMEWORK, document)

    @pytest.mark.parametrize(
        ("kind", "documents"),
        [
            (DocumentKind.RULEBOOK, bundled_rulebook_documents()),
            (DocumentKind.FRAMEWORK, bundled_framework_documents()),
        ],
        ids=["rulebook", "framework"],
    )
    @given(data=st.data())
    def test_broken_bundled_documents(self, kind, documents, data):
        """
        A category of a bundled rulebook edition or a domain of a bundled
        framework, broken in a few places: the same answer.
        """
        document = data.draw(broken(documents))

        valid, fast = answers(kind, document)

        assert valid == fast

    @given(data=st.data())
    def test_determinations(self, data):
        """
        What evaluate decides, whole or broken in a few places: the same
        answer.
        """
        determinations = evaluated_determinations()
        document = data.draw(determinations | broken(determinations))

        valid, fast = answers(DocumentKind.DETERMINATION, document)

        assert valid == fast

    @pytest.mark.parametrize("kind", KINDS)
    @pytest.mark.parametrize("day", BAD_DATES)
    def test_bad_dates(self, kind, day):
        """
        A string that is no calendar date is invalid to both.
        """
        document, key = SMALLEST[kind]

        assert (False, False) == answers(kind, document | {key: day})

    @pytest.mark.parametrize("suffix", ODD_SUFFIXES)
    @pytest.mark.parametrize(
        ("kind", "key"),
        [
            (DocumentKind.RULEBOOK, "id"),
            (DocumentKind.DETERMINATION, "category"),
        ],
    )
    def test_pattern_then_odd_character(self, kind, key, suffix):
        """
        An id or category code followed by a line end, a space or another
        odd character matches neither pattern: invalid to both.
        """
        document, _ = SMALLEST[kind]
        changed = document | {key: document[key] + suffix}

        assert (False, False) == answers(kind, changed)

    @pytest.mark.parametrize(
        "url",
        [
            "https://example.org/rules\n",
            "https://example.org/a\x1fb",
            "https://example.org/a\x1cb",
            "https://example.org/a\x85b",
            "https://example.org/a\ufeffb",
            "https://example.org/a b",
            "https://example.org/a\u2028b",
        ],
    )
    def test_urls_with_white_space(self, url):
        """
        A source URL holding a line end or another white-space or control
        character: the same answer.
        """
        document, _ = SMALLEST[DocumentKind.FRAMEWORK]

        valid, fast = answers(
            DocumentKind.FRAMEWORK, document | {"sources": [url]}
        )

        assert valid == fast


class TestFastPathSwitch:
    """
    FAST_PATH turns the compiled validator off; nothing else changes.
    """

    @pytest.mark.usefixtures("compiled")
    def test_available_follows_switch(self, monkeypatch):
        """
        fast_path_available() is true, and false once switched off.
        """
        assert fast_path_available()

        monkeypatch.setitem(FAST_PATH, "enabled", value=False)

        assert not fast_path_available()
        assert is_valid_fast(DocumentKind.PORTFOLIO, TRAINING) is None

    @pytest.mark.usefixtures("compiled")
    @pytest.mark.parametrize("kind", KINDS)
    def test_says_valid(self, kind):
        """
        is_valid_fast says True for a valid document, False for an invalid
        one.
        """
        document, key = SMALLEST[kind]

        assert is_valid_fast(kind, document) is True
        assert is_valid_fast(kind, document | {key: "2025-02-30"}) is False

    def test_not_installed(self, monkeypatch):
        """
        Without jsonschema_rs there are no compiled validators, the fast
        path is unavailable and jsonschema alone decides.
        """
        monkeypatch.setitem(sys.modules, "jsonschema_rs", None)

        assert _compiled() is None

        monkeypatch.setattr(_schemas, "_fast_validators", _compiled)
        document, key = SMALLEST[DocumentKind.PORTFOLIO]

        assert not fast_path_available()
        assert is_valid_fast(DocumentKind.PORTFOLIO, document) is None
        assert () == validate(document)
        assert (
            (
                f"$.{key}",
                'expected a valid date (YYYY-MM-DD), got "2025-02-30"',
            ),
        ) == tuple(
            (p.path, p.message)
            for p in validate(document | {key: "2025-02-30"})
        )

    @pytest.mark.parametrize("kind", KINDS)
    @given(data=st.data())
    def test_same_problems(self, kind, data):
        """
        validate() finds the same problems with the fast path on and off,
        for valid and broken documents.
        """
        document = data.draw(DUMPED[kind] | broken(DUMPED[kind]))

        on, off = both_ways(validate, document, kind)

        assert off == on

    @pytest.mark.parametrize(
        "change",
        [
            {},
            {"training": [TRAINING], "work": [WORK], "name": "Ada"},
            {"code_of_ethics_signed_on": None},
        ],
        ids=["smallest", "evidence", "not signed"],
    )
    def test_same_portfolio(self, change):
        """
        load_portfolio() reads a valid portfolio to the same object with
        the fast path on and off.
        """
        document = SMALLEST[DocumentKind.PORTFOLIO][0] | change

        on, off = both_ways(load_portfolio, document)

        assert off == on
        assert change.get("name") == off.name

    @pytest.mark.parametrize(
        "change",
        [
            {"code_of_ethics_signed_on": day}
            for day in ["2025-02-30", "2025-13-01", "0000-01-01"]
        ]
        + [
            {"training": [TRAINING | {"hours": -1}]},
            {"training": [TRAINING | {"hours": 1.005}]},
            {"training": [TRAINING | {"hours": "six"}]},
            {"work": [WORK | {"end": "2019-12-31"}]},
            {"colour": "blue", "name": 3},
            {"id": None},
        ],
        ids=lambda change: json.dumps(change)[:40],
    )
    def test_same_invalid_portfolio(self, change):
        """
        load_portfolio() reports the same problems in an invalid portfolio
        with the fast path on and off.
        """
        document = SMALLEST[DocumentKind.PORTFOLIO][0] | change

        on, off = both_ways(load_portfolio, document)

        assert off == on
        assert off

    @pytest.mark.parametrize("valid", [True, False])
    def test_mapping_proxy(self, valid):
        """
        A read-only mapping is left to jsonschema, which reads it as an
        object, and validates as the same dict does.
        """
        document = SMALLEST[DocumentKind.PORTFOLIO][0] | {
            "training": [TRAINING | ({} if valid else {"hours": 0})]
        }
        proxy = types.MappingProxyType(document)

        assert is_valid_fast(DocumentKind.PORTFOLIO, proxy) is None
        assert validate(document) == validate(proxy)
        assert valid == (() == validate(proxy))
        assert both_ways(validate, proxy, "portfolio") == (
            both_ways(validate, document, "portfolio")
        )

    @pytest.mark.parametrize(
        ("hours", "problems"),
        [
            ("1.5", ()),
            (
                "0",
                (("$.training[0].hours", "expected a number > 0, got 0"),),
            ),
            ("1.005", (("$.training[0].hours", PLACES + " got 1.005"),)),
            (
                "100000.0000000000000000001",
                (
                    (
                        "$.training[0].hours",
                        (
                            "expected a number <= 100000, got "
                            "100000.0000000000000000001"
                        ),
                    ),
                ),
            ),
        ],
    )
    def test_decimal(self, hours, problems):
        """
        Data holding a Decimal validates as its JSON would, with the fast
        path on and off.
        """
        document = SMALLEST[DocumentKind.PORTFOLIO][0] | {
            "training": [TRAINING | {"hours": Decimal(hours)}]
        }

        on, off = both_ways(validate, document, "portfolio")

        assert problems == tuple((p.path, p.message) for p in off)
        assert off == on

    @pytest.mark.parametrize("hours", ["1.5", "0"])
    def test_decimal_left_to_jsonschema(self, hours):
        """
        Data given as a mapping (here holding a Decimal, which JSON cannot
        hold) is checked by jsonschema, the reference, fast path or not.
        """
        document = SMALLEST[DocumentKind.PORTFOLIO][0] | {
            "training": [TRAINING | {"hours": Decimal(hours)}]
        }

        on, off = both_ways(validate, document, "portfolio")

        assert off == on
        assert (hours == "0") == bool(on)

    @pytest.mark.parametrize("hours", ["NaN", "sNaN"])
    def test_decimal_not_a_number(self, hours):
        """
        Hours that are a Decimal NaN are a problem at their path, not an
        exception, with the fast path on and off.
        """
        document = SMALLEST[DocumentKind.PORTFOLIO][0] | {
            "training": [TRAINING | {"hours": Decimal(hours)}]
        }

        on, off = both_ways(validate, document, "portfolio")

        assert ["$.training[0].hours"] == [p.path for p in off]
        assert off == on

    @pytest.mark.parametrize(
        "change",
        [
            {"code_of_ethics_signed_on": types.SimpleNamespace()},
            {"training": [TRAINING | {"hours": {1, 2}}]},
            {"name": b"Ada"},
        ],
        ids=["object", "set", "bytes"],
    )
    def test_not_json(self, change):
        """
        Data holding what JSON cannot hold is never valid to the fast path
        (it cannot say, or says no), and jsonschema explains why.
        """
        document = SMALLEST[DocumentKind.PORTFOLIO][0] | change

        on, off = both_ways(validate, document, "portfolio")

        assert is_valid_fast(DocumentKind.PORTFOLIO, document) is not True
        assert off == on
        assert off

    @pytest.mark.parametrize(
        "change",
        [
            {"training": (TRAINING,)},
            {"training": ()},
            {"work": [WORK | {"age_band": AgeBand.INFANT}]},
        ],
        ids=["tuple", "empty tuple", "enum member"],
    )
    def test_python_values_in_place_of_json(self, change):
        """
        A tuple where an array belongs, or an enumeration member where its
        value belongs, gets the same answer with the fast path on and off.
        """
        document = SMALLEST[DocumentKind.PORTFOLIO][0] | change

        on, off = both_ways(validate, document, "portfolio")

        assert off == on


class TestBundledSchemas:
    """
    schema(kind, bundled=True): one self-contained file per kind.
    """

    @pytest.mark.parametrize("kind", KINDS)
    def test_self_contained(self, kind):
        """
        Every $ref is a local pointer to a definition the bundle holds.
        """
        bundle = schema(kind, bundled=True)

        for ref in refs(bundle):
            assert ref.startswith("#/$defs/"), ref
            assert ref.removeprefix("#/$defs/") in bundle["$defs"], ref

    @pytest.mark.parametrize("kind", KINDS)
    def test_valid_schema_with_its_id(self, kind):
        """
        The bundle is a valid draft 2020-12 schema and keeps its kind's $id.
        """
        bundle = schema(kind, bundled=True)

        Draft202012Validator.check_schema(bundle)
        assert SCHEMA_IDS[kind] == bundle["$id"]
        assert "generated by iecmh_core" in bundle["$comment"]

    @pytest.mark.parametrize("kind", KINDS)
    def test_common_definitions_copied(self, kind):
        """
        Each common definition used is copied whole, under common<Name>.
        """
        common = SHIPPED["common.json"]["$defs"]
        bundle = schema(kind, bundled=True)
        copied = {
            name: definition
            for name, definition in bundle["$defs"].items()
            if name.startswith("common")
        }

        assert copied
        for name, definition in copied.items():
            original = name.removeprefix("common")
            original = original[0].lower() + original[1:]
            expected = json.loads(
                json.dumps(common[original]).replace(
                    '"#/$defs/url"', '"#/$defs/commonUrl"'
                )
            )
            assert expected == definition

    @pytest.mark.parametrize("kind", KINDS)
    @given(data=st.data())
    def test_same_verdict_as_the_registry(self, kind, data):
        """
        The bundle, alone, validates as the shipped files do together, on
        valid, broken and arbitrary documents.
        """
        document = data.draw(
            st.one_of(DUMPED[kind], broken(DUMPED[kind]), json_values)
        )
        bundled = Draft202012Validator(
            schema(kind, bundled=True),
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )

        assert validator_for(DocumentKind(kind)).is_valid(document) == (
            bundled.is_valid(document)
        )

    def test_copies(self):
        """
        Changing a returned bundle changes neither the next one nor
        validation.
        """
        first = schema("portfolio", bundled=True)
        first["$defs"].clear()

        assert schema("portfolio", bundled=True)["$defs"]

    @pytest.mark.parametrize("kind", KINDS)
    def test_tolerant_is_open(self, kind):
        """
        The tolerant bundle closes no object and fixes no vocabulary.
        """
        tolerant = json.dumps(schema(kind, tolerant=True))

        assert '"additionalProperties": false' not in tolerant
        assert '"enum": ["' not in tolerant
        assert "Tolerant" in schema(kind, tolerant=True)["$comment"]

    def test_unknown_kind_is_an_iecmh_error(self):
        """
        An unknown kind raises UnknownKindError, which names the kinds.
        """
        with pytest.raises(UnknownKindError, match="portfolio, rulebook"):
            schema("bogus", bundled=True)
        with pytest.raises(UnknownKindError) as raised:
            validate({}, kind="bogus")

        assert isinstance(raised.value, IecmhError)
        assert "bogus" == raised.value.wanted


class TestExamples:
    """
    Every schema carries examples, and they are valid.
    """

    @pytest.mark.parametrize("kind", KINDS)
    def test_document_examples(self, kind):
        """
        Each document schema's examples pass every check of the library.
        """
        examples = schema(kind)["examples"]

        assert examples
        for example in examples:
            assert () == validate(example, kind)

    def test_common_examples(self):
        """
        Each example of a common definition is valid against it.
        """
        defs = SHIPPED["common.json"]["$defs"]
        with_examples = {n: d for n, d in defs.items() if "examples" in d}

        assert {"date", "hours", "id", "categoryCode"} <= set(with_examples)
        for name, definition in with_examples.items():
            validator = Draft202012Validator(
                {"$defs": defs, **definition},
                registry=SCHEMA_REGISTRY,
                format_checker=Draft202012Validator.FORMAT_CHECKER,
            )
            for example in definition["examples"]:
                assert validator.is_valid(example), (name, example)


class TestDatePattern:
    """
    The date pattern alone refuses impossible dates.
    """

    @given(
        year=st.integers(1, 9999),
        month=st.integers(0, 13),
        day=st.integers(0, 32),
    )
    def test_pattern_is_the_calendar(self, year, month, day):
        """
        A YYYY-MM-DD string matches the pattern exactly when it is a date.
        """
        text = f"{year:04d}-{month:02d}-{day:02d}"
        pattern = re.compile(
            SHIPPED["common.json"]["$defs"]["date"]["pattern"]
        )
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            expected = False
        else:
            expected = True

        assert expected == bool(pattern.match(text))

    @pytest.mark.parametrize(
        "text", ["2024-02-29", "2000-02-29", "2100-02-28", "9999-12-31"]
    )
    def test_leap_days(self, text):
        """
        Leap days of leap years, and the last day there is, match.
        """
        pattern = SHIPPED["common.json"]["$defs"]["date"]["pattern"]

        assert re.match(pattern, text)


class TestJsonData:
    """
    is_json_data() tells which mappings may take the compiled fast path.
    """

    @pytest.mark.parametrize(
        "data",
        [
            {"a": [1, 2.5, "x", True, None, {"b": []}]},
            {},
            [],
        ],
    )
    def test_json_types(self, data):
        """
        Data made of what json.loads returns is JSON data.
        """
        assert is_json_data(data)

    @pytest.mark.parametrize(
        "data",
        [
            {"a": (1, 2)},
            {"a": Decimal("1.5")},
            {"a": float("nan")},
            {"a": float("inf")},
            {1: "a"},
            {"a": DocumentKind.PORTFOLIO},
            types.MappingProxyType({"a": 1}),
            {"a": {"b": [dt.date(2026, 1, 1)]}},
        ],
        ids=[
            "tuple",
            "decimal",
            "nan",
            "inf",
            "int-key",
            "enum",
            "mappingproxy",
            "date",
        ],
    )
    def test_other_types(self, data):
        """
        Anything else, however deep, is not.
        """
        assert not is_json_data(data)

    def test_dict_takes_the_fast_path(self, monkeypatch):
        """
        load_portfolio(dict) of JSON data asks the compiled validator.
        """
        seen = []
        real = _documents.is_valid_fast

        def spy(kind, data):
            seen.append(kind)
            return real(kind, data)

        monkeypatch.setattr(_documents, "is_valid_fast", spy)
        text = json.dumps({"id": "a-1", "code_of_ethics_signed_on": None})

        load_portfolio(json.loads(text))
        load_portfolio(
            types.MappingProxyType(
                {"id": "a-1", "code_of_ethics_signed_on": None}
            )
        )

        assert [DocumentKind.PORTFOLIO] == seen
