"""
Site bans are networks: C{@ban site} takes an address, a network in CIDR
form or an old prefix (C{203.0.113.}), in any spelling, stores its network
in canonical form, and refuses every address of it at every door (telnet,
web, SSH); C{@unban site} lifts it in any spelling of the same network.
Bans stored as text before keep working.
"""

from __future__ import annotations

from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.testing import StringTransport
from twisted.python.usage import UsageError
from twisted.trial.unittest import TestCase

from engine.bans import BANNED, SiteBans, parse_nat64_prefix, parse_site
from engine.limits import Limits, network_of, use_nat64_prefix
from engine.protocols.door import peer_address
from engine.server import BANNED_SITES
from engine.tap import Options
from engine.testing import TestWorld
from tests.engine.test_refusals import DoorsCase, ssh_door, ssh_knock


def said(text: str) -> str:
    """
    C{text} as one line, as it reads before the client wraps it.
    """
    return " ".join(text.split())


class ParseTests(TestCase):
    """
    What a wizard may type as a site, and the network it means.
    """

    def test_forms(self) -> None:
        """
        A CIDR network, an address (IPv4: itself; IPv6: its /64; IPv4-mapped:
        its IPv4 address) and an old prefix ending in a dot or a colon are
        each one network, written canonically whatever the spelling.
        """
        cases = {
            "203.0.113.0/24": "203.0.113.0/24",
            "203.0.113.77/24": "203.0.113.0/24",
            "203.0.113.": "203.0.113.0/24",
            "10.": "10.0.0.0/8",
            "10.9.": "10.9.0.0/16",
            "10.9.8.7": "10.9.8.7/32",
            "2001:db8::/48": "2001:db8::/48",
            "2001:DB8:0:0::/48": "2001:db8::/48",
            "2001:DB8:0::": "2001:db8::/64",
            "2001:db8::": "2001:db8::/64",
            "2001:db8:7:1:ffff::9": "2001:db8:7:1::/64",
            "2001:db8:": "2001:db8::/32",
            "2001:DB8:7:": "2001:db8:7::/48",
            "::ffff:10.41.0.1": "10.41.0.1/32",
            "::ffff:10.41.0.0/112": "10.41.0.0/16",
            # NAT64 (RFC 6052), 6to4 and Teredo carry an IPv4 address: a ban is of it.
            "64:ff9b::1.2.3.4": "1.2.3.4/32",
            "64:ff9b::1.2.3.0/120": "1.2.3.0/24",
            "64:ff9b::/96": "0.0.0.0/0",
            "2002:cb00:7105::1": "203.0.113.5/32",
            "2002:cb00:7100::/40": "203.0.113.0/24",
            "2002:cb00:7105:9::/64": "203.0.113.5/32",
            "2002::/16": "0.0.0.0/0",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2": "192.0.2.45/32",
            # An IPv6 ban narrower than a /64 is its /64.
            "2001:db8::1/128": "2001:db8::/64",
            "2001:db8:0:0:5::/80": "2001:db8::/64",
            "1:2:3:4:5:6:7:": "1:2:3:4::/64",
        }
        for typed, canonical in cases.items():
            self.assertEqual(str(parse_site(typed)), canonical, typed)

    def test_junk_refused(self) -> None:
        """
        Anything that is no address, network or prefix is refused with the
        usage.
        """
        for junk in ("evil.example.com", "10.9", "300.1.", "10..", "1.2.3.4.", "10.0.0.0/33",
                     "2001:db8::/129", "2001:zz::", "::1::", "1:2:3:4:5:6:7:8:", "+1.",
                     "١٠.", "10.0.0.0/8/8", "", "/8", "10.0.0.0/-1", "2001:db8::1%eth0",
                     "2001:0:4136:e378::/64"):
            with self.assertRaises(ValueError, msg=junk):
                parse_site(junk)

    def test_index(self) -> None:
        """
        L{SiteBans} finds an address in any banned network, in either form
        of an IPv4 address, and nothing else.
        """
        bans = SiteBans(("10.9.", "2001:db8::/48", "192.0.2.1", "not an address"))
        self.assertTrue(bans.banned("10.9.200.1"))
        self.assertTrue(bans.banned("::ffff:10.9.0.1"))
        self.assertTrue(bans.banned("2001:db8:0:ffff::1"))
        self.assertTrue(bans.banned("192.0.2.1"))
        self.assertTrue(bans.banned("not an address"))
        self.assertFalse(bans.banned("10.10.0.1"))
        self.assertFalse(bans.banned("2001:db8:1::1"))
        self.assertFalse(bans.banned("192.0.2.2"))
        self.assertFalse(bans.banned("something else"))

    def test_wrapped_ipv4(self) -> None:
        """
        An IPv4 address arriving wrapped in IPv6 (IPv4-mapped, through a
        NAT64 translator, 6to4 or Teredo) is banned as that IPv4 address,
        whichever way its ban was written; the other addresses of the
        wrapping range are not.
        """
        bans = SiteBans(("203.0.113.5", "64:ff9b::198.51.100.0/120"))
        for address in ("203.0.113.5", "::ffff:203.0.113.5", "64:ff9b::203.0.113.5",
                        "64:ff9b::cb00:7105", "2002:cb00:7105::1", "2002:cb00:7105:ffff::9",
                        "2001:0:4136:e378:8000:63bf:34ff:8efa", "198.51.100.77",
                        "64:ff9b::198.51.100.78"):
            self.assertTrue(bans.banned(address), address)
        for address in ("64:ff9b::203.0.113.6", "2002:cb00:7106::1", "64:ff9b::1:cb00:7105",
                        "2001:0:4136:e378:8000:63bf:34ff:8efb", "198.51.101.1"):
            self.assertFalse(bans.banned(address), address)

    def test_many(self) -> None:
        """
        Hundreds of bans of several lengths are each found, and the
        addresses between them are not.
        """
        sites = [f"10.{a}.{b}.0/24" for a in range(20) for b in range(0, 100, 4)]
        sites += [f"2001:db8:{n:x}::/48" for n in range(300)]
        bans = SiteBans(tuple(sites))
        self.assertTrue(bans.banned("10.19.96.255"))
        self.assertFalse(bans.banned("10.19.97.1"))
        self.assertTrue(bans.banned("2001:db8:12b:ffff::1"))
        self.assertFalse(bans.banned("2001:db8:12c::1"))


