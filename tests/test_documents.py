"""
Reading, validating and writing documents: iecmh_core._documents.
"""

# Assertions read `expected == actual` (STYLE.md, practice 19).

from __future__ import annotations

import copy
import datetime as dt
import json
import sys
import types
from collections.abc import Callable, Iterator
from decimal import Decimal
from importlib.metadata import version
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import iecmh_core
from iecmh_core import (
    CohortReport,
    Determination,
    DocumentKind,
    Framework,
    InvalidDocumentError,
    InvalidRulebookError,
    Portfolio,
    Problem,
    Rulebook,
    bundled_rulebook,
    dump,
    dump_json,
    guess_kind,
    load_cohort_report,
    load_determination,
    load_framework,
    load_portfolio,
    load_rulebook,
    schema,
    validate,
)
from iecmh_core._convert import converter
from iecmh_core._documents import load
from strategies import DOCUMENTS, json_values, portfolios

LOADERS: dict[DocumentKind, Callable[[Any], Any]] = {
    DocumentKind.PORTFOLIO: load_portfolio,
    DocumentKind.RULEBOOK: load_rulebook,
    DocumentKind.FRAMEWORK: load_framework,
    DocumentKind.DETERMINATION: load_determination,
    DocumentKind.COHORT_REPORT: load_cohort_report,
}
MODELS: dict[DocumentKind, type] = {
    DocumentKind.PORTFOLIO: Portfolio,
    DocumentKind.RULEBOOK: Rulebook,
    DocumentKind.FRAMEWORK: Framework,
    DocumentKind.DETERMINATION: Determination,
    DocumentKind.COHORT_REPORT: CohortReport,
}
KINDS = list(DocumentKind)

SOURCES = ["https://example.org/rules"]

PORTFOLIO: dict[str, Any] = {
    "id": "applicant-1",
    "name": "Test Applicant",
    "memberships": [
        {"association": "mi-aimh", "start": "2024-01-01", "end": None}
    ],
    "code_of_ethics_signed_on": "2025-02-01",
    "education": [
        {"level": "bachelor", "field": "ece", "completed_on": "2014-05-20"}
    ],
    "work": [
        {
            "title": "Home visitor",
            "start": "2015-01-05",
            "end": "2019-06-30",
            "paid": True,
            "fte": 1,
            "age_band": "infant",
            "services": ["prevention"],
        },
        {
            "title": "Coordinator",
            "start": "2019-07-01",
            "end": None,
            "paid": True,
            "fte": 0.8,
            "age_band": "infant",
            "services": [],
        },
    ],
    "training": [
        {
            "title": "Attachment",
            "completed_on": "2023-10-14",
            "hours": 6,
            "topics": [],
            "knowledge_areas": [],
        },
        {
            "title": "Cultural humility",
            "completed_on": "2024-02-03",
            "hours": 3.5,
            "topics": ["dei"],
            "knowledge_areas": ["cultural-humility"],
        },
    ],
    "rsc": [
        {
            "provider": "p-7",
            "provider_category": "IMHM-C",
            "format": "individual",
            "date": "2024-11-05",
            "hours": 1.5,
        },
        {
            "provider": "p-7",
            "provider_category": None,
            "format": "group",
            "date": "2024-12-03",
            "hours": 2,
        },
    ],
    "references": [
        {
            "rater": "ref-1",
            "role": "supervisor",
            "rater_category": None,
            "submitted_on": "2025-01-12",
        }
    ],
    "exams": [{"part": 1, "taken_on": "2025-03-10", "score_percent": 85}],
    "leadership": [
        {
            "description": "Chair",
            "level": "regional",
            "start": "2021-01-01",
            "end": None,
        }
    ],
    "endorsements": [
        {"category": "IFS", "awarded_on": "2019-03-01", "status": "active"}
    ],
}


def requirement(rid: str, kind: str = "ethics", **fields: Any) -> dict:
    """
    Return a requirement document of *kind* with the id *rid*.
    """
    return {"id": rid, "kind": kind, "title": rid, "sources": SOURCES} | fields


def category(code: str, *requirements: dict) -> dict:
    """
    Return a category document *code* with *requirements*.
    """
    return {
        "code": code,
        "name": f"Category {code}",
        "family": "IMH-E",
        "age_band": "infant",
        "scope": "promotion",
        "requirements": list(requirements),
    }


def rulebook_document(*categories: dict, **fields: Any) -> dict:
    """
    Return a rulebook document with *categories* (one IFS category if none).
    """
    return {
        "id": "test-2024",
        "association": "test",
        "title": "Test rules",
        "effective_from": "2024-01-01",
        "categories": list(categories)
        or [category("IFS", requirement("ifs.ethics"))],
    } | fields


FRAMEWORK: dict[str, Any] = {
    "id": "guidelines-2017",
    "title": "Competency Guidelines",
    "edition": "2017",
    "domains": [
        {
            "id": "theory",
            "name": "Theoretical foundations",
            "knowledge_areas": [
                {"id": "attachment", "name": "Attachment"},
                {
                    "id": "cultural-humility",
                    "name": "Cultural humility",
                    "aliases": ["cultural-competence"],
                },
            ],
        },
        {"id": "practice", "name": "Direct service skills"},
    ],
}

DETERMINATION: dict[str, Any] = {
    "portfolio": "applicant-1",
    "category": "IFS",
    "rulebook": "mi-aimh-2024",
    "as_of": "2026-01-15",
    "outcome": "eligible",
    "findings": [
        {
            "requirement": "ifs.rsc",
            "kind": "rsc",
            "outcome": "met",
            "required": 24,
            "counted": 26.5,
            "shortfall": 0,
            "explanation": "26.5 of 24 RSC hours received",
            "evidence": ["rsc[0]", "rsc[1]"],
        }
    ],
}

