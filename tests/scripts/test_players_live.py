"""
Every player scripts, end to end over real telnet: a brand-new player (not a
builder) makes a thing, scripts it with a verb that imports their own
library, shares the library with a second player whose object imports it,
reads 'help facets', and fixes one line of the script in the editor.
"""

from __future__ import annotations

from twisted.internet import defer
from twisted.trial.unittest import TestCase

from engine.testing import LiveServer, TelnetPlayer

GREETINGS = [
    'exports = ("hello",)',
    "def hello(name):",
    "    return 'Hello, ' + name + '!'",
]

BELL = [
    "import greetings",
    "def verb_ring(actor, dobj, prep, iobj, dobjstr, iobjstr):",
    "    here.emote(greetings.hello(actor.name) + ' DING')",
]

GONG = [
    "from greetings import hello",
    "def verb_bang(actor, *rest):",
    "    actor.tell('The gong says: ' + hello('gong'))",
]


class EveryPlayerScriptsLiveTests(TestCase):
    """
    What a new player does, over a real socket.
    """

    timeout = 120

    async def type_lines(self, player: TelnetPlayer, lines: list[str]) -> None:
        for line in lines:
            player.send(line)

    async def scenario(self) -> None:
        _, dora, eve = await LiveServer.world_of(self, "Dora", "Eve")

        # Dora, a player, writes a library...
        dora.send("@library greetings")
        await dora.expect("Writing the library greetings.")
        await self.type_lines(dora, GREETINGS)
        dora.send(".")
        await dora.expect("it exports hello")
        # ...makes a thing and scripts it with a verb that imports it.
        dora.send("@create bell")
        await dora.expect("You create bell")
        dora.send("drop bell")
        await dora.expect("You drop")
        dora.send("@script bell")
        await dora.expect("Writing the script on bell.")
        await self.type_lines(dora, BELL)
        dora.send(".")
        await dora.expect("it defines verb_ring")
        eve.send("ring bell")
        await eve.expect("bell Hello, Eve! DING")

        # Dora shares the library with Eve, whose own object imports it.
        dora.send("@grant eve = library greetings")
        await dora.expect("Shared your library greetings with Eve")
        await eve.expect("Dora offers you the library greetings")
        eve.send("@library/accept dora greetings")
        await eve.expect("You accept Dora's library greetings")
        eve.send("@create gong")
        await eve.expect("You create gong")
        eve.send("@script gong")
        await eve.expect("Writing the script on gong.")
        await self.type_lines(eve, GONG)
        eve.send(".")
        await eve.expect("it defines verb_bang")
        eve.send("bang gong")
        await eve.expect("The gong says: Hello, gong!")

        # Dora reads what her script can do...
        dora.send("help facets")
        await dora.expect("move_to(place)")
        await dora.expect("tell(text, said_by=None)")
        # ...and fixes one line in the editor.
        dora.send("@script bell")
        await dora.expect("Editing the script on bell (3 lines):")
        await dora.expect("3:     here.emote(greetings.hello(actor.name) + ' DING')")
        dora.send(".e 3     here.emote(greetings.hello(actor.name) + ' DONG')")
        await dora.expect("3:     here.emote(greetings.hello(actor.name) + ' DONG')")
        dora.send(".")
        await dora.expect("Saved the script on bell (3 lines)")
        eve.send("ring bell")
        await eve.expect("bell Hello, Eve! DONG")

        # Revoked, Eve's gong can no longer import it.
        dora.send("@revoke eve = library greetings")
        await dora.expect("no longer shared with Eve")
        eve.send("bang gong")
        await eve.expect("no module named 'greetings'")

    def test_new_player_scripts_with_a_shared_library(self) -> defer.Deferred:
        """
        The whole path of issue 10, as players type it.
        """
        return defer.ensureDeferred(self.scenario())
