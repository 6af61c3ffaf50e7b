"""
The one converter between model objects and JSON-ready data.

Serialization knowledge lives here and nowhere else: the model classes know
nothing of JSON. Fields that default to ``None`` are left out of the output
when ``None`` (a value not given stays not given); fields whose ``null`` has
a meaning (an open-ended ``end``) are always written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs
from cattrs.gen import (
    make_dict_structure_fn,
    make_dict_unstructure_fn,
    override,
)
from cattrs.preconf.json import make_converter

from iecmh_core._portfolio import Portfolio
from iecmh_core._rulebook import REQUIREMENT_CLASSES, Requirement

#: Fields written even when empty: the evidence a finding counted (none is
#: an answer) and a determination's findings.
_WRITTEN = frozenset(
    {
        ("Finding", "evidence"),
        ("Determination", "findings"),
        ("Alternative", "findings"),
        ("EmergingResult", "findings"),
    }
)

converter = make_converter(forbid_extra_keys=True)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def _structure_date(value: object, _: type) -> dt.date:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        msg = f"expected a date YYYY-MM-DD, got {value!r}"
        raise ValueError(msg)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        msg = f"expected a calendar date YYYY-MM-DD, got {value!r}"
        raise ValueError(msg) from None


def _structure_decimal(value: object, _: type) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        msg = f"expected a number, got {value!r}"
        raise TypeError(msg)
    # repr() of a float is its shortest round-tripping decimal form, so 0.1
    # becomes Decimal("0.1") and never 0.1000000000000000055...
    number = (
        Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    )
    if not number.is_finite():
        msg = f"expected a finite number, got {value!r}"
        raise ValueError(msg)
    return number


def unstructure_decimal(value: Decimal) -> int | float:
    """
    Write an exact decimal as a JSON number: an integer when whole.
    """
    if value == value.to_integral_value():
        return int(value)
    return float(value)


converter.register_structure_hook(dt.date, _structure_date)
converter.register_unstructure_hook(dt.date, dt.date.isoformat)
converter.register_structure_hook(Decimal, _structure_decimal)
converter.register_unstructure_hook(Decimal, unstructure_decimal)


def _omitting_unset(cls: type) -> Callable[[Any], dict[str, Any]]:
    # Portfolios keep the empty lists the contract writes out (but not an
    # endorsement's optional renewal history); the other documents leave
    # out empty optional lists, which their schemas would otherwise reject
    # as too short.
    keep_empty = cls.__module__ == Portfolio.__module__
    overrides: dict[str, Any] = {
        a.name: override(omit_if_default=True)
        for a in attrs.fields(cls)
        if a.default is None
        or (
            a.default == ()
            and (not keep_empty or cls.__name__ == "HeldEndorsement")
            and (cls.__name__, a.name) not in _WRITTEN
        )
    }
    base: Callable[[Any], dict[str, Any]] = make_dict_unstructure_fn(
        cls, converter, **overrides
    )
    if cls not in _REQUIREMENTS:
        return base
    kind = _KIND_OF[cls]

    def with_kind(obj: Any) -> dict[str, Any]:
        data = base(obj)
        return {"id": data.pop("id"), "kind": kind, **data}

    return with_kind


_KIND_OF = {cls: kind for kind, cls in REQUIREMENT_CLASSES.items()}
_REQUIREMENTS = frozenset(_KIND_OF)
converter.register_unstructure_hook_factory(attrs.has, _omitting_unset)


def _structure_requirement(value: object, _: type) -> Requirement:
    if not isinstance(value, Mapping):
        msg = f"expected an object, got {value!r}"
        raise TypeError(msg)
    fields = dict(value)
    kind = fields.pop("kind", None)
    cls = REQUIREMENT_CLASSES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        msg = (
            f"expected kind one of {', '.join(sorted(REQUIREMENT_CLASSES))}"
            f", got {kind!r}"
        )
        raise ValueError(msg)
    structured: Requirement = converter.structure(fields, cls)
    return structured


converter.register_structure_hook(Requirement, _structure_requirement)


def _structure_as_kind(cls: type) -> Callable[[Any, type], Any]:
    plain: Callable[[Any, type], Any] = make_dict_structure_fn(
        cls, converter, _cattrs_forbid_extra_keys=True
    )

    def structure(value: Any, _: type) -> Any:
        if isinstance(value, Mapping) and "kind" in value:
            if value["kind"] != _KIND_OF[cls]:
                msg = f"expected kind {_KIND_OF[cls]!r}, got {value['kind']!r}"
                raise ValueError(msg)
            value = {k: v for k, v in value.items() if k != "kind"}
        return plain(value, cls)

    return structure


converter.register_structure_hook_factory(
    lambda cls: cls in _REQUIREMENTS, _structure_as_kind
)