COHORT_REPORT: dict[str, Any] = {
    "records": 12,
    "errors": 1,
    "error_lines": [7],
    "min_group": 5,
    "distance": {"requirements": 1, "within": {"rsc": 6}},
    "expiring_months": 6,
    "cohort": {
        "applicants": 11,
        "outcomes": {"eligible": 0, "not_eligible": 11, "undetermined": 0},
        "requirements": [
            {
                "requirement": "ifs.rsc",
                "kind": "rsc",
                "unit": "hours",
                "outcomes": {"met": 5, "unmet": 6, "undetermined": 0},
                "only": None,
                "shortfall": {
                    "applicants": 6,
                    "q1": 2.5,
                    "median": 4,
                    "q3": 10.25,
                    "bins": [{"start": 0, "end": 5, "applicants": 6}],
                },
            }
        ],
    },
}

DOCUMENTS_BY_KIND: dict[DocumentKind, dict[str, Any]] = {
    DocumentKind.PORTFOLIO: PORTFOLIO,
    DocumentKind.RULEBOOK: rulebook_document(),
    DocumentKind.FRAMEWORK: FRAMEWORK,
    DocumentKind.DETERMINATION: DETERMINATION,
    DocumentKind.COHORT_REPORT: COHORT_REPORT,
}


def portfolio(**changes: Any) -> dict[str, Any]:
    """
    Return a fresh copy of the valid test portfolio, with *changes*.
    """
    return copy.deepcopy(PORTFOLIO) | changes


def problems_of(source: Any) -> tuple[Problem, ...]:
    """
    Load *source* as a portfolio and return the problems it must raise.

    Any exception but InvalidDocumentError escapes and fails the test.
    """
    with pytest.raises(InvalidDocumentError) as caught:
        load_portfolio(source)
    assert "portfolio" == caught.value.kind
    return caught.value.problems


def problems_or_none(source: Any) -> tuple[Problem, ...]:
    """
    Load *source* as a portfolio; return its problems, or () if it loads.

    Any exception but InvalidDocumentError escapes and fails the test.
    """
    try:
        load_portfolio(source)
    except InvalidDocumentError as error:
        return error.problems
    return ()


def paths_of(problems: tuple[Problem, ...]) -> list[str]:
    """
    Return the JSON paths of *problems*, in order.
    """
    return [problem.path for problem in problems]


def walk(value: Any, path: str = "$") -> Iterator[tuple[str, Any, Any]]:
    """
    Yield (path, container, key) for every scalar in a JSON value.
    """
    items: Any = ()
    if isinstance(value, dict):
        items = ((f"{path}.{key}", key, item) for key, item in value.items())
    elif isinstance(value, list):
        items = ((f"{path}[{i}]", i, item) for i, item in enumerate(value))
    for where, key, item in items:
        if isinstance(item, dict | list):
            yield from walk(item, where)
        else:
            yield where, value, key


def objects(value: dict[str, Any]) -> Iterator[tuple[str, dict, dict]]:
    """
    Yield (path, object, schema) for the portfolio and each of its items.
    """
    shape = schema("portfolio")
    yield "$", value, shape
    for key, items in value.items():
        if isinstance(items, list):
            for index, item in enumerate(items):
                yield (
                    f"$.{key}[{index}]",
                    item,
                    shape["properties"][key]["items"],
                )


def nested_lists(depth: int) -> list[Any]:
    """
    Return *depth* lists nested in one another.
    """
    value: list[Any] = []
    for _ in range(depth - 1):
        value = [value]
    return value


class TestRoundTrip:
    """
    Documents survive conversion, dumping and loading unchanged.
    """

    @pytest.mark.parametrize("kind", KINDS)
    @given(data=st.data())
    def test_round_trip(self, kind, data):
        """
        Converting, dumping and loading (data or text) give x back.
        """
        document = data.draw(DOCUMENTS[kind])
        unstructured = converter.unstructure(document)
        text = dump_json(document)

        assert document == converter.structure(unstructured, type(document))
        assert document == LOADERS[kind](dump(document))
        assert document == load(dump(document), kind, MODELS[kind])
        assert document == LOADERS[kind](text)
        assert text == dump_json(LOADERS[kind](text))

    @pytest.mark.parametrize("kind", KINDS)
    def test_hand_written_documents(self, kind):
        """
        A hand-written document loads, and its dump validates and reloads.
        """
        document = DOCUMENTS_BY_KIND[kind]

        loaded = LOADERS[kind](document)

        assert isinstance(loaded, MODELS[kind])
        assert () == validate(dump(loaded), kind)
        assert loaded == LOADERS[kind](dump(loaded))

    @pytest.mark.parametrize(
        "kind", [DocumentKind.PORTFOLIO, DocumentKind.DETERMINATION]
    )
    def test_same_data(self, kind):
        """
        A document with its lists written out dumps back to the same data.
        """
        document = DOCUMENTS_BY_KIND[kind]

        assert document == dump(LOADERS[kind](document))

    def test_file(self, tmp_path):
        """
        A portfolio written with dump_json loads back from its file.
        """
        document = load_portfolio(PORTFOLIO)
        path = tmp_path / "portfolio.json"
        path.write_text(dump_json(document), encoding="utf-8")

        assert document == load_portfolio(path)

    def test_bytes(self):
        """
        JSON text given as UTF-8 bytes loads like the same text as str.
        """
        text = json.dumps(PORTFOLIO)

        assert load_portfolio(text) == load_portfolio(text.encode())


