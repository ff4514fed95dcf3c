# -*- test-case-name: tests.protocols.test_telnet_mud -*-
"""
A player's own settings for their connection, over what negotiation found:
colour, width, prompt marking, screen-reader mode, character set.

The protocol keeps what it I{detected} (NAWS, TTYPE/MTTS, CHARSET) and the
player's L{Preferences} apart, and shows the session the two combined
(L{effective}), so a later NAWS or TTYPE answer never undoes a player's
choice. The C{option} command (L{option_text}) is how players change them.
"""

from __future__ import annotations

from typing import Any

import attrs
from attrs import frozen
from zope.interface import Attribute, Interface

from engine.interfaces import ClientInfo
from engine.protocols import charset, prompts
from engine.protocols.mtts import TRUECOLOUR


class SettingError(ValueError):
    """
    A player asked for a setting or value that does not exist; the message
    says what would work.
    """


@frozen
class Preferences:
    """
    What the player chose; C{"auto"} (or 0 for width) means "as negotiated".
    """

    colour: str = "auto"
    width: int = 0
    prompt: str = "auto"
    screenreader: str = "auto"
    charset: str = "auto"


#: Each setting: its accepted values, and a line of help.
SETTINGS: dict[str, tuple[tuple[str, ...], str]] = {
    "colour": (("auto", "off", "16", "256"), "colours shown: off, 16 (ANSI) or 256 (xterm)"),
    "width": (("auto", "20..500"), "columns to wrap to; auto follows your window"),
    "prompt": (prompts.CHOICES, "prompt end marker: eor, ga (go-ahead) or off"),
    "screenreader": (("auto", "on", "off"), "plain text without colour or box drawing"),
    "charset": (("auto", *charset.ENCODINGS), "character set of your client"),
}
_ALIASES = {"color": "colour", "colours": "colour", "colors": "colour",
            "screen-reader": "screenreader", "reader": "screenreader",
            "encoding": "charset", "prompts": "prompt"}
_COLOURS = {"off": 0, "none": 0, "0": 0, "16": 16, "ansi": 16, "256": 256, "xterm": 256}
_ENCODINGS = {"utf-8": "utf-8", "utf8": "utf-8", "latin-1": "latin-1", "latin1": "latin-1",
              "iso-8859-1": "latin-1", "ascii": "ascii", "us-ascii": "ascii"}


def parse(name: str, value: str) -> tuple[str, str | int]:
    """
    The setting and value a player meant.

    @raise SettingError: unknown setting or value.
    """
    key = _ALIASES.get(name.lower(), name.lower())
    if key not in SETTINGS:
        raise SettingError(f"There is no setting {name!r}. Settings: {', '.join(SETTINGS)}.")
    value = value.strip().lower()
    choices, _ = SETTINGS[key]
    if key == "width":
        if value == "auto":
            return key, 0
        if value.isdigit() and 20 <= int(value) <= 500:
            return key, int(value)
    elif key == "colour":
        if value == "auto":
            return key, "auto"
        if value in _COLOURS:
            return key, {0: "off", 16: "16", 256: "256"}[_COLOURS[value]]
    elif key == "charset":
        if value == "auto" or value in _ENCODINGS:
            return key, _ENCODINGS.get(value, "auto")
    elif key == "screenreader":
        if value in ("auto", "on", "off"):
            return key, value
    elif value in choices:
        return key, value
    raise SettingError(f"{key} can be {', '.join(choices)}.")


def effective(detected: ClientInfo, preferences: Preferences, encoding: str) -> ClientInfo:
    """
    What the session should see: C{detected} with the player's choices
    applied, and C{utf8} true only when the encoding in use is UTF-8.
    """
    changes: dict[str, Any] = {}
    if preferences.colour != "auto":
        changes["colours"] = _COLOURS[preferences.colour]
    if preferences.width:
        changes["width"] = preferences.width
    if preferences.screenreader != "auto":
        changes["screen_reader"] = preferences.screenreader == "on"
    changes["utf8"] = encoding == "utf-8"
    return attrs.evolve(detected, **changes)


def colour_name(colours: int) -> str:
    """
    A player-readable colour depth.
    """
    if colours >= TRUECOLOUR:
        return "256 (24-bit capable)"
    return {0: "off", 16: "16"}.get(colours, str(colours))


class IClientSettings(Interface):
    """
    A connection whose player may change its settings (the C{option}
    command finds it by adapting the session's L{engine.interfaces.IClient}).
    """

    preferences = Attribute("The player's current L{Preferences}.")

    def set_preference(name, value):
        """
        Change one setting.

        @param name: a key of L{SETTINGS} (or an alias); @param value: text.
        @return: the new L{Preferences}.
        @raise SettingError: unknown setting or value; nothing changed.
        """

    def settings_report():
        """
        One line per setting: its name, the player's choice and what is in
        effect now (e.g. C{"colour   auto (256)"}).

        @rtype: L{list} of L{str}
        """


def option_text(client: object, args: str) -> str:
    """
    What the C{option} command says (without a final line ending): the
    settings with no arguments, or the result of changing one
    (C{option colour off}).
    """
    settings = IClientSettings(client, None)
    if settings is None:
        return "This connection has no settings to change."
    words = args.split()
    if not words:
        lines = ["Your settings (change with: option <setting> <value>):"]
        lines += settings.settings_report()
        return "\n".join(lines)
    if len(words) != 2:
        return "Say: option <setting> <value>, for example: option colour off"
    try:
        settings.set_preference(words[0], words[1])
    except SettingError as e:
        return str(e)
    key, _ = parse(words[0], words[1])
    report = [line for line in settings.settings_report() if line.split()[0] == key]
    return f"Set. {report[0].strip() if report else ''}"
