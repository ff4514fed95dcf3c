"""A trusted module-level function a lean hook names is tamed once and shared (issue 11 §3:
making a domain made a new class for each of them, about 45 a domain)."""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Domain
from scripting.lean import lean
from scripting.tamed import TamedFunction


def helper() -> int:
    return 1


def user() -> int:
    return helper()


LIMIT = 3


def limited() -> int:
    return LIMIT


def closure_user() -> int:
    return made()  # noqa: F821 - given by lean()


class SharedTamedTests(unittest.TestCase):
    """One tamed copy of a function defined at a module's top level; closures afresh."""

    def test_module_level_function_is_shared(self) -> None:
        """Two lean copies name one frozen tamed C{helper}, which still works."""
        a, b = lean(user), lean(user)
        self.assertIsNot(a, b)
        self.assertIsInstance(a.__globals__["helper"], TamedFunction)
        self.assertIs(a.__globals__["helper"], b.__globals__["helper"])
        self.assertEqual(a(), 1)
        self.assertFalse(hasattr(a.__globals__["helper"], "__dict__"))

    def test_closures_are_tamed_afresh(self) -> None:
        """A function made for one domain (a closure) is never shared."""
        def make(n: int):
            return lambda: n

        one, two = make(1), make(2)
        a = lean(closure_user, made=one)
        b = lean(closure_user, made=two)
        self.assertIsNot(a.__globals__["made"], b.__globals__["made"])
        self.assertEqual((a(), b()), (1, 2))

    def test_domains_share_the_hooks_tamed_helpers(self) -> None:
        """Two domains' lean hooks hold the same tamed helpers, and each runs scripts."""
        def helpers(domain: Domain) -> dict:
            found = {}
            for name, hook in domain.hooks.items():
                g = getattr(hook, "__globals__", None)
                if g is not None:
                    for key, value in g.items():
                        if isinstance(value, TamedFunction):
                            found[(name, key)] = value
            return found

        a, b = Domain("ann"), Domain("bob")
        found_a, found_b = helpers(a), helpers(b)
        self.assertTrue(found_a)
        shared = [k for k in found_a if found_b.get(k) is found_a[k]]
        self.assertTrue(shared)
        for domain in (a, b):
            result = domain.run("xs = [3, 1, 2]\nxs.sort()\n'-'.join(str(x) for x in xs)")
            self.assertEqual(result.value, "1-2-3", result.error)


class ResolvedOnceTests(unittest.TestCase):
    """lean() remembers what a module-level function's names resolve to, and notices when
    its module binds a name to something else."""

    def test_names_resolved_again_when_rebound(self) -> None:
        """Rebinding a module global after a lean copy was made: the next copy holds the
        new value, and an earlier copy keeps the old one."""
        import tests.scripting.test_lean_shared as here

        before = lean(limited)
        self.patch(here, "LIMIT", 5)
        after = lean(limited)
        self.assertEqual((before(), after()), (3, 5))

    def test_rebound_to_something_unsafe_is_refused(self) -> None:
        """A name rebound to a module (which no lean namespace may hold) is checked again
        and refused, though the earlier value was remembered as safe."""
        import types

        import tests.scripting.test_lean_shared as here

        lean(limited)
        self.patch(here, "LIMIT", types)
        self.assertRaises(TypeError, lean, limited)

    def test_name_deleted_from_its_module_is_looked_for_again(self) -> None:
        """A module global that held None and is deleted is not taken for still there:
        the name is resolved again (here: nowhere, so refused); bound again, it is found."""
        import tests.scripting.test_lean_shared as here

        self.patch(here, "LIMIT", None)
        self.assertIsNone(lean(limited)())
        del here.LIMIT  # self.patch puts 3 back at cleanup
        self.assertRaises(NameError, lean, limited)
        here.LIMIT = 4  # and a name that was nowhere, bound again, is found
        self.assertEqual(lean(limited)(), 4)

    def test_each_copy_has_its_own_namespace(self) -> None:
        """Remembering the names does not share a namespace between copies."""
        a, b = lean(limited), lean(limited)
        self.assertIsNot(a.__globals__, b.__globals__)
        self.assertIsNot(a.__globals__["__builtins__"], b.__globals__["__builtins__"])