class TestContractExample:
    """
    The contract's example portfolio is valid and round-trips unchanged.
    """

    def test_validates(self, shared_dir):
        """
        The example has no problems against the shipped schema and rules.
        """
        path = shared_dir / "contract" / "portfolio.example.json"

        assert () == validate(path)
        assert () == validate(path, "portfolio")

    def test_round_trips_unchanged(self, shared_dir):
        """
        Dumping the loaded example gives back exactly the file's data.
        """
        path = shared_dir / "contract" / "portfolio.example.json"
        expected = json.loads(path.read_text(encoding="utf-8"))

        assert expected == dump(load_portfolio(path))

    def test_exact_values(self, shared_dir):
        """
        The example's hours and fte load as exact decimals.
        """
        path = shared_dir / "contract" / "portfolio.example.json"

        loaded = load_portfolio(path)

        assert Decimal("24.5") == sum(t.hours for t in loaded.training)
        assert Decimal("0.8") == loaded.work[1].fte


class TestExactHours:
    """
    Hours are exact decimals, never binary floats.
    """

    def test_three_hundred_tenths(self):
        """
        300 trainings of 0.1 hours read from JSON text sum to exactly 30.
        """
        training = {"title": "t", "completed_on": "2024-01-01", "hours": 0.1}
        text = json.dumps(portfolio(training=[training] * 300))

        loaded = load_portfolio(text)

        assert Decimal(30) == sum(t.hours for t in loaded.training)
        assert "30.0" == str(sum(t.hours for t in loaded.training))

    @given(st.lists(st.integers(1, 10000), min_size=1, max_size=50))
    def test_sums_are_exact(self, hundredths):
        """
        Any hours with 2 decimals sum exactly to the sum of their cents.
        """
        trainings = [
            {
                "title": "t",
                "completed_on": "2024-01-01",
                "hours": float(Decimal(k) / 100),
            }
            for k in hundredths
        ]
        text = json.dumps(portfolio(training=trainings))

        loaded = load_portfolio(text)

        assert Decimal(sum(hundredths)) / 100 == sum(
            t.hours for t in loaded.training
        )


