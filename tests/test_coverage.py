"""
Coverage of the competency framework: iecmh_core._coverage, the bundled
framework editions and the coverage entry points of iecmh_core._evaluation.
"""

# Assertions read `expected == actual` (STYLE.md, practice 19).

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import iecmh_core
from iecmh_core import (
    AreaCoverage,
    Coverage,
    DomainCoverage,
    EvidenceKind,
    EvidenceMapping,
    Framework,
    Portfolio,
    UnknownFrameworkError,
    bundled_framework,
    bundled_frameworks,
    competency_coverage,
    dump,
    evaluate,
    load_determination,
    load_framework,
    load_portfolio,
    validate,
)
from iecmh_core._coverage import compute_coverage
from strategies import coverage_cases, frameworks, later_coverage_evidence

AS_OF = dt.date(2026, 1, 15)
EDITION_2017 = "mi-aimh-competency-guidelines-2017"
EDITION_2024 = "mi-aimh-competency-guidelines-2024"
EDITIONS = [EDITION_2017, EDITION_2024]
DOMAINS = [
    ("theoretical-foundations", "Theoretical Foundations"),
    ("law-regulation-agency-policy", "Law, Regulation & Agency Policy"),
    ("systems-expertise", "Systems Expertise"),
    ("direct-service-skills", "Direct Service Skills"),
    ("working-with-others", "Working with Others"),
    ("communicating", "Communicating"),
    ("thinking", "Thinking"),
    ("reflection", "Reflection"),
]
MENTORS = [
    "IMHM-C",
    "IMHM-P",
    "IMHM-RF",
    "ECMHM-C",
    "ECMHM-P",
    "ECMHM-RF",
    "I/ECMHM-C",
    "I/ECMHM-P",
    "I/ECMHM-RF",
]
ROOT = Path(__file__).resolve().parents[1]
CASES = Path(__file__).parent / "cases"
FRAMEWORK_FILES = files(iecmh_core).joinpath("frameworks")
RULEBOOK_FILES = files(iecmh_core).joinpath("rulebooks")


def portfolio(**evidence: Any) -> Portfolio:
    """
    Load a portfolio holding *evidence* and nothing else.
    """
    return load_portfolio(
        {"id": "applicant", "code_of_ethics_signed_on": None, **evidence}
    )


def training(
    *areas: str, hours: float | str = 6, completed_on: str = "2025-01-10"
) -> dict[str, Any]:
    """
    Return a training document naming *areas*.
    """
    return {
        "title": "training",
        "completed_on": completed_on,
        "hours": hours,
        "knowledge_areas": list(areas),
    }


def exam(part: int, taken_on: str = "2025-03-10", **result: Any):
    """
    Return an exam sitting document.
    """
    return {"part": part, "taken_on": taken_on, **result}


def reference(not_enough_information: int | None, on: str = "2025-01-12"):
    """
    Return a reference rating document.
    """
    rating = {
        "rater": "r-1",
        "role": "supervisor",
        "rater_category": None,
        "submitted_on": on,
    }
    if not_enough_information is not None:
        rating["not_enough_information"] = not_enough_information
    return rating


def cover(
    applicant: Portfolio,
    category: str = "IFS",
    framework: str | Framework = EDITION_2024,
    as_of: dt.date = AS_OF,
) -> Coverage:
    """
    Return the coverage of *framework* by *applicant* for *category*.
    """
    return competency_coverage(applicant, category, framework, as_of)


def areas_of(coverage: Coverage) -> dict[str, AreaCoverage]:
    """
    Return every area the coverage lists, by id.
    """
    return {a.area: a for d in coverage.domains for a in d.areas}


def domain_of(coverage: Coverage, domain_id: str) -> DomainCoverage:
    """
    Return the coverage of the domain *domain_id*.
    """
    (found,) = [d for d in coverage.domains if d.domain == domain_id]
    return found


def all_areas(framework: Framework) -> list[str]:
    """
    Return the ids of every area of *framework*, in order.
    """
    return [a.id for d in framework.domains for a in d.knowledge_areas]


def expected_areas(framework: Framework, category: str) -> list[str]:
    """
    Return the ids of the areas of *framework* that *category* expects.
    """
    return [
        a.id
        for d in framework.domains
        for a in d.knowledge_areas
        if category in a.categories
    ]


def named_ids(document: Any) -> list[str]:
    """
    Return every id listed under a ``knowledge_areas`` key in *document*.
    """
    if isinstance(document, dict):
        found = list(document.get("knowledge_areas", ()))
        for key, value in document.items():
            if key != "knowledge_areas":
                found.extend(named_ids(value))
        return found
    if isinstance(document, list):
        return [name for item in document for name in named_ids(item)]
    return []


def case_portfolios() -> list[Any]:
    """
    Return every portfolio of the case files, bases and cases alike.
    """
    params = []
    for path in sorted(CASES.glob("*.json")):
        book = json.loads(path.read_text(encoding="utf-8"))
        for name, base in book["portfolios"].items():
            params.append(pytest.param(base, id=f"{path.stem}: {name}"))
        for case in book["cases"]:
            document = {**book["portfolios"][case["portfolio"]]}
            document.update(case.get("with", {}))
            params.append(
                pytest.param(document, id=f"{path.stem}: {case['name']}")
            )
    return params


