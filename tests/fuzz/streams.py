"""
A property-based generator of telnet streams (hypothesis strategies): text,
line endings of every kind, escaped and lone IACs, negotiations for any
option, commands and garbage after IAC, subnegotiations finished or not,
long runs of one byte; and the packets they are cut into.
"""

from __future__ import annotations

import itertools

from hypothesis import strategies as st

IAC, SB, SE = b"\xff", b"\xfa", b"\xf0"
VERBS = (b"\xfb", b"\xfc", b"\xfd", b"\xfe")
#: Options the server knows (some) and does not.
OPTIONS = (1, 3, 24, 25, 31, 42, 70, 86, 201, 0, 5, 255)


def _byte() -> st.SearchStrategy[bytes]:
    return st.integers(0, 255).map(lambda b: bytes((b,)))


def _option() -> st.SearchStrategy[bytes]:
    return st.one_of(st.sampled_from(OPTIONS), st.integers(0, 255)).map(lambda b: bytes((b,)))


def _subnegotiation() -> st.SearchStrategy[bytes]:
    payload = st.binary(max_size=64).map(lambda p: p.replace(IAC, IAC + IAC))
    ending = st.sampled_from((IAC + SE, b"", IAC, IAC + b"x"))
    return st.builds(lambda option, body, end: IAC + SB + option + body + end,
                     _option(), payload, ending)


def pieces() -> st.SearchStrategy[bytes]:
    """
    One piece of a telnet stream, well-formed or not.
    """
    return st.one_of(
        st.binary(max_size=40),
        st.sampled_from((b"look", b"who", b"help", b"create", b"connect x y", b"\xc3\xa9",
                         b"\xed\xa0\x80", b"\x80\xbf")),
        st.sampled_from((b"\r\n", b"\r\x00", b"\r", b"\n", b"\x00", b"\x08", b"\x7f")),
        st.just(IAC + IAC),
        st.just(IAC),
        st.builds(lambda verb, option: IAC + verb + option, st.sampled_from(VERBS), _option()),
        st.builds(lambda code: IAC + code, _byte()),
        _subnegotiation(),
        st.builds(lambda byte, count: byte * count, st.sampled_from((b"\x00", IAC, b"x")),
                  st.integers(1, 20_000)),
    )


def telnet_streams() -> st.SearchStrategy[tuple[bytes, list[int]]]:
    """
    A stream (up to a few hundred pieces) and where it is cut into packets.
    """
    return st.builds(lambda parts, cuts: (b"".join(parts), cuts),
                     st.lists(pieces(), max_size=200),
                     st.lists(st.integers(0, 1 << 20), max_size=8))


def packets(stream: bytes, cuts: list[int]) -> list[bytes]:
    """
    C{stream} cut at C{cuts} (taken modulo its length).
    """
    if not stream:
        return []
    points = sorted({cut % len(stream) for cut in cuts} | {0, len(stream)})
    return [stream[a:b] for a, b in itertools.pairwise(points) if b > a]
