"""
A name a script reads that nothing defines (C{announce(...)} for
C{this.announce(...)}, C{tell(actor, ...)} for C{actor.tell(...)}, a typo
of its own function) is noted when it is saved, by the editor's C{.check}
and by C{tessera content check}, with what it may have meant; nothing is
refused (issue "every player scripts"). C{@script/edit <thing>} opens the
editor.
"""

from __future__ import annotations

import ast
import os

from twisted.trial.unittest import TestCase

from engine.scripts.content import check
from engine.scripts.names import MAX_NOTED, script_names, undefined
from tests.scripts.helpers import Scene, flat, make

BELL = """
def on_hear(actor, text):
    announce("The bell rings softly.")
    tell(actor, "hi")
def verb_ring(actor, *rest):
    chme()
def chime():
    actor.tell("ding")
"""

#: Every way a name is defined that the check must see.
DEFINED = """
def on_attach():
    global count
    count = 0
def verb_count(actor, *rest):
    squares = [n * n for n in range(3)]
    pairs = {k: v for k, v in zip("ab", squares)}
    total = sum(x for x in squares if x)
    actor.tell(fmt("{} {} {} {} {}", count, Note().big(), pairs, total, helper(rest)))
    this.say(str(len(state.keys())) + str(clock.now()) + str(grants) + str(timers))
    here.say(repr(ValueError) + str(isinstance(rest, tuple)))
def helper(rest):
    try:
        return sorted(rest)
    except Exception as e:
        return str(e)
class Note:
    size = 1
    def big(self):
        return self.size * later
later = 1
"""