class TestInvalidPortfolios:
    """
    Every invalid portfolio raises InvalidDocumentError naming the paths.
    """

    @pytest.mark.parametrize(
        ("path", "change"),
        [
            ("$.rsc[1].hours", lambda d: d["rsc"][1].update(hours="two")),
            ("$.rsc[1].hours", lambda d: d["rsc"][1].update(hours=-1)),
            ("$.rsc[1].hours", lambda d: d["rsc"][1].update(hours=0)),
            ("$.rsc[1].hours", lambda d: d["rsc"][1].update(hours=1.005)),
            ("$.rsc[1].hours", lambda d: d["rsc"][1].update(hours=True)),
            ("$.rsc[1].hours", lambda d: d["rsc"][1].update(hours=1e400)),
            (
                "$.training[0].hours",
                lambda d: d["training"][0].update(hours=0.125),
            ),
            (
                "$.training[1].hours",
                lambda d: d["training"][1].update(hours=float("nan")),
            ),
            (
                "$.training[1].hours",
                lambda d: d["training"][1].update(hours=100001),
            ),
            (
                "$.training[1].completed_on",
                lambda d: d["training"][1].update(completed_on="2025-02-30"),
            ),
            (
                "$.memberships[0].start",
                lambda d: d["memberships"][0].update(start="2025-13-01"),
            ),
            (
                "$.memberships[0].start",
                lambda d: d["memberships"][0].update(start="20240101"),
            ),
            (
                "$.code_of_ethics_signed_on",
                lambda d: d.update(code_of_ethics_signed_on="2025-2-1"),
            ),
            ("$.work[0].end", lambda d: d["work"][0].update(end="2015-01-04")),
            (
                "$.leadership[0].end",
                lambda d: d["leadership"][0].update(end="2020-12-31"),
            ),
            (
                "$.memberships[0].end",
                lambda d: d["memberships"][0].update(end="2023-12-31"),
            ),
            ("$.work[1].fte", lambda d: d["work"][1].update(fte=0)),
            ("$.work[1].fte", lambda d: d["work"][1].update(fte=1.5)),
            ("$.work[1].fte", lambda d: d["work"][1].update(fte=float("nan"))),
            ("$.work[1].paid", lambda d: d["work"][1].update(paid="yes")),
            (
                "$.work[1].families_served",
                lambda d: d["work"][1].update(families_served=2.5),
            ),
            (
                "$.work[0].services",
                lambda d: d["work"][0].update(services=["prevention"] * 2),
            ),
            ("$.work[0].age_band", lambda d: d["work"][0].update(age_band=1)),
            ("$.exams[0].part", lambda d: d["exams"][0].update(part=3)),
            (
                "$.exams[0].score_percent",
                lambda d: d["exams"][0].update(score_percent=101),
            ),
            (
                "$.exams[0].score_percent",
                lambda d: d["exams"][0].update(score_percent=float("nan")),
            ),
            (
                "$.rsc[0].provider_category",
                lambda d: d["rsc"][0].update(provider_category="not a code"),
            ),
            ("$.rsc[0].format", lambda d: d["rsc"][0].update(format="solo")),
            ("$.id", lambda d: d.update(id="")),
            ("$.id", lambda d: d.update(id=7)),
            ("$.rsc[1].colour", lambda d: d["rsc"][1].update(colour="red")),
            ('$["a b"]', lambda d: d.update({"a b": 1})),
            ("$.rsc[0].hours", lambda d: d["rsc"][0].pop("hours")),
            (
                "$.code_of_ethics_signed_on",
                lambda d: d.pop("code_of_ethics_signed_on"),
            ),
            ("$.references[0]", lambda d: d["references"].__setitem__(0, 1)),
            ("$.training", lambda d: d.update(training={})),
        ],
    )
    def test_targeted_mutation(self, path, change):
        """
        One planted error gives exactly one problem, at its JSON path.
        """
        document = portfolio()
        change(document)

        problems = problems_of(document)

        assert [path] == paths_of(problems)
        assert problems == validate(document)

    @given(portfolios(), st.data())
    def test_wrong_type_at_any_leaf(self, document, data):
        """
        Any value replaced by an object or array is one problem, there.
        """
        dumped = dump(document)
        path, container, key = data.draw(st.sampled_from(list(walk(dumped))))
        container[key] = data.draw(st.sampled_from([{}, {"a": 1}, [[]]]))

        problems = problems_of(dumped)

        assert [path] == paths_of(problems)
        assert "expected" in problems[0].message

    @given(portfolios(), st.data())
    def test_missing_required_field(self, document, data):
        """
        A required field left out is one problem at that field's path.
        """
        dumped = dump(document)
        path, item, shape = data.draw(st.sampled_from(list(objects(dumped))))
        key = data.draw(st.sampled_from(shape["required"]))
        del item[key]

        problems = problems_of(dumped)

        assert [f"{path}.{key}"] == paths_of(problems)
        assert (
            "expected a value (the property is required), got none"
            == problems[0].message
        )

    @given(
        portfolios(),
        st.data(),
        st.from_regex(r"[a-z_]{1,10}", fullmatch=True),
    )
    def test_unknown_key(self, document, data, key):
        """
        A property the schema does not know is one problem at its path.
        """
        dumped = dump(document)
        path, item, shape = data.draw(st.sampled_from(list(objects(dumped))))
        item[key + "_x"] = data.draw(json_values)

        problems = problems_of(dumped)

        assert [f"{path}.{key}_x"] == paths_of(problems)
        assert min(shape["properties"]) in problems[0].message

    @given(
        portfolios(),
        st.data(),
        st.sampled_from(
            [
                "2025-02-30",
                "2023-02-29",
                "2025-13-01",
                "2025-1-1",
                "2024-01-01\n",
                "\u0662\u0660\u0662\u0665-\u0660\u0661-\u0660\u0661",
                "x",
            ]
        ),
    )
    def test_bad_date(self, document, data, bad):
        """
        A date that is not a calendar date is one problem at its path.
        """
        dumped = dump(document)
        dumped["code_of_ethics_signed_on"] = "2020-01-01"
        dated = [
            (path, container, key)
            for path, container, key in walk(dumped)
            if isinstance(container, dict)
            and key
            in {
                "start",
                "end",
                "completed_on",
                "date",
                "submitted_on",
                "taken_on",
                "awarded_on",
                "code_of_ethics_signed_on",
            }
            and container[key] is not None
        ]
        path, container, key = data.draw(st.sampled_from(dated))
        container[key] = bad

        problems = problems_of(dumped)

        assert [path] == paths_of(problems)
        assert problems[0].message.startswith(
            "expected a valid date (YYYY-MM-DD)"
        )

    @given(
        portfolios(),
        st.data(),
        st.sampled_from(["memberships", "work", "leadership"]),
        st.integers(1, 3000),
    )
    def test_end_before_start(self, document, data, section, days):
        """
        An end before its start is one problem at the end's path.
        """
        dumped = dump(document)
        if not dumped[section]:
            dumped[section] = copy.deepcopy(PORTFOLIO[section])
        index = data.draw(st.integers(0, len(dumped[section]) - 1))
        item = dumped[section][index]
        start = dt.date.fromisoformat(item["start"])
        item["end"] = (start - dt.timedelta(days=days)).isoformat()

        problems = problems_of(dumped)

        assert [f"$.{section}[{index}].end"] == paths_of(problems)
        assert f"on or after start ({start})" in problems[0].message

    @given(
        portfolios(),
        st.data(),
        st.sampled_from(["training", "rsc"]),
        st.one_of(
            st.integers(-100, 0),
            st.floats(max_value=0, allow_nan=False),
            st.integers(1, 10**6)
            .map(lambda k: k / 1000)
            .filter(lambda h: Decimal(repr(h)).as_tuple().exponent < -2),
            st.text(max_size=5),
            st.booleans(),
            st.none(),
        ),
    )
    def test_bad_hours(self, document, data, section, bad):
        """
        Hours not above 0, with 3 decimals or not a number are one problem.
        """
        dumped = dump(document)
        if not dumped[section]:
            dumped[section] = copy.deepcopy(PORTFOLIO[section])
        index = data.draw(st.integers(0, len(dumped[section]) - 1))
        dumped[section][index]["hours"] = bad

        problems = problems_of(dumped)

        assert [f"$.{section}[{index}].hours"] == paths_of(problems)

    def test_every_problem_at_once(self):
        """
        Problems in different items are all reported, sorted by path.
        """
        document = portfolio()
        document["rsc"][1]["hours"] = -1
        document["rsc"][0]["hours"] = "x"
        document["work"][0]["end"] = None
        document["work"][0]["paid"] = None

        problems = problems_of(document)

        assert ["$.rsc[0].hours", "$.rsc[1].hours", "$.work[0].paid"] == (
            paths_of(problems)
        )

    def test_rules_after_schema(self):
        """
        Rule problems (3 decimals, end before start) are all reported.
        """
        document = portfolio()
        document["rsc"][1]["hours"] = 1.001
        document["work"][0]["end"] = "2000-01-01"

        problems = problems_of(document)

        assert ["$.rsc[1].hours", "$.work[0].end"] == paths_of(problems)
        assert (
            "expected clock hours with at most 2 decimal places, got 1.001"
            == problems[0].message
        )

    def test_duplicate_keys(self):
        """
        A key given twice in JSON text is a problem, never a silent pick.
        """
        text = json.dumps(PORTFOLIO)[:-1] + ', "id": "other"}'

        problems = problems_of(text)

        assert [
            Problem("$.id", "expected unique keys, got 'id' more than once")
        ] == list(problems)

    def test_duplicate_nested_keys(self):
        """
        Duplicate keys deep inside the text are reported at their path.
        """
        text = json.dumps(PORTFOLIO).replace(
            '"hours": 1.5', '"hours": 1.5, "hours": 2'
        )

        problems = problems_of(text)

        assert ["$.rsc[0].hours"] == paths_of(problems)
        assert "'hours' more than once" in problems[0].message

    @pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
    def test_non_finite_constants(self, constant):
        """
        NaN and Infinity in JSON text are problems at their own path.
        """
        text = json.dumps(PORTFOLIO).replace('"hours": 1.5', '"hours": NaN')
        text = text.replace("NaN", constant)

        problems = problems_of(text)

        assert [
            Problem(
                "$.rsc[0].hours",
                f"expected a finite JSON number, got {constant}",
            )
        ] == list(problems)

    def test_invalid_json(self):
        """
        Text that is not JSON is one problem at $, saying where it broke.
        """
        problems = problems_of('{"id": "a",')

        assert ["$"] == paths_of(problems)
        assert "invalid JSON at line 1 column 12" in problems[0].message
        assert "pathlib.Path" not in problems[0].message

    def test_file_name_as_text(self):
        """
        A file name passed as str is read as text, with a hint about Path.
        """
        problems = problems_of("portfolio.json")

        assert "pass a pathlib.Path, not a str" in problems[0].message

    def test_invalid_utf8(self):
        """
        Bytes that are not UTF-8 text are one problem at $.
        """
        assert ["$"] == paths_of(problems_of(b'{"id": "\xff"}'))

    def test_very_deep_nesting(self):
        """
        100000 nested lists as JSON text are one problem at $.
        """
        text = "[" * 100000 + "]" * 100000

        problems = problems_of(text)

        assert [
            Problem(
                "$",
                "expected JSON nested less deeply, "
                "got nesting too deep to read",
            )
        ] == list(problems)

    def test_nesting_up_to_the_recursion_limit(self):
        """
        At any nesting depth, a portfolio raises only InvalidDocumentError.
        """
        for depth in range(1, sys.getrecursionlimit() + 50):
            garbage = "[" * depth + "]" * depth
            text = (
                '{"id": "a", "code_of_ethics_signed_on": null, '
                f'"x": {garbage}}}'
            )
            try:
                problems = problems_of(text)
            except RecursionError:
                pytest.fail(
                    f"RecursionError at nesting depth {depth}", pytrace=False
                )
            assert all(p.path.startswith("$") for p in problems)

    def test_deeply_nested_mapping(self):
        """
        A value nested past the recursion limit is one problem, about nesting.
        """
        document = portfolio(name=nested_lists(100000))

        problems = problems_of(document)
        assert ["$"] == paths_of(problems)
        assert "nesting too deep" in problems[0].message

    @given(json_values)
    def test_random_json_values(self, value):
        """
        Any JSON value, as data or as text, is a problem or a portfolio.
        """
        for source in (value, json.dumps(value)):
            problems = problems_or_none(source)

            assert all(p.path.startswith("$") for p in problems)

    @given(
        st.sampled_from(sorted(schema("portfolio")["properties"])),
        json_values,
    )
    def test_random_json_values_in_fields(self, key, value):
        """
        Any JSON value in any field gives problems at paths under $.
        """
        document = portfolio()
        document[key] = value

        problems = problems_or_none(document)

        assert all(p.path.startswith(f"$.{key}") for p in problems)

    @given(portfolios(), st.data())
    def test_random_values_at_any_leaf(self, document, data):
        """
        Any JSON value at any leaf is valid or a problem at that leaf.
        """
        dumped = dump(document)
        path, container, key = data.draw(st.sampled_from(list(walk(dumped))))
        container[key] = data.draw(json_values)
        parent = path[: max(path.rfind("."), path.rfind("["))]

        problems = problems_or_none(dumped)

        assert all(p.path.startswith(parent) for p in problems)


