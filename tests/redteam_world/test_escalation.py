"""
Escalation attempts: zope internals through facets, characters met in the
room, verbs named to reach special methods or built-in commands.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, make


class InternalsTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_no_internals_through_facets(self) -> None:
        """
        getattr/hasattr of zope and persistence internals on facets, bound
        facet methods and service facets all fail.
        """
        make(self.s.bob, "gremlin", """
            NAMES = ["_p_jar", "_p_oid", "__parent__", "__providedBy__", "__implemented__",
                     "__class__", "__dict__", "__reduce_ex__", "__conform__", "__name__",
                     "_target", "_cells", "_voice", "with_cells", "__self__", "__func__",
                     "__globals__", "__wrapped__", "im_self", "target", "names", "cells"]

            def verb_peek(actor, *rest):
                got = []
                for f in (this, here, actor, state, timers, this.rename, here.say,
                          list(here.contents)[0]):
                    for n in NAMES:
                        try:
                            getattr(f, n)
                            got.append(n)
                        except Exception:
                            pass
                        try:
                            if hasattr(f, n):
                                got.append(n)
                        except Exception:
                            pass
                actor.tell("got: " + ",".join(got) + ".")
            """)
        self.assertIn("got: .", self.s.bob.send("peek gremlin"))

    def test_characters_in_the_room_stay_views(self) -> None:
        """
        Characters met through here.contents or here.characters can be
        neither told, moved, renamed nor described; Alice is unchanged.
        """
        make(self.s.bob, "gremlin", """
            def verb_grab(actor, *rest):
                done = []
                for c in list(here.contents) + list(here.characters):
                    if c.name != "Alice":
                        continue
                    for attempt in range(6):
                        try:
                            if attempt == 0:
                                c.tell("hi")
                            elif attempt == 1:
                                c.move_to(this)
                            elif attempt == 2:
                                c.rename("Mallory")
                            elif attempt == 3:
                                c.describe("owned")
                            elif attempt == 4:
                                c.set_property("x", 1)
                            else:
                                c.inventory
                            done.append(str(attempt))
                        except Exception:
                            pass
                actor.tell("done: " + ",".join(done) + ".")
            """)
        self.assertIn("done: .", self.s.bob.send("grab gremlin"))
        alice = self.s.character("Alice")
        self.assertEqual((alice.name, alice.description), ("Alice", alice.description))
        self.assertNotIn("x", alice.properties)
        self.assertEqual(alice.location.name, "Town Square")

    def test_special_verb_names_do_not_run(self) -> None:
        """
        Verbs cannot be reached with underscores or shadow built-in commands.
        """
        saved = make(self.s.bob, "gremlin", """
            def verb_look(actor, *rest):
                actor.tell("hijacked look")

            def verb_(actor, *rest):
                actor.tell("hijacked blank")

            def verb___init__(actor, *rest):
                actor.tell("hijacked init")

            def verb_zap(actor, *rest):
                actor.tell("zapped")
            """)
        self.assertNotIn("problem", saved)
        self.assertIn("zapped", self.s.carol.send("zap gremlin"))
        for line in ("look gremlin", "__init__ gremlin", "_ gremlin", "- gremlin",
                     "verb_look gremlin", "__class__ gremlin"):
            self.assertNotIn("hijacked", self.s.carol.send(line), line)
