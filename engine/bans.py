# -*- test-case-name: tests.engine.test_ban_sites -*-
"""
Site bans as networks.

A wizard bans a site with C{@ban site}: a network in CIDR form
(C{203.0.113.0/24}, C{2001:db8::/48}), one address (an IPv4 address is
its /32; an IPv6 address its /64, as every limit per address counts it,
L{engine.limits.network_of}) or a prefix in the old form ending in a dot
or a colon (C{203.0.113.}: C{203.0.113.0/24}; C{2001:db8:}:
C{2001:db8::/32}). L{parse_site} reads any spelling of one of these into
its network, which is stored in canonical form (C{str} of it). An IPv6
ban narrower than a /64 is its /64, which every limit counts as one
client. An IPv4 address wrapped in IPv6 (L{unwrapped}: IPv4-mapped,
NAT64, 6to4, Teredo) is that IPv4 address, for a ban as for every limit.

Bans stored as text before they were networks stay as they were stored
and are read the same way (L{SiteBans}); one that is no network at all (a
host name) still refuses exactly the address it spells. The next
C{@ban site} or C{@unban site} stores them all canonically.

L{SiteBans} finds an address among any number of bans in at most one set
look-up per prefix length in use: each length holds the set of its
networks, and the address masked to that length is looked up in it.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

#: What a connection from a banned site is told before it is closed, at
#: every door.
BANNED = "Connections from your address are not allowed here."

#: The narrowest network a ban may be wider than only when forced
#: (C{@ban/force site}): by IP version, the shortest prefix length.
WIDEST = {4: 8, 6: 16}

#: An IPv4 prefix in the old form: one to three octets, each followed by a dot.
_IPV4_PREFIX = re.compile(r"(?:(?:0|[1-9][0-9]{0,2})\.){1,3}")

#: An IPv6 prefix in the old form: one to seven groups, each followed by a colon.
_IPV6_PREFIX = re.compile(r"(?:[0-9a-fA-F]{1,4}:){1,7}")

#: The narrowest IPv6 ban: every limit counts an IPv6 /64 as one client
#: (L{engine.limits.network_of}), who could leave a narrower ban by taking
#: another address of it.
NARROWEST_IPV6 = 64

#: The IPv6 ranges whose addresses carry an IPv4 address, the IPv4 host
#: they come from: each range, how many bits of an address follow the
#: IPv4 address in it, and whether that address is written inverted.
#: IPv4-mapped (C{::ffff:10.0.0.1}, a port listening on IPv6); the
#: well-known NAT64 prefix (RFC 6052: C{64:ff9b::10.0.0.1}, every IPv4
#: client of a server behind a NAT64 or SIIT translator); 6to4 (RFC 3056:
#: C{2002:a00:1::/48} is C{10.0.0.1}'s); Teredo (RFC 4380: the client's
#: public IPv4 address, inverted, in the last 32 bits). Replies to a 6to4
#: or Teredo address go to the IPv4 address it carries, so a TCP client
#: cannot claim another's; counting such a client by its IPv6 /64 would let
#: a banned IPv4 host in through a /64 of its own, and count every client
#: of one Teredo server as one.
_WRAPPED: tuple[tuple[ipaddress.IPv6Network, int, bool], ...] = (
    (ipaddress.IPv6Network("::ffff:0:0/96"), 0, False),
    (ipaddress.IPv6Network("64:ff9b::/96"), 0, False),
    (ipaddress.IPv6Network("2002::/16"), 80, False),
    (ipaddress.IPv6Network("2001::/32"), 0, True),
)

#: The lengths a NAT64 prefix may have (RFC 6052 §2.2).
NAT64_LENGTHS = (32, 40, 48, 56, 64, 96)

#: The operator's own NAT64 prefix (C{--nat64-prefix}, L{use_nat64_prefix}),
#: if any: a translator given a network-specific prefix (RFC 6052 §2.2)
#: puts each IPv4 client's address right after it, around the reserved
#: octet (bits 64 to 71) for a prefix shorter than a /64.
_LOCAL_NAT64: ipaddress.IPv6Network | None = None


def parse_nat64_prefix(text: str) -> ipaddress.IPv6Network:
    """
    The NAT64 prefix C{text} names (C{--nat64-prefix}): an IPv6 /32, /40,
    /48, /56, /64 or /96 (RFC 6052 §2.2, L{NAT64_LENGTHS}) in CIDR form,
    its host bits clear, in none of the ranges that carry an IPv4 address
    already (L{_WRAPPED}).

    @raise ValueError: C{text} names no such prefix, saying why.
    """
    try:
        network = ipaddress.IPv6Network(text.strip())
    except ValueError as e:
        raise ValueError(f"{text!r} is not an IPv6 network such as 2001:db8:64::/96 "
                         f"({e})") from None
    if network.prefixlen not in NAT64_LENGTHS:
        raise ValueError(f"{network} is not a /32, /40, /48, /56, /64 or /96: a NAT64 prefix "
                         "has one of those lengths (RFC 6052; 2001:db8:64::/96)")
    for wrapper, _after, _inverted in _WRAPPED:
        if network.overlaps(wrapper):
            raise ValueError(f"{network} is in {wrapper}, which is read as carrying an "
                             "IPv4 address already")
    return network


def use_nat64_prefix(network: ipaddress.IPv6Network | None) -> None:
    """
    Read C{network} (L{parse_nat64_prefix}), the operator's own NAT64
    prefix, as carrying its IPv4 clients' addresses, as the well-known
    C{64:ff9b::/96}; C{None}: only the well-known prefix. Set once at start
    (C{tessera run --nat64-prefix}), before any connection; every limit,
    ban and log line reads it (L{engine.limits.use_nat64_prefix} also
    forgets the addresses the limits read before).
    """
    global _LOCAL_NAT64
    _LOCAL_NAT64 = network


def _nat64_carried(network: ipaddress.IPv6Network,
                   prefix: ipaddress.IPv6Network) -> Network:
    """
    The IPv4 network C{network}, in the NAT64 prefix C{prefix} (of a length
    in L{NAT64_LENGTHS}), carries (RFC 6052 §2.2): the IPv4 address's bits
    right after the prefix, skipping bits 64 to 71 (the reserved octet,
    which must be zero: an address with it set carries none, and is
    C{network} itself); as many of them as C{network}'s length covers.
    """
    value, length, start = int(network.network_address), network.prefixlen, prefix.prefixlen
    if start == 96:
        return ipaddress.IPv4Network((value & 0xFFFFFFFF, length - 96), strict=False)
    if length > 64 and (value >> 56) & 0xFF:
        return network  # (not an address a translator makes)
    before = 64 - start  # bits of the IPv4 address before the reserved octet
    after = 32 - before
    carried = ((value >> 64) & ((1 << before) - 1)) << after
    carried |= (value >> (56 - after)) & ((1 << after) - 1)
    covered = min(length - start, before) + max(0, min(length - 72, after))
    return ipaddress.IPv4Network((carried, covered), strict=False)


def unwrapped(network: Network) -> Network:
    """
    The IPv4 network C{network} carries, if it is in an IPv6 range that
    carries one (L{_WRAPPED}, and the operator's NAT64 prefix,
    L{use_nat64_prefix}); C{network} itself otherwise. A network
    narrower than the IPv4 address it carries is that address's /32.

    @raise ValueError: C{network} is in a range that carries an IPv4
        address but is wider than its place, so names no IPv4 network (a
        Teredo network wider than a /96 names its clients by their Teredo
        server, not by address).
    """
    if isinstance(network, ipaddress.IPv4Network):
        return network
    if _LOCAL_NAT64 is not None and network.subnet_of(_LOCAL_NAT64):
        return _nat64_carried(network, _LOCAL_NAT64)
    for wrapper, after, inverted in _WRAPPED:
        if network.subnet_of(wrapper):
            length = network.prefixlen - (96 - after)
            if length < 0:
                raise ValueError(f"{network} names no IPv4 network; ban an IPv4 address")
            value = (int(network.network_address) >> after) & 0xFFFFFFFF
            if inverted:
                value ^= 0xFFFFFFFF
            return ipaddress.IPv4Network((value, min(length, 32)), strict=False)
    return network


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """
    The IPv4 address C{address} carries (L{unwrapped}), or C{None}: what
    every limit per address and every ban counts it as.
    """
    network = unwrapped(ipaddress.IPv6Network((address, 128)))
    return network.network_address if isinstance(network, ipaddress.IPv4Network) else None


def parse_site(text: str) -> Network:
    """
    The network C{text} names (L{read_site}).

    @raise ValueError: C{text} names none.
    """
    return read_site(text)[0]


def read_site(text: str) -> tuple[Network, bool]:
    """
    The network C{text} names: a network in CIDR form (its host bits
    cleared), an address (IPv4: its /32; IPv6: its /64), or a prefix ending
    in a dot or a colon (each octet a /8, each group a /16). Anything in an
    IPv6 range that carries an IPv4 address is the IPv4 network it carries
    (L{unwrapped}); another IPv6 network narrower than a /64 is its /64
    (L{NARROWEST_IPV6}). With it, whether it was widened so.

    @raise ValueError: C{text} is none of these.
    """
    if "%" in text or not text.isascii():
        raise ValueError(f"{text!r} is not an address or a network")
    network: Network
    if "/" in text:
        network = ipaddress.ip_network(text, strict=False)
    elif _IPV4_PREFIX.fullmatch(text):
        octets = [int(octet) for octet in text[:-1].split(".")]
        if max(octets) > 255:
            raise ValueError(f"{text!r} is not an address or a network")
        value = sum(octet << (24 - 8 * i) for i, octet in enumerate(octets))
        network = ipaddress.IPv4Network((value, 8 * len(octets)))
    else:
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            if not _IPV6_PREFIX.fullmatch(text):
                raise ValueError(f"{text!r} is not an address or a network") from None
            groups = [int(group, 16) for group in text[:-1].split(":")]
            value = sum(group << (112 - 16 * i) for i, group in enumerate(groups))
            network = ipaddress.IPv6Network((value, 16 * len(groups)))
        else:
            if isinstance(address, ipaddress.IPv4Address):
                network = ipaddress.IPv4Network((address, 32))
            elif (carried := embedded_ipv4(address)) is not None:
                network = ipaddress.IPv4Network((carried, 32))
            else:
                network = ipaddress.IPv6Network((address, NARROWEST_IPV6), strict=False)
    network = unwrapped(network)
    if isinstance(network, ipaddress.IPv6Network) and network.prefixlen > NARROWEST_IPV6:
        return network.supernet(new_prefix=NARROWEST_IPV6), True
    return network, False


def too_wide(network: Network) -> bool:
    """
    Whether banning C{network} needs C{/force}: it is wider than an IPv4
    /8 or an IPv6 /16 (L{WIDEST}).
    """
    return network.prefixlen < WIDEST[network.version]


def canonical(site: str) -> str:
    """
    How a stored ban is written: its network in canonical form, or a ban
    that is no network (stored as text before) as it is.
    """
    try:
        return str(parse_site(site))
    except ValueError:
        return site


def canonical_sites(sites: Iterable[str]) -> tuple[str, ...]:
    """
    The stored bans C{sites} written canonically (L{canonical}), each
    network once, in the order they were first banned.
    """
    return tuple(dict.fromkeys(canonical(site) for site in sites))


class SiteBans:
    """
    An index of site bans for finding whether an address is banned.

    @ivar names: the bans that are no network, matched as text.
    """

    def __init__(self, sites: Iterable[str]) -> None:
        self.names: set[str] = set()
        lengths: dict[int, dict[int, set[int]]] = {4: {}, 6: {}}
        for site in sites:
            try:
                network = parse_site(site)
            except ValueError:
                self.names.add(site)
                continue
            lengths[network.version].setdefault(network.prefixlen, set()).add(
                int(network.network_address))
        self._tables = {
            version: [(_mask(version, length), networks)
                      for length, networks in sorted(by_length.items())]
            for version, by_length in lengths.items()}

    def banned(self, address: str) -> bool:
        """
        Whether C{address} (as a connection gives it) is in a banned
        network, or is a banned name. An IPv4 address wrapped in IPv6 is
        that IPv4 address (L{embedded_ipv4}).
        """
        if address in self.names:
            return True
        try:
            parsed = ipaddress.ip_address(address)
        except ValueError:
            return False
        if isinstance(parsed, ipaddress.IPv6Address):
            parsed = embedded_ipv4(parsed) or parsed
        value = int(parsed)
        return any(value & mask in networks for mask, networks in self._tables[parsed.version])


def nothing_banned(address: str) -> bool:
    """
    Whether C{address} is banned where no server keeps bans (a door's
    factory built by hand): never.
    """
    return False


def _mask(version: int, length: int) -> int:
    """
    The netmask of a prefix of C{length} bits of an IP C{version} address,
    as an integer.
    """
    bits = 32 if version == 4 else 128
    return ((1 << bits) - 1) ^ ((1 << (bits - length)) - 1)
