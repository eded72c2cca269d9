"""Target markets and segments as filters: which series, events and contacts a saved definition matches.

A definition's `dims` maps a dimension (a metric dimension such as `store` or `city`, or a contact
attribute such as `orders`) to a condition:

- a list: the value is one of them (`{"city": ["tehran", "karaj"]}`);
- a table of comparisons, all of which must hold: `eq`, `ne`, `lt`, `lte`, `gt`, `gte`, `in`
  (`{"orders": {"gte": 1}, "last_order_days": {"gte": 90}}`);
- anything else: the value equals it (`{"list": "newsletter"}`).

Values are compared as numbers when both sides are numbers, else as text. `matches(..., partial=True)`
ignores the dimensions a record does not carry, but needs at least one it does: a metric series or an
event carries a few dimensions, never a person's whole profile. Contacts are matched strictly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

OPERATORS = frozenset({"eq", "ne", "lt", "lte", "gt", "gte", "in"})


class DefinitionError(ValueError):
    """A filter that cannot be used; the message says which dimension and why."""


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def _compare(op: str, actual: Any, expected: Any) -> bool:
    if op == "in":
        return str(actual) in {str(v) for v in (expected if isinstance(expected, list) else [expected])}
    a, e = _number(actual), _number(expected)
    if a is None or e is None:
        a_text, e_text = str(actual), str(expected)
        if op in ("eq", "ne"):
            return (a_text == e_text) == (op == "eq")
        return False  # an order between texts is not a market definition
    return {
        "eq": a == e,
        "ne": a != e,
        "lt": a < e,
        "lte": a <= e,
        "gt": a > e,
        "gte": a >= e,
    }[op]


def condition_holds(condition: Any, actual: Any) -> bool:
    """Whether one dimension's value satisfies its condition."""
    if isinstance(condition, list):
        return str(actual) in {str(v) for v in condition}
    if isinstance(condition, Mapping):
        return all(_compare(op, actual, expected) for op, expected in condition.items())
    return _compare("eq", actual, condition)


def matches(dims: Mapping[str, Any], record: Mapping[str, Any], *, partial: bool = False) -> bool:
    """True when `record` satisfies every condition of `dims` (see the module docstring for `partial`)."""
    if not dims:
        return False
    present = [key for key in dims if key in record and record[key] not in (None, "")]
    if partial and not present:
        return False
    if not partial and len(present) < len(dims):
        return False
    return all(condition_holds(dims[key], record[key]) for key in present)


def check_definition(dims: Any) -> dict[str, Any]:
    """The filter, validated: a table of dimensions, each with a list, a value or known comparisons."""
    if not isinstance(dims, Mapping) or not dims:
        raise DefinitionError("a definition needs at least one dimension, as a table")
    for key, condition in dims.items():
        if not isinstance(key, str) or not key:
            raise DefinitionError("dimension names must be text")
        if isinstance(condition, Mapping):
            unknown = set(condition) - OPERATORS
            if unknown or not condition:
                raise DefinitionError(
                    f"{key}: comparisons must be among {', '.join(sorted(OPERATORS))}"
                    + (f" (not {', '.join(sorted(unknown))})" if unknown else "")
                )
        elif isinstance(condition, list) and not condition:
            raise DefinitionError(f"{key}: an empty list matches nothing")
    return dict(dims)


def describe(dims: Mapping[str, Any]) -> str:
    """The filter in one line, e.g. `city ∈ {tehran} · orders ≥ 1`."""
    symbols = {"eq": "=", "ne": "≠", "lt": "<", "lte": "≤", "gt": ">", "gte": "≥", "in": "∈"}
    parts = []
    for key, condition in dims.items():
        if isinstance(condition, list):
            parts.append(f"{key} ∈ {{{', '.join(str(v) for v in condition)}}}")
        elif isinstance(condition, Mapping):
            parts.extend(f"{key} {symbols[op]} {value}" for op, value in condition.items())
        else:
            parts.append(f"{key} = {condition}")
    return " · ".join(parts)
