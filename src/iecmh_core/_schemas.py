"""
The JSON Schemas shipped inside the package, in one registry.

The schemas are read once, at import, from the package's own ``schemas``
folder (so an installed wheel needs no source tree), and each validator is
built once, on first use, and reused.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.validators import extend
from referencing import Registry, Resource

from iecmh_core._vocab import DocumentKind

SCHEMA_IDS: dict[DocumentKind, str] = {
    kind: f"urn:iecmh:schema:{kind.value}:1" for kind in DocumentKind
}
COMMON_ID = "urn:iecmh:schema:common:1"


def _resources() -> Iterator[Resource[Any]]:
    folder = files(__package__).joinpath("schemas")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            contents = json.loads(entry.read_text(encoding="utf-8"))
            yield Resource.from_contents(contents)


#: Every shipped schema, addressable by its ``$id`` (``urn:iecmh:schema:…``).
SCHEMA_REGISTRY: Registry[Any] = (list(_resources()) @ Registry()).crawl()


# Documents given as data may be any Mapping (a read-only mappingproxy, say),
# not only a dict: the library promises Mapping, so the schemas accept it.
# Numbers parsed from JSON text are Decimals when written with a fraction;
# JSON Schema counts 3.0 as an integer, as the compiled validator does.
_Validator: type[Draft202012Validator] = extend(  # type: ignore[no-untyped-call]
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine_many(
        {
            "object": lambda _, instance: isinstance(instance, Mapping),
            "integer": lambda _, instance: (
                Draft202012Validator.TYPE_CHECKER.is_type(instance, "integer")
                or (
                    isinstance(instance, Decimal)
                    and instance.is_finite()
                    and instance == instance.to_integral_value()
                )
            ),
        }
    ),
)


@cache
def validator_for(kind: DocumentKind) -> Draft202012Validator:
    """
    Return the validator for *kind*, built once, with format checking on.
    """
    validator: Draft202012Validator = _Validator(
        SCHEMA_REGISTRY.contents(SCHEMA_IDS[kind]),
        registry=SCHEMA_REGISTRY,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    return validator


def _compiled() -> Any:
    try:
        import jsonschema_rs  # noqa: PLC0415 - optional, imported on demand
    except ImportError:
        return None
    registry = jsonschema_rs.Registry(
        [(uri, SCHEMA_REGISTRY.contents(uri)) for uri in SCHEMA_IDS.values()]
        + [(COMMON_ID, SCHEMA_REGISTRY.contents(COMMON_ID))]
    )
    return {
        kind: jsonschema_rs.validator_for(
            SCHEMA_REGISTRY.contents(uri),
            registry=registry,
            validate_formats=True,
        )
        for kind, uri in SCHEMA_IDS.items()
    }


@cache
def _fast_validators() -> Any:
    return _compiled()


#: Whether the compiled fast path may be used (tests turn it off to check
#: the pure-Python path on its own).
FAST_PATH = {"enabled": True}


def fast_path_available() -> bool:
    """
    Tell whether the compiled validator (the ``fast`` extra) is installed.

    With it, documents that are valid are recognised about a hundred times
    faster; jsonschema stays the reference and explains every invalid one.

    .. versionadded:: 0.1.0
    """
    return FAST_PATH["enabled"] and _fast_validators() is not None


def is_valid_fast(kind: DocumentKind, data: Any) -> bool | None:
    """
    Check *data* with the compiled validator: ``None`` when it cannot say.

    Only data parsed from JSON text should be given: the compiled validator
    accepts Python values JSON cannot hold (tuples, enum members).
    """
    if not FAST_PATH["enabled"] or type(data) is not dict:
        return None
    validators = _fast_validators()
    if validators is None:
        return None
    try:
        return bool(validators[kind].is_valid(data))
    except (ValueError, TypeError):  # pragma: no cover - JSON data only
        return None


def schema(kind: DocumentKind | str) -> dict[str, Any]:
    """
    Return (a copy of) the JSON Schema for a kind of document.

    References to shared definitions point at ``urn:iecmh:schema:common:1``;
    resolve them with `SCHEMA_REGISTRY`.

    Args:
        kind: A `DocumentKind` or its value, e.g. ``"portfolio"``.

    Returns:
        The schema, a draft 2020-12 JSON Schema as a dict.

    >>> schema("portfolio")["$id"]
    'urn:iecmh:schema:portfolio:1'

    .. versionadded:: 0.1.0
    """
    contents = SCHEMA_REGISTRY.contents(SCHEMA_IDS[DocumentKind(kind)])
    return copy.deepcopy(dict(contents))
