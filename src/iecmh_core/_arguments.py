"""
Checks of the arguments the public functions are given.

A wrong type is reported as `InvalidArgumentError`, naming the parameter,
before it can fail deep inside as a bare `TypeError` or `AttributeError`.
"""

from __future__ import annotations

from typing import Any

from iecmh_core.exceptions import InvalidArgumentError


def expect(
    name: str,
    value: object,
    types: type | tuple[type, ...],
    described: str,
    *,
    optional: bool = False,
) -> None:
    """
    Raise `InvalidArgumentError` unless *value* is one of *types*.

    ``None`` passes when *optional*; a `bool` never passes for an `int`.
    """
    if value is None and optional:
        return
    wanted: Any = types
    if not isinstance(value, wanted) or (
        isinstance(value, bool) and bool not in _as_tuple(types)
    ):
        raise InvalidArgumentError(name, described, value)


def _as_tuple(types: type | tuple[type, ...]) -> tuple[type, ...]:
    return types if isinstance(types, tuple) else (types,)