class TestBundledEditions:
    """
    The two bundled editions load, validate and hold the eight domains.
    """

    @pytest.mark.parametrize("name", EDITIONS)
    def test_valid(self, name):
        """
        Each bundled edition's file is a valid framework document.
        """
        text = FRAMEWORK_FILES.joinpath(f"{name}.json").read_text("utf-8")

        assert () == validate(json.loads(text), "framework")

    @pytest.mark.parametrize("name", EDITIONS)
    def test_loads(self, name):
        """
        Each bundled edition's file loads to the bundled framework.
        """
        text = FRAMEWORK_FILES.joinpath(f"{name}.json").read_text("utf-8")

        assert bundled_framework(name) == load_framework(text)

    def test_editions(self):
        """
        The editions are 2017 and 2024, oldest first, 2024 replacing 2017.
        """
        assert [
            (EDITION_2017, "2017", dt.date(2017, 1, 1), None),
            (EDITION_2024, "2024", dt.date(2024, 1, 1), EDITION_2017),
        ] == [
            (f.id, f.edition, f.effective_from, f.supersedes)
            for f in bundled_frameworks()
        ]

    @pytest.mark.parametrize("name", EDITIONS)
    def test_eight_domains(self, name):
        """
        Each edition has the eight domains of the Guidelines, in order.
        """
        assert DOMAINS == [
            (d.id, d.name) for d in bundled_framework(name).domains
        ]

    @pytest.mark.parametrize("name", EDITIONS)
    def test_evidence_mapping(self, name):
        """
        Exam parts and reference ratings show the domains their sources say.
        """
        assert [
            (
                EvidenceKind.EXAM_PART_1,
                ("theoretical-foundations", "direct-service-skills"),
                Decimal(80),
                None,
            ),
            (EvidenceKind.EXAM_PART_2, ("reflection", "thinking"), None, None),
            (
                EvidenceKind.REFERENCES,
                ("reflection", "working-with-others", "thinking"),
                None,
                6,
            ),
        ] == [
            (m.evidence, m.domains, m.pass_percent, m.void_at)
            for m in bundled_framework(name).evidence
        ]

    def test_renamed_area(self):
        """
        2024 renames cultural competence to cultural humility, in place.
        """
        old, new = (bundled_framework(name) for name in EDITIONS)

        assert [
            a.replace("cultural-competence", "cultural-humility")
            for a in all_areas(old)
        ] == all_areas(new)


class TestArea:
    """
    Framework.area finds a knowledge area by its id or a former id.
    """

    def test_by_id(self):
        """
        An area's id gives its domain and the area.
        """
        framework = bundled_framework(EDITION_2024)

        domain, area = framework.area("statistics")

        assert ("theoretical-foundations", "statistics") == (
            domain.id,
            area.id,
        )

    def test_alias(self):
        """
        The 2024 edition resolves the former id cultural-competence.
        """
        framework = bundled_framework(EDITION_2024)

        domain, area = framework.area("cultural-competence")

        assert (
            "theoretical-foundations",
            "cultural-humility",
            "Cultural humility",
            ("cultural-competence",),
        ) == (domain.id, area.id, area.name, area.aliases)
        assert framework.area("cultural-humility") == (domain, area)

    def test_old_edition_knows_old_id_only(self):
        """
        The 2017 edition knows cultural-competence but not the new id.
        """
        framework = bundled_framework(EDITION_2017)

        _, area = framework.area("cultural-competence")

        assert ("cultural-competence", ()) == (area.id, area.aliases)
        assert framework.area("cultural-humility") is None

    def test_unknown(self):
        """
        An id the framework does not know gives None.
        """
        assert bundled_framework(EDITION_2024).area("astrology") is None


class TestBundledFramework:
    """
    bundled_framework picks an edition by id or by date.
    """

    @pytest.mark.parametrize("name", EDITIONS)
    def test_by_id(self, name):
        """
        An edition's id gives that edition.
        """
        assert name == bundled_framework(name).id

    @pytest.mark.parametrize(
        ("day", "name"),
        [
            (dt.date(2017, 1, 1), EDITION_2017),
            (dt.date(2020, 6, 1), EDITION_2017),
            (dt.date(2023, 12, 31), EDITION_2017),
            (dt.date(2024, 1, 1), EDITION_2024),
            (dt.date(2025, 6, 1), EDITION_2024),
        ],
    )
    def test_by_date(self, day, name):
        """
        A date gives the latest edition in force on it.
        """
        assert name == bundled_framework(on=day).id

    def test_today(self):
        """
        With neither id nor date, the edition in force today is chosen.
        """
        assert EDITION_2024 == bundled_framework().id

    def test_unknown_id(self):
        """
        An unknown id raises UnknownFrameworkError naming the known ids.
        """
        with pytest.raises(UnknownFrameworkError) as caught:
            bundled_framework("nope-1")

        assert ("nope-1", (EDITION_2017, EDITION_2024)) == (
            caught.value.wanted,
            caught.value.known,
        )
        assert (
            f"expected a framework id among {EDITION_2017}, {EDITION_2024}; "
            "got nope-1"
        ) == str(caught.value)

    def test_before_every_edition(self):
        """
        A date before every edition raises UnknownFrameworkError.
        """
        with pytest.raises(UnknownFrameworkError) as caught:
            bundled_framework(on=dt.date(2016, 12, 31))

        assert (
            f"expected a framework id among {EDITION_2017}, {EDITION_2024}; "
            "got an edition in force on 2016-12-31"
        ) == str(caught.value)

    def test_an_id_wins_over_a_date(self):
        """
        Given an id, the date does not matter.
        """
        assert (
            EDITION_2024
            == bundled_framework(EDITION_2024, dt.date(2018, 1, 1)).id
        )