class TestThreePlantedErrors:
    """
    Three planted errors give exactly three problems, through every door.
    """

    EXPECTED = (
        "$.colour",
        "$.memberships[0].start",
        "$.rsc[1].hours",
    )

    @pytest.fixture
    def document(self):
        """
        Return the test portfolio with three planted errors.
        """
        document = portfolio(colour="blue")
        document["rsc"][1]["hours"] = "two"
        document["memberships"][0]["start"] = "2025-02-30"
        return document

    def test_validate(self, document):
        """
        validate() returns exactly the three problems, sorted by path.
        """
        assert self.EXPECTED == tuple(paths_of(validate(document)))

    def test_load(self, document):
        """
        load_portfolio() raises with exactly the three problems.
        """
        problems = problems_of(document)

        assert self.EXPECTED == tuple(paths_of(problems))

    def test_messages(self, document):
        """
        Each problem says what was expected and what was found.
        """
        assert [
            (
                "$.colour: expected no property 'colour' here; known "
                "properties: code_of_ethics_signed_on, education, "
                "endorsements, exams, id, leadership, memberships, name, "
                "references, rsc, training, work"
            ),
            (
                "$.memberships[0].start: expected a valid date (YYYY-MM-DD), "
                'got "2025-02-30"'
            ),
            '$.rsc[1].hours: expected a number, got "two"',
        ] == [str(problem) for problem in validate(document)]

    def test_file(self, document, tmp_path):
        """
        Loaded from a file, the error names the file on every line.
        """
        path = tmp_path / "planted.json"
        path.write_text(json.dumps(document), encoding="utf-8")

        with pytest.raises(InvalidDocumentError) as caught:
            load_portfolio(path)
        error = caught.value

        assert str(path) == error.source
        assert "portfolio" == error.kind
        assert self.EXPECTED == tuple(paths_of(error.problems))
        assert validate(path) == error.problems
        lines = str(error).splitlines()
        assert f"{path}: invalid portfolio (3 problems):" == lines[0]
        assert [f"  {path}: {p}" for p in error.problems] == lines[1:]

    def test_text(self, document):
        """
        Loaded from JSON text, the error's source is <text>.
        """
        with pytest.raises(InvalidDocumentError) as caught:
            load_portfolio(json.dumps(document))

        assert "<text>" == caught.value.source
        assert self.EXPECTED == tuple(paths_of(caught.value.problems))

    def test_data(self, document):
        """
        Loaded from a mapping, the error's source is <data>.
        """
        with pytest.raises(InvalidDocumentError) as caught:
            load_portfolio(document)

        assert "<data>" == caught.value.source


