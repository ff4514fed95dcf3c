# -*- test-case-name: tests.world.test_mail,tests.engine.test_mail -*-
"""
Mail: messages for characters, kept in the world until their readers delete
them, so that players can write to someone who is asleep.

Each character has a L{Mailbox} (made when its first message arrives) of
numbered L{Message}s. Everything is bounded: a subject is one line of at
most L{MAX_SUBJECT} characters, a body at most L{MAX_BODY} characters in
L{MAX_BODY_LINES} lines, a mailbox at most L{MAX_MESSAGES} messages, of
which at most L{MAX_FROM_ONE} from any one sender (so that nobody can fill
another's mailbox and make her friends' mail bounce), one message at most
L{MAX_RECIPIENTS} recipients. (The rate of sending, and what each
message costs its writer's stored-bytes quota while a mailbox keeps it,
are the engine's: L{engine.commands.mail}.)

Mail costs its writer only while its reader has not chosen to keep it: a
message not read yet may be taken back by its writer (L{retractable}); a
read one expires L{READ_LIFETIME} seconds after it was first read
(L{expired}), unless its reader keeps it (L{Message.kept}: the engine then
charges the reader instead), so that no reader holds a part of a writer's
quota for longer than that.

Storage: an C{IOBTree} declared on the world root (L{world.root.WorldRoot.mail},
generation 6): character id → L{Mailbox}. Each mailbox indexes its messages
by writer (L{Mailbox.by_writer}, generation 18), so that sending one and
reviewing one's own read a writer's few, never the whole mailbox.
"""

from __future__ import annotations

from typing import Any

from BTrees.IIBTree import IITreeSet
from BTrees.IOBTree import IOBTree
from persistent import Persistent

from world.errors import WorldError
from world.phrases import one_line

#: The longest subject, in characters.
MAX_SUBJECT = 80
#: The longest body, in characters.
MAX_BODY = 4000
#: The most lines a body may have.
MAX_BODY_LINES = 60
#: The most messages a mailbox holds.
MAX_MESSAGES = 100
#: The most messages of one sender a mailbox holds: a mailbox is shared
#: fairly between those who write to it.
MAX_FROM_ONE = 20
#: The most recipients of one message.
MAX_RECIPIENTS = 5
#: How long a read message stays, in seconds after it was first read, unless
#: its reader keeps it (30 days).
READ_LIFETIME = 30 * 24 * 3600


class Message(Persistent):
    """
    One message in one mailbox.

    @ivar number: its number in the mailbox (1, 2, ...; never reused while
        the mailbox has messages).
    @ivar sender: the id of the character who sent it.
    @ivar sender_name: its name when it was sent.
    @ivar recipients: the names it was sent to (for the header).
    @ivar subject: one line.
    @ivar body: the text (lines separated by C{\\n}).
    @ivar sent: when (clock seconds).
    @ivar read: whether its reader has read it.
    @ivar read_at: when it was first read (clock seconds), or None: not
        read yet, or read in a world stored before this was kept (its
        expiry starts when its mailbox is next looked at, L{expired}).
    @ivar kept: its reader keeps it: it never expires, and what it stores
        is charged to the reader, not its writer.
    @ivar charged: the bytes of stored-bytes quota it was charged (by the
        engine, L{engine.commands.mail}; 0 for messages a world stored
        before mail was charged): to C{sender}, or to its reader once
        C{kept}; refunded when it is deleted, retracted or expires.
    """

    charged = 0
    read_at: float | None = None
    kept = False

    def __init__(self, number: int, sender: int, sender_name: str,
                 recipients: tuple[str, ...], subject: str, body: str, sent: float) -> None:
        self.number = number
        self.sender = sender
        self.sender_name = sender_name
        self.recipients = recipients
        self.subject = subject
        self.body = body
        self.sent = sent
        self.read = False


