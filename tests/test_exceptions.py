"""
The exceptions iecmh_core raises: iecmh_core.exceptions.
"""

# Assertions read `expected == actual` (STYLE.md, practice 19).

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import iecmh_core
from iecmh_core import (
    AgeBand,
    Category,
    EthicsRequirement,
    Family,
    IecmhError,
    InvalidArgumentError,
    InvalidDocumentError,
    InvalidRulebookError,
    Problem,
    Rulebook,
    Scope,
    UnknownCategoryError,
    UnknownRulebookError,
    competency_coverage,
    dump,
    endorsement_status,
    evaluate,
    evaluate_batch,
    evaluate_reinstatement,
    evaluate_renewal,
    export_case,
    export_ctdl,
    export_ob3,
    load_portfolio,
    requirement_conditions,
    rulebook_in_force,
    schema,
    validate,
)
from strategies import rulebooks


def category(code: str) -> Category:
    """
    Return a category *code* with one ethics requirement.
    """
    return Category(
        code=code,
        name=f"Category {code}",
        family=Family.IMH_E,
        age_band=AgeBand.INFANT,
        scope=Scope.PROMOTION,
        requirements=(
            EthicsRequirement(
                id="ethics", title="Ethics", sources=("https://example.org",)
            ),
        ),
    )


RULEBOOK = Rulebook(
    id="test-2024",
    association="test",
    title="Test rules",
    effective_from=dt.date(2024, 1, 1),
    categories=(category("IFS"), category("IMHM-C")),
)


class TestProblem:
    """
    A problem is a JSON path and a message.
    """

    def test_str(self):
        """
        A problem renders as PATH: MESSAGE.
        """
        problem = Problem("$.rsc[3].hours", "expected a number, got 'two'")

        assert "$.rsc[3].hours: expected a number, got 'two'" == str(problem)

    @given(st.text(), st.text())
    def test_str_any(self, path, message):
        """
        Any path and message render joined by a colon and a space.
        """
        assert f"{path}: {message}" == str(Problem(path, message))

    def test_value(self):
        """
        Problems are equal by value and frozen.
        """
        problem = Problem("$", "m")

        assert Problem("$", "m") == problem
        assert hash(Problem("$", "m")) == hash(problem)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            problem.path = "$.x"


class TestInvalidDocumentError:
    """
    An invalid document's error carries every problem and names the source.
    """

    def test_attributes(self):
        """
        The source, kind and problems are kept as given.
        """
        problems = [Problem("$.a", "one"), Problem("$.b", "two")]

        error = InvalidDocumentError("p.json", "portfolio", problems)

        assert ("p.json", "portfolio", tuple(problems)) == (
            error.source,
            error.kind,
            error.problems,
        )

    def test_message(self):
        """
        The message has a header line and one line per problem.
        """
        error = InvalidDocumentError(
            "p.json",
            "portfolio",
            [Problem("$.a", "one"), Problem("$.b", "two")],
        )

        assert (
            "p.json: invalid portfolio (2 problems):\n"
            "  p.json: $.a: one\n"
            "  p.json: $.b: two"
        ) == str(error)

    def test_singular(self):
        """
        One problem is counted in the singular.
        """
        error = InvalidDocumentError(
            "<text>", "framework", [Problem("$", "x")]
        )

        assert "<text>: invalid framework (1 problem):\n  <text>: $: x" == (
            str(error)
        )

    def test_hierarchy(self):
        """
        The error is an IecmhError and a ValueError.
        """
        error = InvalidDocumentError("<data>", "portfolio", [])

        assert isinstance(error, IecmhError)
        assert isinstance(error, ValueError)
        assert "<data>: invalid portfolio (0 problems):" == str(error)

    def test_rulebook_error(self):
        """
        An invalid rulebook's error is an invalid document's error too.
        """
        error = InvalidRulebookError("r.json", "rulebook", [Problem("$", "x")])

        assert isinstance(error, InvalidDocumentError)
        assert "r.json: invalid rulebook (1 problem):\n  r.json: $: x" == (
            str(error)
        )


class TestUnknownRulebookError:
    """
    Asking for a rulebook that does not exist says what does.
    """

    def test_message(self):
        """
        The message names the ids expected and the id given.
        """
        error = UnknownRulebookError("nope", ["mi-aimh-2017", "mi-aimh-2024"])

        assert (
            "expected a rulebook id among mi-aimh-2017, mi-aimh-2024; got nope"
        ) == str(error)
        assert ("nope", ("mi-aimh-2017", "mi-aimh-2024")) == (
            error.wanted,
            error.known,
        )

    def test_hierarchy(self):
        """
        The error is an IecmhError and a LookupError.
        """
        error = UnknownRulebookError("x", [])

        assert isinstance(error, IecmhError)
        assert isinstance(error, LookupError)