class TestReferencedAreas:
    """
    Every knowledge area id the project's own documents name exists.
    """

    @pytest.mark.parametrize(
        "name", sorted(p.name for p in RULEBOOK_FILES.iterdir())
    )
    def test_rulebooks(self, name):
        """
        The knowledge areas a bundled rulebook names, if any, exist.
        """
        book = json.loads(RULEBOOK_FILES.joinpath(name).read_text("utf-8"))
        latest = bundled_frameworks()[-1]

        assert [] == [n for n in named_ids(book) if latest.area(n) is None]

    @pytest.mark.parametrize("name", EDITIONS)
    def test_rulebook_categories(self, name):
        """
        Every category of every bundled rulebook expects some area.
        """
        framework = bundled_framework(name)

        assert [] == [
            (book.id, category.code)
            for book in iecmh_core.bundled_rulebooks()
            for category in book.categories
            if not expected_areas(framework, category.code)
        ]

    def test_example(self):
        """
        The knowledge areas examples/portfolio.json names exist.
        """
        document = json.loads(
            (ROOT / "examples" / "portfolio.json").read_text("utf-8")
        )
        latest = bundled_frameworks()[-1]

        assert [] != named_ids(document)
        assert [] == [n for n in named_ids(document) if latest.area(n) is None]

    @pytest.mark.parametrize("document", case_portfolios())
    def test_cases(self, document):
        """
        The knowledge areas a case file's portfolio names exist.
        """
        latest = bundled_frameworks()[-1]

        assert [] == [n for n in named_ids(document) if latest.area(n) is None]

    def test_shared_example(self, shared_dir):
        """
        The knowledge areas the contract's example portfolio names exist.
        """
        path = shared_dir / "contract" / "portfolio.example.json"
        document = json.loads(path.read_text("utf-8"))
        latest = bundled_frameworks()[-1]

        assert [] != named_ids(document)
        assert [] == [n for n in named_ids(document) if latest.area(n) is None]
        assert () == cover(load_portfolio(path)).unknown


class TestDomains:
    """
    Coverage lists every domain, in order, with the areas that matter.
    """

    @pytest.mark.parametrize("name", EDITIONS)
    @pytest.mark.parametrize("category", ["IFA", "IFS", "IMHS", "IMHM-C"])
    def test_every_domain_in_order(self, name, category):
        """
        All eight domains are listed in the framework's order.
        """
        coverage = cover(portfolio(), category, name)

        assert DOMAINS == [(d.domain, d.name) for d in coverage.domains]

    def test_heading(self):
        """
        The coverage names its framework, category and date.
        """
        coverage = cover(portfolio(), "IFA", EDITION_2017, AS_OF)

        assert (EDITION_2017, "IFA", AS_OF, ()) == (
            coverage.framework,
            coverage.category,
            coverage.as_of,
            coverage.unknown,
        )

    @pytest.mark.parametrize("name", EDITIONS)
    @pytest.mark.parametrize("category", ["IFA", "IFS", "IMHS", "IMHM-C"])
    def test_empty_portfolio(self, name, category):
        """
        With no evidence, exactly the expected areas are listed, uncovered.
        """
        framework = bundled_framework(name)

        coverage = cover(portfolio(), category, framework)

        assert expected_areas(framework, category) == [
            a.area for d in coverage.domains for a in d.areas
        ]
        assert expected_areas(framework, category) == [
            u for d in coverage.domains for u in d.uncovered
        ]
        assert {(False, True, (), Decimal(0))} == {
            (a.covered, a.expected, a.evidence, a.hours)
            for a in areas_of(coverage).values()
        }
        assert {(Decimal(0), ())} == {
            (d.hours, d.evidence) for d in coverage.domains
        }

    def test_area_fields(self):
        """
        An area lists its id, name, confirmation, evidence and hours.
        """
        coverage = cover(portfolio(training=[training("community-resources")]))

        assert (
            AreaCoverage(
                area="community-resources",
                name=areas_of(coverage)["community-resources"].name,
                expected=True,
                covered=True,
                confirmed=False,
                evidence=("training[0]",),
                hours=Decimal(6),
            )
            == areas_of(coverage)["community-resources"]
        )

    def test_a_domain_without_areas(self):
        """
        A domain without knowledge areas is listed with none.
        """
        framework = Framework(
            id="f",
            title="F",
            edition="1",
            domains=(iecmh_core.Domain(id="d", name="D"),),
        )

        coverage = cover(portfolio(), "IFS", framework)

        assert (
            DomainCoverage(
                domain="d",
                name="D",
                areas=(),
                uncovered=(),
                hours=Decimal(0),
                evidence=(),
            ),
        ) == coverage.domains


