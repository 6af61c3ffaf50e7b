"""
Reading, validating and writing the library's JSON documents.

Every document goes through the same three checks, and every problem found
is reported with its JSON path: the document's JSON Schema, then the rules a
schema cannot state (an ``end`` before its ``start``, hours with three
decimals, a requirement id used twice), then conversion into model objects.
"""

from __future__ import annotations

import decimal
import itertools
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from cattrs import ClassValidationError, transform_error
from jsonschema import ValidationError
from jsonschema.exceptions import best_match

from iecmh_core._arguments import expect
from iecmh_core._cohort import CohortReport
from iecmh_core._convert import converter
from iecmh_core._determination import Determination
from iecmh_core._framework import Framework
from iecmh_core._portfolio import Portfolio
from iecmh_core._rulebook import Rulebook
from iecmh_core._rulebook_checks import rulebook_problems
from iecmh_core._schemas import (
    document_kind,
    is_json_data,
    is_valid_fast,
    validator_for,
)
from iecmh_core._vocab import DocumentKind
from iecmh_core.exceptions import (
    InvalidDocumentError,
    InvalidRulebookError,
    Problem,
)

#: What the ``load_*`` functions and `validate` accept: a mapping (already
#: parsed JSON), JSON text (``str`` or ``bytes``), or a path to a JSON file
#: (any `os.PathLike`, such as `pathlib.Path`).
Source = Mapping[str, Any] | str | bytes | os.PathLike[str]

_MODELS: dict[DocumentKind, type] = {
    DocumentKind.PORTFOLIO: Portfolio,
    DocumentKind.RULEBOOK: Rulebook,
    DocumentKind.FRAMEWORK: Framework,
    DocumentKind.DETERMINATION: Determination,
    DocumentKind.COHORT_REPORT: CohortReport,
}

_T = TypeVar("_T")
_DATA = "<data>"


class _Unreadable(Exception):  # noqa: N818 - internal signal, never escapes
    def __init__(self, label: str, problems: list[Problem]) -> None:
        self.label = label
        self.problems = problems


#: The most digits a JSON number may be written with (sign, point and
#: exponent aside); no count, hour or date in a document comes near it.
MAX_DIGITS = 100


class _Refused:
    """
    A value the JSON text spells but no document may hold.

    It is found, with its JSON path, once the whole text is read.
    """

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


