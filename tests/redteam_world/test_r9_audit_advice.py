# -*- test-case-name: tests.redteam_world.test_r9_audit_advice -*-
"""
Audit of round 9's library advice: what L{library_advice} reads of a
suspended script's imports is bounded by what it looks at. It stopped
only at the end of an import line once it had ADVICE_LOOKS_AT names, and
kept them in a list it searched for each new one: one line importing ten
thousand names (a 64 KiB script, suspended since none exists) cost half a
second of the server's time, uncharged, each time its owner typed
'@script' on it.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.scripts import libraries


class _Counting(frozenset):
    """The standard modules, counting the names looked up in them."""

    looked = 0

    def __contains__(self, name: object) -> bool:
        type(self).looked += 1
        return super().__contains__(name)


class AdviceBoundTests(TestCase):

    def test_one_long_import_line(self) -> None:
        """
        A line importing ten thousand names: about ADVICE_LOOKS_AT of them
        are read, not all.
        """
        source = "import " + ",".join(f"q{i}" for i in range(10_000)) + "\n"
        _Counting.looked = 0
        self.patch(libraries, "STANDARD_MODULES", _Counting(libraries.STANDARD_MODULES))
        asked = []
        self.patch(libraries, "importable",
                   lambda root, owner, name: asked.append(name) or [])
        self.assertIsNone(libraries.library_advice(None, 1, source, "x", True, "thing"))
        self.assertEqual(asked, [f"q{i}" for i in range(libraries.ADVICE_LOOKS_AT)])
        self.assertLessEqual(_Counting.looked, libraries.ADVICE_LOOKS_AT + 1)
