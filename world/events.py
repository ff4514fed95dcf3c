# -*- test-case-name: tests.world.test_store,tests.world.test_turn_parts -*-
"""
Frozen event values: what the world tells minds about what happened.

An event names what happened (C{kind}), who did it and where, and carries the
text a bystander should read. The actor may be shown different text
(C{actor_text}); renderers choose.
"""

from __future__ import annotations

from typing import Any

from attrs import field, frozen


@frozen
class Event:
    """
    One perceivable happening.

    @ivar kind: a short machine-readable name: C{"say"}, C{"arrive"},
        C{"depart"}, C{"emote"}, C{"whisper"}, C{"page"}, C{"take"}, C{"drop"},
        C{"give"}, C{"put"}, C{"system"}, C{"script"} and so on.
    @ivar text: what bystanders read.
    @ivar actor: id of the object that caused it, if any.
    @ivar location: id of the room it happened in, if any.
    @ivar actor_text: what the actor reads instead, if different.
    @ivar data: extra plain values for clients that want structure (GMCP).
    @ivar origin: for text a player's script sent, whose it is (C{"Bob's
        gremlin"}): every reader sees it first, as C{[Bob's gremlin] }, so
        no script can make a line that the game or a player could have made.
        None for the game's own text (and the world's own content scripts).
    @ivar owner: for text a player's script sent, the id of that player's
        character (whoever ignores her does not see it: L{world.ignores}).
    @ivar said_by: for text that repeats a player's words (a notice board
        reading out her note, a parrot saying again what she said), the id
        of her character, as the script that sent it said (C{said_by=}):
        whoever ignores her does not see it (L{world.ignores.hides}). It
        changes nothing anyone is shown: the text stays marked as the
        script's (L{origin}), never as hers, since a script may name anyone
        it holds a facet of.
    """

    kind: str
    text: str
    actor: int | None = None
    location: int | None = None
    actor_text: str | None = None
    target: int | None = None
    data: tuple[tuple[str, Any], ...] = field(default=(), converter=lambda d: tuple(
        sorted(d.items())) if isinstance(d, dict) else tuple(d))
    origin: str | None = None
    owner: int | None = None
    said_by: int | None = None

    def text_for(self, viewer_id: int | None) -> str:
        """
        The text C{viewer_id} should read: marked with its L{origin}, if a
        script sent it (its later lines indented under the first).
        """
        if viewer_id is not None and viewer_id == self.actor and self.actor_text is not None:
            text = self.actor_text
        else:
            text = self.text
        if self.origin is None:
            return text
        return mark(self.origin) + text.replace("\n", "\n" + MARK_INDENT)


#: What the later lines of a marked text start with.
MARK_INDENT = "  "


def mark(origin: str) -> str:
    """
    The prefix that marks text a script sent: C{[Bob's gremlin] }. Nothing
    else the game writes, and no line a player speaks, starts with C{[}
    (player names start with a letter; things' names may not hold brackets).
    """
    return f"[{origin}] "
