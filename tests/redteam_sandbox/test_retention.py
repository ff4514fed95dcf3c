"""
Memory kept past a module's life (capability rule 40; issue 9 §1 module memory).

A module's memory is charged to its owner while it is loaded, and freed when
the runtime forgets it. Anything per domain that remembers what a module made
outlives the module unless it lets go: the fast paths' C{$a.name} tables (the
script classes whose attributes read natively), the lean C{$getattr}'s cache of
decisions per class, the table of attribute names itself. An owner who keeps
one module loaded keeps their domain; editing another script again and again
must not pile up what the old versions made.
"""

from __future__ import annotations

import gc
import weakref

from twisted.trial import unittest

from scripting import Domain

#: A class with a big class attribute, whose attribute is read (slow path once,
#: then the fast path): its class enters the domain's tables and cache.
BIG_CLASS = """
class Hoard:
    big = "x" * 1_000_000
h = Hoard()
h.q = 1
def read():
    return h.q + h.q
read()
getattr(h, "q")
"""


class ForgottenModuleTests(unittest.TestCase):
    """
    What an unloaded module made is freed, though its domain lives on.
    """

    def test_unloaded_classes_are_freed(self) -> None:
        """
        After its module is unloaded, a class whose attributes were read is
        no longer kept alive by the domain (tables, cache).
        """
        domain = Domain("hoarder")
        keeper = domain.load("x = 1\n", name="keeper")  # the domain stays in use
        refs = []
        for i in range(5):
            module = domain.load(BIG_CLASS, name=f"hoard{i}")
            self.assertTrue(module.result.ok, module.result.error)
            refs.append(weakref.ref(module._globals["Hoard"]))
            domain.unload(module)
            del module
        gc.collect()
        self.assertEqual([r for r in refs if r() is not None], [])
        self.assertIsNone(keeper.discarded)

    def test_attribute_names_do_not_pile_up(self) -> None:
        """
        Versions of a script reading ever new attribute names leave no table
        behind once they are unloaded.
        """
        domain = Domain("namer")
        domain.load("x = 1\n", name="keeper")
        before = len(domain.attribute_types.tables)
        for version in range(10):
            reads = "\n".join(f"    o.n{version}_{i}" for i in range(300))
            module = domain.load(f"class O:\n    pass\no = O()\ndef f():\n{reads}\n",
                                 name="edited")
            self.assertTrue(module.result.ok, module.result.error)
            domain.unload(module)
            del module
        gc.collect()
        self.assertLess(len(domain.attribute_types.tables), before + 300)

    def test_a_live_class_keeps_its_fast_path(self) -> None:
        """
        Unloading one module does not break another's: its class's attributes
        still read (and enter the table again).
        """
        domain = Domain("pair")
        live = domain.load("class Live:\n    v = 3\nl = Live()\ndef read():\n"
                           "    return l.v + l.v\n", name="live")
        self.assertEqual(live.call("read").value, 6)
        gone = domain.load(BIG_CLASS, name="gone")
        domain.unload(gone)
        self.assertEqual(live.call("read").value, 6)
        self.assertIn(type(live._globals["l"]), domain.attribute_types.table("v"))

    def test_classes_kept_only_by_the_cache_are_charged_and_freed(self) -> None:
        """
        A function that makes a class with a big attribute and reads an
        instance's attribute by name (C{getattr}: the class enters only the
        lean C{$getattr}'s cache, no table) cannot keep such classes alive
        past its module's limits: the module's state counts them, and its
        discarding frees them.
        """
        domain = Domain("cacher")
        module = domain.load("def make():\n    class C:\n        big = 'x' * 4_000_000\n"
                             "    c = C()\n    c.q = 1\n    return getattr(c, 'q')\n")
        for _ in range(40):
            result = module.call("make")
            if not result.ok:
                break
        self.assertIn("discarded", result.error or "")
        gc.collect()
        classes = [o for o in gc.get_objects() if type(o) is domain.meta]
        refs = [weakref.ref(c) for c in classes]
        del classes
        gc.collect()
        self.assertEqual([r for r in refs if r() is not None], [])