class TestExpected:
    """
    Each category expects its own areas; uncovered is expected, not covered.
    """

    @pytest.mark.parametrize(
        ("category", "expected"), [("IFS", True), ("IMHS", True)]
    )
    def test_disorders_of_infancy_expected(self, category, expected):
        """
        disorders-of-infancy is expected from IFS up.
        """
        coverage = cover(portfolio(), category)

        assert expected == areas_of(coverage)["disorders-of-infancy"].expected
        assert (
            "disorders-of-infancy"
            in domain_of(coverage, "theoretical-foundations").uncovered
        )

    def test_disorders_of_infancy_not_expected_of_ifa(self):
        """
        IFA does not expect disorders-of-infancy, so it is not listed.
        """
        coverage = cover(portfolio(), "IFA")

        assert "disorders-of-infancy" not in areas_of(coverage)
        assert (
            "disorders-of-infancy"
            not in domain_of(coverage, "theoretical-foundations").uncovered
        )

    def test_covered_but_not_expected(self):
        """
        An area IFA does not expect is listed when a training covers it.
        """
        coverage = cover(
            portfolio(training=[training("disorders-of-infancy")]), "IFA"
        )
        area = areas_of(coverage)["disorders-of-infancy"]

        assert (False, True, ("training[0]",)) == (
            area.expected,
            area.covered,
            area.evidence,
        )
        assert (
            "disorders-of-infancy"
            not in domain_of(coverage, "theoretical-foundations").uncovered
        )

    @pytest.mark.parametrize("category", MENTORS)
    def test_statistics_for_mentors(self, category):
        """
        Every Mentor category expects statistics.
        """
        assert areas_of(cover(portfolio(), category))["statistics"].expected

    @pytest.mark.parametrize(
        "category",
        ["IFA", "ECFA", "I/ECFA", "IFS", "IFRS", "IMHS", "ECMHS", "I/ECMHS"],
    )
    def test_statistics_only_for_mentors(self, category):
        """
        No category below Mentor expects statistics.
        """
        assert "statistics" not in areas_of(cover(portfolio(), category))

    def test_unknown_category_expects_nothing(self):
        """
        A category the framework does not know expects no area.
        """
        coverage = cover(portfolio(training=[training("statistics")]), "XYZ")

        assert ["statistics"] == list(areas_of(coverage))
        assert [] == [u for d in coverage.domains for u in d.uncovered]

    def test_uncovered(self):
        """
        uncovered lists the expected areas no training covers, in order.
        """
        applicant = portfolio(
            training=[
                training("pregnancy-early-parenthood", "statistics"),
                training("family-relationships-dynamics"),
            ]
        )
        framework = bundled_framework(EDITION_2024)

        theory = domain_of(
            cover(applicant, "IFS", framework), "theoretical-foundations"
        )

        assert [
            "infant-development-behavior",
            "family-centered-practice",
            "relationship-focused-practice",
            "attachment-separation-trauma-grief-loss",
            "disorders-of-infancy",
            "cultural-humility",
        ] == list(theory.uncovered)
        assert [
            ("pregnancy-early-parenthood", True, True),
            ("infant-development-behavior", True, False),
            ("family-centered-practice", True, False),
            ("relationship-focused-practice", True, False),
            ("family-relationships-dynamics", True, True),
            ("attachment-separation-trauma-grief-loss", True, False),
            ("disorders-of-infancy", True, False),
            ("cultural-humility", True, False),
            ("statistics", False, True),
        ] == [(a.area, a.expected, a.covered) for a in theory.areas]


