# -*- test-case-name: tests.world.test_names,tests.redteam_world -*-
"""
Names that belong to characters, and names nothing else may take.

Names are compared by their look-alike keys (L{keys}): the confusables
skeleton of Unicode Technical Standard #39 (L{world.confusables}), with case
and everything but letters and digits left out. C{Аlice} with a Cyrillic A,
C{AIice} with a capital I, C{Ａｌｉｃｅ} in full width, C{A.lice} and
C{alice} all look like Alice, and are one name here; so are C{Zoë} and
C{Zoe}.

The rules, the same whichever way round they are met:
  - a thing, room or exit may not take a name (or alias) that looks like a
    character's, or starts with one as a word (so nothing a builder makes
    or a script renames can speak as a player: "Alice says, ...", a room
    called "Alice waves");
  - a new account may not take a name that looks like an existing
    character's, or like the name or alias of any thing, room or exit, or
    its first word;
  - a thing's name is what players see: its NFKC form, of letters (each
    with at most two marks), digits, punctuation, symbols and single
    spaces, none of them invisible (L{visible_name}), so two names that
    look the same are the same name;
  - a thing's name may not embed speech (quotation marks, "says,"), and
    starts with a letter or a digit, never the bracket that marks script
    text (C{[Bob's gremlin] ...}, C{【Bob's gremlin】}: a room's name starts
    the line of its title);
  - a thing's name does not start as the game's lines do (L{_game_start}):
    not with an opening of the game's lines (L{GAME_OPENINGS}), a word
    that speaks for the game (L{AUTHORITY}: "System notice"), one that
    speaks to the player followed by more (L{ADDRESS}), nor a word the game
    starts its lines with (L{GAME_WORDS}) followed by a word that carries
    on a sentence (L{SENTENCE_WORDS}: "Welcome back"), though "Welcome
    mat" and "Library" are names; after "The", not L{AFTER_THE} or
    L{AUTHORITY} ("The server ..."); a possessive's "'s" may be "is" ("The
    script's failed").
    Words are read without their marks and as their skeletons, digits and
    symbols in them as letters ("Yo\u0358ur", "Y0ur" read "Your", "5erver"
    "server", "Adm1n" "Admin": a "1" both as "i" and "l"). And it is one
    phrase: its punctuation, look-alikes read as what they look like, is
    of L{NAME_PUNCTUATION}, and a full stop inside it follows an initial or
    an abbreviation (L{_one_phrase});
  - a thing's name is a noun phrase, wherever its words stand
    (L{_not_a_noun_phrase}): no word to the reader (L{READER}: "Please
    ...", "Enter your password"), of a player's login (L{LOGIN_WORDS},
    L{LOGIN_PHRASES}, L{LOG_VERBS}: "Session expired", "log in"; and
    L{LOGIN_INSIDE} inside a longer word: "Mypassword"), and no
    sentence: no finite verb that is no noun (L{FINITE_VERBS}: "It is
    locked"), verb's contraction ("won't", "It's") or subject pronoun
    starting it (L{SUBJECTS}: "It leads to the cellar"), and no notice of
    the game's (L{_notice}: "Restarting in 5 minutes", "Rebooting now",
    "Restart at midnight", "Back by 10pm", "Bob left the game");
  - names stored before a rule refused them are never renamed: the server
    lists them at its first start under new rules (L{rules_changed});
  - every name is written left to right: letters, digits and symbols
    whose bidirectional class is left-to-right or neutral, so no name
    turns around the line it is shown in (no Hebrew or Arabic letters,
    no Arabic-Indic digits);
  - every rule is checked on the name as players read it, its colour
    markup taken out (C{|nAlice} reads C{Alice}), and as players who do
    not see some of its colours read it (C{|xx|nAlice} reads C{Alice} on a
    dark screen; L{world.phrases.readings_unseen}): a name shows at most
    L{world.phrases.MOST_COLOURS} colours;
  - a character's name is letters of one alphabet (accents allowed, no
    styled or full-width forms, none written right to left), with a hyphen
    or apostrophe only between letters (L{check_character_name}).

Accounts are stored under the folded form of their name (L{fold});
characters' look-alike keys are indexed in C{root.character_names} (key →
folded account name), filled as accounts are made and rebuilt whenever the
keys' definition or the confusables table changes.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import attrs
from BTrees.OOBTree import OOBTree

from world.confusables import skeleton, unicode_version
from world.errors import WorldError
from world.phrases import MOST_COLOURS, colours, readings_unseen, without_markup
from world.words import LOGIN_INSIDE, LOGIN_WORDS, SHORT_LOGIN_WORDS

#: The words the game starts its own lines with ("Shutting down...", "Your
#: mail...", "Exits: ...", "New password: "). No character takes one as a
#: name (its emotes would read as the game's lines), and no thing, room or
#: exit's name starts with one followed by more (its title, alone on a
#: line, would): L{check_thing_name}. Kept complete by
#: C{tests.redteam_world.test_forgery_accounts} and
#: C{tests.redteam_world.test_forgery_titles}, which read the words from
#: the game's sources.
GAME_WORDS = frozenset({
    "agent", "aliases", "banned", "boot", "building", "channels", "char", "characters", "choose",
    "colour", "comm", "composer", "connected", "connections", "content", "contents", "counting",
    "current", "deleted", "description", "destroy", "dig", "directions", "drop", "editing",
    "editor", "either", "everything", "examine", "exits", "fails", "find", "general", "get",
    "give", "goodbye", "granted", "handlers", "huh", "idle", "leads", "library", "limits", "line",
    "location", "looking", "mail", "message", "more", "motion", "name", "note", "nothing", "only",
    "owner", "password", "playing", "properties", "property", "public", "put", "read", "removed",
    "returns", "revoke", "revoked", "roles", "rooms", "saved", "saving", "say", "script",
    "scripting", "scripts", "sent", "several", "shared", "shutting", "something", "sorry",
    "starting", "still", "subject", "talk", "talking", "teleport", "that", "the", "there", "they",
    "things", "told", "too", "top", "type", "unban", "use", "welcome", "what", "which", "wizards",
    "writing", "your",
    # Line starts whose words characters were already refused as reserved:
    "connect", "create", "new", "nobody", "someone", "tessera", "you",
})

#: Words that speak for the game or its staff: no character takes one, and
#: no name of a thing, room or exit starts with one ("System notice",
#: "Wizard announcement").
AUTHORITY = frozenset({
    "admin", "administrator", "god", "moderator", "operator", "root", "server", "staff",
    "sysop", "system", "tessera", "wizard", "wizards",
})

#: The game word that names start with as the game's lines about things do
#: ("The Kitchen", "The lamp won't budge."): a name may start with it.
_NAME_ARTICLE = "the"

#: The words the game's lines put after "The" when they speak of its own
#: workings ("The script on Biscuit failed, ...", "The server is shutting
#: down."): a name may start with "The", but not with "The" and one of
#: these (or an L{AUTHORITY} word) followed by more.
AFTER_THE = frozenset({
    "account", "accounts", "channel", "character", "connection", "editor", "login",
    "password", "passwords", "script", "scripts", "server", "web",
})

#: The words the game's lines put after "The" that name things builders
#: make too ("The game", "The message is empty"; "The Game Room", "The
#: Message Board"): after "The", one of these is a name's, unless what
#: follows carries on a line (L{_carries_on}: "The game is over", "The
#: message was deleted", "The game restarting").
NOUNS_AFTER_THE = frozenset({"game", "message"})

#: Words that speak to the player, as the game's lines do ("Your password
#: has expired", "You have new mail"): no name starts with one followed by
#: more.
ADDRESS = frozenset({"you", "your", "yours", "yourself", "yourselves"})

#: Words that speak to the reader: a name holds none of them, wherever it
#: stands ("Please type ...", "Enter your password", "Your Majesty's
#: Throne": write "Her Majesty's Throne"). A name is shown to other
#: players, so a word to "you" is the builder speaking to them.
READER = ADDRESS | frozenset({"please", "pls", "plz"})

#: Two words that stand for a login word together ("Enter character name").
LOGIN_PHRASES = frozenset({"character name", "character names", "user name", "user names",
                           "pass word"})

#: Verbs of logging in and out: one followed by one of L{LOG_PARTICLES}
#: ("log in", "sign on", "log back in") is a login, unless a determiner
#: follows the particle ("Sign in the window", "Log on the fire").
LOG_VERBS = frozenset({"log", "logs", "logged", "logging", "sign", "signs", "signed",
                       "signing"})
LOG_PARTICLES = frozenset({"in", "on", "out", "off"})
_DETERMINERS = frozenset({
    "a", "an", "the", "this", "that", "these", "those", "my", "our", "his", "her", "its",
    "their", "every", "each", "some", "any", "no",
})

#: Finite verbs that are no noun's: a name holding one is a sentence ("It
#: is locked", "Door was opened", "Gate should open"). The modals that are
#: nouns too ("Will's cottage", "Tin can", "May Day fair", "Must") and
#: "am" ("AM radio") are not among them; "I am" starts with a subject
#: (L{SUBJECTS}).
FINITE_VERBS = frozenset({"is", "are", "was", "were", "been", "has", "had", "shall", "should",
                          "would", "could", "cannot"})

#: Subject pronouns: a name does not start with one followed by another
#: word ("It leads to the cellar", "She smiles"; "He-Man figure" is one
#: word joined by a hyphen).
SUBJECTS = frozenset({"i", "he", "she", "it", "we"})

#: Words whose "'s" is always "is" or "has", never a possessive ("It's
#: locked", "That's all", "Where's the exit").
_CONTRACTED = frozenset({"it", "he", "she", "that", "there", "here", "what", "who", "where",
                         "when", "why", "how", "let"})

#: Words that cannot carry on a noun phrase after its first word, but carry
#: on a sentence: auxiliaries and modals, pronouns, determiners, question
#: words, negation and the adverbs and particles the game's lines put after
#: their first word ("Shutting down", "Welcome back", "Welcome to ...",
#: "Nobody is playing", "Drop what?"). A closed class of English, so a
#: table of them is complete; a name whose first word is a game word and
#: whose second is one of these reads as a line (L{_game_start}). Words of
#: place that start the rest of a name ("of", "in", "from", "on": "Top of
#: the stairs", "Message in a bottle") are not among them.
SENTENCE_WORDS = frozenset({
    "am", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do",
    "does", "did", "will", "would", "shall", "should", "can", "cannot", "could", "may",
    "might", "must", "i", "me", "we", "us", "he", "him", "she", "it", "they", "them", "a",
    "an", "the", "this", "these", "those", "my", "our", "his", "her", "its", "their", "every",
    "each", "some", "any", "no", "what", "whom", "who", "which", "where", "how", "why", "when",
    "not", "never", "now", "again", "soon", "already", "just", "yet", "here", "back", "down",
    "away", "to", *ADDRESS,
})

#: The openings of the game's lines that a game word and a word of
#: L{SENTENCE_WORDS} do not already make: a line's first word and the word
#: after it (C{,} when a comma follows the first word, C{#} for a number),
#: or, after "The", the next two ("The last 20 lines on public"). A name
#: that starts with one (read as the rules read words, L{_read}) is
#: refused. Kept complete by C{tests.redteam_world.test_forgery_titles},
#: which reads the openings from the game's sources.
GAME_OPENINGS = frozenset({
    "banned accounts", "banned sites", "building ,", "characters keep", "colour markup",
    "connect as",
    "connections from", "content id", "counting starts", "deleted #",
    "either there", "everything else", "goodbye ,", "line numbers", "looking and", "more than",
    "name both", "name something", "nobody called", "nobody on", "only builders",
    "only things", "only wizards", "property names", "several things", "public chat", "rooms stay",
    "script editing", "script of", "script on", "scripts holding", "scripts of", "shared with",
    "something went",
    "sorry ,", "still editing", "talk on", "that line", "that object",
    "that value", "too many", "top consumers", "type lines", "welcome ,", "what players",
    "which channel", "which way",
    "the last #", "the two new", "the two passwords", "the folded account", "no one",
    "new message", "new messages", "new mail",
})

#: A countdown of the game's notices ("Restarting in 5 minutes", "Reboot in
#: a few minutes", "Back in 5m"): one of these words, up to two counts
#: (a number, one of L{COUNT_WORDS}) and one of L{TIME_UNITS}, wherever they
#: stand (L{_notice}). Days and longer are a story's ("Around the World in
#: 80 Days").
COUNTDOWN_WORDS = frozenset({"in", "within"})
#: Numbers written as words, to ten.
_NUMBER_WORDS = frozenset({"one", "two", "three", "four", "five", "six", "seven", "eight",
                           "nine", "ten"})
#: A count after "in" with no unit ("Reboot in five"): not "a" nor "few",
#: which name things ("Update in a nutshell").
_BARE_COUNTS = _NUMBER_WORDS | frozenset({"fifteen", "twenty", "thirty"})
COUNT_WORDS = _BARE_COUNTS | frozenset({"a", "an", "few", "couple", "several"})
TIME_UNITS = frozenset({
    "second", "seconds", "sec", "secs", "minute", "minutes", "min", "mins", "hour", "hours",
    "hr", "hrs", "moment", "moments", "tick", "ticks",
})
#: A number, some of its digits perhaps written as letters that look like
#: them ("3O", "l5").
_NUMBER = re.compile(r"(?=.*\d)[\dOoIlSsZzBg]+")
#: A number and a unit written as one word after a countdown word ("in 5m").
_NUMBER_AND_UNIT = re.compile(r"\d+(?:s|m|h|sec|secs|min|mins|hr|hrs)")

#: Words that tell when, after a verb's form in -ing or -ed, as the game's
#: notices do ("Rebooting now", "Closing soon", "Restarted again").
NOTICE_ADVERBS = frozenset({"now", "soon", "shortly", "again", "momentarily", "immediately",
                            "today", "tonight"})
#: Particles that end a notice after a verb's form in -ing or -ed ("Going
#: down", "Coming back"), when nothing follows them ("Closing down sale" is
#: a name).
NOTICE_PARTICLES = frozenset({"down", "back", "up", "off"})

#: A character's comings and goings, as the game's lines and other games'
#: notices tell them ("Bob arrives", "Bob left the game", "Carol wakes
#: up", "Bob timed out", "Bob got booted"): a word of these after another word, followed by one of
#: L{PRESENCE_ENDS}, by a comma ("Dave appears, new to this world") or by
#: "the" and one of L{PRESENCE_PLACES}, makes a name a line about a
#: character (L{_notice}); so does one of L{PRESENCE_LAST}, the forms no
#: noun shares, ending it ("Alice joined", "Bob kicked", but "Niagara
#: Falls", "Autumn leaves", "Emergency exits"). First, they are a name's
#: ("Kicked can", "Timed lock").
PRESENCE_VERBS = frozenset({
    "arrives", "arrived", "leaves", "left", "joins", "joined", "rejoins", "rejoined", "quits",
    "quit", "enters", "entered", "exits", "exited", "departs", "departed", "wakes", "woke",
    "awakens", "awoke", "falls", "fell", "goes", "went", "comes", "came", "returns",
    "returned", "appears", "appeared", "disappears", "disappeared", "vanishes", "vanished",
    "connects", "connected", "dies", "died", "sleeps", "slept", "teleports", "teleported",
    "kicked", "booted", "banned", "idles", "idled", "timed",
})
PRESENCE_LAST = PRESENCE_VERBS - frozenset({
    "leaves", "left", "exits", "falls", "fell", "goes", "went", "comes", "came", "returns",
    "sleeps", "slept", "timed"})
PRESENCE_ENDS = frozenset({"home", "asleep", "up", "again", "now", "here", "back", "out"})

#: The game's own actions on its server, as its notices name them
#: ("Restart at midnight", "Maintenance tonight", "Copyover soon"): one of
#: these followed by when (L{_when}: "at" a time of day, "in" a count, one
#: of L{WHEN_WORDS}, a time of day as one word, "Restart 10pm", or one of
#: L{TIME_PREPOSITIONS} and a time that is no count, "Restart by midnight",
#: "Maintenance on Friday"), perhaps with one of L{SCHEDULED} between, makes a
#: name a notice (L{_notice}). Alone or before any other word they are a
#: name's ("Update board", "Restart button", "Maintenance at the docks"),
#: and a time of day without one is a name's too ("Midnight Inn").
SERVER_ACTIONS = frozenset({
    "restart", "restarts", "restarting", "reboot", "reboots", "rebooting", "shutdown",
    "shutdowns", "maintenance", "update", "updates", "updating", "upgrade", "upgrades",
    "upgrading", "downtime", "outage", "copyover", "hotboot", "wipe", "reset", "resets",
    "resetting",
})
#: Words between a server's action and when ("Reboot scheduled at 10pm").
SCHEDULED = frozenset({"scheduled", "planned", "due", "expected"})
#: Words that tell when on their own after a server's action ("Restart
#: imminent", "Maintenance tonight").
WHEN_WORDS = frozenset({
    "now", "soon", "shortly", "tonight", "today", "tomorrow", "imminent", "imminently",
    "momentarily", "immediately", "later",
})
#: Times of day after "at" ("Restart at midnight", "Reboot at ten"), besides
#: numbers ("at 10", "at 10pm", "at 23.00").
HOURS = _NUMBER_WORDS | frozenset({"eleven", "twelve", "midnight", "noon", "midday"})
#: The game's coming back, as other games' notices tell it ("Back at
#: midnight", "Online by 10pm", "Offline until noon"): one of these
#: followed by a time (L{_when}, but for the words of L{WHEN_WORDS}: "Back
#: soon" is a sign's), perhaps with one of L{SCHEDULED} between, makes a
#: name a notice
#: (L{_notice}). Alone or before any other word they are a name's ("Back
#: door", "Back at the ranch", "Online shop").
RETURNS = frozenset({"back", "online", "offline"})
#: Words that put a time after a server's action or its coming back ("Restart
#: by midnight", "Maintenance until noon", "Update on Friday"), when a time
#: that is no count follows them: a time of day written as one word
#: ("10pm", L{_CLOCK}), one of L{NAMED_TIMES} or L{DAYS}. ("at" takes a
#: number or one of L{HOURS} too: "at 10", "at ten"; "Upgrade by two" and
#: "Update for 5 gold" stay names.)
TIME_PREPOSITIONS = frozenset({"at", "by", "before", "after", "until", "till", "from", "on",
                               "for"})
#: Times of day that are no count.
NAMED_TIMES = frozenset({"midnight", "noon", "midday"})
#: Days of the week.
DAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                  "sunday"})
#: A time of day written as one word ("10pm", "23h"), some of its digits
#: perhaps written as letters that look like them.
_CLOCK = re.compile(r"(?=.*\d)[\dOoIlSsZzBg]{1,4}(?:am|pm|h)", re.IGNORECASE)
PRESENCE_PLACES = frozenset({"game", "server", "world", "realm", "mud"})

#: A word as the rules read it: letters and digits (and the symbols that
#: pass for letters in them, L{_LEET}), then what follows an apostrophe in
#: it ("ship's", "won't", "Wizards'"); or a comma.
_WORD = re.compile(r"(?P<base>(?:[^\W_]|[$@\u20ac])+)(?:['\u2019](?P<suffix>[^\W_]*))?|,")

#: Digits and symbols read as the letters they stand for inside a word
#: ("5erver", "Th3", "Sy$tem", "@dmin"); a word of digits alone is a
#: number.
_LEET = str.maketrans("0123456789$@\u20ac", "olzeasbtbgsae")
#: The other letter a digit of L{_LEET} stands for: "1" is an "i" as often
#: as an "l", and the two keep apart in a word's skeleton beside a small
#: "m" ("Adm1n", "m1dn1ght"), so a word is read both ways.
_LEET_OTHER = str.maketrans("1", "i")

#: What follows an apostrophe that makes a word a verb's contraction
#: ("You're", "That'll", "won't"); C{s} may be one too ("There's").
_CONTRACTIONS = frozenset({"re", "ll", "ve", "d", "m", "t"})

#: The punctuation a name may hold (after its look-alikes are read as these,
#: L{world.confusables}): an allowlist. A name is one phrase: no C{:}, C{;},
#: C{!}, C{?}, quotation mark or bracket but round and square ones (a
#: name never starts with one), nor anything that looks like one
#: ("Attention꞉ type password", "Lostʔ Type password").
NAME_PUNCTUATION = frozenset("'-,.&()[]/#_")

#: A full stop ending a word (read as its skeleton), when more words follow:
#: a sentence break, unless the word is an initial or an abbreviation
#: (L{_ABBREVIATIONS}). Matched on the word written backwards, from its
#: start, so that it reads each word once.
_FULL_STOP = re.compile(r"\.([^\W_]*)")
#: The abbreviations a name may hold a full stop after ("Mr. Smith's shop").
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "st", "mt", "ft", "jr", "sr", "no", "co", "ltd", "bros", "capt",
    "col", "gen", "lt", "sgt", "prof", "rev", "fr", "sq", "ave", "rd", "vs", "inc", "esq",
})

#: The direction classes of Unicode's bidirectional algorithm a name may
#: hold: left-to-right letters, European digits and their signs, neutral
#: punctuation and symbols, marks and spaces. Right-to-left letters and
#: Arabic digits would turn the line a name stands in around, in clients
#: that order text by the first strong letter of a line.
_NAME_DIRECTIONS = frozenset({"L", "EN", "ES", "ET", "CS", "ON", "NSM", "WS"})

#: Raise when L{keys} changes: stored indexes are rebuilt on first use.
KEYS_VERSION = 1

#: Speech a name may not embed: a speech verb followed closely by a comma or
#: colon ("Alice says, ...", "whispers to you: ..."), looked for in the
#: name's skeleton, case-folded.
_SPEECH = re.compile(
    r"\b(say|says|said|ask|asks|asked|exclaim|exclaims|exclaimed|whisper|whispers|"
    r"whispered|page|pages|paged|tell|tells|told|shout|shouts|shouted|yell|yells|yelled|"
    r"reply|replies|replied|think|thinks|emote|emotes|pose|poses)\b[^,:]{0,12}[,:]")

#: Scripts that may share one name (UTS #39's "highly restrictive" level):
#: Latin with Han and the Japanese kana, with Han and Bopomofo, or with Han
#: and Hangul. Any other name is letters of one script.
_SCRIPT_SETS = (
    frozenset({"LATIN", "CJK", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "CJK", "BOPOMOFO"}),
    frozenset({"LATIN", "CJK", "HANGUL"}),
)
#: Combining marks that may follow one letter (Vietnamese stacks two).
_MARKS_PER_LETTER = 2

#: Letters, marks and symbols nobody sees: the default-ignorable ones that
#: are not format characters (Hangul fillers, the combining grapheme joiner,
#: Khmer inherent vowels, Mongolian and other variation selectors) and the
#: blank braille pattern.
_UNSEEN = frozenset(
    [0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180F, 0x2800,
     0x3164, 0xFFA0, *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)])
#: Emoji and text presentation selectors: allowed once after a symbol.
_PRESENTATION = "\ufe0e\ufe0f"


def fold(name: str) -> str:
    """
    The key a character's account name is stored under: NFKC-normalised,
    case-folded, without surrounding space.
    """
    return unicodedata.normalize("NFKC", name).casefold().strip()


def unmarked(text: str) -> str:
    """
    C{text} without its combining marks (decomposed first, so C{é} is
    C{e}): a mark inside a word hides nothing from the rules that read it
    ("Yo\u0358ur", "sa\u0358ys").
    """
    return "".join(ch for ch in unicodedata.normalize("NFD", text)
                   if unicodedata.category(ch) not in ("Mn", "Me", "Mc"))


def _shape(text: str) -> str:
    """
    How the rules read C{text}: its confusables skeleton without marks
    (before and after, since the skeleton may map a mark to another).
    """
    return unmarked(skeleton(unmarked(text)))


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


@functools.lru_cache(maxsize=1 << 16)
def keys(name: str) -> frozenset[str]:
    """
    The look-alike keys of C{name}: two names that share one look alike,
    whatever their case, their look-alike letters, accents, and the
    punctuation and spacing between letters. (Skeletons keep case, and a
    capital I looks like a small l where a small i does not: so both the
    skeleton of the folded name and the folded skeleton of the name.)
    """
    normal = unicodedata.normalize("NFKC", name).strip()
    found = {_letters(skeleton(normal.casefold())), _letters(skeleton(normal).casefold())}
    found.discard("")
    return frozenset(found)


def _stamp() -> str:
    return f"{KEYS_VERSION}/{unicode_version()}"


def keys_stamp() -> str:
    """
    What makes L{keys} what they are (their version and the confusables
    table's): an index of keys stamped otherwise is made again.
    """
    return _stamp()


def _index(root: Any) -> OOBTree:
    """
    The characters' look-alike index, rebuilt first if it was made with
    other keys (or is missing: a world being upgraded).
    """
    index = getattr(root, "character_names", None)
    if index is None or getattr(root, "character_names_stamp", None) != _stamp():
        index = register_all(root)
    return index


def register_all(root: Any) -> OOBTree:
    """
    Index every account's look-alike keys afresh.
    """
    index = root.character_names = OOBTree()
    root.character_names_stamp = _stamp()
    for key, account in root.accounts.items():
        for look in keys(account.name):
            index[look] = key
    return index


def register_character(root: Any, name: str) -> None:
    """
    Index a new character's name (call as its account is stored).
    """
    index = _index(root)
    for look in keys(name):
        index[look] = fold(name)


def character_like(root: Any, name: str) -> str | None:
    """
    The folded account name of the character C{name} is or looks like, or
    None. Answers with a key only, never an object.
    """
    if fold(name) in root.accounts:
        return fold(name)
    index = _index(root)
    for look in keys(name):
        found = index.get(look)
        if found is not None:
            return str(found)
    return None


def same_name(typed: str, name: str) -> bool:
    """
    Whether C{typed} is the whole of C{name}: the same letters in any case,
    with or without their accents (C{zoe} is Zoë's name), never a part of
    it (C{ali}) nor other letters that look alike (C{A1ice}).
    """
    return unmarked(fold(typed)) == unmarked(fold(name))


def character_called(root: Any, typed: str) -> str | None:
    """
    The folded account name of the character whose whole name C{typed} is
    (L{same_name}), or None: a name that only looks like hers is not hers
    (L{character_like} finds it, to ask whether she was meant).
    """
    key = character_like(root, typed)
    if key is None:
        return None
    account = root.accounts.get(key)
    return key if account is not None and same_name(typed, account.name) else None


def is_character_name(root: Any, name: str) -> bool:
    """
    Whether C{name} looks like the name of a character in the world C{root}.
    """
    return character_like(root, name) is not None


def refusal(name: str) -> str:
    """
    What to tell someone who tried to give a thing a character's name.
    """
    return (f"{name!r} is, or looks like, a character's name; things, rooms and exits "
            "cannot take it.")


def visible_name(name: str) -> str:
    """
    C{name} as players see it, if every character of it can be seen: its
    NFKC form (full-width, styled and ligature letters as plain ones, odd
    spaces as spaces) with runs of spaces made one. Allowed are letters and
    digits (each followed by at most two combining marks), punctuation,
    symbols (an emoji's presentation selector after one) and single spaces,
    written left to right (L{_NAME_DIRECTIONS}): an allowlist, so no
    zero-width, bidirectional, format, control, private or unassigned
    character, no right-to-left letter, no Hangul filler or blank braille,
    no mark on nothing and no tower of marks.

    @raise WorldError: naming the first character that is refused.
    """
    normal = " ".join(unicodedata.normalize("NFKC", name).split())
    if not normal:
        raise WorldError("A name needs something to see.")
    marks: int | None = None  # marks since the last letter or digit; None: not after one
    after_symbol = False
    for char in normal:
        category = unicodedata.category(char)
        unseen = ord(char) in _UNSEEN
        if char == " " or (category[0] in "LNPS" and not unseen):
            marks = 0 if category[0] in "LN" else None
            after_symbol = category[0] == "S"
            continue
        if char in _PRESENTATION and after_symbol:
            after_symbol = False
            continue
        if (category in ("Mn", "Mc") and not unseen and marks is not None
                and marks < _MARKS_PER_LETTER):
            marks += 1
            continue
        raise WorldError(
            f"{name!r} holds a character that cannot be seen or that changes the text "
            f"around it (U+{ord(char):04X}); a name is letters (with their accents), digits, "
            "punctuation, symbols and single spaces.")
    for char in normal:
        if unicodedata.bidirectional(char) not in _NAME_DIRECTIONS:
            raise WorldError(
                f"{name!r} holds a character written right to left (U+{ord(char):04X}): it "
                "would turn around the line the name is shown in, so names are written left "
                "to right.")
    return normal


#: The longest name or alias of a thing, room or exit, markup included
#: (L{world.rules.MAX_NAME} is this one).
MAX_LENGTH = 80


def check_thing_name(root: Any, name: str) -> str:
    """
    C{name} as a thing, room or exit may take it as its name or an alias:
    its visible form (L{visible_name}). Every rule is checked on the name
    as players read it, its colour markup taken out (C{|nAlice} reads
    C{Alice}), and as they read it if they cannot see some of its colours
    (L{world.phrases.readings_unseen}: C{|xx|nAlice} reads C{Alice} on a
    dark screen, where black is not seen), of which it shows at most
    L{world.phrases.MOST_COLOURS}.

    @raise WorldError: it is longer than L{MAX_LENGTH} (read first: the
        rules below read a name in steps that grow with its length, a few
        words after each of its full stops, "A. B. C. ...", and no name
        reaches them longer), shows too many colours, holds a character
        nobody sees or one written right to left, looks like a
        character's name, embeds speech, starts as the game's lines do
        (L{_game_start}), holds more than one phrase (L{_one_phrase}), or
        does not start with a letter or a digit, read in any of these ways.
    """
    if len(name) > MAX_LENGTH:
        raise WorldError(f"A name may be at most {MAX_LENGTH} characters.")
    if len(colours(name)) > MOST_COLOURS:
        raise WorldError(f"{name!r} shows more than {MOST_COLOURS} colours; a name may show "
                         f"at most {MOST_COLOURS}.")
    _check_reading(root, name, without_markup(unicodedata.normalize("NFKC", name)))
    name = visible_name(name)
    read = visible_name(without_markup(name))
    _check_phrase(name, read)
    for unseen in readings_unseen(name):
        # What players who cannot see some of its colours read: hidden
        # letters must not make it a character's name, or a line's start.
        unseen = " ".join(unseen.split())
        if unseen:
            _check_reading(root, name, unseen)
            _check_phrase(name, unseen)
    return name


def _check_reading(root: Any, name: str, read: str) -> None:
    """
    Refuse C{name}, read as C{read}, if it embeds speech, is or starts with
    a character's name, or starts as the game's lines do.
    """
    shapes = (_shape(read).casefold(), _shape(read.casefold()))
    if any("''" in text or _SPEECH.search(text) for text in shapes):
        raise WorldError(f"{name!r} reads like speech; a name may not hold quotation marks "
                         "or a speech verb followed by a comma or colon.")
    if is_character_name(root, read):
        raise WorldError(refusal(name))
    game = _game_start(read)
    if game is not None:
        raise WorldError(
            f"{name!r} starts with {game!r}, as the game's own lines start (or with a word "
            "that speaks for the game), so it would read as the game's line; start it "
            "otherwise: \"the ...\", or another word.")
    first = _first_word(read)
    if first is not None and is_character_name(root, first):
        raise WorldError(f"{name!r} starts with a character's name, so it would start a line "
                         "as that player; things, rooms and exits cannot take it. Start it "
                         "otherwise: \"the stone wall\", \"Alice's lamp\".")


def _check_phrase(name: str, read: str) -> None:
    """
    Refuse C{name}, read (its visible form) as C{read}, unless it starts
    with a letter or a digit and is one noun phrase.
    """
    if unicodedata.category(read[0])[0] not in "LN":
        raise WorldError(f"{name!r} does not start with a letter or a digit: a name starts "
                         "with one, so that no name reads as a script's mark ([Bob's imp]) "
                         "or as anything else the game writes at the start of a line.")
    shape = _shape(read).casefold()
    _one_phrase(name, read, shape)
    found = _not_a_noun_phrase(read)
    if found is not None:
        words, why = found
        raise WorldError(
            f"{name!r} holds {words!r}, which {why}: a name is a noun phrase, so it does not "
            "speak to the reader (you, your, please), of their login (password, account, log "
            "in), nor read as a sentence (is, was, won't, it's, \"It leads ...\") or as the "
            "game's notice (\"in 5 minutes\", \"Bob left the game\").")


def _one_phrase(name: str, read: str, shape: str) -> None:
    """
    Refuse C{name} (C{read} as players read it) unless it reads as one
    phrase: its punctuation (read in its skeleton C{shape}, so look-alikes
    count as what they look like) is of L{NAME_PUNCTUATION}, but for one
    C{!} that ends it ("ship's bell!", which starts nothing after it), and no full
    stop (or look-alike) ending a word inside it ends a sentence (one after
    an initial or an abbreviation does not: "Mr. Smith's shop", though what
    follows it may not start as the game's lines do). A refusal quotes the
    builder's own words, never their skeletons.

    @raise WorldError: saying which character or full stop breaks it.
    """
    for char in shape[:-1] if shape.endswith("!") else shape:
        if unicodedata.category(char)[0] == "P" and char not in NAME_PUNCTUATION:
            raise WorldError(
                f"{name!r} holds {char!r} (or a character that looks like it); a name is one "
                "phrase, and its punctuation is only " + " ".join(sorted(NAME_PUNCTUATION))
                + ".")
    written = read.split()
    # The name read once, as L{_game_start} reads it, each written word's
    # start in it kept: what follows each full stop is read from there, a
    # few words of it (L{_game_line}), so many full stops cost no more each.
    parts = [unmarked(word) for word in written]
    starts = list(itertools.accumulate((len(part) + 1 for part in parts[:-1]), initial=0))
    text = " ".join(parts)
    words = _read(text)
    first = 0  # the first word read after the full stop at hand
    for at, word in enumerate(written[:-1]):
        stop = _FULL_STOP.match(_shape(word).casefold()[::-1])
        if stop is None:
            continue
        before = stop.group(1)
        if len(before) > 1 and before[::-1] not in _abbreviations():
            raise WorldError(f"{name!r} reads as sentences ({word!r} ends one, then more "
                             "follows); a name is one phrase.")
        while first < len(words) and words[first].start < starts[at + 1]:
            first += 1
        game = _game_line(text, words[first:first + _LINE_WORDS])
        if game is not None:
            raise WorldError(f"{name!r} has {game!r} after a full stop, as the game's own "
                             "lines start: it would read as the game's line.")


@functools.cache
def _abbreviations() -> frozenset[str]:
    """
    L{_ABBREVIATIONS} as L{_one_phrase} reads them: skeletons, case-folded.
    """
    return frozenset(_shape(form).casefold() for word in _ABBREVIATIONS
                     for form in (word, word.capitalize(), word.upper()))


@functools.cache
def _game_keys() -> dict[str, frozenset[str]]:
    """
    The look-alike keys of each table of words the rules read names by
    (L{GAME_WORDS} but C{the}, L{AUTHORITY}, L{AFTER_THE}, L{ADDRESS},
    L{SENTENCE_WORDS}, and C{the}); each as written, capitalised and in
    capitals.
    """
    def every(words: frozenset[str]) -> frozenset[str]:
        return frozenset(k for word in words for k in _game_keys_of(word))
    return {"game": every(GAME_WORDS - {_NAME_ARTICLE}), "authority": every(AUTHORITY),
            "after_the": every(AFTER_THE), "nouns_after_the": every(NOUNS_AFTER_THE),
            "address": every(ADDRESS), "sentence": every(SENTENCE_WORDS),
            "the": every(frozenset({_NAME_ARTICLE})), "reader": every(READER),
            "login": every(LOGIN_WORDS), "log": every(LOG_VERBS),
            "particle": every(LOG_PARTICLES), "back": every(frozenset({"back"})),
            "determiner": every(_DETERMINERS), "finite": every(FINITE_VERBS),
            "subject": every(SUBJECTS), "contracted": every(_CONTRACTED),
            "reader_joined": every(READER - {"pls", "plz"}),
            "countdown": every(COUNTDOWN_WORDS), "count": every(COUNT_WORDS),
            "unit": every(TIME_UNITS), "adverb": every(NOTICE_ADVERBS),
            "notice_particle": every(NOTICE_PARTICLES), "presence": every(PRESENCE_VERBS),
            "presence_last": every(PRESENCE_LAST), "presence_end": every(PRESENCE_ENDS),
            "presence_place": every(PRESENCE_PLACES),
            "login_joined": every(LOGIN_WORDS - SHORT_LOGIN_WORDS),
            "login_inside": every(LOGIN_INSIDE), "server_action": every(SERVER_ACTIONS),
            "scheduled": every(SCHEDULED), "when": every(WHEN_WORDS), "hour": every(HOURS),
            "bare_count": every(_BARE_COUNTS), "at": every(frozenset({"at"})),
            "in": every(frozenset({"in"})), "returns": every(RETURNS),
            "time_preposition": every(TIME_PREPOSITIONS),
            "named_time": every(NAMED_TIMES | DAYS)}


@functools.cache
def _openings() -> dict[str, tuple[tuple[frozenset[str] | str, ...], ...]]:
    """
    L{GAME_OPENINGS} as L{_opening} matches them: each word's look-alike
    keys, or C{","} or C{"#"}; by the look-alike keys of their first word
    (always a word), so a name's first word finds the few it may start.
    """
    def part(word: str) -> frozenset[str] | str:
        return word if word in ",#" else frozenset(
            k for form in (word, word.capitalize(), word.upper()) for k in keys(form))
    by_first: dict[str, list[tuple[frozenset[str] | str, ...]]] = {}
    for opening in sorted(GAME_OPENINGS):
        parts = tuple(part(word) for word in opening.split())
        assert isinstance(parts[0], frozenset)
        for key in sorted(parts[0]):
            by_first.setdefault(key, []).append(parts)
    return {key: tuple(found) for key, found in by_first.items()}


@attrs.frozen
class _Word:
    """
    A word of a name as the rules read it (L{_read}).

    @ivar start: where it starts in the text read.
    @ivar end: where it ends.
    @ivar looks: the look-alike keys of its letters (digits and symbols
        read as letters, L{_LEET}).
    @ivar suffix: what follows its apostrophe, case-folded ("s" in
        "ship's", "" in "Wizards'"), or None.
    @ivar number: whether it is digits alone.
    @ivar comma: whether a comma (or a look-alike) follows it.
    @ivar letters: its letters before an apostrophe, digits and symbols
        read as letters (L{_LEET}), but for a number.
    """

    start: int
    end: int
    looks: frozenset[str]
    suffix: str | None
    number: bool
    comma: bool
    letters: str

    def ends(self, *endings: str) -> bool:
        """
        Whether it reads as a verb's form with one of C{endings}, in a
        word of five letters or more ("failed", "restarting"; not "steed").
        """
        return any(len(k) >= 5 and k.endswith(endings) and not k.endswith("eed")
                   for k in self.looks)


def _read(text: str, most: int | None = None) -> list[_Word]:
    """
    The words of C{text} (NFKC, without marks), as L{_game_start} reads
    them: its first C{most} words (None: all of them), read in one pass.
    """
    found = list(itertools.islice((m for m in _WORD.finditer(text) if m.group(0) != ","),
                                  None if most is None else most + 1))
    words = []
    for at, match in enumerate(found[:most]):
        base = match.group("base")
        number = base.isdigit()
        gap = text[match.end():found[at + 1].start() if at + 1 < len(found) else len(text)]
        suffix = match.group("suffix")
        letters = base if number else base.translate(_LEET)
        looks = keys(letters) if number else keys(letters) | keys(base.translate(
            _LEET_OTHER).translate(_LEET))
        words.append(_Word(match.start(), match.end(), looks,
                           None if suffix is None else suffix.casefold(), number,
                           "," in _shape(gap), letters))
    return words


def _opening(words: list[_Word]) -> int | None:
    """
    Where in the text the opening of the game's line C{words} start with
    ends (L{GAME_OPENINGS}), or None.
    """
    by_first = _openings()
    if not words:
        return None
    for opening in dict.fromkeys(opening for key in sorted(words[0].looks)
                                 for opening in by_first.get(key, ())):
        at, end = 0, None
        for part in opening:
            if part == ",":
                if at == 0 or not words[at - 1].comma:
                    break
                end = words[at - 1].end + 1
                continue
            if at >= len(words):
                break
            word = words[at]
            if not (word.number if part == "#" else
                    isinstance(part, frozenset) and word.looks & part):
                break
            at, end = at + 1, word.end
        else:
            return end
    return None


def _game_start(name: str) -> str | None:
    """
    The builder's words C{name} (as players read it) starts with, if they
    would start the line it stands at as the game's. Words are read
    without their marks, as their skeletons, with digits and symbols inside
    a word as the letters they stand for ("Yo\u0358ur", "Y0ur", "Th3",
    "5erver", "Sy$tem"). A name speaks for the game when it starts with:
      - an opening of the game's lines (L{GAME_OPENINGS}: "Still
        editing", "The last 20 lines");
      - a word that speaks for the game (L{AUTHORITY}: "System", "Server
        room"), or after "The" one that does or one of L{AFTER_THE}
        followed by more ("The script on Biscuit failed");
      - a word that speaks to the player (L{ADDRESS}) followed by more;
      - a word the game starts its lines with (L{GAME_WORDS}) followed by
        a word that carries on a sentence (L{SENTENCE_WORDS}, a "n't":
        "Welcome back", "Nobody is here"), or by one of L{AFTER_THE}
        ("Type password now"), or as a contraction ("There're").
    "Welcome mat", "New Street" and "Library" are names. A possessive
    ("Wizards' Tower", "The wizard's tower") is a name's, but the "'s" of
    a word that speaks for the game, names its workings or starts its
    lines may be "is" or "has": what follows it carries on a line if it is
    one of L{SENTENCE_WORDS}, a past form ("The script's failed"), after
    one of L{AFTER_THE} a form in -ing ("The server's restarting"), or a
    game word followed by more ("The server's shutting down").
    """
    text = unmarked(unicodedata.normalize("NFKC", name)).strip()
    return _game_line(text, _read(text, _LINE_WORDS))


#: How many words of a name L{_game_line} reads: an opening of the game's
#: lines is at most three words, and what follows a possessive ("The
#: server's shutting down") at most three more, so a reading of the words
#: after each full stop of a name (L{_one_phrase}) costs the same, however
#: many follow.
_LINE_WORDS = 8


def _game_line(text: str, words: list[_Word]) -> str | None:
    """
    L{_game_start} of the words C{words} of C{text} (read by L{_read}),
    read from the first: the builder's words they start with if they would
    start a line as the game's, or None. Reads at most L{_LINE_WORDS} of
    them.
    """
    words = words[:_LINE_WORDS]
    if not words:
        return None
    table = _game_keys()

    def said(at: int) -> str:
        return text[words[0].start:words[at].end]

    opening = _opening(words)
    if opening is not None:
        return text[words[0].start:opening]
    start = int(len(words) > 1 and words[0].suffix is None
                and bool(words[0].looks & table["the"]))
    head = words[start]
    more = len(words) > start + 1
    if head.looks & table["authority"] or (start and head.looks & table["after_the"]):
        if head.suffix == "s":
            strong = bool(head.looks & table["after_the"])
            return said(start + 1) if more and _carries_on(text, words, start + 1,
                                                            strong) else None
        if head.suffix is not None and head.suffix not in _CONTRACTIONS:
            return None
        return said(start) if more or head.looks & table["authority"] else None
    if start and head.looks & table["nouns_after_the"]:
        return said(start + 1) if more and _carries_on(text, words, start + 1, True) else None
    if start or not more:
        return None
    if head.looks & table["address"]:
        return said(0)
    if not head.looks & table["game"]:
        return None
    if head.suffix == "s":
        return said(1) if _carries_on(text, words, 1, False) else None
    if head.suffix is not None:
        return said(0) if head.suffix in _CONTRACTIONS else None
    after = words[1]
    if after.looks & (table["sentence"] | table["after_the"]) or after.suffix == "t":
        return said(1)
    return None


def _not_a_noun_phrase(name: str) -> tuple[str, str] | None:
    """
    The builder's words in C{name} (as players read it) that make it more
    than a noun phrase, wherever they stand, and what they do, or None:
      - a word to the reader (L{READER}: "Please ...", "Enter your
        password");
      - a word about their login (L{LOGIN_WORDS}, L{LOGIN_PHRASES}:
        "Session expired", "Enter character name"; L{LOGIN_INSIDE} inside
        a longer word: "Loginscreen"), or logging in or out
        (L{LOG_VERBS}: "log in", "sign back on"), but for "Log on the fire";
      - a finite verb (L{FINITE_VERBS}: "It is locked"), a verb's
        contraction ("won't", "Shop'll", "It's": L{_CONTRACTIONS}), or a
        subject pronoun that starts it followed by more (L{SUBJECTS}: "It
        leads to the cellar");
      - a notice of the game's (L{_notice}: "Restarting in 5 minutes",
        "Bob left the game").
    Words are read as L{_game_start} reads them: without marks, as their
    skeletons, digits and symbols in them as letters ("y0ur", "P4ssword").
    """
    text = unmarked(unicodedata.normalize("NFKC", name)).strip()
    words = _read(text)
    table = _game_keys()
    for at, word in enumerate(words):
        said = text[word.start:word.end]
        if word.looks & table["reader"]:
            return said, _TO_THE_READER
        if word.looks & table["login"] or any(
                inside in k for k in word.looks for inside in table["login_inside"]):
            return said, _OF_LOGIN
        if word.looks & table["finite"] or word.suffix in _CONTRACTIONS or (
                word.suffix == "s" and word.looks & table["contracted"]):
            return said, _A_SENTENCE
        rest = words[at + 1:]
        for first, second in map(str.split, LOGIN_PHRASES):
            if rest and word.looks & _game_keys_of(first) and rest[0].looks & _game_keys_of(
                    second):
                return text[word.start:rest[0].end], _OF_LOGIN
        if word.looks & table["log"] and word.suffix is None:
            if rest and rest[0].looks & table["back"]:
                rest = rest[1:]
            if rest and rest[0].looks & table["particle"] and not (
                    len(rest) > 1 and rest[1].looks & table["determiner"]):
                return text[word.start:rest[0].end], _OF_LOGIN
    if (len(words) > 1 and words[0].looks & table["subject"] and words[0].suffix is None
            and _apart(text, words, 0)):
        return text[words[0].start:words[1].end], _A_SENTENCE
    return _notice(text, words) or _split_word(text, words)


def _notice(text: str, words: list[_Word]) -> tuple[str, str] | None:
    """
    The builder's words that make C{text} a notice of the game's, with what
    they do, or None, wherever they stand:
      - a countdown (L{COUNTDOWN_WORDS}: "Restarting in 5 minutes", "Reboot
        in a few mins", "Back in 5m");
      - a verb's form in -ing or -ed followed by a word that tells when
        (L{NOTICE_ADVERBS}: "Rebooting now") or by a particle that ends the
        name (L{NOTICE_PARTICLES}: "Going down");
      - an action of the server's followed by when (L{SERVER_ACTIONS},
        L{_when}: "Restart at midnight", "Restart 10pm", "Reboot in five",
        "Maintenance tonight", "Restart by midnight"), or its coming back
        followed by a time (L{RETURNS}: "Back at midnight", "Online by
        10pm");
      - a character's coming or going after a word (L{PRESENCE_VERBS}: "Bob
        left the game", "Carol wakes up", "Alice joined"), but after "the"
        or another determiner ("The departed") or an adverb in -ly
        ("Dearly departed").
    Words joined by a hyphen are one word here ("Going-away party").
    """
    table = _game_keys()

    for at, word in enumerate(words):
        rest = words[at + 1:]
        if word.looks & table["countdown"] and rest:
            count = 0
            while count < 2 and count < len(rest) and (
                    _NUMBER.fullmatch(text[rest[count].start:rest[count].end])
                    or rest[count].looks & table["count"]):
                count += 1
            if count and count < len(rest) and rest[count].looks & table["unit"]:
                return text[word.start:rest[count].end], _A_NOTICE
            joined = text[rest[0].start:rest[0].end].casefold()
            if _NUMBER_AND_UNIT.fullmatch(joined):
                return text[word.start:rest[0].end], _A_NOTICE
        if not rest or word.suffix is not None or not _apart(text, words, at):
            continue
        if word.ends("ing", "ed") and (rest[0].looks & table["adverb"] or (
                len(rest) == 1 and rest[0].looks & table["notice_particle"])):
            return text[word.start:rest[0].end], _A_NOTICE
    for at, word in enumerate(words):
        rest = words[at + 1:]
        action = bool(word.looks & table["server_action"])
        if (action or word.looks & table["returns"]) and word.suffix is None and rest:
            if rest[0].looks & table["scheduled"] and rest[0].suffix is None:
                rest = rest[1:]
            end = _when(text, rest, action)
            if end is not None:
                return text[word.start:end], _A_NOTICE
    for at in range(1, len(words)):
        word, before = words[at], words[at - 1]
        if (not word.looks & table["presence"] or word.suffix is not None
                or not _apart(text, words, at - 1)):
            continue
        if before.looks & (table["the"] | table["determiner"]) or (
                len(before.letters) > 4 and before.letters.casefold().endswith("ly")):
            continue
        rest = words[at + 1:]
        if not rest:
            if word.looks & table["presence_last"]:
                return text[before.start:word.end], _A_NOTICE
            continue
        if len(rest) > 1 and rest[0].looks & table["the"] and rest[1].looks & table[
                "presence_place"]:
            return text[before.start:rest[1].end], _A_NOTICE
        if word.comma or (rest[0].looks & table["presence_end"] and _apart(text, words, at)):
            return text[before.start:rest[0].end], _A_NOTICE
    return None


def _apart(text: str, words: list[_Word], at: int) -> bool:
    """
    Whether C{words[at]} and C{words[at + 1]} of C{text} are apart: not one
    word joined by a hyphen (or a look-alike: "He-Man", "Going-away").
    """
    return "-" not in _shape(text[words[at].end:words[at + 1].start])


def _when(text: str, words: list[_Word], whenever: bool = True) -> int | None:
    """
    Where the words that tell when at the start of C{words} end, or None:
    one of L{WHEN_WORDS} ("tonight", if C{whenever}), a time of day written
    as one word ("10pm", "23h"), "at" and a time of day (a number, "10pm",
    one of L{HOURS}: "at midnight", "at 23.00"; unless C{whenever}, a
    number that ends the name or a clause: "Back at 10", but "Back at ten
    paces"), another of
    L{TIME_PREPOSITIONS} and a time that is no count ("by midnight", "until
    10pm", "on Friday"), or "in" and a count
    that ends the name or a clause ("in five", "in 3,"; a count and its unit
    are a countdown wherever they stand, L{_notice}), but for "Upgrade in
    one piece".
    """
    if not words:
        return None
    table = _game_keys()
    first = words[0]
    if first.suffix is not None:
        return None
    if (whenever and first.looks & table["when"]) or _CLOCK.fullmatch(
            text[first.start:first.end]):
        return first.end
    if len(words) < 2:
        return None
    then = words[1]
    said = text[then.start:then.end]
    if first.looks & table["at"] and (_NUMBER.fullmatch(said) or then.looks & table["hour"]) and (
            whenever or len(words) == 2 or then.comma):
        return then.end
    if first.looks & table["time_preposition"] and (
            _CLOCK.fullmatch(said) or then.looks & table["named_time"]):
        return then.end
    if first.looks & table["in"] and (_NUMBER.fullmatch(said) or then.looks & table[
            "bare_count"]) and (len(words) == 2 or then.comma):
        return then.end
    return None


def _split_word(text: str, words: list[_Word]) -> tuple[str, str] | None:
    """
    A word to the reader or of a login split into several words, read as
    one ("pass word", "p a s s w o r d", "Yo ur", "Pass-word"), with what
    it does, or None: words next to each other are read joined, up to the
    length of the longest such word. ("pls", "plz", "pw" and "pwd" are
    read alone only, so initials such as "P. L. S." and "P. W." stay a
    name's; "Log on the fire" is read as a log on the fire, L{LOG_VERBS}.)
    """
    table = _game_keys()
    wanted = table["reader_joined"] | table["login_joined"]
    for at in range(len(words) - 1):
        letters = words[at].letters
        for end in range(at + 1, len(words)):
            if words[end - 1].suffix is not None:
                break
            letters += words[end].letters
            if len(letters) > _LONGEST_SPLIT:
                break
            if (end == at + 1 and words[at].looks & table["log"]
                    and words[end].looks & table["particle"]):
                continue  # "log on", "sign in": read by L{_not_a_noun_phrase}
            if keys(letters) & wanted:
                why = _OF_LOGIN if keys(letters) & table["login"] else _TO_THE_READER
                return text[words[at].start:words[end].end], why
    return None


#: The most letters a word of L{READER} or L{LOGIN_WORDS} has: words are
#: read joined up to it (L{_split_word}).
_LONGEST_SPLIT = max(map(len, READER | LOGIN_WORDS))
_TO_THE_READER = "speaks to the reader"
_OF_LOGIN = "speaks of a player's login"
_A_SENTENCE = "makes it a sentence"
_A_NOTICE = "reads as the game's notice"


@functools.cache
def _game_keys_of(word: str) -> frozenset[str]:
    """
    The look-alike keys of C{word} as written, capitalised and in capitals.
    """
    return frozenset(k for form in (word, word.capitalize(), word.upper()) for k in keys(form))


def _carries_on(text: str, words: list[_Word], at: int, strong: bool) -> bool:
    """
    Whether C{words[at]}, after a word's "'s" that may be "is" or "has",
    carries on a line: one of L{SENTENCE_WORDS} or a "n't", a past form
    ("failed"), after the game's workings (C{strong}) a form in -ing, or a
    word that speaks for the game, to the player or starts its lines,
    followed by more.
    """
    table = _game_keys()
    word = words[at]
    if word.looks & table["sentence"] or word.suffix == "t" or word.ends("ed"):
        return True
    if strong and word.ends("ing"):
        return True
    if at + 1 < len(words) and word.looks & (table["game"] | table["authority"]
                                              | table["address"]):
        return True
    return _game_line(text, words[at:]) is not None


@functools.cache
def _authority_keys() -> tuple[tuple[str, str], ...]:
    """
    Each look-alike key of each word of L{AUTHORITY} (L{_game_keys_of}),
    with the word, longest first.
    """
    return tuple(sorted(((k, word) for word in AUTHORITY for k in _game_keys_of(word)),
                        key=lambda pair: (-len(pair[0]), pair)))


def run_together_authority(word: str) -> str | None:
    """
    The word that speaks for the game (L{AUTHORITY}) that C{word}, words
    run together with no space between (a channel's name: C{staffchat},
    C{systemnews}, C{mudadmins}), is, starts with (after a C{the} too:
    C{thestaff}) or ends with (or but for a plural's C{s}), read as a
    name's words are (L{_game_start}: look-alike letters, digits and
    symbols as the letters they stand for, C{st4ffchat}); or None. A name
    of a thing refuses these words at the start of a word; where no space
    shows where a word starts, a word's either end may be one.
    """
    words = _read(unmarked(unicodedata.normalize("NFKC", word)), 1)
    if not words:
        return None
    the = _game_keys()["the"]
    for look in words[0].looks:
        bare = look[:-1] if look.endswith("s") else look
        after = [look[len(t):] for t in the if look.startswith(t) and len(look) > len(t)]
        for key, authority in _authority_keys():
            if (look.startswith(key) or bare.endswith(key)
                    or any(rest.startswith(key) for rest in after)):
                return authority
    return None


def _first_word(name: str) -> str | None:
    """
    The first word of C{name}, if it has several: a room's name starts the
    line of its title, a thing's name starts the game's lines about it, so
    C{Alice waves} would read as Alice's emote. (C{Alice's lamp} has
    C{Alice's} for a first word, which is no one's name.)
    """
    words = unicodedata.normalize("NFKC", name).split()
    return words[0] if len(words) > 1 else None


def _script(char: str) -> str:
    """
    The script of a letter, as the first word of its Unicode name says
    (C{LATIN}, C{CYRILLIC}, C{CJK}, ...).
    """
    return unicodedata.name(char, "?").split()[0]


def check_character_name(name: str) -> str:
    """
    C{name} in NFC with a capital first letter, if a character may take it:
    letters (category L, of one script or one of L{_SCRIPT_SETS}), each
    followed by at most two combining marks, with a hyphen or apostrophe
    only between letters. Styled and full-width forms (which NFKC changes)
    and right-to-left letters (which turn the line around them) are refused.
    Its length is not checked here.

    @raise WorldError: saying which rule it breaks.
    """
    name = unicodedata.normalize("NFC", name)
    rule = ("A name is letters, with a hyphen or apostrophe only between letters (Ann-Marie, "
            "O'Neil, Zoë).")
    if unicodedata.normalize("NFKC", name) != name:
        raise WorldError(rule + " Styled, full-width or joined letters are not accepted: "
                         "write them plainly.")
    scripts: set[str] = set()
    marks = None  # marks since the last letter; None: not after a letter
    for i, char in enumerate(name):
        category = unicodedata.category(char)
        if category in ("Lu", "Ll", "Lt", "Lo"):
            if unicodedata.bidirectional(char) in ("R", "AL"):
                raise WorldError("Letters written right to left are not accepted in names: "
                                 "they turn the text around them.")
            scripts.add(_script(char))
            marks = 0
        elif category in ("Mn", "Mc") and marks is not None and marks < _MARKS_PER_LETTER:
            marks += 1
        elif (char in "-'" and marks is not None and i + 1 < len(name)
              and unicodedata.category(name[i + 1]).startswith("L")):
            marks = None
        else:
            raise WorldError(rule)
    if len(scripts) > 1 and not any(scripts <= allowed for allowed in _SCRIPT_SETS):
        raise WorldError("A name's letters must come from one alphabet (they could pass for "
                         "another name).")
    first = name[0].upper()
    return (first if len(first) == 1 else name[0]) + name[1:]


def thing_looks(given: Iterable[str]) -> set[str]:
    """
    The look-alike keys under which a thing, room or exit with the names
    C{given} (its name and aliases, as given) refuses a new account's name
    (L{account_refusal}): the keys of each name as it reads, and of its
    first word if it has several. The index of names keeps them
    (L{world.registries.NameIndex.by_look}).
    """
    found: set[str] = set()
    for name in map(without_markup, given):
        found |= keys(name)
        first = _first_word(name)
        if first is not None:
            found |= keys(first)
    return found


def _refused_by(obj: Any, name: str, mine: frozenset[str]) -> str | None:
    """
    Why the thing, room or exit C{obj} refuses an account called C{name}
    (with look-alike keys C{mine}), or None.
    """
    for other in map(without_markup, (obj.name, *obj.aliases)):
        if mine & keys(other):
            return (f"Something in this world is already called {other!r}, and a "
                    "character may not share a name with a thing; choose another name.")
        first = _first_word(other)
        if first is not None and mine & keys(first):
            return (f"Something in this world is called {other!r}, which would read as "
                    f"{name} doing something; choose another name.")
    return None


def account_refusal(root: Any, name: str) -> str | None:
    """
    Why a new account may not be called C{name}, or None: it looks like an
    existing character's name, or like the name or alias of a thing, room
    or exit, or the first word of one (each is refused the other's name, by
    the same comparison). Reads the characters' look-alike index and the
    index of names by look-alike key (L{thing_looks}), and only the objects
    they name, never every object of the world (but a world whose index of
    names is not made yet).
    """
    like = character_like(root, name)
    if like is not None:
        shown = root.accounts[like].name if like in root.accounts else like
        if fold(shown) == fold(name):
            return (f"There is already a character called {shown}. "
                    f"If it is yours, type 'connect {shown} <password>'.")
        return f"{name} looks too much like {shown}, who already plays here; choose another name."
    mine = keys(name)
    index = getattr(root, "name_index", None)
    if index is None or index.by_look is None or index.looks_made_by != _stamp():
        candidates: Iterable[Any] = root.all()  # (not indexed yet: look through them all)
    else:
        candidates = filter(None, map(root.get, index.looking(mine)))
    for obj in candidates:
        if obj.kind == "character":
            continue
        refused = _refused_by(obj, name, mine)
        if refused is not None:
            return refused
    return None


def stored_refusals(root: Any) -> list[tuple[int, str, str]]:
    """
    The names and aliases of the things, rooms and exits stored in the
    world C{root} that L{check_thing_name} refuses now, with each one's id
    and the refusal, in id order. A rule made stricter does not rename what
    was named before it: nothing is changed here, and a wizard renames what
    is listed (C{@name}), so no builder loses a name silently. Reads every
    object: for a report at start, not a player's command (which reads a
    page at a time, L{refusals_from}).
    """
    return refusals_from(root, 0, None, None)[0]


def refusals_from(root: Any, start: int, most: int | None, reading: int | None, *,
                  checking: int | None = None) -> tuple[list[tuple[int, str, str]], int | None]:
    """
    L{stored_refusals} of the objects numbered C{start} or more, up to
    C{most} names (an object's names all on one page: C{most} is at least
    one object's names and aliases), reading at most C{reading} objects
    and checking at most C{checking} names (None: no limit; an object's
    names are checked together, so a page checks at least one object's),
    and the number of the next object to read, or None when all were read.
    A wizard's command reads the world a page at a time this way, each page
    bounded in what it reads, in the work of checking names (each check
    is bounded in its turn, L{check_thing_name}) and in what it shows.
    """
    found: list[tuple[int, str, str]] = []
    if not root.objects or start > root.objects.maxKey():
        return found, None  # past every object (and past what the tree may be asked)
    read = checked = 0
    for ref, obj in root.objects.items(min=start):
        if reading is not None and read >= reading:
            return found, ref
        read += 1
        if obj.kind == "character":
            continue
        given_names = (obj.name, *obj.aliases)
        if checking is not None and checked and checked + len(given_names) > checking:
            return found, ref  # its names all checked on the next page
        checked += len(given_names)
        these = []
        for given in given_names:
            try:
                check_thing_name(root, given)
            except WorldError as error:
                these.append((obj.id, given, str(error)))
        if most is not None and found and len(found) + len(these) > most:
            return found, ref  # its names all on the next page, never past C{most}
        found.extend(these)
    return found, None


#: Raise when L{check_thing_name} refuses names it took before: a world's
#: stored names are read again at its next start (L{rules_changed}).
RULES_VERSION = 6


def _rules_stamp() -> str:
    return f"{RULES_VERSION}/{unicode_version()}"


def rules_changed(root: Any) -> bool:
    """
    Whether the rules of names (their L{RULES_VERSION} or the confusables
    table's) changed since the world C{root}'s stored names were last read
    under them (L{rules_read}). The server then reads them again at start,
    a page of objects a turn (L{refusals_from}, L{engine.tap.WorldService}),
    and logs those refused, so a wizard learns which names to rename; nothing
    is renamed.
    """
    return getattr(root, "name_rules_stamp", None) != _rules_stamp()


def rules_read(root: Any) -> None:
    """
    The world C{root}'s stored names were all read under the rules of names
    now: L{rules_changed} is false until they change.
    """
    root.name_rules_stamp = _rules_stamp()
