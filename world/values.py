# -*- test-case-name: tests.world.test_limits_audit -*-
"""
Plain values: what may be stored in properties and script state.

A plain value is L{None}, a bool, an int, a finite float, a str, or a list,
tuple or str-keyed dict of plain values, nested to a bounded depth and size.
"""

from __future__ import annotations

import json
import math
from typing import Any

#: How deeply plain values may nest.
MAX_DEPTH = 20
#: How many elements (all levels together) one plain value may hold.
MAX_ITEMS = 10_000
#: The longest string a plain value may hold.
MAX_STRING = 64 * 1024


class NotPlain(ValueError):
    """
    A value is not a plain JSON-like value, or is too big.
    """


def check_plain(value: Any) -> int:
    """
    Check that C{value} is plain, and return the number of items in it.

    @raise NotPlain: naming what is wrong.
    """
    count = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        count += 1
        if count > MAX_ITEMS:
            raise NotPlain(f"more than {MAX_ITEMS} items")
        if depth > MAX_DEPTH:
            raise NotPlain(f"nested more than {MAX_DEPTH} deep")
        kind = type(item)
        if item is None or kind is bool or kind is int:
            continue
        if kind is float:
            if not math.isfinite(item):
                raise NotPlain("floats must be finite")
            continue
        if kind is str:
            if len(item) > MAX_STRING:
                raise NotPlain(f"a string longer than {MAX_STRING} characters")
            continue
        if kind is list or kind is tuple:
            stack.extend((x, depth + 1) for x in item)
            continue
        if kind is dict:
            for k, v in item.items():
                if type(k) is not str:
                    raise NotPlain("dictionary keys must be strings")
                stack.append((v, depth + 1))
            continue
        raise NotPlain(f"a {kind.__name__} is not a plain value")
    return count


def plain_size(value: Any) -> int:
    """
    The length in bytes of plain C{value} as canonical JSON (sorted keys, no
    spaces, UTF-8): what it counts for wherever stored values are measured.
    """
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)
    return len(text.encode("utf-8"))