class TestAlias:
    """
    A training naming a former id covers the renamed area.
    """

    def test_old_id_covers_new_area(self):
        """
        cultural-competence covers cultural-humility in the 2024 edition.
        """
        coverage = cover(
            portfolio(training=[training("cultural-competence", hours=3)])
        )
        area = areas_of(coverage)["cultural-humility"]

        assert (True, ("training[0]",), Decimal(3)) == (
            area.covered,
            area.evidence,
            area.hours,
        )
        assert () == coverage.unknown
        assert "cultural-competence" not in areas_of(coverage)

    def test_old_and_new_id_count_once(self):
        """
        A training naming both the old and the new id counts once.
        """
        coverage = cover(
            portfolio(
                training=[training("cultural-competence", "cultural-humility")]
            )
        )

        assert (("training[0]",), Decimal(6), Decimal(6)) == (
            areas_of(coverage)["cultural-humility"].evidence,
            areas_of(coverage)["cultural-humility"].hours,
            domain_of(coverage, "theoretical-foundations").hours,
        )

    def test_old_and_new_id_in_two_trainings(self):
        """
        Trainings naming the old and the new id both cover the area.
        """
        coverage = cover(
            portfolio(
                training=[
                    training("cultural-humility", hours=1),
                    training("cultural-competence", hours=2),
                ]
            )
        )
        area = areas_of(coverage)["cultural-humility"]

        assert (("training[0]", "training[1]"), Decimal(3)) == (
            area.evidence,
            area.hours,
        )

    def test_new_id_unknown_to_old_edition(self):
        """
        The 2017 edition does not know cultural-humility.
        """
        coverage = cover(
            portfolio(training=[training("cultural-humility")]),
            framework=EDITION_2017,
        )

        assert ("$.training[0].knowledge_areas[0]",) == coverage.unknown
        assert not areas_of(coverage)["cultural-competence"].covered


class TestHours:
    """
    Hours are exact, and each training counts once per domain.
    """

    def test_exact(self):
        """
        0.1 and 0.2 hours add up to exactly 0.3.
        """
        coverage = cover(
            portfolio(
                training=[
                    training("pregnancy-early-parenthood", hours=0.1),
                    training("infant-development-behavior", hours=0.2),
                ]
            )
        )

        assert Decimal("0.3") == (
            domain_of(coverage, "theoretical-foundations").hours
        )

    def test_once_per_domain(self):
        """
        A training naming two areas of a domain counts once for the domain.
        """
        coverage = cover(
            portfolio(
                training=[
                    training(
                        "pregnancy-early-parenthood",
                        "infant-development-behavior",
                        hours=2.5,
                    ),
                    training("pregnancy-early-parenthood", hours=1),
                ]
            )
        )

        assert (Decimal("3.5"), Decimal("3.5"), Decimal("2.5")) == (
            domain_of(coverage, "theoretical-foundations").hours,
            areas_of(coverage)["pregnancy-early-parenthood"].hours,
            areas_of(coverage)["infant-development-behavior"].hours,
        )

    def test_each_domain_it_names(self):
        """
        A training naming areas of two domains counts in both.
        """
        coverage = cover(
            portfolio(
                training=[training("statistics", "agency-policy", hours=4)]
            ),
            "IMHM-C",
        )

        assert (Decimal(4), Decimal(4), Decimal(0)) == (
            domain_of(coverage, "theoretical-foundations").hours,
            domain_of(coverage, "law-regulation-agency-policy").hours,
            domain_of(coverage, "reflection").hours,
        )

    def test_unknown_ids_add_no_hours(self):
        """
        A training naming only unknown ids adds hours to no domain.
        """
        coverage = cover(portfolio(training=[training("astrology")]))

        assert {Decimal(0)} == {d.hours for d in coverage.domains}


class TestAsOf:
    """
    Evidence dated after the as-of date is ignored.
    """

    def test_training_on_the_day_counts(self):
        """
        A training completed on the as-of date counts.
        """
        coverage = cover(
            portfolio(training=[training("safety", completed_on="2026-01-15")])
        )

        assert areas_of(coverage)["safety"].covered

    def test_later_training(self):
        """
        A training completed after the as-of date covers nothing.
        """
        coverage = cover(
            portfolio(
                training=[
                    training("safety", "astrology", completed_on="2026-01-16")
                ]
            )
        )

        assert (False, (), Decimal(0), ()) == (
            areas_of(coverage)["safety"].covered,
            areas_of(coverage)["safety"].evidence,
            domain_of(coverage, "direct-service-skills").hours,
            coverage.unknown,
        )

    def test_later_exam_and_reference(self):
        """
        An exam sitting or rating after the as-of date shows no domain.
        """
        coverage = cover(
            portfolio(
                exams=[exam(1, "2026-01-16", passed=True)],
                references=[reference(0, "2026-01-16")],
            )
        )

        assert {()} == {d.evidence for d in coverage.domains}

    def test_edition_by_date(self):
        """
        Without a framework, the edition in force on the as-of date is used.
        """
        applicant = portfolio(training=[training("cultural-competence")])

        old = competency_coverage(applicant, "IFS", as_of=dt.date(2020, 1, 1))
        new = competency_coverage(applicant, "IFS", as_of=AS_OF)

        assert (EDITION_2017, EDITION_2024) == (old.framework, new.framework)
        assert "cultural-competence" in areas_of(old)
        assert "cultural-humility" in areas_of(new)

    def test_today(self):
        """
        Without a date, coverage speaks for today.
        """
        before = dt.date.today()  # noqa: DTZ011 - the library's local date
        coverage = competency_coverage(portfolio(), "IFS")
        after = dt.date.today()  # noqa: DTZ011 - the library's local date

        assert coverage.as_of in {before, after}


