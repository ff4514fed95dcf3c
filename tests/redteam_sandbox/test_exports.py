# -*- test-case-name: tests.redteam_sandbox.test_exports -*-
"""
A library's C{exports} as a door to the module's internal globals (red team, red5).

C{ScriptModule.exports} accepts any string that names a global of the module, and
C{facades.Namespace} refuses only names starting with C{_}; C{getattr()} refuses only
those too. Every C{$}-name the rewriter's code needs is a global of every module: the
hooks, the guard values (C{$type}, C{$set}, C{$tuple}, C{$dict}, C{$int}, C{$str}: the
real builtins), C{$b.str}/C{$b.range} (the real ones) and the domain's live C{$a.name}
tables (mutable sets of the types whose C{name} reads natively). A library that lists
C{'$type'} or C{'$a.gi_frame'} in C{exports} hands them to whoever imports it, by
C{getattr(lib, '$type')}.

With the real C{type} and a live C{$a.} table, a script adds the generator type to
C{$a.gi_frame} and the frame type to C{$a.f_back} / C{$a.f_globals}: its own code then
reads those natively, walks from a running generator's frame to the engine's frames and
takes C{sys} (or anything else) from their globals. These tests FAIL while that works.
The fix belongs in C{ScriptModule.exports} / C{Namespace} (names must be public
identifiers, C{str.isidentifier()} and no C{_}/C{$}) and in C{safe_builtins._getattr}
(C{getattr()} with a name that is not a public identifier is refused, as
C{hooks.getattr_fast} already assumes); the C{$a.} tables handed to modules could also be
read-only views.
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, Domain
from tests.scripts.helpers import Scene, make
from tests.scripts.test_libraries import library

BUDGET = Budget(ticks=50_000, seconds=5.0)

#: A library whose exports name the module's internal globals.
LEAKY = """
def g(box):
    f = box[0].gi_frame
    found = []
    while f is not None:
        found.append(f.f_globals)
        f = f.f_back
    yield found

def frame_of(gen):
    return gen.gi_frame

def limit(m):
    return m.getrecursionlimit()

exports = ('$type', '$set', '$a.gi_frame', '$a.f_back', '$a.f_globals',
           '$a.getrecursionlimit', 'g', 'frame_of', 'limit')
"""

#: The importer: real type -> live tables -> frames -> the engine's globals -> sys.
ESCAPE = """
import mylib
T = getattr(mylib, '$type')
box = []
gen = mylib.g(box)
box.append(gen)
getattr(mylib, '$a.gi_frame').add(T(gen))
FT = T(mylib.frame_of(gen))
getattr(mylib, '$a.f_back').add(FT)
getattr(mylib, '$a.f_globals').add(FT)
mod = None
for gl in next(gen):
    if 'sys' in gl:
        mod = gl['sys']
        break