class CommandTests(TestCase):
    """
    C{@ban site} and C{@unban site}.
    """

    def setUp(self) -> None:
        self.world = TestWorld(limits=Limits(connections_per_minute=10_000))
        self.addCleanup(self.world.close)
        self.wizard = self.world.login("Wiz", role="wizard")

    def stored(self) -> tuple[str, ...]:
        with self.world.store.turn() as turn:
            return tuple(turn.root.settings.get(BANNED_SITES, ()))

    def test_non_standard_forms_ban(self) -> None:
        """
        A prefix or an address typed in upper case or with its zeros
        written bans its network, and the wizard is told which.
        """
        text = self.wizard.send("@ban site 2001:DB8:0:0::/48")
        self.assertIn("Connections from 2001:db8::/48 are now refused.", text)
        self.assertIn("Connections from 2001:db8:7::/64 are now refused.",
                      self.wizard.send("@ban site 2001:DB8:7:0:0::1"))
        self.assertFalse(self.world.connect("2001:db8:0:5::1").connected)
        self.assertFalse(self.world.connect("2001:db8:7::99").connected)
        self.assertTrue(self.world.connect("2001:db8:1::1").connected)
        self.assertEqual(self.stored(), ("2001:db8::/48", "2001:db8:7::/64"))

    def test_listing_and_unban_in_another_spelling(self) -> None:
        """
        C{@ban} lists the networks canonically; C{@unban site} lifts one
        in any spelling of it, and says so when nothing is banned.
        """
        self.wizard.send("@ban site 203.0.113.")
        self.wizard.send("@ban site 203.0.113.0/24")
        self.wizard.send("@ban site 2001:db8::/32")
        self.assertIn("Banned sites: 203.0.113.0/24, 2001:db8::/32.", self.wizard.send("@ban"))
        self.assertFalse(self.world.connect("203.0.113.9").connected)
        self.assertIn("Connections from 203.0.113.0/24 are allowed again.",
                      self.wizard.send("@unban site 203.0.113.7/24"))
        self.assertIn("Connections from 2001:db8::/32 are allowed again.",
                      self.wizard.send("@unban site 2001:DB8:"))
        self.assertTrue(self.world.connect("203.0.113.9").connected)
        self.assertIn("203.0.113.0/24 is not banned.",
                      self.wizard.send("@unban site 203.0.113."))
        self.assertIn("Banned sites: none.", self.wizard.send("@ban"))

    def test_junk_refused(self) -> None:
        """
        A site that is no address or network is refused with the usage,
        and nothing is stored.
        """
        for junk in ("evil.example.com", "10.9", "10.0.0.0/33", "2001:zz::"):
            text = said(self.wizard.send(f"@ban site {junk}"))
            self.assertIn(f"'{junk}' is not an address or a network", text)
            self.assertIn("@ban site 203.0.113.0/24", text)
        self.assertIn("is not an address or a network", self.wizard.send("@unban site nope"))
        self.assertEqual(self.stored(), ())

    def test_too_wide_refused_without_force(self) -> None:
        """
        A ban wider than an IPv4 /8 or an IPv6 /16 is refused unless
        forced; an unknown switch is refused.
        """
        for wide in ("0.0.0.0/0", "10.0.0.0/7", "::/0", "2001::/15"):
            self.assertIn("wider than", self.wizard.send(f"@ban site {wide}"))
        self.assertEqual(self.stored(), ())
        self.assertIn("now refused", self.wizard.send("@ban site 10.0.0.0/8"))
        self.assertIn("now refused", self.wizard.send("@ban site 2001::/16"))
        self.assertIn("Connections from 0.0.0.0/1 are now refused.",
                      self.wizard.send("@ban/force site 0.0.0.0/1"))
        self.assertFalse(self.world.connect("127.0.0.1").connected)
        for wrapped in ("64:ff9b::/96", "2002::/16", "64:ff9b::/97"):
            self.assertIn("wider than", self.wizard.send(f"@ban site {wrapped}"))
        self.assertIn("@ban/force", self.wizard.send("@ban/forse site 10.0.0.0/8"))
        self.assertIn("@ban/force", self.wizard.send("@ban/force Bob"))

    def test_narrower_than_a_64_widened(self) -> None:
        """
        An IPv6 ban narrower than a /64 (which every limit counts as one
        client) bans its /64, and the wizard is told why.
        """
        for typed in ("2001:db8::1/128", "2001:DB8:0:0:0:0:7:"):
            self.assertIn("Connections from 2001:db8::/64 are now refused (an IPv6 ban covers "
                          "at least a /64, as every limit counts one).",
                          said(self.wizard.send(f"@ban site {typed}")))
        self.assertFalse(self.world.connect("2001:db8::ffff:2").connected)
        self.assertEqual(self.stored(), ("2001:db8::/64",))

    def test_wrapped_ipv4_stored_as_it(self) -> None:
        """
        A ban written as a NAT64 or 6to4 address is stored as the IPv4
        address it carries, and refuses that address however it arrives.
        """
        self.assertIn("Connections from 203.0.113.5/32 are now refused.",
                      self.wizard.send("@ban site 64:ff9b::203.0.113.5"))
        self.assertIn("Connections from 198.51.100.0/24 are now refused.",
                      self.wizard.send("@ban site 2002:c633:6400::/40"))
        self.assertEqual(self.stored(), ("203.0.113.5/32", "198.51.100.0/24"))
        for address in ("203.0.113.5", "2002:cb00:7105::1", "64:ff9b::198.51.100.9"):
            self.assertFalse(self.world.connect(address).connected, address)
        self.assertTrue(self.world.connect("64:ff9b::203.0.113.6").connected)

    def test_old_text_bans_keep_working(self) -> None:
        """
        Bans stored as text before (prefixes in any spelling, single
        addresses, a name) still refuse their networks, are listed
        canonically, and are lifted in any spelling; a ban added
        after them is stored canonically.
        """
        with self.world.store.turn() as turn:
            turn.root.settings[BANNED_SITES] = ("10.19.", "2001:DB8:9:", "192.0.2.7",
                                                "2001:db8:7:1::1", "odd-host")
        self.assertFalse(self.world.connect("10.19.200.1").connected)
        self.assertFalse(self.world.connect("2001:db8:9:ab::1").connected)
        self.assertFalse(self.world.connect("2001:db8:7:1::2").connected)
        self.assertFalse(self.world.connect("192.0.2.7").connected)
        self.assertFalse(self.world.connect("odd-host").connected)
        self.assertTrue(self.world.connect("10.20.0.1").connected)
        self.assertIn("Banned sites: 10.19.0.0/16, 2001:db8:9::/48, 192.0.2.7/32, "
                      "2001:db8:7:1::/64, odd-host.", said(self.wizard.send("@ban")))
        self.assertIn("allowed again", self.wizard.send("@unban site 10.19.0.0/16"))
        self.assertTrue(self.world.connect("10.19.200.1").connected)
        self.wizard.send("@ban site 198.51.100.")
        self.assertEqual(self.stored(), ("2001:db8:9::/48", "192.0.2.7/32",
                                         "2001:db8:7:1::/64", "odd-host", "198.51.100.0/24"))