class TestSources:
    """
    Documents come as mappings, JSON text, bytes or paths.
    """

    @pytest.mark.parametrize(
        "make",
        [
            lambda d, _: d,
            lambda d, _: json.dumps(d),
            lambda d, _: json.dumps(d).encode("utf-8"),
            lambda d, _: json.dumps(d).encode("utf-16"),
            lambda _, path: path,
        ],
        ids=["mapping", "str", "bytes", "utf-16", "path"],
    )
    def test_every_kind_of_source(self, make, tmp_path):
        """
        Every accepted kind of source gives the same valid portfolio.
        """
        path = tmp_path / "p.json"
        path.write_text(json.dumps(PORTFOLIO), encoding="utf-8")
        source = make(PORTFOLIO, path)

        assert () == validate(source)
        assert load_portfolio(PORTFOLIO) == load_portfolio(source)

    def test_read_only_mapping(self):
        """
        Any read-only Mapping is accepted like a dict.
        """
        source = types.MappingProxyType(portfolio())

        assert () == validate(source)

    @pytest.mark.parametrize("source", [7, 1.5, None, ["id"], object()])
    def test_unsupported_source(self, source):
        """
        An unsupported source type is one problem at $ naming the type.
        """
        expected = (
            Problem(
                "$",
                "expected a mapping, JSON text or a path, "
                f"got {type(source).__name__}",
            ),
        )

        assert expected == validate(source)
        assert expected == validate(source, "portfolio")
        assert expected == problems_of(source)

    def test_missing_file(self, tmp_path):
        """
        A file that does not exist is one problem at $.
        """
        path = tmp_path / "absent.json"

        problems = problems_of(path)

        assert [
            Problem(
                "$", "expected a readable file, got No such file or directory"
            )
        ] == list(problems)

    def test_directory(self, tmp_path):
        """
        A directory is not a readable file.
        """
        with pytest.raises(InvalidDocumentError) as caught:
            load_portfolio(tmp_path)

        assert str(tmp_path) == caught.value.source
        assert ["$"] == paths_of(caught.value.problems)


class TestGuessKind:
    """
    The kind of a document is guessed from its top-level keys.
    """

    @pytest.mark.parametrize("kind", KINDS)
    def test_each_kind(self, kind):
        """
        Each kind's hand-written document is recognised.
        """
        assert kind == guess_kind(DOCUMENTS_BY_KIND[kind])

    @pytest.mark.parametrize(
        "data", [{}, {"name": "x"}, [], "id", None, 3, [{"id": "a"}]]
    )
    def test_unrecognisable(self, data):
        """
        Data that looks like no document gives None.
        """
        assert guess_kind(data) is None

    @pytest.mark.parametrize("kind", KINDS)
    def test_validate_guesses(self, kind):
        """
        validate() with no kind checks a document as the guessed kind.
        """
        assert () == validate(DOCUMENTS_BY_KIND[kind])

    @pytest.mark.parametrize("data", ["[]", "3", "null", {}, {"a": 1}])
    def test_validate_unrecognisable(self, data):
        """
        Validating unrecognisable data is one problem at $.
        """
        problems = validate(data)

        assert ["$"] == paths_of(problems)
        assert problems[0].message.startswith(
            "expected a portfolio, rulebook, framework or determination"
        )

    @pytest.mark.parametrize("data", ["[]", "3", "null", '"id"'])
    def test_non_object_as_portfolio(self, data):
        """
        A non-object checked as a portfolio is one problem at $.
        """
        problems = validate(data, DocumentKind.PORTFOLIO)

        assert ["$"] == paths_of(problems)
        assert problems[0].message.startswith("expected an object, got ")

    def test_explicit_kind_wins(self):
        """
        An explicit kind is used even when the keys suggest another.
        """
        problems = validate(PORTFOLIO, "rulebook")

        assert problems
        assert "$.association" in paths_of(problems)

    def test_unknown_kind_name(self):
        """
        An unknown kind name is a programming error (ValueError).
        """
        with pytest.raises(ValueError, match="bogus"):
            validate(PORTFOLIO, "bogus")


