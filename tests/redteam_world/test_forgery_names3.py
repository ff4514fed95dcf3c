# -*- test-case-name: tests.redteam_world.test_forgery_names3 -*-
"""
A name is a noun phrase: what a builder or a script calls a thing, room or
exit is shown to other players in C{look}, in inventories, in lists of
exits and in "X arrives" lines, so it may not speak to the reader, ask
for their login, or be a sentence, wherever in it the words stand
("Please type your password to continue", "Session expired, log in
again", "It is locked"). Names that only share a word with the game's
lines ("The Game Room", "Library, east wing") are names. A stored name
that a later rule refuses is listed for the wizards (L{names.stored_refusals}),
never changed. Found by the red team (issue 9 section 2).
"""

from __future__ import annotations

from twisted.logger import LogLevel, formatEvent, globalLogPublisher

from engine import tap
from tests.redteam_world.test_forgery_titles import NameRuleCase
from world import names
from world.errors import WorldError
from world.objects import Room, Thing

#: Names that would pass for the game speaking to the player, or for a line
#: of it: none starts with a word the game starts its lines with.
REFUSED = (
    # Words to the reader, wherever they stand:
    "Please type your password to continue", "Reconnect now to keep your character",
    "Enter your password", "Keep yours safe", "Type connect, then you are in",
    "Your Majesty's Throne", "PLEASE WAIT", "Idle too long, please connect again",
    "Y0ur inventory is full", "Yo\u0358u are idle", "Grab yourself a drink",
    # Words about the reader's login, session and account:
    "Session expired, log in again", "Enter password to continue", "Password",
    "Password expired, type it again", "Log in again to continue", "Sign in to keep playing",
    "Log back in to continue", "Connection lost, reconnect now", "Tap here to reconnect",
    "Enter character name and passphrase", "Character name required",
    "Account suspended, contact staff", "Confirm login details", "Username and passcode",
    "Credentials needed to continue", "Disconnected by server", "Re-enter password",
    "P4ssword required", "\uff30\uff41\uff53\uff53\uff57\uff4f\uff52\uff44 expired",
    "|rLog in|n to play", "Login", "Session ended", "Type connect to play",
    "Type connect Alice hunter2 now",
    # The same words split into several:
    "Enter p a s s w o r d", "Yo ur lamp", "Pass-word", "Lo gin now", "Ses sion over",
    # Sentences: a finite verb, a verb's contraction, a pronoun for a subject:
    "It is locked", "No one is here", "No one here", "It leads to the cellar",
    "It holds 3 gold coins", "She smiles", "We are closing", "Door is locked",
    "Mailbox has new letters", "Inn was closed by the wizards", "It's locked",
    "That's all folks", "Guards won't let anyone pass", "Door can't open", "Shop'll open soon",
    "Gate should open at dawn", "Light would go out", "Lamp cannot be lit",
    "D00r 1s locked", "The game is over", "The message was deleted", "The Game restarting",
    "The lamp won't budge.", "Where's the exit",
)

#: Names builders write, which stay names: some share a word with the
#: game's lines, some hold the letters of a refused word inside another.
KEPT = (
    "The Game Room", "The Message Board", "Library, east wing", "Welcome mat", "New Street",
    "ship's bell!", "The Last Inn", "It", "No", "No Man's Land", "No Entry sign",
    "Isle of Skye", "Hasty Pudding stall", "Wasp nest", "Log cabin", "Log on the fire",
    "Sign in the window", "Signpost", "Logbook", "Passage to the keep", "Passenger lounge",
    "Accountant's office", "Sessile oak", "Youth hostel", "Young Street", "Items for sale",
    "Shed", "Wellington boots", "He-Man figure", "She-wolf den", "Will's cottage",
    "Can of beans", "May Day fair", "Tin can", "Hadrian's Wall", "Shallow pool",
    "Pleasure garden", "O'Neil's pub", "Rock'n'Roll Bar", "Mr. Smith's shop",
    "The Wizards' Tower", "Nobody's Fool Inn", "Message board", "Game of kings",
    "Library, north wing, upper floor", "Ironworks, forge", "P. L. S. Holdings",
    "Sea son ticket", "J. R. R. Tolkien's desk", "Connecting corridor", "Plaza",
)


class NounPhraseTests(NameRuleCase):
    """
    L{names.check_thing_name} refuses names that speak to the reader,
    about their login, or as sentences, and keeps noun phrases.
    """

    def test_refused(self) -> None:
        """
        Each name of L{REFUSED} is refused, and the refusal quotes the
        builder's own words.
        """
        self.assertEqual(self.kept(REFUSED), [])

    def test_kept(self) -> None:
        """
        Each name of L{KEPT} is a name.
        """
        self.assertEqual(self.refused(KEPT), {})

    def test_refusals_say_why(self) -> None:
        """
        A refusal names the words that broke the rule, as the builder wrote
        them, and says what a name is.
        """
        for name, why in (("Please type your password to continue", "'Please'"),
                          ("Enter y0ur password", "'y0ur'"),
                          ("Session expired, log in again", "'Session'"),
                          ("Lost? no", "one phrase"),
                          ("Gate sh\u0358ould open", "'should'"),
                          ("Door can't open", "\"can't\""),
                          ("Connection lost, log back in", "'log back in'"),
                          ("It leads to the cellar", "'It leads'")):
            error = self.assertRaises(WorldError, self.check, name)
            self.assertIn(why, str(error), name)
        error = self.assertRaises(WorldError, self.check, "Enter your password")
        self.assertIn("a name is a noun phrase", str(error))