class DoorTests(DoorsCase):
    """
    A CIDR ban refuses its addresses at every door.
    """

    def world(self) -> TestWorld:
        return self.doors(connections_per_minute=10_000, prelogin_per_address=10_000)

    def test_cidr_ban_at_every_door(self) -> None:
        """
        An IPv4 /24 and an IPv6 /48 banned by a wizard are refused by
        telnet, the web client and SSH, in either form of an IPv4 address;
        the addresses next to them still come in.
        """
        world = self.world()
        wizard = world.login("Wiz", role="wizard")
        wizard.send("@ban site 198.51.100.0/24")
        wizard.send("@ban site 2001:db8:aa::/48")
        for address in ("198.51.100.1", "::ffff:198.51.100.2", "2001:db8:aa:ffff::1"):
            self.assertFalse(world.connect(address).connected, address)
            self.assertFalse(world.browse(address).connected, address)
            self.assertTrue(self.knock(address)[1].disconnecting, address)
        for address in ("198.51.101.1", "2001:db8:ab::1"):
            self.assertTrue(world.connect(address).connected, address)
            self.assertTrue(world.browse(address).connected, address)
            self.assertFalse(self.knock(address)[1].disconnecting, address)


class PeerAddressTests(TestCase):
    def test_the_door_names_the_client_as_it_counts(self) -> None:
        """
        Every door names a client by the address the limits and bans count:
        an IPv4 client mapped at a port on IPv6, or carried in IPv6 by NAT64,
        6to4 or Teredo, is its IPv4 address; any other address is itself.
        """
        class Transport:
            def __init__(self, peer: object) -> None:
                self.peer = peer

            def getPeer(self) -> object:
                return self.peer

        for host, named in (("::ffff:10.0.0.1", "10.0.0.1"),
                            ("64:ff9b::cb00:7105", "203.0.113.5"),
                            ("2002:cb00:7105::1", "203.0.113.5"),
                            ("2001:db8::1", "2001:db8::1"),
                            ("fe80::1%eth0", "fe80::1%eth0")):
            self.assertEqual(peer_address(Transport(IPv6Address("TCP", host, 4000))), named)
        self.assertEqual(peer_address(Transport(IPv4Address("TCP", "10.0.0.2", 4000))),
                         "10.0.0.2")


