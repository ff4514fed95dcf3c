# -*- test-case-name: tests.world.test_limits_audit -*-
"""
Plain values: what may be stored in properties and script state.

A plain value is L{None}, a bool, an int, a finite float, a str, or a list,
tuple or str-keyed dict of plain values, nested to a bounded depth and size.

A plain value is measured two ways: L{plain_size}, its canonical JSON, is
what limits on a value's size count; L{stored_bound}, the most its pickle
can write in a database record, is what it is charged with the JSON
(L{charged_size}: the larger of the two), as a list of small floats or of
empty lists pickles to more than twice its JSON.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
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


#: What a container or a text writes in a pickle beyond its contents, at
#: most: its opcode and its memo entry (1 + 5 bytes; L{stored_bound}).
CONTAINER_BYTES = 6
#: What a text writes beyond its UTF-8 bytes, at most: its opcode, its
#: length and its memo entry (1 + 4 + 5 bytes).
TEXT_BYTES = 10
#: What a float writes (its opcode and 8 bytes).
FLOAT_BYTES = 9
#: How many items a pickle adds to a list or dict with each mark (each
#: batch of them writes 2 bytes more).
BATCH = 1000


def stored_bound(value: Any, leaf: Callable[[Any], int] | None = None) -> int:
    """
    The most bytes plain C{value} can write in a database record: the
    length of its pickle (protocol 3, as ZODB writes them) counting each
    container's and text's memo entry at its longest, and never less
    whatever else the record holds. A value written twice in one record
    writes less (a memo reference); never more.

    @param leaf: what any other leaf (a stored facet) counts, if C{value}
        may hold one; without it, C{value} must be plain.
    """
    total = 0
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if item is None or kind is bool:
            total += 1
        elif kind is int:
            if 0 <= item < 1 << 8:
                total += 2
            elif 0 <= item < 1 << 16:
                total += 3
            elif -(1 << 31) <= item < 1 << 31:
                total += 5
            else:  # LONG1 or LONG4: opcode, length, two's complement bytes
                total += 5 + (item.bit_length() + 8) // 8
        elif kind is float:
            total += FLOAT_BYTES
        elif kind is str:
            total += TEXT_BYTES + len(item.encode("utf-8", "surrogatepass"))
        elif kind is list or kind is tuple:
            total += CONTAINER_BYTES + 2 * -(-len(item) // BATCH)
            stack.extend(item)
        elif kind is dict:
            total += CONTAINER_BYTES + 2 * -(-len(item) // BATCH)
            for k, v in item.items():
                stack.append(k)
                stack.append(v)
        elif leaf is not None:
            total += leaf(item)
        else:
            raise NotPlain(f"a {kind.__name__} is not a plain value")
    return total


def charged_size(value: Any) -> int:
    """
    What plain C{value} is charged wherever it is stored: the larger of its
    canonical JSON (L{plain_size}) and the most its pickle can write
    (L{stored_bound}), so that its owner never pays less than the database
    keeps for it.
    """
    return max(plain_size(value), stored_bound(value))
