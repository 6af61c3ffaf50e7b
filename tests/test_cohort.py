"""
The workforce picture: iecmh_core._cohort, its renderings and iecmh report.
"""

# Assertions read `expected == actual` (STYLE.md, practice 19).

from __future__ import annotations

import collections
import enum
import io
import json
import os
import shutil
import statistics
import subprocess
import tracemalloc
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from cohorts import AS_OF, cohort_lines
from iecmh_core import (
    SCHEMA_REGISTRY,
    BatchRecord,
    Distance,
    DocumentKind,
    Finding,
    Outcome,
    RequirementKind,
    dump,
    evaluate_batch,
    load_cohort_report,
    read_batch,
    render_cohort_html,
    render_cohort_text,
    schema,
    summarize_cohort,
    validate,
)
from iecmh_core._cli import main
from iecmh_core._cohort import quantile
from iecmh_core._cohort_render import SHORTFALL_COLOUR, UNMET_COLOUR
from strategies import determinations, quantities

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / ".ci-artifacts"
RULEBOOK = "mi-aimh-2024"


def cli(*args: str) -> tuple[int, str, str]:
    """
    Run the iecmh command; return its status, output and errors.
    """
    out, err = io.StringIO(), io.StringIO()
    status = main(list(args), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def cohort_files(tmp_path_factory):
    """
    A generated cohort of 10,000 portfolios, and what iecmh batch wrote
    for it, as JSON Lines files.
    """
    folder = tmp_path_factory.mktemp("cohort")
    portfolios = folder / "portfolios.jsonl"
    portfolios.write_text("\n".join(cohort_lines(10_000)) + "\n")
    determinations = folder / "determinations.jsonl"
    status, _, _ = cli(
        "batch",
        str(portfolios),
        "--category",
        "IFS",
        "--rulebook",
        RULEBOOK,
        "--as-of",
        AS_OF.isoformat(),
        "--out",
        str(determinations),
    )
    assert 0 == status
    return portfolios, determinations


def counted_directly(lines):
    """
    Count outcomes per requirement, and overall, from batch output lines.
    """
    outcomes = collections.Counter()
    requirements = collections.defaultdict(collections.Counter)
    only = collections.Counter()
    shortfalls = collections.defaultdict(list)
    for line in lines:
        document = json.loads(line)
        outcomes[document["outcome"]] += 1
        lacking = []
        for finding in document["findings"]:
            requirements[finding["requirement"]][finding["outcome"]] += 1
            if finding["outcome"] != "met":
                lacking.append(finding["requirement"])
            if finding["outcome"] == "unmet" and "shortfall" in finding:
                shortfalls[finding["requirement"]].append(
                    Decimal(repr(finding["shortfall"]))
                )
        if len(lacking) == 1:
            only[lacking[0]] += 1
    return outcomes, requirements, only, shortfalls


class TestTheCohortAsAWhole:
    """
    Over 10,000 portfolios, the report says what the batch output says.
    """

    def test_counts_equal_the_batch_output(self, cohort_files):
        _, determinations = cohort_files
        outcomes, requirements, only, shortfalls = counted_directly(
            determinations.read_text().splitlines()
        )

        status, text, _ = cli(
            "report", str(determinations), "--format", "json",
            "--min-group", "1",
        )  # fmt: skip
        report = json.loads(text)

        assert 0 == status
        assert () == validate(report, DocumentKind.COHORT_REPORT)
        cohort = report["cohort"]
        assert 10_000 == cohort["applicants"]
        assert dict(outcomes) == {
            k: v for k, v in cohort["outcomes"].items() if v
        }
        assert len(requirements) == len(cohort["requirements"])
        for summary in cohort["requirements"]:
            name = summary["requirement"]
            expected = {"met": 0, "unmet": 0, "undetermined": 0}
            expected |= requirements[name]
            assert expected == summary["outcomes"], name
            assert only[name] == summary["only"], name
            if name in shortfalls:
                values = shortfalls[name]
                q1, median, q3 = statistics.quantiles(
                    values, n=4, method="inclusive"
                )
                spread = summary["shortfall"]
                assert len(values) == spread["applicants"]
                assert sum(b["applicants"] for b in spread["bins"]) == len(
                    values
                )
                assert [q1, median, q3] == [
                    Decimal(repr(spread[k])) for k in ("q1", "median", "q3")
                ], name
        # One category and one edition: each is the whole cohort.
        for group in (report["by_category"][0], report["by_rulebook"][0]):
            assert cohort["requirements"] == group["requirements"]

    def test_the_html_page_renders_its_charts_offline(
        self, cohort_files, tmp_path
    ):
        """
        One file, no script, nothing fetched; headless Chromium draws the
        charts (a screenshot in .ci-artifacts/ shows them).
        """
        _, determinations = cohort_files
        page = tmp_path / "report.html"

        status, _, _ = cli(
            "report", str(determinations), "--format", "html",
            "--out", str(page),
        )  # fmt: skip

        assert 0 == status
        markup = page.read_text()
        assert "<script" not in markup.lower()
        assert " src=" not in markup
        assert "<link" not in markup
        assert "default-src 'none'" in markup
        assert markup.count("<svg") == 2
        browser = chromium()
        ARTIFACTS.mkdir(exist_ok=True)
        screenshot = ARTIFACTS / "cohort-report.png"
        screenshot.unlink(missing_ok=True)
        subprocess.run(  # noqa: S603 - the browser found on PATH
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--window-size=1200,1600",
                f"--screenshot={screenshot}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
            env=os.environ | {"HOME": str(tmp_path)},
        )
        colours = colours_in(screenshot)
        assert colours[UNMET_COLOUR] > 2000  # the bars of the first chart
        assert colours[SHORTFALL_COLOUR] > 2000  # the histograms


def chromium() -> str:
    """
    Find headless Chromium; skip when it is absent, except in CI.
    """
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is required in CI (.ci/run installs it)")
    pytest.skip(
        "chromium is not installed: the HTML report's charts cannot be "
        "checked in a browser (apt-get install chromium)"
    )
    raise AssertionError  # pragma: no cover - skip raises


def colours_in(png: Path) -> collections.Counter[str]:
    """
    Count the pixels of each colour of a PNG image, as #rrggbb.
    """
    from matplotlib import image  # noqa: PLC0415 - the tests group has it

    pixels = (image.imread(png)[:, :, :3] * 255).round().astype(int)
    flat = pixels.reshape(-1, 3)
    return collections.Counter(
        "#{:02x}{:02x}{:02x}".format(*p) for p in map(tuple, flat)
    )


def repeated(size: int, pool):
    """
    Yield *size* determinations, each one of *pool* under an id of its own.
    """
    for number in range(size):
        yield attrs.evolve(pool[number % len(pool)], portfolio=f"p-{number}")


@pytest.fixture(scope="module")
def pool():
    """
    Forty evaluated determinations to repeat.
    """
    records = evaluate_batch(cohort_lines(40), "IFS", RULEBOOK, AS_OF)
    return [record.determination for record in records]


class TestMemory:
    """
    Only counts are kept: memory stays flat as the cohort grows.
    """

    def test_flat_from_10k_to_100k(self, pool):
        peaks = []
        for size in (10_000, 100_000):
            tracemalloc.start()
            # The same objects again and again: only the report's own
            # memory is measured, not the input's.
            report = summarize_cohort(pool[n % len(pool)] for n in range(size))
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
            assert size == report.cohort.applicants

        assert peaks[1] < peaks[0] * 1.2, peaks


class TestSmallGroups:
    """
    Counts of fewer applicants than the minimum are suppressed.
    """

    def cohort(self, pool):
        # 30 IFS determinations and 3 under another category code.
        return [
            *repeated(30, pool),
            *(attrs.evolve(d, category="IFRS") for d in pool[:3]),
        ]

    def test_a_small_category_is_suppressed(self, pool):
        report = summarize_cohort(self.cohort(pool), min_group=5)

        groups = {g.category: g for g in report.by_category}
        assert groups["IFRS"].applicants is None
        assert () == groups["IFRS"].requirements
        # Its size would follow from the cohort's less the other group's.
        assert groups["IFS"].applicants is None
        assert 33 == report.cohort.applicants

    def test_the_minimum_is_configurable(self, pool):
        report = summarize_cohort(self.cohort(pool), min_group=3)

        groups = {g.category: g for g in report.by_category}
        assert 3 == groups["IFRS"].applicants
        assert 30 == groups["IFS"].applicants

    def test_a_small_cohort_shows_no_figure(self, pool):
        report = summarize_cohort(pool[:4], min_group=5)

        assert report.cohort.applicants is None
        assert () == report.cohort.requirements
        assert "fewer than 5 applicants: figures suppressed" in (
            render_cohort_text(report)
        )

    def test_one_small_count_takes_the_next_smallest_with_it(self, pool):
        eligible = [d for d in pool if d.outcome.value == "eligible"]
        others = [d for d in pool if d.outcome.value != "eligible"]
        report = summarize_cohort([eligible[0], *others * 3], min_group=5)

        outcomes = dict(report.cohort.outcomes)
        assert outcomes["eligible"] is None
        assert None in (outcomes["not_eligible"], outcomes["undetermined"])

    def test_one_small_bin_takes_another_with_it(self, pool):
        requirement = "ifs.rsc"
        shortfalls = [Decimal(1)] * 9 + [Decimal(30)] * 2 + [Decimal(60)] * 8
        records = [
            attrs.evolve(pool[0], findings=(finding(shortfall=amount),))
            for amount in shortfalls
        ]

        report = summarize_cohort(records, min_group=5)

        spread = report.cohort.requirements[0].shortfall
        assert requirement == report.cohort.requirements[0].requirement
        counts = [b.applicants for b in spread.bins]
        assert 2 == counts.count(None)
        assert 19 == spread.applicants
        assert 9 in counts
        assert 8 not in counts

    @given(
        records=st.lists(determinations(), max_size=12),
        minimum=st.integers(2, 6),
    )
    def test_no_count_under_the_minimum_is_written(self, records, minimum):
        report = dump(summarize_cohort(records, min_group=minimum))

        for path, value in counts_in(report):
            assert value is None or value == 0 or value >= minimum, path

    def test_text_shows_suppressed_counts_as_under_the_minimum(self, pool):
        report = summarize_cohort(self.cohort(pool), min_group=5)

        assert "Category IFRS\n  fewer than 5 applicants" in (
            render_cohort_text(report)
        )


def counts_in(document, path="$"):
    """
    Yield (path, value) for every count of applicants in a dumped report.
    """
    names = {"applicants", "only", "met", "occurrences"}
    if isinstance(document, dict):
        for key, value in document.items():
            here = f"{path}.{key}"
            if key in {"records", "errors", "error_lines", "listed"}:
                continue
            if key == "outcomes":
                yield from ((f"{here}.{k}", v) for k, v in value.items())
            elif key in names and not isinstance(value, dict):
                yield here, value
            else:
                yield from counts_in(value, here)
    elif isinstance(document, list):
        for index, item in enumerate(document):
            yield from counts_in(item, f"{path}[{index}]")


class TestPrivacy:
    """
    A report never names anyone, and lists ids only when asked.
    """

    @pytest.mark.parametrize("form", ["text", "json", "html"])
    def test_no_name_and_no_id_by_default(self, tmp_path, form):
        portfolios = tmp_path / "portfolios.jsonl"
        portfolios.write_text("\n".join(cohort_lines(200)) + "\n")

        status, text, _ = cli(
            "report", str(portfolios), "--category", "IFS",
            "--as-of", AS_OF.isoformat(), "--format", form,
        )  # fmt: skip

        assert 0 == status
        assert "Applicant Name" not in text
        assert "gen-" not in text

    def test_ids_when_asked_and_still_no_name(self, tmp_path):
        portfolios = tmp_path / "portfolios.jsonl"
        portfolios.write_text("\n".join(cohort_lines(200)) + "\n")

        status, text, _ = cli(
            "report", str(portfolios), "--category", "IFS",
            "--as-of", AS_OF.isoformat(), "--format", "json", "--ids",
        )  # fmt: skip
        report = load_cohort_report(text)

        assert 0 == status
        assert "Applicant Name" not in text
        listed = report.cohort.near.listed
        assert listed
        assert report.cohort.near.applicants == len(listed)
        assert all(a.portfolio.startswith("gen-") for a in listed)
        assert all(1 == len(a.lacking) for a in listed)


def finding(requirement="ifs.rsc", outcome=Outcome.UNMET, **changes):
    """
    An RSC finding, unmet by 5.99 hours unless told.
    """
    return Finding(
        requirement=requirement,
        kind=RequirementKind.RSC,
        outcome=outcome,
        explanation="x",
        **{"shortfall": Decimal("5.99"), "unit": "hours"} | changes,
    )


class TestWithinReach:
    """
    Who is within reach of eligibility, from both sides of each limit.
    """

    @pytest.mark.parametrize(
        ("shortfall", "within"),
        [("5.99", True), ("6", False), ("6.01", False)],
    )
    def test_under_a_shortfall_limit(self, shortfall, within):
        distance = Distance(within={"rsc": Decimal(6)})

        assert within == distance.reached(
            [finding(shortfall=Decimal(shortfall))]
        )

    def test_a_requirement_id_wins_over_its_kind(self):
        distance = Distance(within={"rsc": Decimal(1), "ifs.rsc": Decimal(10)})

        assert distance.reached([finding()])
        assert not distance.reached([finding("other.rsc")])

    def test_undetermined_is_not_within_a_limit(self):
        distance = Distance(within={"rsc": Decimal(6)})

        assert not distance.reached([finding(outcome=Outcome.UNDETERMINED)])
        assert Distance().reached([finding(outcome=Outcome.UNDETERMINED)])

    @pytest.mark.parametrize(("lacking", "within"), [(2, True), (3, False)])
    def test_how_many_requirements(self, lacking, within):
        assert within == Distance(requirements=2).reached(
            [finding(f"r{n}") for n in range(lacking)]
        )

    def test_nothing_lacking_is_eligible_not_near(self):
        assert not Distance().reached([])

    @pytest.mark.parametrize(
        "within", [{"rsc": Decimal(0)}, {"rsc": 6}, {"rsc": Decimal(-1)}]
    )
    def test_limits_must_be_positive_decimals(self, within):
        with pytest.raises((ValueError, TypeError), match="rsc"):
            Distance(within=within)

    def test_at_least_one_requirement(self):
        with pytest.raises(ValueError, match="requirements of at least 1"):
            Distance(requirements=0)

    def test_described(self):
        assert "at most 2 requirements not met; rsc under 6 short" == (
            Distance(requirements=2, within={"rsc": Decimal(6)}).describe()
        )


class TestExpiring:
    """
    Counted evidence leaving its window within the horizon.
    """

    @pytest.mark.parametrize(
        ("expires_on", "counted"),
        [("2026-07-14", True), ("2026-07-15", False)],
    )
    def test_the_horizon_is_months_after_the_as_of_date(
        self, pool, expires_on, counted
    ):
        determination = attrs.evolve(
            pool[0],
            findings=(
                finding(
                    outcome=Outcome.MET,
                    expires_on=AS_OF.fromisoformat(expires_on),
                ),
            ),
        )

        report = summarize_cohort(
            [determination], min_group=1, expiring_months=6
        )

        expected = (1 if counted else 0, 1 if counted else 0)
        expiring = report.cohort.expiring
        assert expected == (
            (expiring[0].applicants, expiring[0].met) if expiring else (0, 0)
        )


class Future(enum.Enum):
    """
    Outcomes a newer determination might carry.
    """

    EMERGING = "emerging"


class TestUnknownOutcomes:
    """
    An outcome the report does not know is counted under its own name.
    """

    def test_overall_and_per_requirement(self, pool):
        changed = attrs.evolve(
            pool[0],
            outcome=Future.EMERGING,
            findings=(finding(outcome=Future.EMERGING),),
        )

        report = summarize_cohort([changed], min_group=1)

        assert 1 == report.cohort.outcomes["emerging"]
        assert 1 == report.cohort.requirements[0].outcomes["emerging"]
        assert "emerging 1" in render_cohort_text(report)
        assert () == validate(dump(report), DocumentKind.COHORT_REPORT)


class TestQuantiles:
    """
    Shortfall quartiles from counts are exact.
    """

    @given(st.lists(quantities, min_size=2, max_size=40))
    def test_as_statistics_quantiles(self, values):
        counts = collections.Counter(values)

        expected = statistics.quantiles(values, n=4, method="inclusive")

        assert expected == [
            quantile(counts, Decimal(q)) for q in ("0.25", "0.5", "0.75")
        ]
        assert statistics.median(values) == quantile(counts, Decimal("0.5"))

    def test_one_value(self):
        assert Decimal(3) == quantile({Decimal(3): 1}, Decimal("0.75"))


class TestReport:
    """
    The document: its schema, errors, breakdowns and settings.
    """

    @given(st.lists(determinations(), max_size=6), st.integers(1, 4))
    def test_validates_against_the_shipped_schema(self, records, minimum):
        document = dump(summarize_cohort(records, min_group=minimum))
        validator = Draft202012Validator(
            schema("cohort-report"),
            registry=SCHEMA_REGISTRY,
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )

        assert [] == list(validator.iter_errors(document))

    def test_errors_are_counted_with_their_lines(self, pool):
        records = [
            BatchRecord(line=1, determination=pool[0]),
            *(BatchRecord(line=n, problems=()) for n in range(2, 15)),
        ]

        report = summarize_cohort(records)

        assert (14, 13) == (report.records, report.errors)
        assert tuple(range(2, 12)) == report.error_lines

    def test_categories_and_editions_apart(self, pool):
        records = [
            *repeated(10, pool),
            *(attrs.evolve(d, rulebook="other-2025") for d in pool[:10]),
        ]

        report = summarize_cohort(records)

        assert ["mi-aimh-2024", "other-2025"] == [
            g.rulebook for g in report.by_rulebook
        ]
        assert [10, 10] == [g.applicants for g in report.by_rulebook]
        text = render_cohort_text(report)
        assert "Rulebook other-2025\n  10 applicants" in text

    @pytest.mark.parametrize(
        "settings",
        [{"min_group": 0}, {"top": -1}, {"expiring_months": -1}],
    )
    def test_settings_out_of_range(self, settings):
        with pytest.raises(ValueError, match="expected min_group >= 1"):
            summarize_cohort([], **settings)

    def test_missing_values_are_grouped_by_path(self, pool):
        changed = attrs.evolve(
            pool[0],
            findings=(
                finding(missing=("$.work[0].fte", "$.work[3].fte")),
                finding("b", missing=("$.work[1].fte",)),
            ),
        )

        report = summarize_cohort([changed], min_group=1)

        assert [("$.work[*].fte", 1, 3)] == [
            (t.value, t.applicants, t.occurrences)
            for t in report.cohort.missing
        ]

    def test_an_empty_cohort(self):
        report = summarize_cohort([])

        assert 0 == report.cohort.applicants
        assert "0 records, 0 errors" in render_cohort_text(report)
        assert "<svg" not in render_cohort_html(report)


class TestReadBatch:
    """
    Reading back what iecmh batch wrote.
    """

    def test_round_trip(self, pool):
        lines = [BatchRecord(line=1, determination=pool[0]).to_json(), ""]
        lines.append(BatchRecord(line=9, problems=()).to_json())
        lines.append("{not json")

        records = list(read_batch(lines))

        assert pool[0] == records[0].determination
        assert [1, 9, 4] == [r.line for r in records]
        assert records[2].problems


class TestCommand:
    """
    iecmh report: inputs, formats and exit statuses.
    """

    @pytest.fixture
    def files(self, tmp_path):
        portfolios = tmp_path / "portfolios.jsonl"
        lines = cohort_lines(60)
        lines.insert(5, '{"id": "bad", "code_of_ethics_signed_on": "x"}')
        portfolios.write_text("\n".join(lines) + "\n")
        determinations = tmp_path / "determinations.jsonl"
        cli(
            "batch", str(portfolios), "--category", "IFS",
            "--as-of", AS_OF.isoformat(), "--out", str(determinations),
        )  # fmt: skip
        return portfolios, determinations

    def test_portfolios_give_the_same_report(self, files):
        portfolios, determinations = files

        from_portfolios = cli(
            "report", str(portfolios), "--category", "IFS",
            "--as-of", AS_OF.isoformat(), "--format", "json",
        )  # fmt: skip
        from_determinations = cli(
            "report", str(determinations), "--format", "json"
        )

        assert from_determinations[:2] == from_portfolios[:2]

    def test_errors_give_status_1(self, files):
        _, determinations = files

        status, text, err = cli("report", str(determinations))

        assert 1 == status
        assert "61 records, 1 errors (lines 6)" in text
        assert "1 of 61 records were errors" in err

    def test_portfolios_need_a_category(self, files):
        portfolios, _ = files

        status, _, err = cli("report", str(portfolios))

        assert 2 == status
        assert "--category is required to evaluate portfolios" in err

    def test_determinations_carry_their_own_date(self, files):
        _, determinations = files

        status, _, err = cli(
            "report", str(determinations), "--as-of", "2026-01-15"
        )

        assert 2 == status
        assert "each with its own as-of date" in err

    def test_determinations_filtered_by_category(self, files):
        _, determinations = files

        _, text, err = cli(
            "report", str(determinations), "--category", "IFRS",
            "--rulebook", RULEBOOK, "--format", "json",
        )  # fmt: skip

        assert 0 == json.loads(text)["cohort"]["applicants"]
        assert (
            "60 determinations left out (only category IFRS, rulebook "
            "mi-aimh-2024 kept)"
        ) in err

    def test_settings_reach_the_report(self, files, tmp_path):
        _, determinations = files
        target = tmp_path / "report.json"

        cli(
            "report", str(determinations), "--format", "json",
            "--out", str(target), "--min-group", "2", "--near", "2",
            "--within", "rsc=6", "--expiring-months", "3", "--top", "1",
        )  # fmt: skip
        report = load_cohort_report(target)

        assert 2 == report.min_group
        assert Distance(requirements=2, within={"rsc": Decimal(6)}) == (
            report.distance
        )
        assert 3 == report.expiring_months
        assert 1 >= len(report.cohort.rejections)

    @pytest.mark.parametrize(
        "argument",
        [
            ["--within", "rsc"],
            ["--within", "rsc=0"],
            ["--within", "=3"],
            ["--min-group", "0"],
            ["--near", "x"],
        ],
    )
    def test_bad_settings(self, files, argument, capsys):
        _, determinations = files

        status, _, _ = cli("report", str(determinations), *argument)

        assert 2 == status
        assert "expected" in capsys.readouterr().err

    def test_an_unreadable_file(self, tmp_path):
        status, _, err = cli("report", str(tmp_path / "none.jsonl"))

        assert 2 == status
        assert "cannot read" in err

    def test_an_unwritable_target(self, files, tmp_path):
        _, determinations = files

        status, _, err = cli(
            "report", str(determinations),
            "--out", str(tmp_path / "no" / "such" / "dir.txt"),
        )  # fmt: skip

        assert 2 == status
        assert "cannot write" in err

    def test_an_unknown_rulebook(self, files):
        portfolios, _ = files

        status, _, err = cli(
            "report", str(portfolios), "--category", "IFS",
            "--rulebook", "no-such-rulebook",
        )  # fmt: skip

        assert 2 == status
        assert "no-such-rulebook" in err