class TestUnknownCategoryError:
    """
    Asking a rulebook for a category it lacks lists the ones it has.
    """

    def test_message(self):
        """
        The message names the rulebook, the code given and the codes known.
        """
        error = UnknownCategoryError("NOPE", "test-2024", ["IFS", "IMHM-C"])

        assert (
            "rulebook test-2024 defines no category 'NOPE'; "
            "expected one of IFS, IMHM-C"
        ) == str(error)
        assert ("NOPE", "test-2024", ("IFS", "IMHM-C")) == (
            error.code,
            error.rulebook,
            error.known,
        )
        assert isinstance(error, IecmhError)
        assert isinstance(error, LookupError)

    def test_rulebook_category(self):
        """
        Rulebook.category returns the category with the code.
        """
        assert RULEBOOK.categories[1] == RULEBOOK.category("IMHM-C")

    def test_rulebook_unknown_category(self):
        """
        Rulebook.category raises UnknownCategoryError listing known codes.
        """
        with pytest.raises(UnknownCategoryError) as caught:
            RULEBOOK.category("NOPE")

        assert (
            "rulebook test-2024 defines no category 'NOPE'; "
            "expected one of IFS, IMHM-C"
        ) == str(caught.value)
        assert ("IFS", "IMHM-C") == caught.value.known

    @given(rulebooks())
    def test_every_code_found(self, rulebook):
        """
        Every category of a rulebook is found by its code.
        """
        for each in rulebook.categories:
            assert each == rulebook.category(each.code)

        with pytest.raises(UnknownCategoryError) as caught:
            rulebook.category("no such code")

        assert tuple(c.code for c in rulebook.categories) == caught.value.known


HOLDER = load_portfolio(
    '{"id": "a-1", "code_of_ethics_signed_on": null, "endorsements":'
    ' [{"category": "IFS", "rulebook": "mi-aimh-2024", "awarded_on":'
    ' "2024-03-01", "status": "active"}]}'
)
DAY = dt.date(2026, 1, 15)


class TestBadArguments:
    """
    Every bad argument to the public API raises an IecmhError subclass.
    """

    @pytest.mark.parametrize(
        ("call", "name"),
        [
            (lambda: evaluate(HOLDER, "IFS", None, "2026-01-15"), "as_of"),
            (lambda: evaluate({"id": "a"}, "IFS"), "portfolio"),
            (lambda: evaluate(HOLDER, 3), "category"),
            (lambda: evaluate(HOLDER, "IFS", 5, DAY), "rulebook"),
            (lambda: evaluate(HOLDER, "IFS", framework=3), "framework"),
            (lambda: evaluate_renewal(HOLDER, "IFS", "2025"), "year"),
            (lambda: evaluate_renewal(HOLDER, "IFS", year=True), "year"),
            (lambda: evaluate_reinstatement(HOLDER, "IFS", "x"), "on"),
            (lambda: endorsement_status("IFS", DAY), "endorsement"),
            (
                lambda: endorsement_status(HOLDER.endorsements[0], "2026"),
                "on",
            ),
            (lambda: competency_coverage(HOLDER, "IFS", 3), "framework"),
            (lambda: rulebook_in_force("mi-aimh", "2020"), "on"),
            (lambda: export_case("x"), "framework"),
            (lambda: export_ctdl("x", "IFS"), "rulebook"),
            (lambda: export_ob3(HOLDER, "IFS", issued_on="x"), "issued_on"),
            (lambda: requirement_conditions("x"), "requirement"),
            (lambda: dump({"id": "a"}), "document"),
            (
                lambda: list(evaluate_batch([], "IFS", jobs="2")),
                "jobs",
            ),
        ],
    )
    def test_wrong_type(self, call, name):
        """
        A wrong type is an InvalidArgumentError naming the parameter,
        which is also a TypeError and a ValueError.
        """
        with pytest.raises(InvalidArgumentError) as raised:
            call()

        assert name == raised.value.name
        assert isinstance(raised.value, IecmhError)
        assert isinstance(raised.value, TypeError)
        assert isinstance(raised.value, ValueError)
        assert str(raised.value).startswith(f"expected {name} to be ")

    @pytest.mark.parametrize(
        "call",
        [
            lambda: validate({}, kind="bogus"),
            lambda: schema("x"),
            lambda: iecmh_core.load_rulebook(b"{}"),
            lambda: iecmh_core.bundled_rulebook("nope"),
            lambda: iecmh_core.bundled_framework("nope"),
        ],
        ids=["validate-kind", "schema-kind", "load", "rulebook", "framework"],
    )
    def test_other_bad_arguments(self, call):
        """
        An unknown kind, id or an invalid document is an IecmhError too.
        """
        with pytest.raises(IecmhError):
            call()

    def test_long_values_shortened(self):
        """
        The message shows at most 60 characters of the value.
        """
        error = InvalidArgumentError("as_of", "a datetime.date", "x" * 100)

        assert "..." in str(error)
        assert len(str(error)) < 120