class TestRulebookRules:
    """
    Rulebooks are checked for the rules a schema cannot state.
    """

    def test_valid(self):
        """
        A rulebook with distinct codes and ids loads.
        """
        rulebook = load_rulebook(rulebook_document())

        assert "IFS" == rulebook.categories[0].code

    def test_duplicate_category(self):
        """
        A category code used twice is a problem at the second code.
        """
        document = rulebook_document(
            category("IFS", requirement("a")),
            category("IFS", requirement("b")),
        )

        with pytest.raises(InvalidRulebookError) as caught:
            load_rulebook(document)

        assert [
            Problem(
                "$.categories[1].code",
                "expected a category code used once, got 'IFS' already "
                "defined at $.categories[0].code",
            )
        ] == list(caught.value.problems)
        assert "rulebook" == caught.value.kind

    def test_duplicate_requirement(self):
        """
        A requirement id used twice in a category is a problem.
        """
        document = rulebook_document(
            category("IFS", requirement("a"), requirement("a"))
        )

        with pytest.raises(InvalidRulebookError) as caught:
            load_rulebook(document)

        assert ["$.categories[0].requirements[1].id"] == paths_of(
            caught.value.problems
        )
        assert "already used at $.categories[0].requirements[0].id" in (
            caught.value.problems[0].message
        )

    def test_same_requirement_id_in_two_categories(self):
        """
        Requirement ids need only be unique within their category.
        """
        document = rulebook_document(
            category("IFS", requirement("a")),
            category("IFRS", requirement("a")),
        )

        assert () == validate(document)

    def test_duplicate_inside_any_of(self):
        """
        A requirement id repeated inside an any_of path is a problem there.
        """
        any_of = requirement(
            "b",
            "any_of",
            paths=[
                {
                    "id": "p1",
                    "title": "one",
                    "requirements": [requirement("a")],
                },
                {
                    "id": "p2",
                    "title": "two",
                    "requirements": [requirement("c")],
                },
            ],
        )
        document = rulebook_document(category("IFS", requirement("a"), any_of))

        with pytest.raises(InvalidRulebookError) as caught:
            load_rulebook(document)

        assert [
            "$.categories[0].requirements[1].paths[0].requirements[0].id"
        ] == paths_of(caught.value.problems)

    def test_effective_until_before_from(self):
        """
        An edition that ends before it starts is a problem.
        """
        document = rulebook_document(effective_until="2023-12-31")

        with pytest.raises(InvalidRulebookError) as caught:
            load_rulebook(document)

        assert [
            Problem(
                "$.effective_until",
                "expected a date on or after effective_from (2024-01-01), "
                "got '2023-12-31'",
            )
        ] == list(caught.value.problems)

    def test_effective_until_same_day(self):
        """
        An edition may end on the day it starts.
        """
        document = rulebook_document(effective_until="2024-01-01")

        assert () == validate(document)

    def test_unknown_requirement_kind(self):
        """
        An unknown requirement kind is a problem at its kind.
        """
        document = rulebook_document(
            category("IFS", requirement("a", "astrology"))
        )

        with pytest.raises(InvalidRulebookError) as caught:
            load_rulebook(document)

        assert ["$.categories[0].requirements[0].kind"] == paths_of(
            caught.value.problems
        )

    def test_any_of_with_one_path(self):
        """
        An any_of requirement needs at least two paths.
        """
        any_of = requirement(
            "b",
            "any_of",
            paths=[
                {"id": "p", "title": "one", "requirements": [requirement("a")]}
            ],
        )

        with pytest.raises(InvalidRulebookError) as caught:
            load_rulebook(rulebook_document(category("IFS", any_of)))

        assert ["$.categories[0].requirements[0].paths"] == paths_of(
            caught.value.problems
        )

    def test_provider_rule_needs_categories_or_vetted(self):
        """
        An RSC provider rule naming neither categories nor vetting fails.
        """
        rsc = requirement(
            "r", "rsc", hours=24, window_months=24, providers=[{}]
        )

        problems = validate(rulebook_document(category("IFS", rsc)))

        assert ["$.categories[0].requirements[0].providers[0]"] == (
            paths_of(problems)
        )
        assert "categories or vetted (either would do)" in problems[0].message

    def test_infinite_years(self):
        """
        Years too large for a finite number are a problem at their path.
        """
        work = requirement("w", "work", years=1)
        text = json.dumps(rulebook_document(category("IFS", work)))
        text = text.replace('"years": 1', '"years": 1e400')

        with pytest.raises(InvalidRulebookError) as caught:
            load_rulebook(text)

        assert ["$.categories[0].requirements[0].years"] == paths_of(
            caught.value.problems
        )

    def test_optional_lists_left_out(self):
        """
        A rulebook leaving out optional lists dumps back to a valid one.
        """
        rsc = requirement(
            "r",
            "rsc",
            hours=24,
            window_months=24,
            providers=[{"categories": ["IFS"]}, {"vetted": True}],
        )
        refs = requirement("f", "references", count=3, slots=[{"title": "s"}])
        rulebook = load_rulebook(rulebook_document(category("IFS", rsc, refs)))

        assert () == validate(dump(rulebook), "rulebook")
        assert rulebook == load_rulebook(dump(rulebook))

    def test_unreadable_rulebook(self):
        """
        An unreadable rulebook raises InvalidRulebookError too.
        """
        with pytest.raises(InvalidRulebookError) as caught:
            load_rulebook("{")

        assert "rulebook" == caught.value.kind


class TestFrameworkRules:
    """
    Frameworks are checked for ids used twice.
    """

    def test_duplicate_area(self):
        """
        A knowledge area id used twice is a problem at the second one.
        """
        document = copy.deepcopy(FRAMEWORK)
        document["domains"][1]["knowledge_areas"] = [
            {"id": "attachment", "name": "Again"}
        ]

        with pytest.raises(InvalidDocumentError) as caught:
            load_framework(document)

        assert [
            Problem(
                "$.domains[1].knowledge_areas[0].id",
                "expected an id used once in the framework, got "
                "'attachment' already used at "
                "$.domains[0].knowledge_areas[0].id",
            )
        ] == list(caught.value.problems)
        assert not isinstance(caught.value, InvalidRulebookError)

    def test_duplicate_alias(self):
        """
        An alias that repeats an id is a problem at the alias.
        """
        document = copy.deepcopy(FRAMEWORK)
        document["domains"][0]["knowledge_areas"][0]["aliases"] = [
            "cultural-competence"
        ]

        problems = validate(document)

        assert ["$.domains[0].knowledge_areas[1].aliases[0]"] == paths_of(
            problems
        )

    def test_duplicate_domain(self):
        """
        A domain id used twice is a problem at the second one.
        """
        document = copy.deepcopy(FRAMEWORK)
        document["domains"][1]["id"] = "theory"

        assert ["$.domains[1].id"] == paths_of(validate(document))