getattr(mylib, '$a.getrecursionlimit').add(T(mod))
print(mod, mylib.limit(mod))
"""


class ExportedInternalsTests(unittest.TestCase):
    """
    A library cannot export the C{$}-named globals the rewriter's code uses.
    """

    def load_leaky(self, domain: Domain) -> bool:
        try:
            module = domain.load(LEAKY, name="mylib", library=True, budget=BUDGET)
        except TypeError as e:  # refused: what the tests below then try finds nothing
            self.assertIn("exports may only list public names", str(e))
            return False
        return module.result.ok and "mylib" in domain.libraries

    def test_exports_refused(self) -> None:
        """
        A library listing a name that is not a public identifier in C{exports} is
        refused when loaded, saying which names.
        """
        self.assertFalse(self.load_leaky(Domain("ann")))

    def test_getattr_takes_only_public_names(self) -> None:
        """
        C{getattr}, C{hasattr} and C{setattr} refuse a name that is not a public
        identifier (the rewriter's C{$}-names among them), on a module as on a
        script's own object; public names still work.
        """
        result = Domain("ann").run(
            "import math\n"
            "class C:\n    pass\n"
            "c = C()\n"
            "setattr(c, 'ok', 1)\n"
            "print(getattr(math, 'pi') > 3, getattr(c, 'ok'), hasattr(math, '$tick'),\n"
            "      getattr(math, '$type', 'no'), getattr(c, '$a.x', 'no'))\n"
            "try:\n    setattr(c, '$t', 5)\nexcept AttributeError as e:\n    print('refused')\n",
            budget=BUDGET)
        self.assertEqual(result.output, "True 1 False no no\nrefused\n", result.error)

    def test_real_type_is_not_exported(self) -> None:
        """
        C{getattr(lib, '$type')} is not the real C{type} (it told a Namespace's real
        class, C{scripting.facades.Namespace}).
        """
        domain = Domain("ann")
        self.load_leaky(domain)
        result = domain.run("import mylib\nT = getattr(mylib, '$type')\nprint(T(mylib))\n",
                            budget=BUDGET)
        self.assertNotIn("scripting.facades", result.output)

    def test_real_set_is_not_exported(self) -> None:
        """
        C{getattr(lib, '$set')} is not the real C{set}, which builds from any iterable
        in C with no tick (C{S(range(10**8))} would fill gigabytes uncharged).
        """
        domain = Domain("ann")
        self.load_leaky(domain)
        result = domain.run("import mylib\nS = getattr(mylib, '$set')\n"
                            "print(S is set, len(S(range(100_000))))\n", budget=BUDGET)
        self.assertNotIn("False 100000", result.output)

    def test_attribute_tables_cannot_be_changed(self) -> None:
        """
        A script cannot add a type to its domain's live C{$a.gi_frame} table (after
        which its own C{g.gi_frame} read natively gave a frame).
        """
        domain = Domain("ann")
        self.load_leaky(domain)
        result = domain.run("import mylib\nT = getattr(mylib, '$type')\n"
                            "def gen():\n    yield 1\ng = gen()\n"
                            "getattr(mylib, '$a.gi_frame').add(T(g))\n"
                            "print(T(g.gi_frame))\n", budget=BUDGET)
        self.assertNotIn("frame", result.output)

    def test_no_way_to_sys(self) -> None:
        """
        The whole chain: real type, live tables, a running generator's frame, the
        engine's frames' globals, and C{sys.getrecursionlimit()} called by the script.
        """
        domain = Domain("ann")
        self.load_leaky(domain)
        result = domain.run(ESCAPE, budget=BUDGET)
        self.assertNotIn("<module 'sys'", result.output)


class ExportedInternalsInWorldTests(unittest.TestCase):
    """
    The same door for an ordinary player: C{@library} with such C{exports} saves, and
    a verb of his own thing imports it and reaches C{sys}.
    """

    def test_a_players_library_cannot_export_internals(self) -> None:
        """
        Bob's library exporting C{'$type'} and C{$a.} tables is refused, or importing it
        reaches nothing: his verb does not print the real C{sys} module.
        """
        s = Scene()
        self.addCleanup(s.world.close)
        library(s.bob, "leaky", LEAKY)
        verb = "def verb_poke(actor, *rest):\n" + "".join(
            "    " + line + "\n" for line in ESCAPE.strip().split("\n")
            if not line.startswith("import")).replace(
            "print(mod, mylib.limit(mod))", "actor.tell(str(mod) + ' ' + str(mylib.limit(mod)))")
        make(s.bob, "slate", "import leaky as mylib\n" + verb)
        said = s.bob.send("poke slate")
        self.assertNotIn("<module 'sys'", said)

class ModuleCallTests(unittest.TestCase):
    """
    What the engine calls by name is only ever a public function.
    """

    def test_engine_calls_only_public_functions(self) -> None:
        """
        The engine calls a module's function by name (a timer's handler, a
        verb): a name that is not a public identifier finds nothing, though
        the module's globals hold functions under C{$}-names.
        """
        domain = Domain("ann")
        module = domain.load("def ring():\n    return 1\n", name="bell", budget=BUDGET)
        self.assertTrue(module.call("ring").ok)
        for name in ("$tick", "$lam", "$main", "_x", "ring ", ""):
            result = module.call(name)
            self.assertFalse(result.ok, name)
            self.assertIn("has no function", result.error)