class HeldBansTests(TestCase):
    """
    The bans are held in memory and read again only after a commit changes
    the world's settings: a connection opens no turn of the store, and a
    banned site's flood is refused before anything is counted for it.
    """

    def world(self, **limits: float) -> TestWorld:
        world = TestWorld(limits=Limits(**{"connections_per_minute": 10_000,
                                           "prelogin_per_address": 10_000, **limits}))
        self.addCleanup(world.close)
        self.ssh = ssh_door(self, world)
        return world

    def knock(self, host: str) -> StringTransport:
        """
        A new SSH connection from C{host}, before its key exchange: its transport.
        """
        return ssh_knock(self, self.ssh, IPv4Address("TCP", host, 4000))[1]

    def test_connection_opens_no_turn(self) -> None:
        """
        A flood of connections from a banned site, at every door, commits
        no turn of the store: the bans are read from it once after they
        change (by the first connection after), not per connection.
        """
        world = self.world()
        with world.store.turn() as turn:
            turn.root.settings[BANNED_SITES] = ("198.51.100.0/24",)
        self.assertFalse(world.connect("198.51.100.200").connected)
        turns: list[object] = []
        world.store.committed.append(turns.append)
        for n in range(20):
            address = f"198.51.100.{n + 1}"
            self.assertFalse(world.connect(address).connected, address)
            self.assertFalse(world.browse(address).connected, address)
            self.assertTrue(self.knock(address).disconnecting, address)
        self.assertEqual(turns, [])

    def test_ban_applies_to_the_next_connection(self) -> None:
        """
        A ban committed refuses the very next connection from its site, at
        every door, and an unban lets the next one in.
        """
        world = self.world()
        self.assertTrue(world.connect("198.51.100.1").connected)
        wizard = world.login("Wiz", role="wizard")
        wizard.send("@ban site 198.51.100.0/24")
        self.assertFalse(world.connect("198.51.100.1").connected)
        self.assertFalse(world.browse("198.51.100.2").connected)
        self.assertIn(BANNED.encode("utf-8"), self.knock("198.51.100.3").value())
        wizard.send("@unban site 198.51.100.0/24")
        self.assertTrue(world.connect("198.51.100.1").connected)
        self.assertTrue(world.browse("198.51.100.2").connected)
        self.assertFalse(self.knock("198.51.100.3").disconnecting)

    def test_rolled_back_ban_not_held(self) -> None:
        """
        A ban in a turn that is rolled back refuses nobody.
        """
        world = self.world()
        with self.assertRaises(KeyError):
            with world.store.turn() as turn:
                turn.root.settings[BANNED_SITES] = ("198.51.100.0/24",)
                raise KeyError("rolled back")
        self.assertTrue(world.connect("198.51.100.1").connected)

    def test_banned_flood_counts_for_nothing(self) -> None:
        """
        A banned site's flood takes nothing from the server's rate of new
        connections (C{--connection-rate}) nor from its own count of
        connections a minute (C{--connections-per-minute}): the others still
        come in, and once unbanned, so does it.
        """
        world = self.world(connection_rate=2, connection_burst=2, connections_per_minute=2)
        with world.store.turn() as turn:
            turn.root.settings[BANNED_SITES] = ("198.51.100.1",)
        for _ in range(10):
            refused = world.connect("198.51.100.1")
            self.assertIn(BANNED, refused.output())
            self.assertFalse(world.browse("198.51.100.1").connected)
            self.assertIn(BANNED.encode("utf-8"), self.knock("198.51.100.1").value())
        self.assertTrue(world.connect("203.0.113.1").connected)
        with world.store.turn() as turn:
            turn.root.settings[BANNED_SITES] = ()
        self.assertTrue(world.connect("198.51.100.1").connected)


