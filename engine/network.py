"""
The listening services: how players reach the server.
"""

from __future__ import annotations

from typing import Any

from twisted.application import service


def make_listeners(store: Any, options: Any, reactor: Any) -> list[service.Service]:
    """
    The services that accept player connections. (Telnet arrives here.)
    """
    return []
