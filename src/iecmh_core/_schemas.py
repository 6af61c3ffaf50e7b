"""
The JSON Schemas shipped inside the package, in one registry.

The schemas are read once, at import, from the package's own ``schemas``
folder (so an installed wheel needs no source tree), and each validator is
built once, on first use, and reused.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Iterator, Mapping
from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.validators import extend
from referencing import Registry, Resource

from iecmh_core._vocab import DocumentKind
from iecmh_core.exceptions import UnknownKindError

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


_SCALARS = frozenset({str, int, bool, type(None)})


def is_json_data(data: Any) -> bool:
    """
    Tell whether *data* is made only of the types JSON text parses into.

    Those are exactly ``dict`` (with ``str`` keys), ``list``, ``str``,
    ``int``, ``bool``, ``None`` and finite ``float``: no subclass (an enum
    member), no tuple, no other mapping, no `~decimal.Decimal`. Only such
    data may take the compiled fast path, which would accept values the
    reference validator refuses.
    """
    stack = [data]
    scalars = _SCALARS
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            for key, value in item.items():
                if type(key) is not str:
                    return False
                stack.append(value)
        elif kind is list:
            stack.extend(item)
        elif kind is float:
            if not math.isfinite(item):
                return False
        elif kind not in scalars:
            return False
    return True


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


def document_kind(kind: DocumentKind | str) -> DocumentKind:
    """
    Return *kind* as a `DocumentKind`, or raise `UnknownKindError`.
    """
    try:
        return DocumentKind(kind)
    except ValueError:
        raise UnknownKindError(str(kind)) from None


def _local_name(uri: str, pointer: str) -> str:
    """
    Name, inside a bundle, the definition at *pointer* of resource *uri*.

    ``urn:iecmh:schema:common:1`` and ``/$defs/date`` give ``commonDate``:
    no dot, which code generators read as a module path.
    """
    stem = uri.split(":")[-2]
    name = pointer.removeprefix("/$defs/")
    if "/" in name or not name:  # pragma: no cover - the schemas use $defs
        msg = f"expected a reference to a $defs entry, got {uri}#{pointer}"
        raise ValueError(msg)
    return f"{stem}{name[0].upper()}{name[1:]}"


def _rewrite(
    node: Any, base: str, root: str, wanted: dict[str, tuple[str, str]]
) -> Any:
    """
    Copy *node* with every reference pointing inside the bundle of *root*.

    A reference into another resource becomes ``#/$defs/<stem><Name>``
    and its target is recorded in *wanted*, to be copied in as well.
    """
    if isinstance(node, list):
        return [_rewrite(item, base, root, wanted) for item in node]
    if not isinstance(node, Mapping):
        return node
    copied: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$ref":
            target, _, pointer = value.partition("#")
            uri = target or base
            if uri == root:
                copied[key] = f"#{pointer}"
            else:
                name = _local_name(uri, pointer)
                wanted[name] = (uri, pointer)
                copied[key] = f"#/$defs/{name}"
        else:
            copied[key] = _rewrite(value, base, root, wanted)
    return copied


def _open(node: Any) -> Any:
    """
    Copy *node* without what would refuse a later minor version's document.

    Objects accept properties they do not know, and closed vocabularies
    (``enum``) accept any string, so a document written to a newer ``:1``
    still validates; everything known is checked as before.
    """
    if isinstance(node, list):
        return [_open(item) for item in node]
    if not isinstance(node, Mapping):
        return node
    opened = {
        key: _open(value)
        for key, value in node.items()
        if not (key == "additionalProperties" and value is False)
    }
    values = opened.get("enum")
    if isinstance(values, list) and all(isinstance(v, str) for v in values):
        del opened["enum"]
        opened.setdefault("type", "string")
    return opened


@cache
def _bundled(kind: DocumentKind, tolerant: bool) -> dict[str, Any]:
    root = SCHEMA_IDS[kind]
    wanted: dict[str, tuple[str, str]] = {}
    bundle = _rewrite(SCHEMA_REGISTRY.contents(root), root, root, wanted)
    defs: dict[str, Any] = bundle.setdefault("$defs", {})
    done: set[str] = set()
    while pending := sorted(set(wanted) - done):
        for name in pending:
            uri, pointer = wanted[name]
            target = SCHEMA_REGISTRY.resolver().lookup(f"{uri}#{pointer}")
            defs[name] = _rewrite(target.contents, uri, root, wanted)
            done.add(name)
    bundle["$comment"] = (
        f"Bundled from {root} and the definitions it uses, so that every "
        "$ref resolves inside this file; generated by iecmh_core, "
        "never edited by hand."
    )
    if tolerant:
        bundle = _open(bundle)
        bundle["$comment"] += (
            " Tolerant: unknown properties and vocabulary values are "
            "accepted, as a consumer of :1 must accept documents of a "
            "later minor version."
        )
    return dict(bundle)


def schema(
    kind: DocumentKind | str, *, bundled: bool = False, tolerant: bool = False
) -> dict[str, Any]:
    """
    Return (a copy of) the JSON Schema for a kind of document.

    As shipped, references to shared definitions point at
    ``urn:iecmh:schema:common:1``; resolve them with `SCHEMA_REGISTRY`.
    *bundled* returns instead one self-contained schema, for validators and
    code generators in any language: the definitions it uses are copied
    under ``$defs`` (``commonDate``, ``commonHours``…) and every ``$ref``
    is a local ``#/$defs/…`` pointer. The bundle is built from the shipped
    files each time the library is imported, so it never drifts from them.

    Args:
        kind: A `DocumentKind` or its value, e.g. ``"portfolio"``.
        bundled: Return the self-contained schema.
        tolerant: Return the bundled schema a consumer uses to accept
            documents of any later ``:1`` minor version: unknown
            properties and vocabulary values are allowed (see
            :doc:`/versioning`). Implies *bundled*.

    Returns:
        The schema, a draft 2020-12 JSON Schema as a dict.

    Raises:
        UnknownKindError: *kind* is not a kind of document.

    >>> schema("portfolio")["$id"]
    'urn:iecmh:schema:portfolio:1'
    >>> schema("portfolio", bundled=True)["properties"]["id"]["$ref"]
    '#/$defs/commonText'

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 *bundled* and *tolerant*.
    """
    resolved = document_kind(kind)
    if bundled or tolerant:
        return copy.deepcopy(_bundled(resolved, tolerant))
    contents = SCHEMA_REGISTRY.contents(SCHEMA_IDS[resolved])
    return copy.deepcopy(dict(contents))