class LocalNat64Tests(TestCase):
    """
    C{--nat64-prefix}: the operator's own NAT64 prefix carries its IPv4
    clients' addresses, as the well-known C{64:ff9b::/96} does, for every
    limit, ban and log line.
    """

    def use(self, text: str) -> None:
        use_nat64_prefix(parse_nat64_prefix(text))
        self.addCleanup(use_nat64_prefix, None)

    def test_option(self) -> None:
        """
        C{tessera run --nat64-prefix} takes an IPv6 /32, /40, /48, /56, /64
        or /96 (RFC 6052) and refuses anything else, naming the option.
        """
        for good in ("2001:db8:64::/96", "2001:db8:122:344::/64", "2001:db8:122:300::/56",
                     "2001:db8:122::/48", "2001:db8:100::/40", "2001:db8::/32"):
            options = Options()
            options.parseOptions(["--nat64-prefix", good])
            self.assertEqual(options["nat64-prefix"], good)
        for bad in ("2001:db8:64::/80", "2001:db8:64::/60", "2001:db8::/24", "2001:db8:64::1/96",
                    "64:ff9b::/96", "::ffff:0:0/96", "2002:1::/96", "10.0.0.0/8", "nonsense", ""):
            with self.assertRaises(UsageError, msg=bad) as caught:
                Options().parseOptions(["--nat64-prefix", bad])
            self.assertIn("--nat64-prefix", str(caught.exception))

    def test_rfc_6052_examples(self) -> None:
        """
        RFC 6052 §2.4's examples: 192.0.2.33 in a prefix of each length,
        the shorter ones around the reserved octet, is 192.0.2.33 for every
        limit and ban; a network in such a prefix is the IPv4 network it
        covers, and an address whose reserved octet is set carries none.
        """
        examples = [("2001:db8::/32", "2001:db8:c000:221::"),
                    ("2001:db8:100::/40", "2001:db8:1c0:2:21::"),
                    ("2001:db8:122::/48", "2001:db8:122:c000:2:2100::"),
                    ("2001:db8:122:300::/56", "2001:db8:122:3c0:0:221::"),
                    ("2001:db8:122:344::/64", "2001:db8:122:344:c0:2:2100:0"),
                    ("2001:db8:122:344::/96", "2001:db8:122:344::c000:221")]
        for prefix, client in examples:
            self.use(prefix)
            self.assertEqual(network_of(client), "192.0.2.33", prefix)
            self.assertEqual(str(parse_site(client)), "192.0.2.33/32", prefix)
            self.assertTrue(SiteBans(("192.0.2.0/24",)).banned(client), prefix)
            self.assertFalse(SiteBans(("198.51.100.0/24",)).banned(client), prefix)
        self.use("2001:db8::/32")
        self.assertEqual(str(parse_site("2001:db8:c000::/48")), "192.0.0.0/16")
        self.assertEqual(str(parse_site("2001:db8:c000:200::/56")), "192.0.2.0/24")
        self.use("2001:db8:122::/48")
        self.assertEqual(str(parse_site("2001:db8:122:c000:2::/80")), "192.0.2.0/24")
        self.assertEqual(network_of("2001:db8:122:c000:ff02:2100::"), "2001:db8:122:c000::/64")

    def test_local_prefix_is_its_ipv4_client(self) -> None:
        """
        A client arriving in the operator's prefix counts, is banned and is
        logged as the IPv4 address it carries; without the option, it is
        an IPv6 client like any other.
        """
        client = "2001:db8:64::cb00:7105"
        self.assertEqual(network_of(client), "2001:db8:64::/64")
        self.use("2001:db8:64::/96")
        self.assertEqual(network_of(client), "203.0.113.5")
        self.assertEqual(network_of("2001:db8:64::c633:6409"), "198.51.100.9")
        self.assertEqual(str(parse_site(client)), "203.0.113.5/32")
        self.assertTrue(SiteBans(("203.0.113.0/24",)).banned(client))

        class Transport:
            def getPeer(self) -> object:
                return IPv6Address("TCP", client, 4000)

        self.assertEqual(peer_address(Transport()), "203.0.113.5")
        world = TestWorld(limits=Limits(connections_per_minute=10_000))
        self.addCleanup(world.close)
        with world.store.turn() as turn:
            turn.root.settings[BANNED_SITES] = ("203.0.113.5",)
        self.assertFalse(world.connect(client).connected)
        self.assertTrue(world.connect("2001:db8:64::c633:6409").connected)
        use_nat64_prefix(None)
        self.assertEqual(network_of(client), "2001:db8:64::/64")
