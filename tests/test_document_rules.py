"""
The rules a schema cannot state: iecmh_core._document_rules.
"""

from __future__ import annotations

import re
from pathlib import Path

from iecmh_core import DOCUMENT_RULES, DocumentKind, DocumentRule

REPO = Path(__file__).resolve().parents[1]


class TestCatalogue:
    """
    DOCUMENT_RULES lists each rule once, and each is exercised and documented.
    """

    def test_codes_unique_and_named(self):
        """
        Each code is used once and reads rule.NAME or json.NAME.
        """
        codes = [rule.code for rule in DOCUMENT_RULES]

        assert len(set(codes)) == len(codes)
        for code in codes:
            assert re.fullmatch(r"(rule|json)\.[a-z]+(-[a-z]+)*", code)

    def test_kinds_and_summaries(self):
        """
        Each rule names the kinds it applies to and says what it requires.
        """
        for rule in DOCUMENT_RULES:
            assert isinstance(rule, DocumentRule)
            assert rule.kinds
            assert all(isinstance(kind, DocumentKind) for kind in rule.kinds)
            assert rule.summary.endswith(".")

    def test_every_rule_in_the_corpus(self):
        """
        Each rule has a corpus document that breaks it alone, for each kind
        it applies to but the determination (which only JSON text can
        break), so tests/test_interop.py checks the library reports it.
        """
        corpus = {
            path.name.removesuffix(".json").removesuffix(".patch")
            for path in (REPO / "tests" / "corpus").glob("*.json")
        }

        for rule in DOCUMENT_RULES:
            name = rule.code.split(".", 1)[1]
            kinds = [
                k for k in rule.kinds if k is not DocumentKind.DETERMINATION
            ]
            assert any(f"{k.value}.rule.{name}" in corpus for k in kinds), rule

    def test_documented(self):
        """
        docs/interop.md lists every rule, with its kinds and its summary.
        """
        page = (REPO / "docs" / "interop.md").read_text(encoding="utf-8")
        rows = re.findall(
            r"^\| `((?:rule|json)\.[a-z-]+)` \| ([a-z, ]+) \| (.+) \|$",
            page,
            re.MULTILINE,
        )
        documented = {code: (kinds, summary) for code, kinds, summary in rows}

        for rule in DOCUMENT_RULES:
            kinds, summary = documented[rule.code]
            expected = (
                "all"
                if len(rule.kinds) == len(DocumentKind)
                else ", ".join(k.value for k in rule.kinds)
            )
            assert expected == kinds
            assert rule.summary == summary.replace("`", "")
        assert {r.code for r in DOCUMENT_RULES} == set(documented)
