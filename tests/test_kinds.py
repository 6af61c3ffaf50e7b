"""
Every requirement kind is complete: no piece of it can go missing unnoticed.

A kind is its vocabulary member, its model class, its schema branch, its
evaluator, its words (in the export conditions and the generated
catalogue), its hypothesis strategy and its section of the docs. Each test
here names one piece, for every kind, so removing any one of them fails.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import iecmh_core
from iecmh_core import RequirementKind
from iecmh_core._engine import _EVALUATORS
from iecmh_core._rulebook import REQUIREMENT_CLASSES
from iecmh_core._schemas import SCHEMA_REGISTRY
from strategies import _REQUIREMENT_FIELDS

ROOT = Path(__file__).parent.parent
KINDS = list(RequirementKind)
SOURCES = ["https://example.org/rules"]

#: One small valid requirement of each kind; a new kind needs one here.
EXAMPLES: dict[RequirementKind, dict[str, Any]] = {
    RequirementKind.EDUCATION: {"levels": ["bachelor"]},
    RequirementKind.WORK: {"years": 2},
    RequirementKind.TRAINING: {"hours": 30},
    RequirementKind.RSC: {
        "hours": 24,
        "window_months": 24,
        "providers": [{"categories": ["IMHM-C"]}],
    },
    RequirementKind.REFERENCES: {"count": 3},
    RequirementKind.EXAM: {"part": 1},
    RequirementKind.MEMBERSHIP: {},
    RequirementKind.ETHICS: {},
    RequirementKind.LEADERSHIP: {"years": 1},
    RequirementKind.ENDORSEMENT_HELD: {"categories": ["IFS"]},
    RequirementKind.ANY_OF: {
        "paths": [
            {
                "id": "a",
                "title": "A",
                "requirements": [
                    {
                        "id": "x.a",
                        "kind": "ethics",
                        "title": "Ethics",
                        "sources": SOURCES,
                    }
                ],
            },
            {
                "id": "b",
                "title": "B",
                "requirements": [
                    {
                        "id": "x.b",
                        "kind": "membership",
                        "title": "Membership",
                        "sources": SOURCES,
                    }
                ],
            },
        ]
    },
}


def _catalogue() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "catalogue", ROOT / "docs" / "_ext" / "catalogue.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def example(kind: RequirementKind) -> iecmh_core.Requirement:
    data = {
        "id": f"x.{kind.value.replace('_', '-')}",
        "kind": kind.value,
        "title": kind.value,
        "sources": SOURCES,
        **EXAMPLES[kind],
    }
    book = iecmh_core.load_rulebook(
        {
            "id": "test",
            "association": "test",
            "title": "Test",
            "effective_from": "2020-01-01",
            "categories": [
                {
                    "code": "X",
                    "name": "X",
                    "family": "IMH-E",
                    "age_band": "infant",
                    "scope": "prevention",
                    "requirements": [data],
                }
            ],
        }
    )
    return book.categories[0].requirements[0]


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
class TestEveryKind:
    def test_has_a_model_class(self, kind):
        """The vocabulary member maps to a model class of that kind."""
        assert REQUIREMENT_CLASSES[kind.value].kind is kind

    def test_has_a_schema_branch(self, kind):
        """The rulebook schema defines the kind and dispatches on it."""
        rulebook = SCHEMA_REGISTRY.contents("urn:iecmh:schema:rulebook:1")
        assert kind.value in rulebook["$defs"]
        text = json.dumps(rulebook["$defs"]["requirement"])
        assert f'"const": "{kind.value}"' in text

    def test_is_in_the_shared_vocabulary_schema(self, kind):
        """The common schema's requirementKind lists it (for determinations)."""
        common = SCHEMA_REGISTRY.contents("urn:iecmh:schema:common:1")
        assert kind.value in common["$defs"]["requirementKind"]["enum"]

    def test_has_an_evaluator(self, kind):
        """The engine evaluates it, and the finding names its kind."""
        assert REQUIREMENT_CLASSES[kind.value] in _EVALUATORS
        requirement = example(kind)
        portfolio = iecmh_core.load_portfolio(
            {"id": "p", "code_of_ethics_signed_on": None}
        )
        book = iecmh_core.Rulebook(
            id="test",
            association="test",
            title="Test",
            effective_from=iecmh_core.bundled_rulebook(
                "mi-aimh-2024"
            ).effective_from,
            categories=(
                iecmh_core.Category(
                    code="X",
                    name="X",
                    family=iecmh_core.Family.IMH_E,
                    age_band=iecmh_core.AgeBand.INFANT,
                    scope=iecmh_core.Scope.PREVENTION,
                    requirements=(requirement,),
                ),
            ),
        )
        (finding,) = iecmh_core.evaluate(portfolio, "X", book).findings
        assert kind is finding.kind

    def test_has_export_conditions(self, kind):
        """The exports say its conditions in words."""
        assert iecmh_core.requirement_conditions(example(kind))

    def test_has_catalogue_words(self, kind):
        """The generated catalogue says its parameters in words."""
        assert _catalogue().parameters(example(kind))

    def test_has_a_strategy(self, kind):
        """The hypothesis strategies generate it (any_of is built from the others)."""
        generated = {cls for cls, _ in _REQUIREMENT_FIELDS}
        if kind is RequirementKind.ANY_OF:
            assert REQUIREMENT_CLASSES[kind.value] not in generated
        else:
            assert REQUIREMENT_CLASSES[kind.value] in generated

    def test_has_a_docs_section(self, kind):
        """The requirement-kinds page has a labelled section for it."""
        page = (ROOT / "docs" / "requirement-kinds.md").read_text("utf-8")
        assert f"(kind-{kind.value})=\n\n## `{kind.value}`" in page

    def test_has_an_api_entry(self, kind):
        """The API page documents its model class."""
        page = (ROOT / "docs" / "api.md").read_text("utf-8")
        name = REQUIREMENT_CLASSES[kind.value].__name__
        assert f".. autoclass:: {name}\n" in page


def test_every_example_is_a_kind():
    """No example is left for a kind that no longer exists."""
    assert set(KINDS) == set(EXAMPLES)