class TestUnknown:
    """
    Ids the framework does not know are reported as JSON paths.
    """

    def test_paths(self):
        """
        Each unknown id is reported at its training and position.
        """
        coverage = cover(
            portfolio(
                training=[
                    training("safety"),
                    training("astrology", "safety", "palmistry"),
                    training("statistics", "phrenology"),
                ]
            )
        )

        assert (
            "$.training[1].knowledge_areas[0]",
            "$.training[1].knowledge_areas[2]",
            "$.training[2].knowledge_areas[1]",
        ) == coverage.unknown

    def test_known_ids_still_count(self):
        """
        A training naming an unknown id still covers the known ones.
        """
        coverage = cover(portfolio(training=[training("astrology", "safety")]))

        assert ("training[0]",) == areas_of(coverage)["safety"].evidence


class TestDomainEvidence:
    """
    Exam parts and reference ratings show whole domains, never an area.
    """

    @pytest.mark.parametrize(
        "result",
        [
            {"passed": True},
            {"score_percent": 80},
            {"score_percent": 100, "passed": True},
        ],
    )
    def test_part_1_passed(self, result):
        """
        Part 1 passed or scored 80% or more shows its two domains.
        """
        coverage = cover(portfolio(exams=[exam(1, **result)]))

        assert {
            "theoretical-foundations": ("exams[0]",),
            "direct-service-skills": ("exams[0]",),
        } == {d.domain: d.evidence for d in coverage.domains if d.evidence}

    @pytest.mark.parametrize(
        "result",
        [{}, {"passed": False}, {"score_percent": 79.99}],
    )
    def test_part_1_not_passed(self, result):
        """
        Part 1 not passed, or scored below 80%, shows nothing.
        """
        coverage = cover(portfolio(exams=[exam(1, **result)]))

        assert {()} == {d.evidence for d in coverage.domains}

    def test_part_1_score_decides(self):
        """
        Part 1 scored below 80% shows nothing, though marked passed.
        """
        applicant = portfolio(exams=[exam(1, score_percent=70, passed=True)])
        finding = next(
            f
            for f in evaluate(
                applicant, "IMHS", "mi-aimh-2024", AS_OF
            ).findings
            if f.requirement == "imhs.exam.part1"
        )

        coverage = cover(applicant, "IMHS")

        assert "unmet" == finding.outcome.value
        assert {()} == {d.evidence for d in coverage.domains}

    def test_part_2_passed(self):
        """
        Part 2 passed shows reflection and thinking.
        """
        coverage = cover(portfolio(exams=[exam(2, passed=True)]))

        assert {
            "thinking": ("exams[0]",),
            "reflection": ("exams[0]",),
        } == {d.domain: d.evidence for d in coverage.domains if d.evidence}

    @pytest.mark.parametrize(
        "result", [{}, {"passed": False}, {"score_percent": 100}]
    )
    def test_part_2_not_passed(self, result):
        """
        Part 2 shows nothing unless passed: it has no pass mark.
        """
        coverage = cover(portfolio(exams=[exam(2, **result)]))

        assert {()} == {d.evidence for d in coverage.domains}

    @pytest.mark.parametrize("count", [0, 5])
    def test_valid_reference(self, count):
        """
        A rating with fewer than 6 unrated items shows its three domains.
        """
        coverage = cover(portfolio(references=[reference(count)]))

        assert {
            "working-with-others": ("references[0]",),
            "thinking": ("references[0]",),
            "reflection": ("references[0]",),
        } == {d.domain: d.evidence for d in coverage.domains if d.evidence}

    @pytest.mark.parametrize("count", [None, 6, 20])
    def test_void_or_unknown_reference(self, count):
        """
        A rating with 6 or more unrated items, or an unknown count, shows
        nothing.
        """
        coverage = cover(portfolio(references=[reference(count)]))

        assert {()} == {d.evidence for d in coverage.domains}

    def test_order(self):
        """
        A domain lists exam parts, then ratings, each in portfolio order.
        """
        coverage = cover(
            portfolio(
                exams=[exam(2, passed=False), exam(2, passed=True)],
                references=[reference(1), reference(9), reference(0)],
            )
        )

        assert (
            "exams[1]",
            "references[0]",
            "references[2]",
        ) == domain_of(coverage, "reflection").evidence

    def test_never_covers_an_area(self):
        """
        Exam parts and ratings leave every expected area uncovered.
        """
        framework = bundled_framework(EDITION_2024)

        coverage = cover(
            portfolio(
                exams=[exam(1, passed=True), exam(2, passed=True)],
                references=[reference(0), reference(0), reference(0)],
            ),
            "IMHS",
            framework,
        )

        assert [] == [a for a in areas_of(coverage).values() if a.covered]
        assert expected_areas(framework, "IMHS") == [
            u for d in coverage.domains for u in d.uncovered
        ]
        assert {Decimal(0)} == {d.hours for d in coverage.domains}

    def test_mapping_without_marks(self):
        """
        Without pass_percent or void_at, only a pass or a known count shows.
        """
        framework = Framework(
            id="f",
            title="F",
            edition="1",
            domains=(iecmh_core.Domain(id="d", name="D"),),
            evidence=(
                EvidenceMapping(
                    evidence=EvidenceKind.EXAM_PART_1,
                    domains=("d",),
                    sources=("https://example.org",),
                ),
                EvidenceMapping(
                    evidence=EvidenceKind.REFERENCES,
                    domains=("d",),
                    sources=("https://example.org",),
                ),
            ),
        )
        applicant = portfolio(
            exams=[exam(1, score_percent=100), exam(1, passed=True)],
            references=[reference(None), reference(30)],
        )

        coverage = cover(applicant, "IFS", framework)

        assert ("exams[1]", "references[1]") == coverage.domains[0].evidence

    def test_listed_once(self):
        """
        A piece of evidence two mappings name for a domain is listed once.
        """
        mapping = EvidenceMapping(
            evidence=EvidenceKind.EXAM_PART_2,
            domains=("d",),
            sources=("https://example.org",),
        )
        framework = Framework(
            id="f",
            title="F",
            edition="1",
            domains=(iecmh_core.Domain(id="d", name="D"),),
            evidence=(mapping, mapping),
        )

        coverage = cover(
            portfolio(exams=[exam(2, passed=True)]), "X", framework
        )

        assert ("exams[0]",) == coverage.domains[0].evidence