class Mailbox(Persistent):
    """
    One character's messages.

    @ivar messages: number → L{Message}.
    @ivar unread: how many are not read yet.
    @ivar next_expiry: the earliest time (clock seconds) a message of it may
        expire (L{expired} reads no message before then), or None: no read
        message is waiting to expire. Never later than the truth (a
        message kept or deleted since leaves it early, and the next
        L{expired} after it puts it right); 0.0 for a mailbox a world
        stored before it was kept (L{expired} looks through it once).
    @ivar by_writer: writer's character id → C{IITreeSet} of the numbers
        of their messages here (at most L{MAX_FROM_ONE}), so that
        L{deliver} and L{sent_by} read one writer's, not every message;
        None for a mailbox a world stored before it was kept (L{writers}
        indexes it the first time it is needed, as the upgrade to
        generation 18 does at start).
    """

    next_expiry: float | None = 0.0
    by_writer: IOBTree | None = None

    def __init__(self) -> None:
        self.messages: IOBTree = IOBTree()
        self.next_number = 1
        self.unread = 0
        self.next_expiry = None
        self.by_writer = IOBTree()

    def __len__(self) -> int:
        return len(self.messages)


def mailbox(root: Any, character_id: int) -> Mailbox | None:
    """
    C{character_id}'s mailbox, if anything was ever sent to it.
    """
    return root.mail.get(character_id)


def writers(box: Mailbox) -> IOBTree:
    """
    C{box}'s index of messages by writer (L{Mailbox.by_writer}), made from
    its messages, reading them all once, if it was stored before it had one.
    """
    if box.by_writer is None:
        index = IOBTree()
        for number, message in box.messages.items():
            mine = index.get(message.sender)
            if mine is None:
                mine = index[message.sender] = IITreeSet()
            mine.insert(number)
        box.by_writer = index
    return box.by_writer


def check_subject(text: str) -> str:
    """
    C{text} as a subject: one line, at most L{MAX_SUBJECT} characters.

    @raise WorldError: empty or too long.
    """
    text = one_line(text)
    if not text:
        raise WorldError("A message needs a subject.")
    if len(text) > MAX_SUBJECT:
        raise WorldError(f"A subject may be at most {MAX_SUBJECT} characters.")
    return text


