# -*- test-case-name: tests.engine.test_commands -*-
"""
The C{option} command: a player's settings for their own connection.
"""

from __future__ import annotations

from engine.commands.base import Context
from engine.protocols.settings import option_text


def option(ctx: Context) -> None:
    """
    See or change your connection's settings: option [<setting> <value>]

    'option' alone lists your settings and what is in effect now. Change one
    with 'option <setting> <value>':

      option colour off / 16 / 256 / auto     colours (auto: what your
                                              client says)
      option width 20..500 / auto             columns to wrap to (auto: your
                                              window)
      option prompt auto / eor / ga / off     how the end of a prompt is marked;
                                              'off' if your client shows blank
                                              lines
      option screenreader on / off / auto     plain text: no colour, no box
                                              drawing
      option charset utf-8 / latin-1 / ascii / auto

    Settings last until you disconnect.
    """
    ctx.tell(option_text(ctx.session.client, ctx.args))
