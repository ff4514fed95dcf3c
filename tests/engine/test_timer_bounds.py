"""
What a script's failure says is bounded, however much the script makes it
say (issue 9): a top level naming thousands of timers' handlers, or a
traceback quoting a line of 8000 characters in each frame, gives its owner
a message and the server's log a line of a few thousand characters at most.
"""

from __future__ import annotations

from twisted.logger import formatEvent, globalLogPublisher
from twisted.trial.unittest import TestCase

from engine.scripts.runtime import MAX_ERROR_CHARS
from scripting.facets import timers
from tests.scripts.helpers import Scene, flat, make
from world.scripts import script_of

#: A top level setting timers for thousands of functions it does not have,
#: catching the quota's refusal (the reviewer's attack).
MANY = """
i = 0
for _ in range(3000):
    i += 1
    try:
        timers.after(60, "h" + str(i))
    except Exception:
        pass
def verb_poke(actor, *rest):
    actor.tell("hi")
"""

#: The same, only on things called kid (so that saving it on another works).
KID = """
if this.name == "kid":
    for i in range(2500):
        try:
            timers.after(60, "h" + str(i))
        except Exception:
            pass
def verb_poke(actor, *rest):
    actor.tell("hi")
"""

#: Setting and cancelling thousands of timers leaves none for a missing function.
CANCELLED = """
for i in range(3000):
    timers.cancel(timers.after(60, "h" + str(i)))
def verb_poke(actor, *rest):
    actor.tell("hi")
"""

#: A verb failing 20 calls deep in a line of 8000 characters (as long as a
#: typed line may be): each frame its traceback shows quotes it.
LONG = ("def verb_poke(actor, *rest):\n    deeper(20)\n"
        "def deeper(n):\n    x = deeper(n - 1) if n else 1 / 0; y = '" + "A" * 8000 + "'\n")


class Log:
    """
    The server's log lines while a test runs, as an operator reads them.
    """

    def __init__(self, case: TestCase) -> None:
        self.events: list[dict] = []
        globalLogPublisher.addObserver(self.events.append)
        case.addCleanup(globalLogPublisher.removeObserver, self.events.append)

    def longest(self, word: str) -> int:
        """
        The length of the longest line holding C{word}.
        """
        return max((len(text) for text in map(formatEvent, self.events) if word in text),
                   default=0)


class BoundedFailureTests(TestCase):
    """
    A failure's message and log line are cut to L{MAX_ERROR_CHARS}, and a
    top level's timers are checked by the timers it left set, not by every
    name it said.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.log = Log(self)

    def pending(self, name: str) -> int:
        thing = self.s.thing(name)
        with self.s.world.store.turn() as turn:
            return len(timers.timers_on(turn.root, thing))

    def test_save_names_a_few_handlers(self) -> None:
        """
        Saving a top level that names 3000 missing handlers (the quota
        refusing all but the first 20) is refused saying a few of them and
        how many more: only the timers it set are checked.
        """
        said = flat(make(self.s.bob, "top", MANY))
        self.assertIn("The script on top was not saved", said)
        self.assertIn("its top level sets a timer: 'h1' is not a function of this script, so "
                      "a timer cannot call it: def h1(data)", said)
        self.assertIn("'h5' is not a function", said)
        self.assertIn("and 15 more timers its top level sets cannot call their handlers", said)
        self.assertNotIn("'h21'", said)
        self.assertLess(len(said), 2000)
        self.assertIsNone(script_of(self.s.thing("top")))

    def test_cancelled_timers_not_checked(self) -> None:
        """
        A top level that cancels each timer it sets leaves no timer for a
        missing function: it is saved, and runs.
        """
        said = flat(make(self.s.bob, "top", CANCELLED))
        self.assertIn("Saved the script on top", said)
        self.assertIn("hi", self.s.carol.send("poke top"))
        self.assertEqual(self.pending("top"), 0)

    def test_load_failure_bounded(self) -> None:
        """
        The attack through a thing running the script: each load fails, and
        its owner's message and the log's line stay short; no timer is left.
        """
        self.assertIn("Saved the script on top", flat(make(self.s.bob, "top", KID)))
        self.s.bob.send("@create kid")
        self.s.bob.send("drop kid")
        self.s.bob.send("@script/use kid = top")
        self.s.read()
        for _ in range(3):
            said = self.s.carol.send("poke kid")
            self.assertIn("The script on kid (top's) failed", said)
            self.assertLess(len(said), 500)
            self.s.world.clock.advance(1)
        told = self.s.bob.output()
        self.assertIn("'h0' is not a function of this script", told)
        self.assertIn("more timers its top level sets", told)
        self.assertLess(len(told), 3 * 2000)
        self.assertLess(self.log.longest("failed"), 2000)
        self.assertEqual(self.pending("kid"), 0)

    def test_traceback_of_a_long_line_cut(self) -> None:
        """
        A traceback quoting a line of 8000 characters in each of its frames
        is cut, keeping its start and the error, for its owner and the log.
        """
        said = flat(make(self.s.bob, "top", LONG))
        self.assertIn("Saved the script on top", said)
        self.s.read()
        said = self.s.bob.send("poke top")
        self.assertIn("ZeroDivisionError", said)
        self.assertIn("characters not shown", said)
        self.assertLess(len(said), MAX_ERROR_CHARS + 500)
        said = self.s.carol.send("poke top")
        self.assertIn("The script on top failed", said)
        told = self.s.bob.output()
        self.assertIn("ZeroDivisionError", told)
        self.assertLess(len(told), MAX_ERROR_CHARS + 500)
        self.assertLess(self.log.longest("failed"), MAX_ERROR_CHARS + 500)

    def test_library_top_level_failure_cut(self) -> None:
        """
        A library whose top level fails 20 calls deep in a line of 8000
        characters is not kept, and saving it says so in a message cut like
        every other failure, keeping the error at its end.
        """
        self.s.bob.send("@library deep")
        self.s.bob.send(".clear")
        for line in ("exports = ('deeper',)", "def deeper(n):",
                     "    x = deeper(n - 1) if n else 1 / 0; y = '" + "A" * 8000 + "'",
                     "deeper(20)"):
            self.s.bob.send(line)
        said = self.s.bob.send(".")
        self.assertIn("the top level failed when run", said)
        self.assertIn("ZeroDivisionError", said)
        self.assertIn("characters not shown", said)
        self.assertLess(len(said), MAX_ERROR_CHARS + 1000)  # wrapped and indented as a list