def check_body(text: str) -> str:
    """
    C{text} as a message's body: control characters out (line breaks kept),
    within L{MAX_BODY} characters and L{MAX_BODY_LINES} lines.

    @raise WorldError: empty or too long.
    """
    lines = [one_line(line) for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    body = "\n".join(lines)
    if not body.strip():
        raise WorldError("The message is empty; nothing was sent.")
    if len(lines) > MAX_BODY_LINES:
        raise WorldError(f"A message may have at most {MAX_BODY_LINES} lines.")
    if len(body) > MAX_BODY:
        raise WorldError(f"A message may be at most {MAX_BODY} characters long.")
    return body


def deliver(root: Any, recipient: int, recipient_name: str, sender: int, sender_name: str,
            recipients: tuple[str, ...], subject: str, body: str, now: float) -> Message:
    """
    Put a message in C{recipient}'s mailbox (made if it has none).

    @raise WorldError: the mailbox is full, or holds L{MAX_FROM_ONE}
        messages of C{sender} already (the caller's turn is rolled back,
        so a message to several reaches all or none).
    """
    box = root.mail.get(recipient)
    if box is None:
        box = root.mail[recipient] = Mailbox()
    index = writers(box)
    mine = index.get(sender)
    if mine is not None and len(mine) >= MAX_FROM_ONE:
        raise WorldError(f"{recipient_name}'s mailbox already holds {MAX_FROM_ONE} messages "
                         "from you, the most it keeps from one writer; nothing was sent.")
    if len(box) >= MAX_MESSAGES:
        raise WorldError(f"{recipient_name}'s mailbox is full ({MAX_MESSAGES} messages); "
                         "nothing was sent.")
    message = Message(box.next_number, sender, sender_name, recipients, subject, body, now)
    box.messages[message.number] = message
    if mine is None:
        mine = index[sender] = IITreeSet()
    mine.insert(message.number)
    box.next_number += 1
    box.unread += 1
    return message


def make_room(box: Mailbox | None, sender: int) -> Message | None:
    """
    If C{box} is full, delete (and return, for its writer's refund) the
    oldest unread message of the writer who has the most messages there,
    if that is more than C{sender} would have with one more: those who
    wrote the most give way first, so that a few accounts (one attacker's
    alts) filling a mailbox do not make every other writer's mail bounce;
    among as many, the one who began writing there last, so that a flood
    of new accounts does not drop the mail of those who wrote before it.
    Read and kept messages never give way. Reads the mailbox's index of
    writers and the messages of those with more than C{sender}, never
    every message.

    @return: the message deleted, or None (there was room, or nothing
        may give way: the mailbox stays full).
    """
    if box is None or len(box) < MAX_MESSAGES:
        return None
    index = writers(box)
    mine = index.get(sender)
    own = len(mine) if mine is not None else 0
    # Among as heavy writers, the one whose first message here came last
    # gives way first: a flood of new accounts does not have the mail of
    # those who wrote before it dropped.
    heavier = sorted(((len(numbers), numbers.minKey(), writer)
                      for writer, numbers in index.items()
                      if writer != sender and len(numbers) > own + 1),
                     key=lambda found: (-found[0], -found[1]))
    for _, _, writer in heavier:
        for number in index[writer]:
            message = box.messages[number]
            if retractable(message):
                delete(box, message)
                return message
    return None


def get(box: Mailbox | None, number: int) -> Message:
    """
    Message C{number} of C{box}.

    @raise WorldError: there is none.
    """
    found = box.messages.get(number) if box is not None else None
    if found is None:
        raise WorldError(f"You have no message {number}. ('@mail' lists them.)")
    return found


def mark_read(box: Mailbox, message: Message, now: float) -> None:
    """
    C{message} (of C{box}) has been read (at C{now}, if it is the first time).
    """
    if not message.read:
        message.read = True
        message.read_at = now
        box.unread = max(0, box.unread - 1)
        due = now + READ_LIFETIME
        if box.next_expiry is None or due < box.next_expiry:
            box.next_expiry = due


def sent_by(box: Mailbox | None, sender: int) -> list[Message]:
    """
    The messages of C{sender} in C{box}, oldest first (at most
    L{MAX_FROM_ONE}): a writer numbers them 1, 2, ... in this order. Reads
    only those (L{Mailbox.by_writer}).
    """
    if box is None:
        return []
    mine = writers(box).get(sender)
    return [box.messages[n] for n in mine] if mine is not None else []


def retractable(message: Message) -> bool:
    """
    Whether its writer may still take C{message} back: its reader has not
    read it, nor kept it.
    """
    return not message.read and not message.kept


def expired(box: Mailbox, now: float) -> list[Message]:
    """
    The messages of C{box} read more than L{READ_LIFETIME} before C{now}
    and not kept (the caller deletes them). A read message with no time of
    reading (a world stored before it was kept) is given C{now}.

    Before L{Mailbox.next_expiry} this reads no message at all; then it
    reads them all and sets it to when the next of those it leaves expires.
    """
    if box.next_expiry is None or now < box.next_expiry:
        return []
    found = []
    due: float | None = None
    for message in box.messages.values():
        if not message.read or message.kept:
            continue
        if message.read_at is None:
            message.read_at = now
        if now - message.read_at >= READ_LIFETIME:
            found.append(message)
        elif due is None or message.read_at + READ_LIFETIME < due:
            due = message.read_at + READ_LIFETIME
    box.next_expiry = due
    return found


def delete(box: Mailbox, message: Message) -> None:
    """
    Remove C{message} from C{box}. Numbers are reused only once the mailbox is
    empty.
    """
    if not message.read:
        box.unread = max(0, box.unread - 1)
    index = writers(box)
    mine = index.get(message.sender)
    if mine is not None and message.number in mine:
        mine.remove(message.number)
        if not mine:
            del index[message.sender]
    del box.messages[message.number]
    if not box.messages:
        box.next_number = 1