class TestEvaluateCoverage:
    """
    evaluate adds the coverage section only when asked.
    """

    @pytest.fixture
    def applicant(self, shared_dir):
        """
        Return the contract's example portfolio.
        """
        return load_portfolio(
            shared_dir / "contract" / "portfolio.example.json"
        )

    @pytest.fixture
    def example(self):
        """
        Return the project's example portfolio.
        """
        return load_portfolio(ROOT / "examples" / "portfolio.json")

    def test_without(self, example):
        """
        By default the determination has no coverage, and no coverage key.
        """
        determination = evaluate(example, "IFS", "mi-aimh-2024", AS_OF)

        assert determination.coverage is None
        assert "coverage" not in dump(determination)

    def test_with(self, example):
        """
        coverage=True adds the coverage of the edition in force.
        """
        determination = evaluate(
            example, "IFS", "mi-aimh-2024", AS_OF, coverage=True
        )

        assert (
            competency_coverage(example, "IFS", EDITION_2024, AS_OF)
            == determination.coverage
        )

    def test_valid(self, example):
        """
        The determination with coverage validates against its schema.
        """
        determination = evaluate(
            example, "IFS", "mi-aimh-2024", AS_OF, coverage=True
        )
        data = dump(determination)

        assert "coverage" in data
        assert () == validate(data, "determination")

    def test_round_trip(self, example):
        """
        The determination with coverage loads back equal.
        """
        determination = evaluate(
            example, "IFS", "mi-aimh-2024", AS_OF, coverage=True
        )

        assert determination == load_determination(dump(determination))

    def test_shared_example(self, applicant):
        """
        The contract's example has coverage in all eight domains.
        """
        determination = evaluate(applicant, "IFS", as_of=AS_OF, coverage=True)
        coverage = determination.coverage

        assert () == validate(dump(determination), "determination")
        assert DOMAINS == [(d.domain, d.name) for d in coverage.domains]
        assert {
            "attachment-separation-trauma-grief-loss",
            "cultural-humility",
        } == {a.area for a in areas_of(coverage).values() if a.covered}
        assert [] != [u for d in coverage.domains for u in d.uncovered]

    @pytest.mark.parametrize(
        "framework",
        [EDITION_2017, bundled_framework(EDITION_2017)],
        ids=["id", "object"],
    )
    def test_framework_implies_coverage(self, example, framework):
        """
        Naming a framework, by id or as an object, adds coverage with it.
        """
        determination = evaluate(
            example, "IFS", "mi-aimh-2024", AS_OF, framework=framework
        )

        assert EDITION_2017 == determination.coverage.framework

    def test_unknown_framework(self, example):
        """
        An unknown framework id raises UnknownFrameworkError.
        """
        with pytest.raises(UnknownFrameworkError):
            evaluate(example, "IFS", "mi-aimh-2024", AS_OF, framework="nope")


class TestComputeCoverage:
    """
    compute_coverage works on any framework, with evidence named by index.
    """

    def test_other_framework(self):
        """
        A framework of one's own is covered by the ids it defines.
        """
        framework = Framework(
            id="f",
            title="F",
            edition="1",
            domains=(
                iecmh_core.Domain(
                    id="d",
                    name="D",
                    knowledge_areas=(
                        iecmh_core.KnowledgeArea(
                            id="a", name="A", categories=("X",)
                        ),
                        iecmh_core.KnowledgeArea(
                            id="b",
                            name="B",
                            categories=("X",),
                            aliases=("old-b",),
                        ),
                    ),
                ),
            ),
        )
        applicant = portfolio(
            training=[training("old-b", hours=2), training("c", hours=1)]
        )

        coverage = compute_coverage(applicant, "X", framework, AS_OF)

        assert (
            Coverage(
                framework="f",
                category="X",
                as_of=AS_OF,
                domains=(
                    DomainCoverage(
                        domain="d",
                        name="D",
                        areas=(
                            AreaCoverage(
                                area="a",
                                name="A",
                                expected=True,
                                covered=False,
                                confirmed=True,
                                evidence=(),
                                hours=Decimal(0),
                            ),
                            AreaCoverage(
                                area="b",
                                name="B",
                                expected=True,
                                covered=True,
                                confirmed=True,
                                evidence=("training[0]",),
                                hours=Decimal(2),
                            ),
                        ),
                        uncovered=("a",),
                        hours=Decimal(2),
                        evidence=(),
                    ),
                ),
                unknown=("$.training[1].knowledge_areas[0]",),
            )
            == coverage
        )