class UndefinedNamesTests(TestCase):
    """
    Saving notes each name a script reads that nothing defines, with a
    suggestion drawn from the facets' interfaces or from the names it has.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_saved_with_notes(self) -> None:
        """
        The bell of the issue is saved, and told of C{announce} (which a
        room's script has as C{this.announce}), C{tell} (C{actor.tell}),
        and the typo C{chme} (its own C{chime}).
        """
        said = flat(make(self.s.alice, "bell", BELL))
        self.assertIn("Saved the script on bell (7 lines)", said)
        self.assertIn("Note: line 2: announce is not defined; did you mean this.announce(...) "
                      "(in a room's script)?", said)
        self.assertIn("Note: line 3: tell is not defined; did you mean actor.tell(...)?", said)
        self.assertIn("Note: line 5: chme is not defined; did you mean 'chime'?", said)
        self.assertIn("Note: line 7: actor is not defined where this line reads it: a "
                      "function sees its own arguments and variables and the script's "
                      "top-level names.", said)  # not chime's argument

    def test_facet_and_builtin_suggestions(self) -> None:
        """
        A facet's method names where a script reaches it; a typo of a
        builtin names the builtin; Python's own builtins that the sandbox
        does not give (C{open}) are undefined too.
        """
        said = flat(make(self.s.alice, "bell", """
            def verb_ring(actor, *rest):
                after(5, "tick")
                lenght(rest)
                open("x")
            def tick(data):
                pass
            """))
        self.assertIn("Note: line 2: after is not defined; did you mean timers.after(...)?",
                      said)
        self.assertIn("Note: line 3: lenght is not defined; did you mean 'len'?", said)
        self.assertIn("Note: line 4: open is not defined.", said)

    def test_defined_names_are_not_noted(self) -> None:
        """
        Globals defined later, parameters, comprehension variables, names
        made by C{global}, the script's own functions and classes,
        exception names, builtins and endowments are not noted; the script
        runs.
        """
        said = flat(make(self.s.alice, "counter", DEFINED))
        self.assertIn("Saved the script on counter", said)
        self.assertNotIn("not defined", said)
        self.assertEqual(undefined(DEFINED), [])
        self.assertIn("0 1", flat(self.s.carol.send("count counter")))

    def test_the_names_are_the_sandboxs(self) -> None:
        """
        The check knows exactly the names a script's module starts with:
        its domain's builtins and the endowments the runtime gives it.
        """
        make(self.s.alice, "bell", "x = 1\ndef verb_ring(actor, *rest):\n    actor.tell('x')\n")
        self.s.carol.send("ring bell")
        runtime = self.s.world.server.scripts
        with self.s.world.store.turn() as turn:
            owner = next(o for o in turn.root.all() if o.name == "bell").owner
        [module] = [e.module for e in runtime.modules.entries()]
        domain = runtime.domain(owner)
        given = {n for n in module._globals
                 if not n.startswith(("$", "__")) and n not in ("x", "verb_ring")}
        self.assertEqual(script_names(), frozenset(given) | frozenset(domain.builtins))

    def test_noted_with_problems_too(self) -> None:
        """
        A script saved with problems (suspended) is told of them as well.
        """
        said = flat(make(self.s.alice, "bell", BELL + "x = this._secret\n"))
        self.assertIn("will not run until they are fixed", said)
        self.assertIn("Note: line 3: tell is not defined", said)

    def test_editor_check_says_it(self) -> None:
        """
        The editor's C{.check} notes them as saving would, and saves
        nothing.
        """
        self.s.alice.send("@create bell")
        self.s.alice.send("@script bell")
        for line in BELL.strip("\n").split("\n"):
            self.s.alice.send(line)
        said = flat(self.s.alice.send(".check"))
        self.assertIn("Note: line 3: tell is not defined; did you mean actor.tell(...)?", said)
        self.s.alice.send(".abort")
        self.assertIn("bell has no script", flat(self.s.alice.send("@script/show bell")))

    def test_many_undefined_names_are_bounded(self) -> None:
        """
        A script of 6,000 lines each reading a name nothing defines (over
        65,000 characters) gets L{MAX_NOTED} notes and one counting the
        rest with three of them, each name cut short; reading it is linear.
        """
        long = "q" * 500
        source = f"x = {long}\n" + "\n".join(f"a{i} = b{i}" for i in range(6000))
        self.assertGreater(len(source), 65_000)
        found = undefined(source)
        self.assertEqual(len(found), MAX_NOTED + 1)
        self.assertEqual(found[0], (1, f"{'q' * 40}... is not defined"))
        self.assertEqual(found[-1], (MAX_NOTED + 1, f"{6001 - MAX_NOTED} more names are not "
                                     f"defined either: b{MAX_NOTED - 1}, b{MAX_NOTED}, "
                                     f"b{MAX_NOTED + 1} and {5998 - MAX_NOTED} more"))
        self.assertLess(sum(len(said) for _, said in found), 1000)

    def test_saved_bounded(self) -> None:
        """
        Saved in the editor, a script with many undefined names is told of
        a few, and how many more.
        """
        source = "\n".join(f"def f{i}(data):\n    return g{i}" for i in range(40))
        said = flat(make(self.s.alice, "bell", source))
        self.assertEqual(said.count("is not defined"), MAX_NOTED)
        self.assertIn(f"Note: line {2 * MAX_NOTED + 2}: {40 - MAX_NOTED} more names are not "
                      "defined either:", said)

    def test_nothing_of_the_script_runs(self) -> None:
        """
        Checking reads the text only: a script whose top level would fail
        and whose names are dunder tricks is checked without running.
        """
        found = undefined("raise_it()\nwhile True:\n    pass\n__import__('os')\n")
        self.assertEqual([line for line, _ in found], [1, 4])

    def test_hostile_text(self) -> None:
        """
        Reading a text never raises, whatever it is (a content file is read
        without compiling it first): too deep, not Python, deep to the
        reader's own recursion, string annotations, format strings.
        """
        for source in ("(" * 100_000, "\x00", "timers.after(", "+".join(["a"] * 30_000),
                       "def f(x: '((((('):\n    pass", "def f(x: '\\'q\\''):\n    pass",
                       "'%(a)s %s' % (z,)", "f'{q!r:{w}}'", "from m import *\nzz",
                       "match p:\n    case Q(): r"):
            self.assertIsInstance(undefined(source), list)

    def test_shared_nodes_stay_clean(self) -> None:
        """
        Reading a script leaves nothing on the nodes every parsed tree
        shares (an operator, a context), which the sandbox's compiler
        would otherwise find in the next script it rewrites.
        """
        undefined("x = a + b\ny = [c for c in x]\n")
        later = ast.parse("z = 1 + 2").body[0]
        assert isinstance(later, ast.Assign) and isinstance(later.value, ast.BinOp)
        self.assertEqual(vars(later.value.op), {})
        self.assertEqual(vars(later.targets[0].ctx), {})

    def test_content_check_says_it(self) -> None:
        """
        C{tessera content check} reports each at its line, as saving says
        it.
        """
        directory = self.mktemp()
        os.makedirs(directory)
        with open(os.path.join(directory, "hall.toml"), "w") as f:
            f.write('[rooms.hall]\nname = "Hall"\ndescription = "A hall. It is long."\n'
                    'start = true\nscript = "hall.py"\n')
        with open(os.path.join(directory, "hall.py"), "w") as f:
            f.write("def on_hear(actor, text):\n    announce(text)\n    tell(actor, text)\n")
        where = os.path.join(directory, "hall.py")
        self.assertEqual(check(directory), [
            f"{where}:2: announce is not defined; did you mean this.announce(...) (in a "
            "room's script)?",
            f"{where}:3: tell is not defined; did you mean actor.tell(...)?"])


class EditOpensTheEditorTests(TestCase):
    """
    C{@script/edit <thing>} with no line and no C{=} opens the editor, as
    C{@script <thing>} does; with a line and no C{=} it says how to use it.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_opens_the_editor(self) -> None:
        """
        The editor opens on the thing's script; what is typed is saved.
        """
        make(self.s.alice, "bell", "def verb_ring(actor, *rest):\n    actor.tell('ding')\n")
        said = flat(self.s.alice.send("@script/edit bell"))
        self.assertIn("verb_ring", said)
        self.s.alice.send("def verb_pull(actor, *rest):")
        self.s.alice.send("    actor.tell('dong')")
        self.assertIn("it defines verb_pull, verb_ring", flat(self.s.alice.send(".")))
        self.assertIn("dong", self.s.carol.send("pull bell"))

    def test_a_line_without_text(self) -> None:
        """
        A line number without C{=} is still answered with how to edit a
        line.
        """
        make(self.s.alice, "bell", "x = 1\n")
        said = flat(self.s.alice.send("@script/edit bell 1"))
        self.assertIn("Type '@script/edit <thing> <line> = <text>'.", said)

    def test_help_says_so(self) -> None:
        """
        C{help @script} lists it.
        """
        said = flat(self.s.alice.send("help @script"))
        self.assertIn("@script/edit <thing> open the editor, as @script does", said)
