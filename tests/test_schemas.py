"""
The JSON Schemas shipped in the package: iecmh_core._schemas.
"""

# Assertions read `expected == actual` (STYLE.md, practice 19).

from __future__ import annotations

import json
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
    RequirementKind,
    dump,
    guess_kind,
    schema,
    validate,
)
from iecmh_core._schemas import SCHEMA_IDS, validator_for
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