class StoredNameTests(NameRuleCase):
    """
    Names stored before a rule refused them are never changed by it, but
    L{names.stored_refusals} lists them, with the reason, for a wizard to
    rename.
    """

    def start(self) -> tuple[list, list, list[str]]:
        """
        Start the world service: the turns it commits and the events it
        logs (both lists go on filling), and the warnings it logged.
        """
        turns: list = []
        self.world.store.committed.append(turns.append)
        events: list = []
        globalLogPublisher.addObserver(events.append)
        self.addCleanup(globalLogPublisher.removeObserver, events.append)
        tap.WorldService(self.world.store, None).startService()
        said = [formatEvent(e) for e in events if e.get("log_level") == LogLevel.warn]
        return turns, events, said

    def test_listed_not_changed(self) -> None:
        """
        A thing called "Enter your password" and an exit aliased "log in",
        stored as a world made under an older rule would hold them, are
        listed with their ids and reasons; an ordinary name and a
        character are not, and nothing is renamed.
        """
        with self.world.store.turn() as turn:
            root = turn.root
            hall = root.create(Room, "Hall")
            lamp = root.create(Thing, "lamp", location=hall)
            forged = root.create(Thing, "Enter your password", location=hall)
            door = root.create(Thing, "door", location=hall, aliases=("door", "log in"))
            ids = (lamp.id, forged.id, door.id)
        with self.world.store.turn() as turn:
            found = names.stored_refusals(turn.root)
            self.assertEqual([(ref, name) for ref, name, _ in found],
                             [(ids[1], "Enter your password"), (ids[2], "log in")])
            self.assertIn("a name is a noun phrase", found[0][2])
            self.assertEqual(turn.root.objects[ids[1]].name, "Enter your password")

    def test_reported_once_per_rules(self) -> None:
        """
        L{names.rules_changed} is true until the stored names are read under
        these rules (L{names.rules_read}), and true again when they change.
        """
        with self.world.store.turn() as turn:
            self.assertTrue(names.rules_changed(turn.root))
            names.rules_read(turn.root)
        with self.world.store.turn() as turn:
            self.assertFalse(names.rules_changed(turn.root))
            turn.root.name_rules_stamp = "1/older"
        with self.world.store.turn() as turn:
            self.assertTrue(names.rules_changed(turn.root))

    def test_logged_at_start(self) -> None:
        """
        The world service logs each stored name the rules now refuse as it
        starts, with its id, and renames nothing.
        """
        with self.world.store.turn() as turn:
            hall = turn.root.create(Room, "Hall")
            forged = turn.root.create(Thing, "Session expired", location=hall).id
        _turns, _events, said = self.start()
        self.assertEqual(len(said), 1, said)
        self.assertIn(f"#{forged} is called 'Session expired'", said[0])
        self.assertIn("speaks of a player's login", said[0])
        with self.world.store.turn() as turn:
            self.assertEqual(turn.root.objects[forged].name, "Session expired")

    def test_checked_a_page_a_turn(self) -> None:
        """
        At start the names are checked at most L{tap.NAMES_CHECKED} a turn,
        an object's names together, however few objects that is: every
        refused name is still logged once.
        """
        self.patch(tap, "NAMES_CHECKED", 2)
        with self.world.store.turn() as turn:
            hall = turn.root.create(Room, "Hall")
            forged = [turn.root.create(Thing, f"Session {n}", location=hall,
                                       aliases=(f"lamp {n}",)).id for n in range(5)]
        turns, _events, said = self.start()
        self.assertEqual(len(said), len(forged), said)
        self.assertGreaterEqual(len(turns), len(forged))

    def test_read_a_page_a_turn(self) -> None:
        """
        At start the world is read L{tap.NAMES_PAGE} objects a turn, every
        refused name logged once, and not again at the next start.
        """
        self.patch(tap, "NAMES_PAGE", 2)
        with self.world.store.turn() as turn:
            hall = turn.root.create(Room, "Hall")
            forged = [turn.root.create(Thing, f"Session {n}", location=hall).id
                      for n in range(5)]
            count = len(turn.root.objects)
        turns, events, said = self.start()
        self.assertEqual(len(said), len(forged), said)
        for ref, line in zip(forged, said, strict=True):
            self.assertIn(f"#{ref} is called 'Session ", line)
        self.assertGreaterEqual(len(turns), count // 2)
        del events[:]
        tap.WorldService(self.world.store, None).startService()
        self.assertEqual([e for e in events if e.get("log_level") == LogLevel.warn], [])