class _Hooks:
    """
    The JSON parser's hooks, noting what they refuse to be found later.
    """

    def __init__(self) -> None:
        self.duplicates: dict[int, list[str]] = {}
        self.refused = False

    def pairs(self, items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                self.duplicates.setdefault(id(result), []).append(key)
            result[key] = value
        return result

    def constant(self, name: str) -> _Refused:
        self.refused = True
        return _Refused(f"expected a finite JSON number, got {name}")

    # Numbers are read exactly as written: a fraction becomes the Decimal
    # of its digits, so bounds and decimal places are checked on the text.
    def integer(self, digits: str) -> int | _Refused:
        return self._too_long(digits) or int(digits)

    def fraction(self, digits: str) -> Decimal | _Refused:
        return self._too_long(digits) or Decimal(digits)

    def _too_long(self, text: str) -> _Refused | None:
        count = sum(char.isdigit() for char in text.lower().partition("e")[0])
        if count <= MAX_DIGITS:
            return None
        self.refused = True
        return _Refused(
            f"expected a number of at most {MAX_DIGITS} digits, got one of "
            f"{count} digits"
        )


def _parse(text: str | bytes, label: str) -> Any:
    hooks = _Hooks()
    try:
        data = json.loads(
            text,
            object_pairs_hook=hooks.pairs,
            parse_constant=hooks.constant,
            parse_int=hooks.integer,
            parse_float=hooks.fraction,
        )
    except json.JSONDecodeError as error:
        hint = ""
        if isinstance(text, str) and not text.lstrip().startswith(("{", "[")):
            hint = " (to read a file, pass a pathlib.Path, not a str)"
        problem = Problem(
            "$",
            f"expected JSON text, got invalid JSON at line {error.lineno} "
            f"column {error.colno}: {error.msg}{hint}",
            "json.syntax",
        )
        raise _Unreadable(label, [problem]) from None
    except UnicodeDecodeError as error:
        message = (
            f"expected UTF-8 text, got a byte that is not UTF-8 at position "
            f"{error.start}"
        )
        problem = Problem("$", message, "json.encoding")
        raise _Unreadable(label, [problem]) from None
    except (ValueError, RecursionError) as error:
        message = (
            "expected JSON nested less deeply, got nesting too deep to read"
            if isinstance(error, RecursionError)
            else str(error)
        )
        code = (
            "json.depth"
            if isinstance(error, RecursionError)
            else "json.number"
        )
        raise _Unreadable(label, [Problem("$", message, code)]) from None
    if hooks.duplicates or hooks.refused:
        problems = sorted(_marked(data, "$", hooks.duplicates), key=_sort_key)
        raise _Unreadable(label, problems)
    _refuse_surrogates(text, data, label)
    return data


def _marked(
    data: Any, path: str, duplicates: Mapping[int, list[str]]
) -> Iterator[Problem]:
    if isinstance(data, _Refused):
        yield Problem(path, data.message, "json.number")
    elif isinstance(data, dict):
        for key in duplicates.get(id(data), ()):
            yield Problem(
                _path(path, key),
                f"expected unique keys, got {key!r} more than once",
                "json.duplicate-key",
            )
        for key, value in data.items():
            yield from _marked(value, _path(path, key), duplicates)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _marked(value, _path(path, index), duplicates)


def _refuse_surrogates(text: str | bytes, data: Any, label: str) -> None:
    if _MAYBE_SURROGATE[type(text)].search(text):
        problems = list(_surrogates(data, "$"))
        if problems:
            raise _Unreadable(label, problems)


# A lone surrogate can only come from a \uD800-\uDFFF escape (UTF-8 bytes
# cannot hold one) or, in a str, be there already; the walk through the
# data is only needed when the text has one of these.
_MAYBE_SURROGATE: dict[type, re.Pattern[Any]] = {
    str: re.compile("\\\\u[dD][89a-fA-F]|[\ud800-\udfff]"),
    bytes: re.compile(rb"\\u[dD][89a-fA-F]"),
}


def _surrogate_problem(text: str, path: str) -> Problem | None:
    for index, char in enumerate(text):
        if "\ud800" <= char <= "\udfff":
            return Problem(
                path,
                "expected text of Unicode characters, got a lone surrogate "
                f"U+{ord(char):04X} at character {index}",
                "json.surrogate",
            )
    return None


def _surrogates(data: Any, path: str) -> Iterator[Problem]:
    r"""
    Find the strings (keys and values) holding a lone surrogate.

    JSON escapes can spell one (``"\\ud83d"``) though no UTF-8 text can
    hold it: refused here, it can never fail a write later.
    """
    if isinstance(data, str):
        problem = _surrogate_problem(data, path)
        if problem is not None:
            yield problem
    elif isinstance(data, Mapping):
        for key, value in data.items():
            here = _path(path, str(key))
            problem = _surrogate_problem(str(key), here)
            if problem is not None:
                yield problem
            yield from _surrogates(value, here)
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            yield from _surrogates(value, _path(path, index))


def _read(source: Source) -> tuple[Any, str]:
    if isinstance(source, Mapping):
        return source, _DATA
    if isinstance(source, str | bytes):
        return _parse(source, "<text>"), "<text>"
    if isinstance(source, os.PathLike):
        label = os.fspath(source)
        try:
            with open(source, "rb") as handle:  # noqa: PTH123 - any PathLike
                text = handle.read()
        except OSError as error:
            reason = error.strerror or str(error)
            problem = Problem(
                "$",
                f"expected a readable file, got {reason}",
                "json.unreadable",
            )
            raise _Unreadable(label, [problem]) from None
        return _parse(text, label), label
    expected = "expected a mapping, JSON text or a path"
    problem = Problem(
        "$", f"{expected}, got {type(source).__name__}", "json.source"
    )
    raise _Unreadable(_DATA, [problem])


def guess_kind(data: object) -> DocumentKind | None:
    """
    Tell which kind of document *data* is, from its top-level keys.

    Returns:
        The kind, or ``None`` when *data* looks like none of them.

    >>> guess_kind({"id": "a-1", "code_of_ethics_signed_on": None})
    <DocumentKind.PORTFOLIO: 'portfolio'>

    .. versionadded:: 0.1.0
    """
    if not isinstance(data, Mapping):
        return None
    for key, kind in _KIND_KEYS:
        if key in data:
            return kind
    return None


#: The top-level key that tells each kind of document, in the order tried.
_KIND_KEYS = (
    ("cohort", DocumentKind.COHORT_REPORT),
    ("findings", DocumentKind.DETERMINATION),
    ("categories", DocumentKind.RULEBOOK),
    ("domains", DocumentKind.FRAMEWORK),
    ("id", DocumentKind.PORTFOLIO),
)


_TYPE_NAMES = {
    "object": "an object",
    "array": "an array",
    "string": "a string",
    "number": "a number",
    "integer": "an integer",
    "boolean": "true or false",
    "null": "null",
}


def _render(value: object) -> str:
    # A number is shown as written; inside an object or array, near enough.
    text = (
        str(value)
        if isinstance(value, Decimal)
        else json.dumps(value, default=_near)
    )
    return text if len(text) <= 60 else text[:57] + "..."


def _near(value: object) -> object:
    return float(value) if isinstance(value, Decimal) else str(value)


def _path(base: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{base}[{key}]"
    if key.isidentifier():
        return f"{base}.{key}"
    return f"{base}[{json.dumps(key)}]"


def _alternatives(error: ValidationError) -> Iterator[Problem]:
    """
    Report an anyOf/oneOf by its best alternative's problem.

    An anyOf whose alternatives each ask for one property says
    "expected a or b (either would do)" instead of naming one of them.
    """
    context = error.context or []
    if str(error.validator) == "anyOf" and all(
        str(e.validator) == "required" for e in context
    ):
        keys = [str(k) for e in context for k in _as_list(e.validator_value)]
        yield Problem(
            error.json_path,
            "expected " + " or ".join(keys) + " (either would do), got "
            "neither",
            "schema.anyOf",
        )
        return
    relevant = [e for e in context if e.validator_value != "null"] or context
    yield from _schema_problems(best_match(relevant))


def _schema_problems(error: ValidationError) -> Iterator[Problem]:
    path = error.json_path
    got = _render(error.instance)
    keyword = str(error.validator)
    value: Any = error.validator_value
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    if keyword == "pattern" and schema.get("format") == "date":
        # The date pattern only restates the format for other validators:
        # say it once, the same way.
        keyword, value = "format", "date"
    if keyword == "additionalProperties":
        known = sorted(schema.get("properties", {}))
        instance = error.instance if isinstance(error.instance, dict) else {}
        for key in sorted(instance):
            if key not in known:
                yield Problem(
                    _path(path, key),
                    f"expected no property {key!r} here; "
                    f"known properties: {', '.join(known)}",
                    "schema.additionalProperties",
                )
        return
    if keyword == "required":
        instance = error.instance if isinstance(error.instance, dict) else {}
        for key in value:
            if key not in instance:
                yield Problem(
                    _path(path, key),
                    "expected a value (the property is required), got none",
                    "schema.required",
                )
        return
    if keyword in {"anyOf", "oneOf"} and error.context:
        yield from _alternatives(error)
        return
    expected: Callable[[], str] | None = {
        "type": lambda: " or ".join(
            _TYPE_NAMES.get(t, t) for t in _as_list(value)
        ),
        "format": lambda: (
            f"a valid {value} (YYYY-MM-DD)"
            if value == "date"
            else f"a valid {value}"
        ),
        "enum": lambda: "one of " + ", ".join(_render(v) for v in value),
        "const": lambda: _render(value),
        "minimum": lambda: f"a number >= {value}",
        "exclusiveMinimum": lambda: f"a number > {value}",
        "maximum": lambda: f"a number <= {value}",
        "exclusiveMaximum": lambda: f"a number < {value}",
        "minLength": lambda: f"a string of at least {value} character(s)",
        "minItems": lambda: f"at least {value} item(s)",
        "uniqueItems": lambda: "items that are all different",
        "pattern": lambda: f"a string matching {value}",
    }.get(keyword)
    code = f"schema.{keyword}"
    if expected is None:
        yield Problem(path, error.message, code)
    else:
        yield Problem(path, f"expected {expected()}, got {got}", code)


def _as_list(value: object) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _sort_key(problem: Problem) -> tuple[str, str]:
    return (problem.path, problem.message)


def _decimal_places(value: object) -> int:
    if isinstance(value, float):
        exponent = Decimal(repr(value)).as_tuple().exponent
    elif isinstance(value, int | Decimal):
        exponent = Decimal(value).as_tuple().exponent
    else:
        return 0
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _items(data: Mapping[str, Any], key: str) -> Iterator[tuple[str, Any]]:
    for index, item in enumerate(data.get(key, ())):
        yield f"$.{key}[{index}]", item


def _portfolio_rules(data: Mapping[str, Any]) -> Iterator[Problem]:
    for key in ("memberships", "work", "leadership"):
        for path, item in _items(data, key):
            start, end = item["start"], item["end"]
            if end is not None and end < start:
                yield Problem(
                    f"{path}.end",
                    f"expected a date on or after start ({start}), "
                    f"got {_render(end)}",
                    "rule.end-before-start",
                )
    for path, held in _items(data, "endorsements"):
        for index, period in enumerate(held.get("inactive", ())):
            start, end = period["start"], period["end"]
            if end is not None and end < start:
                yield Problem(
                    f"{path}.inactive[{index}].end",
                    f"expected a date on or after start ({start}), "
                    f"got {_render(end)}",
                    "rule.end-before-start",
                )
    for key in ("training", "rsc"):
        for path, item in _items(data, key):
            if _decimal_places(item["hours"]) > 2:
                yield Problem(
                    f"{path}.hours",
                    "expected clock hours with at most 2 decimal places, "
                    f"got {_render(item['hours'])}",
                    "rule.hours-precision",
                )


def _requirement_ids(
    requirements: Iterable[Mapping[str, Any]], path: str
) -> Iterator[tuple[str, str]]:
    for index, requirement in enumerate(requirements):
        here = f"{path}[{index}]"
        yield requirement["id"], f"{here}.id"
        for p, alternative in enumerate(requirement.get("paths", ())):
            yield from _requirement_ids(
                alternative["requirements"], f"{here}.paths[{p}].requirements"
            )


def _peer_refused(
    requirements: Iterable[Mapping[str, Any]], path: str
) -> Iterator[Problem]:
    for index, requirement in enumerate(requirements):
        here = f"{path}[{index}]"
        if "peer" in requirement.get("formats", ()):
            yield Problem(
                f"{here}.formats",
                "expected individual or group formats (peer RSC never "
                "counts toward an endorsement, only some renewals), got "
                f"{_render(requirement['formats'])}",
                "rule.peer-rsc",
            )
        for p, alternative in enumerate(requirement.get("paths", ())):
            yield from _peer_refused(
                alternative["requirements"], f"{here}.paths[{p}].requirements"
            )


def _rulebook_rules(data: Mapping[str, Any]) -> Iterator[Problem]:
    if "extends" in data:
        yield Problem(
            "$.extends",
            f"expected a whole edition; got one that extends "
            f"{data['extends']!r}, which is resolved against its base in a "
            "catalogue: load it with load_catalogue (or --rulebooks)",
            "catalogue.extends",
        )
        return
    yield from rulebook_problems(data)
    yield from _peer_refused(
        data.get("renewal", {}).get("reinstatement", ()),
        "$.renewal.reinstatement",
    )
    codes: dict[str, str] = {}
    for path, category in _items(data, "categories"):
        code = category["code"]
        if code in codes:
            yield Problem(
                f"{path}.code",
                f"expected a category code used once, got {code!r} "
                f"already defined at {codes[code]}",
                "rule.duplicate-category",
            )
        codes.setdefault(code, f"{path}.code")
        yield from _peer_refused(
            category["requirements"], f"{path}.requirements"
        )
        seen: dict[str, str] = {}
        pairs = itertools.chain(
            _requirement_ids(category["requirements"], f"{path}.requirements"),
            _requirement_ids(category.get("renewal", ()), f"{path}.renewal"),
            _requirement_ids(
                category.get("emerging", {}).get("requirements", ()),
                f"{path}.emerging.requirements",
            ),
        )
        for requirement_id, id_path in pairs:
            if requirement_id in seen:
                yield Problem(
                    id_path,
                    f"expected a requirement id used once in {code}, got "
                    f"{requirement_id!r} already used at "
                    f"{seen[requirement_id]}",
                    "rule.duplicate-requirement",
                )
            seen.setdefault(requirement_id, id_path)
    if (
        "effective_until" in data
        and data["effective_until"] < data["effective_from"]
    ):
        yield Problem(
            "$.effective_until",
            "expected a date on or after effective_from "
            f"({data['effective_from']}), got {data['effective_until']!r}",
            "rule.effective-until-before-from",
        )


def _framework_rules(data: Mapping[str, Any]) -> Iterator[Problem]:
    domains = {domain["id"] for domain in data["domains"]}
    for path, mapping in _items(data, "evidence"):
        for index, domain in enumerate(mapping["domains"]):
            if domain not in domains:
                yield Problem(
                    f"{path}.domains[{index}]",
                    f"expected the id of a domain of this framework, got "
                    f"{domain!r}",
                    "rule.unknown-domain",
                )
    seen: dict[str, str] = {}
    for path, domain in _items(data, "domains"):
        names = [(domain["id"], f"{path}.id")]
        for index, area in enumerate(domain.get("knowledge_areas", ())):
            here = f"{path}.knowledge_areas[{index}]"
            names.append((area["id"], f"{here}.id"))
            names.extend(
                (alias, f"{here}.aliases[{a}]")
                for a, alias in enumerate(area.get("aliases", ()))
            )
        for name, where in names:
            if name in seen:
                yield Problem(
                    where,
                    f"expected an id used once in the framework, got "
                    f"{name!r} already used at {seen[name]}",
                    "rule.duplicate-framework-id",
                )
            seen.setdefault(name, where)


_RULES: dict[
    DocumentKind, Callable[[Mapping[str, Any]], Iterator[Problem]]
] = {
    DocumentKind.PORTFOLIO: _portfolio_rules,
    DocumentKind.RULEBOOK: _rulebook_rules,
    DocumentKind.FRAMEWORK: _framework_rules,
    DocumentKind.DETERMINATION: lambda _: iter(()),
    DocumentKind.COHORT_REPORT: lambda _: iter(()),
}


def _check(
    data: Any, kind: DocumentKind, *, parsed: bool = False
) -> tuple[list[Problem], Any]:
    """
    Return every problem with *data* as a *kind*, and the model if none.

    *parsed* says the data came from JSON text (plain dicts, lists, str,
    int, float, bool, None), the only data the compiled fast path is
    trusted with.
    """
    try:
        return _check_all(data, kind, parsed=parsed)
    except decimal.InvalidOperation:
        message = "expected finite numbers, got a NaN"
        return [Problem("$", message, "json.number")], None
    except RecursionError:
        # Data nested deeper than Python's recursion limit (JSON text is
        # stopped earlier, at parsing); no real document comes near it.
        message = "expected data nested less deeply, got nesting too deep"
        return [Problem("$", message, "json.depth")], None


def _non_finite(data: Any, path: str) -> Iterator[Problem]:
    """
    Find the decimals no JSON number can be (NaN, infinities).

    Only data given as a mapping can hold them; a comparison with them
    would raise instead of reporting a problem.
    """
    if isinstance(data, Decimal) and not data.is_finite():
        yield Problem(
            path, f"expected a finite number, got {data}", "json.number"
        )
    elif isinstance(data, Mapping):
        for key, value in data.items():
            yield from _non_finite(value, _path(path, str(key)))
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            yield from _non_finite(value, _path(path, index))


def _schema_check(data: Any, kind: DocumentKind) -> list[Problem]:
    # jsonschema raises one "required" error per missing key, each of which
    # names every missing key: the set keeps one problem per key.
    return sorted(
        {
            problem
            for error in validator_for(kind).iter_errors(data)
            for problem in _schema_problems(error)
        },
        key=_sort_key,
    )


def _check_all(
    data: Any, kind: DocumentKind, *, parsed: bool
) -> tuple[list[Problem], Any]:
    fast = parsed and is_valid_fast(kind, data) is True
    problems = (
        []
        if fast
        else list(_non_finite(data, "$"))
        or ([] if parsed else list(_surrogates(data, "$")))
        or _schema_check(data, kind)
    )
    if problems:
        return problems, None
    problems = sorted(_RULES[kind](data), key=_sort_key)
    if problems:
        return problems, None
    try:
        return [], converter.structure(data, _MODELS[kind])
    except (ClassValidationError, ValueError, TypeError) as error:
        # Where the compiled validator was more lenient than the reference
        # (year 0000, say), the reference explains the problem.
        if fast and (explained := _schema_check(data, kind)):
            return explained, None
        if isinstance(error, ClassValidationError):
            return [_cattrs_problem(m) for m in transform_error(error)], None
        return [Problem("$", str(error), "model.conversion")], None


def _cattrs_problem(message: str) -> Problem:
    text, _, path = message.rpartition(" @ ")
    return Problem(path or "$", text or message, "model.conversion")


def _resolve_kind(
    data: Any, kind: DocumentKind | str | None
) -> DocumentKind | Problem:
    if kind is not None:
        return document_kind(kind)
    guessed = guess_kind(data)
    if guessed is None:
        return Problem(
            "$",
            "expected a portfolio, rulebook, framework or determination "
            "(an object with id, categories, domains or findings), got "
            f"{_render(data)}",
            "document.kind",
        )
    return guessed


def validate(
    source: Source, kind: DocumentKind | str | None = None
) -> tuple[Problem, ...]:
    """
    Check a document and return **every** problem found.

    The document is checked against its JSON Schema (formats included, so
    ``2025-02-30`` is not a date), then against the rules a schema cannot
    state (an ``end`` before its ``start``, hours with more than 2 decimals,
    an id used twice), then converted into model objects.

    Args:
        source: A mapping, JSON text, or a path (`os.PathLike`) to a file.
        kind: The kind of document; guessed from the top-level keys when
            ``None``.

    Returns:
        The problems, sorted by JSON path; empty when the document is valid.

    >>> validate({"id": "a-1", "code_of_ethics_signed_on": None})
    ()
    >>> for problem in validate({"id": "a-1", "colour": "blue"}):
    ...     print(problem)
    $.code_of_ethics_signed_on: expected a value (the property is required), got none
    $.colour: expected no property 'colour' here; known properties: code_of_ethics_signed_on, education, endorsements, exams, id, leadership, memberships, name, references, rsc, training, work

    .. versionadded:: 0.1.0
    """  # noqa: E501
    return check_source(source, kind)[1]


def check_source(
    source: Source, kind: DocumentKind | str | None
) -> tuple[DocumentKind | None, tuple[Problem, ...]]:
    """
    Read *source* once; return its kind and every problem.

    The kind is guessed when *kind* is ``None``, and is ``None`` when it
    cannot be told.
    """
    try:
        data, _ = _read(source)
    except _Unreadable as unreadable:
        known = document_kind(kind) if kind is not None else None
        return known, tuple(unreadable.problems)
    resolved = _resolve_kind(data, kind)
    if isinstance(resolved, Problem):
        return None, (resolved,)
    problems, _ = _check(data, resolved, parsed=_parsed(source, data))
    return resolved, tuple(problems)


def _parsed(source: Source, data: Any) -> bool:
    """
    Tell whether *data* may take the compiled fast path.

    Parsed text always may; a mapping may when it holds only the types
    JSON text parses into (a service's ``json.loads`` of a request, say).
    """
    return not isinstance(source, Mapping) or is_json_data(data)


def load(source: Source, kind: DocumentKind | str, cls: type[_T]) -> _T:
    """
    Read a *kind* document from *source* into a *cls* object, or raise.
    """
    resolved = document_kind(kind)
    error = (
        InvalidRulebookError
        if resolved is DocumentKind.RULEBOOK
        else InvalidDocumentError
    )
    try:
        data, label = _read(source)
    except _Unreadable as unreadable:
        raise error(
            unreadable.label, resolved.value, unreadable.problems
        ) from None
    problems, model = _check(data, resolved, parsed=_parsed(source, data))
    if problems:
        raise error(label, resolved.value, problems)
    if not isinstance(model, cls):  # pragma: no cover - _MODELS maps kinds
        raise TypeError(cls)
    return model


def load_portfolio(source: Source) -> Portfolio:
    """
    Read and check a portfolio.

    Args:
        source: A mapping, JSON text, or a path (`os.PathLike`) to a file.
            A ``str`` is always read as JSON text; pass a `pathlib.Path` to
            read a file.

    Returns:
        The portfolio.

    Raises:
        InvalidDocumentError: The document is not a valid portfolio; the
            error lists every problem with its JSON path.

    >>> portfolio = load_portfolio(
    ...     '{"id": "a-1", "code_of_ethics_signed_on": "2025-02-01",'
    ...     ' "training": [{"title": "Attachment", "completed_on":'
    ...     ' "2024-10-14", "hours": 0.1}]}'
    ... )
    >>> portfolio.training[0].hours
    Decimal('0.1')

    .. versionadded:: 0.1.0
    """
    return load(source, DocumentKind.PORTFOLIO, Portfolio)


def load_rulebook(source: Source) -> Rulebook:
    """
    Read and check a rulebook, such as a state's own edition of the rules.

    Args:
        source: A mapping, JSON text, or a path (`os.PathLike`) to a file.

    Returns:
        The rulebook.

    Raises:
        InvalidRulebookError: The document is not a valid rulebook; the
            error lists every problem with its JSON path.

    .. versionadded:: 0.1.0
    """
    return load(source, DocumentKind.RULEBOOK, Rulebook)


def load_framework(source: Source) -> Framework:
    """
    Read and check a competency framework.

    Args:
        source: A mapping, JSON text, or a path (`os.PathLike`) to a file.

    Returns:
        The framework.

    Raises:
        InvalidDocumentError: The document is not a valid framework.

    .. versionadded:: 0.1.0
    """
    return load(source, DocumentKind.FRAMEWORK, Framework)


def load_determination(source: Source) -> Determination:
    """
    Read and check a determination, for example one stored earlier.

    Args:
        source: A mapping, JSON text, or a path (`os.PathLike`) to a file.

    Returns:
        The determination.

    Raises:
        InvalidDocumentError: The document is not a valid determination.

    .. versionadded:: 0.1.0
    """
    return load(source, DocumentKind.DETERMINATION, Determination)


def load_cohort_report(source: Source) -> CohortReport:
    """
    Read and check a cohort report, for example one `summarize_cohort` made.

    Args:
        source: A mapping, JSON text, or a path (`os.PathLike`) to a file.

    Returns:
        The report.

    Raises:
        InvalidDocumentError: The document is not a valid cohort report.

    .. versionadded:: 0.1.0
    """
    return load(source, DocumentKind.COHORT_REPORT, CohortReport)


def dump(
    document: Portfolio | Rulebook | Framework | Determination | CohortReport,
) -> Any:
    """
    Turn a model object into JSON-ready data (dicts, lists, str, numbers).

    Hours and other exact quantities become JSON numbers (integers when
    whole), dates become ``YYYY-MM-DD`` strings, and values not given are
    left out, so a loaded document dumps back to the same data.

    >>> dump(load_portfolio('{"id": "a-1", "code_of_ethics_signed_on": null}'))
    {'id': 'a-1', 'code_of_ethics_signed_on': None, 'memberships': [], 'education': [], 'work': [], 'training': [], 'rsc': [], 'references': [], 'exams': [], 'leadership': [], 'endorsements': []}

    .. versionadded:: 0.1.0
    """  # noqa: E501
    expect(
        "document",
        document,
        (Portfolio, Rulebook, Framework, Determination, CohortReport),
        "a Portfolio, Rulebook, Framework, Determination or CohortReport",
    )
    return converter.unstructure(document)


def dump_json(
    document: Portfolio | Rulebook | Framework | Determination | CohortReport,
) -> str:
    """
    Turn a model object into JSON text, the same bytes for the same object.

    >>> print(dump_json(load_portfolio('{"id": "a-1", "code_of_ethics_signed_on": null}'))[:16])
    {
      "id": "a-1",

    .. versionadded:: 0.1.0
    """  # noqa: E501
    return json.dumps(dump(document), indent=2, ensure_ascii=False)
