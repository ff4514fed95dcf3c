"""
What happens to grants and script state when an object leaves the world.

The engine's destroy command should call L{forget_object} as facets'
C{destroy} does (the world cannot: it imports nothing from scripting).
"""

from __future__ import annotations

from typing import Any

from world.objects import Thing

from scripting.facets import grants, state


def forget_object(root: Any, obj: Thing) -> None:
    """
    Revoke every grant of or to C{obj} and drop its script state, refunding
    its owner.
    """
    grants.revoke_involving(root, obj, f"{obj.name} no longer exists.")
    state.forget_host(root, obj)
