# -*- test-case-name: tests.redteam_world.test_forgery_names4 -*-
"""
Words of a player's login: one home for every rule that reads them.

The names of things, rooms and exits hold none of L{LOGIN_WORDS}
(L{world.names}), and a line typed while playing whose first word is one
of them or of L{LOGIN_COMMANDS} never reaches a script verb
(L{engine.scripts.verbs}), which could otherwise read a password typed at
the wrong prompt, nor names a chat channel (L{world.channels}), whose
members would read it. A word added here is refused by all of them.
"""

from __future__ import annotations

import difflib

#: Words about a player's login, password, session and account: a name
#: holds none of them, wherever it stands ("Session expired", "Enter
#: password to continue", "Reconnect now", "Type connect to play": the
#: command that takes a password), and no script verb is one. Only the game
#: asks about these. The short ones of L{SHORT_LOGIN_WORDS} are read in a
#: name only as words of their own.
LOGIN_WORDS = frozenset({
    "password", "passwords", "passwd", "passphrase", "passphrases", "passcode", "passcodes",
    "newpassword", "pw", "pwd",
    "login", "logins", "logon", "logout", "logoff", "signin", "signon", "signout", "username",
    "usernames", "credential", "credentials", "reconnect", "reconnects", "reconnected",
    "reconnecting", "relog", "connect", "disconnect", "disconnects", "disconnected",
    "disconnecting", "account", "accounts", "session", "sessions",
})

#: Words of L{LOGIN_WORDS} a name holds inside none of its words either
#: ("Mypassword", "Loginscreen"). Not "session" nor "account", which longer
#: words hold ("Possession", "Accountant's office"), nor "signin"
#: ("Signing table").
LOGIN_INSIDE = frozenset({"password", "passwd", "username", "login"})

#: Words of L{LOGIN_WORDS} short enough to be initials ("P. W. Botha's
#: desk"): a name's words are not read joined into one of them.
SHORT_LOGIN_WORDS = frozenset({"pw", "pwd"})

#: The commands of login screens, this game's (C{connect}, C{create} and
#: their short forms, L{engine.welcome}) and other games' that clients send
#: on their own ("login", "register"): no script verb is one, but a name may
#: hold them as the nouns and verbs they also are ("Cash register", "Smith
#: & Co.", "Sign-up sheet").
LOGIN_COMMANDS = frozenset({
    "connect", "con", "co", "conn", "create", "cr", "login", "logon", "logout", "signin",
    "signon", "signup", "register",
})

#: Every word a line typed while playing may not send to a script verb or a
#: chat channel: L{LOGIN_WORDS} and L{LOGIN_COMMANDS}.
TYPED_LOGIN_WORDS = LOGIN_WORDS | LOGIN_COMMANDS

_LONG_LOGIN_WORDS = sorted(w for w in TYPED_LOGIN_WORDS if len(w) >= 5)


def is_login_word(word: str) -> bool:
    """
    Whether C{word} is one of L{TYPED_LOGIN_WORDS}, in any case, or a typo
    of a long one (C{conect}, C{pasword}): a script could define a verb, or
    a player name a channel, for every likely typo otherwise.
    """
    word = word.lower()
    if word in TYPED_LOGIN_WORDS:
        return True
    return bool(difflib.get_close_matches(word, _LONG_LOGIN_WORDS, n=1, cutoff=0.85))


def is_login_line(line: str, name: str) -> bool:
    """
    Whether C{line}, typed into something being written (a message, a
    script), is a login or password command its writer C{name} meant for
    the game: its first word, an C{@} before it taken off, is a login word
    (L{is_login_word}), and it had the C{@} (C{@password old new},
    C{@password} alone) or the writer's own name follows (C{connect Carol
    hunter2}). Such a line is never kept where others would read it.
    """
    words = line.split()
    if not words:
        return False
    first = words[0]
    bare = first[1:] if first.startswith("@") else first
    if not bare or not is_login_word(bare):
        return False
    return first.startswith("@") or (len(words) > 1
                                     and words[1].casefold() == name.casefold())