class TestDeterminations:
    """
    Determinations load, dump and report problems like other documents.
    """

    def test_invalid(self):
        """
        A determination with a bad outcome raises InvalidDocumentError.
        """
        document = copy.deepcopy(DETERMINATION)
        document["findings"][0]["outcome"] = "maybe"

        with pytest.raises(InvalidDocumentError) as caught:
            load_determination(document)

        assert "determination" == caught.value.kind
        assert ["$.findings[0].outcome"] == paths_of(caught.value.problems)

    def test_infinite_quantity(self):
        """
        An infinite quantity in a mapping is a problem at its path.
        """
        document = copy.deepcopy(DETERMINATION)
        document["findings"][0]["required"] = float("inf")

        with pytest.raises(InvalidDocumentError) as caught:
            load_determination(document)

        assert ["$.findings[0].required"] == paths_of(caught.value.problems)

    def test_quantities_are_exact(self):
        """
        Quantities load as exact decimals.
        """
        loaded = load_determination(DETERMINATION)

        assert Decimal("26.5") == loaded.findings[0].counted


class TestPackage:
    """
    The package's public surface.
    """

    def test_version(self):
        """
        __version__ is the installed distribution's version.
        """
        assert version("iecmh-core") == iecmh_core.__version__

    def test_unknown_attribute(self):
        """
        An unknown attribute raises AttributeError naming it.
        """
        with pytest.raises(AttributeError, match="'nope'"):
            _ = iecmh_core.nope

    def test_dir(self):
        """
        dir() lists exactly the public names and __version__.
        """
        assert sorted([*iecmh_core.__all__, "__version__"]) == sorted(
            dir(iecmh_core)
        )

    def test_all_is_importable(self):
        """
        Every name in __all__ is an attribute of the package.
        """
        for name in iecmh_core.__all__:
            assert getattr(iecmh_core, name) is not None


class TestExactNumbers:
    """
    Numbers are checked as written in the JSON text, never after rounding.
    """

    def test_hours_with_many_decimals(self):
        """
        Hours that a float would round to 1.0 keep their 28 decimals, and
        are refused for having more than 2.
        """
        text = json.dumps(PORTFOLIO).replace(
            '"hours": 1.5', '"hours": 1.0000000000000000000000000001', 1
        )

        assert [
            Problem(
                "$.rsc[0].hours",
                "expected clock hours with at most 2 decimal places, got "
                "1.0000000000000000000000000001",
            )
        ] == list(problems_of(text))

    def test_fte_just_above_one(self):
        """
        An fte a float would round to 1 is above the maximum of 1.
        """
        text = json.dumps(PORTFOLIO).replace(
            '"fte": 1,', '"fte": 1.0000000000000001,', 1
        )

        assert [
            Problem(
                "$.work[0].fte",
                "expected a number <= 1, got 1.0000000000000001",
            )
        ] == list(problems_of(text))

    def test_whole_number_with_a_point_is_an_integer(self):
        """
        3.0 is an integer, as JSON Schema says, by both validators.
        """
        document = rulebook_document(
            category("IFS", requirement("r", "references", count=3))
        )
        text = json.dumps(document).replace('"count": 3', '"count": 3.0')

        assert 3 == load_rulebook(text).categories[0].requirements[0].count

    @pytest.mark.parametrize("digits", ["9" * 5001, "-" + "9" * 5001])
    def test_huge_integer(self, digits):
        """
        A 5001-digit number gets the library's message at its path.
        """
        text = json.dumps(PORTFOLIO).replace('"fte": 1,', f'"fte": {digits},')

        assert [
            Problem(
                "$.work[0].fte",
                "expected a number of at most 100 digits, got one of 5001 "
                "digits",
            )
        ] == list(problems_of(text))

    def test_long_fraction(self):
        """
        The digit limit counts a fraction's digits too.
        """
        text = json.dumps(PORTFOLIO).replace(
            '"hours": 1.5', '"hours": 1.' + "5" * 200, 1
        )

        assert ["$.rsc[0].hours"] == paths_of(problems_of(text))


class TestRulebookBounds:
    """
    Rulebook numbers have documented upper bounds in the schema.
    """

    @pytest.mark.parametrize(
        ("field", "value"), [("years", 1e27), ("years", 101)]
    )
    def test_work_years(self, field, value):
        work = requirement("w", "work", years=1)
        document = rulebook_document(category("IFS", work))
        document["categories"][0]["requirements"][0][field] = value

        with pytest.raises(InvalidRulebookError) as caught:
            load_rulebook(json.dumps(document))

        assert [f"$.categories[0].requirements[0].{field}"] == paths_of(
            caught.value.problems
        )

    @pytest.mark.parametrize(
        ("field", "value"),
        [("opens_days_before", 800_000), ("grace_days", 3_000_000)],
    )
    def test_renewal_days(self, field, value):
        document = dump(bundled_rulebook("mi-aimh-2024"))
        document["renewal"][field] = value

        with pytest.raises(InvalidRulebookError) as caught:
            load_rulebook(document)

        assert [f"$.renewal.{field}"] == paths_of(caught.value.problems)

    def test_bounds_from_both_sides(self):
        """
        The largest value allowed is accepted.
        """
        document = dump(bundled_rulebook("mi-aimh-2024"))
        document["renewal"]["grace_days"] = 3660

        assert 3660 == load_rulebook(document).renewal.grace_days