_FRAMEWORKS = st.sampled_from(bundled_frameworks()) | frameworks()


def _naming(framework: Framework, area: str) -> set[str]:
    _, found = framework.area(area)
    return {found.id, *found.aliases}


class TestProperties:
    """
    Properties of coverage for any portfolio naming a framework's areas.
    """

    @given(case=coverage_cases(_FRAMEWORKS))
    def test_covered_only_by_naming_evidence(self, case):
        """
        Every covered area's evidence is trainings naming it (by id or
        alias) completed on or before the as-of date, and no area is covered
        without evidence.
        """
        framework, applicant, category, as_of = case

        coverage = compute_coverage(applicant, category, framework, as_of)

        for area in areas_of(coverage).values():
            names = _naming(framework, area.area)
            trainings = [
                applicant.training[int(ref[9:-1])] for ref in area.evidence
            ]
            assert area.covered == bool(area.evidence)
            assert all(
                names & set(t.knowledge_areas) and t.completed_on <= as_of
                for t in trainings
            )
            assert sum((t.hours for t in trainings), Decimal(0)) == area.hours

    @given(case=coverage_cases(_FRAMEWORKS))
    def test_every_naming_training_is_evidence(self, case):
        """
        Every training completed by the as-of date is evidence for each area
        it names, and each area it names is listed.
        """
        framework, applicant, category, as_of = case

        coverage = compute_coverage(applicant, category, framework, as_of)

        listed = areas_of(coverage)
        for index, item in enumerate(applicant.training):
            for name in item.knowledge_areas:
                found = framework.area(name)
                if found is None:
                    continue
                ref = f"training[{index}]"
                area = listed.get(found[1].id)
                assert (item.completed_on <= as_of) == (
                    area is not None and ref in area.evidence
                )

    @given(case=coverage_cases(_FRAMEWORKS))
    def test_shape(self, case):
        """
        Every domain is listed in order with its expected and covered areas
        in order, uncovered is exactly the expected areas not covered, and a
        domain's hours count each of its trainings once.
        """
        framework, applicant, category, as_of = case

        coverage = compute_coverage(applicant, category, framework, as_of)

        assert [d.id for d in framework.domains] == [
            d.domain for d in coverage.domains
        ]
        for domain, covered in zip(
            framework.domains, coverage.domains, strict=True
        ):
            assert [
                a.id
                for a in domain.knowledge_areas
                if category in a.categories
                or any(c.area == a.id and c.covered for c in covered.areas)
            ] == [a.area for a in covered.areas]
            assert [
                a.area for a in covered.areas if a.expected and not a.covered
            ] == list(covered.uncovered)
            indexes = {int(r[9:-1]) for a in covered.areas for r in a.evidence}
            assert (
                sum((applicant.training[i].hours for i in indexes), Decimal(0))
                == covered.hours
            )

    @given(case=coverage_cases(_FRAMEWORKS))
    def test_unknown(self, case):
        """
        unknown is exactly the paths of the ids the framework does not
        know, in trainings completed by the as-of date.
        """
        framework, applicant, category, as_of = case

        coverage = compute_coverage(applicant, category, framework, as_of)

        assert [
            f"$.training[{i}].knowledge_areas[{j}]"
            for i, item in enumerate(applicant.training)
            if item.completed_on <= as_of
            for j, name in enumerate(item.knowledge_areas)
            if framework.area(name) is None
        ] == list(coverage.unknown)

    @given(case=coverage_cases(_FRAMEWORKS))
    def test_domain_evidence_covers_no_area(self, case):
        """
        Without trainings, exam parts and ratings cover no area.
        """
        framework, applicant, category, as_of = case
        without = attrs.evolve(applicant, training=())

        coverage = compute_coverage(without, category, framework, as_of)

        assert [] == [a for a in areas_of(coverage).values() if a.covered]
        assert {Decimal(0)} == {d.hours for d in coverage.domains}

    @given(data=st.data(), case=coverage_cases(_FRAMEWORKS))
    def test_later_evidence_ignored(self, data, case):
        """
        Adding evidence dated after the as-of date changes nothing.
        """
        framework, applicant, category, as_of = case
        later = data.draw(later_coverage_evidence(framework, as_of))
        more = attrs.evolve(
            applicant,
            **{
                key: getattr(applicant, key) + items
                for key, items in later.items()
            },
        )

        assert compute_coverage(
            applicant, category, framework, as_of
        ) == compute_coverage(more, category, framework, as_of)
