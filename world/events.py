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
    """

    kind: str
    text: str
    actor: int | None = None
    location: int | None = None
    actor_text: str | None = None
    target: int | None = None
    data: tuple[tuple[str, Any], ...] = field(default=(), converter=lambda d: tuple(
        sorted(d.items())) if isinstance(d, dict) else tuple(d))

    def text_for(self, viewer_id: int | None) -> str:
        """
        The text C{viewer_id} should read.
        """
        if viewer_id is not None and viewer_id == self.actor and self.actor_text is not None:
            return self.actor_text
        return self.text
