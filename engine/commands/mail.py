# -*- test-case-name: tests.engine.test_mail -*-
"""
Mail from the command line: C{@mail} to write to characters whether or not
they are connected, and to list, read, reply to and delete what one got;
a notice at login says how many messages are new.

The mailboxes and their bounds are L{world.mail}. Sending is limited per
character (C{--mail-per-hour}, each recipient counting one), on the
server's L{engine.server.Server.mail_sent}. What a message stores (its
subject and body, in UTF-8 bytes, once in each mailbox it lands in) is
charged to its writer's stored-bytes quota (L{charge}), so that however
many characters one writes to, one's mail stays within what one may
store; past the quota it is refused and delivered to nobody.

No reader holds a writer's quota for long: until a message is read its
writer may take it back (C{@mail/retract}, which refunds it; C{@mail/review}
lists what one's messages in a mailbox are), and a read message expires
L{world.mail.READ_LIFETIME} after it was first read (refunded to its
writer) unless its reader keeps it (C{@mail/keep}), which moves its charge
to the reader's own quota: the reader chose to keep it. A mailbox sheds
its expired messages whenever it is used: by its reader (C{@mail}, login),
by mail sent to it, or by a writer reviewing it.

A body is given inline (PennMUSH's C{@mail bob = Subject/Body}) or typed
in a small editor of its own (L{Composer}): lines are added, C{.} alone
sends, C{.abort} gives up.
"""

from __future__ import annotations

import difflib
import time
from collections.abc import Callable
from itertools import islice
from typing import TYPE_CHECKING, Any

from attrs import define, field

from engine.accounts import Account, find_account
from engine.commands.base import Context, UserError, split_equals
from scripting.facets import accounting, texts
from scripting.facets.errors import QuotaExceeded
from world import ignores, mail
from world.events import Event
from world.mail import Mailbox
from world.names import character_called, fold
from world.words import is_login_line

if TYPE_CHECKING:
    from engine.session import Session

#: What the editor says when it opens.
COMPOSE_HELP = ("Type the message, line by line. '.' alone sends it; '.list' shows it; "
                "'.undo' removes the last line; '.abort' gives up.")


def _when(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.gmtime(seconds))


def _numbers(ctx: Context, text: str) -> list[int]:
    # "3", "3-5", "all" (the messages of the player's mailbox).
    box = _box(ctx)
    text = text.strip().lower()
    if text == "all":
        return list(box.messages) if box is not None else []
    return _range(text)


def _range(text: str) -> list[int]:
    # "3" or "3-5".
    text = text.strip()
    first, _, last = text.partition("-")
    if not (first.isascii() and first.isdigit()) or \
            (last and not (last.isascii() and last.isdigit())):
        raise UserError("Say which message by its number ('@mail' lists them), e.g. 3 or 3-5.")
    start, stop = int(first), int(last or first)
    if stop < start or stop - start >= mail.MAX_MESSAGES:
        raise UserError("Give the first number, then the last (e.g. 3-5).")
    return list(range(start, stop + 1))


def _box(ctx: Context) -> Mailbox | None:
    return mail.mailbox(ctx.root, ctx.actor.id)


def recipients(ctx: Context, names: str) -> list[Account]:
    """
    The accounts C{names} (separated by commas or spaces) name, each once.

    @raise UserError: none named, too many, or one names no character (with
        the names it may have meant).
    """
    words = [w for w in names.replace(",", " ").split() if w]
    if not words:
        raise UserError("Mail whom? Type '@mail <name> = <subject>'.")
    found: list[Account] = []
    for word in words:
        key = character_called(ctx.root, word)
        account = ctx.root.accounts.get(key) if key is not None else None
        if account is None:
            # A name that starts or looks like a player's is not hers
            # ('A1ice'): it is asked about, with a few names close to it.
            hint = ctx.meant(word, also=_close_names(ctx.root, word))
            raise UserError(f"There is no character called {word!r}; nothing was sent.{hint}")
        _refuse_ignored(ctx, account)
        if all(a.key != account.key for a in found):
            found.append(account)
            if len(found) > mail.MAX_RECIPIENTS:  # (checked as they are found: no more read)
                raise UserError(f"A message may go to at most {mail.MAX_RECIPIENTS} "
                                "characters.")
    return found


def _refuse_ignored(ctx: Context, account: Account) -> None:
    """
    @raise UserError: C{account} ignores the writer (L{world.ignores}), who
        is told only that she does not accept mail from him; a wizard's
        mail is never refused.
    """
    if ignores.ignores(account, ctx.actor.id) and not ctx.is_at_least("wizard"):
        raise UserError(f"{account.name} is not accepting mail from you; nothing was sent.")


#: The most account names a mistyped recipient is compared with.
HINTED = 200


def _close_names(root: Any, word: str) -> list[str]:
    """
    The names of up to three accounts close to C{word}, for a "did you
    mean": compared with at most L{HINTED} names that start with its first
    letter, never with every account's (a typo, typed by anyone, would
    otherwise cost the server a walk of all accounts).
    """
    key = fold(word)
    if not key:
        return []
    keys = list(islice(root.accounts.keys(key[0], key[0] + "\U0010ffff"), HINTED))
    close = difflib.get_close_matches(key, keys, n=3, cutoff=0.6)
    return [root.accounts[k].name for k in close]


def _check_rate(ctx: Context, count: int) -> None:
    window = ctx.server.mail_sent
    key = str(ctx.actor.id)
    if window.count(key) + count > window.limit:
        wait = int(window.retry_after(key)) + 1
        raise UserError(f"You have sent as much mail as you may for now ({window.limit} "
                        f"messages an hour, each recipient counting one); wait {wait} seconds.")


def _expire(ctx: Context, box: Mailbox | None) -> int:
    """
    Delete the read messages of C{box} past their time (refunding their
    writers); how many.
    """
    if box is None:
        return 0
    gone = mail.expired(box, ctx.server.clock.seconds())
    for message in gone:
        refund(ctx, message, None)
        mail.delete(box, message)
    return len(gone)


def _expired_notice(count: int) -> str:
    many = "1 read message" if count == 1 else f"{count} read messages"
    days = mail.READ_LIFETIME // 86400
    return (f"{many} older than {days} days expired from your mailbox ('@mail/keep <n>' "
            "keeps one for good).")


def _stored(message: mail.Message) -> int:
    """
    What C{message} stores, charged to whoever pays for it: its subject
    and body, in UTF-8 bytes.
    """
    return texts.size(message.subject) + texts.size(message.body)


def charge(ctx: Context, message: mail.Message) -> None:
    """
    Charge C{message}'s writer (the actor) for what it stores: its subject
    and body, in UTF-8 bytes.

    @raise QuotaExceeded: the writer has no room for it (the caller's turn
        is rolled back: a message to several reaches all or none).
    """
    size = _stored(message)
    try:
        accounting.charge_bytes(ctx.root, message.sender, size)
    except QuotaExceeded as e:
        raise QuotaExceeded(f"{e} (Mail you send counts until its readers delete it.) "
                            "Nothing was sent.") from None
    message.charged = size


def refund(ctx: Context, message: mail.Message, reader: int | None) -> None:
    """
    Give back what C{message} was charged (it is deleted): to its writer, or
    to C{reader} if they kept it.
    """
    if message.charged:
        payer = reader if message.kept else message.sender
        accounting.charge_bytes(ctx.root, payer, -message.charged)
        message.charged = 0


def send(ctx: Context, to: list[Account], subject: str, body: str) -> None:
    """
    Deliver one message to each of C{to}, all or none (a full mailbox, or
    a writer with no room left to store them all, refuses the whole turn);
    tell those connected now.

    @raise UserError: the rate is used up, or a mailbox is full.
    @raise QuotaExceeded: the writer cannot store them all.
    """
    subject = mail.check_subject(subject)
    body = mail.check_body(body)
    _check_rate(ctx, len(to))
    names = tuple(a.name for a in to)
    now = ctx.server.clock.seconds()
    for account in to:
        _refuse_ignored(ctx, account)  # (also for a reply, or one composed before)
        box = mail.mailbox(ctx.root, account.character_id)
        _expire(ctx, box)
        gone = mail.make_room(box, ctx.actor.id)  # the heaviest writer's oldest unread
        if gone is not None:
            refund(ctx, gone, None)
            ctx.turn.tell(gone.sender, Event(
                "mail", f"Your unread message to {account.name} ({gone.subject}) was dropped to "
                "make room in their full mailbox, where you had the most messages; what it "
                "stored is yours again.", actor=ctx.actor.id))
        message = mail.deliver(ctx.root, account.character_id, account.name, ctx.actor.id,
                               ctx.actor.name, names, subject, body, now)
        charge(ctx, message)
        ctx.turn.tell(account.character_id, Event(
            "mail", f"You have new mail from {ctx.actor.name}: {subject} ('@mail "
            f"{message.number}' reads it).", actor=ctx.actor.id))
    key, window, count = str(ctx.actor.id), ctx.server.mail_sent, len(to)

    def record() -> None:  # only once it is sent: a refused message costs nothing
        for _ in range(count):
            window.record(key)

    ctx.turn.after_commit.append(record)
    ctx.tell(f"Sent to {', '.join(names)}: {subject}")


def mail_command(ctx: Context) -> None:
    """
    Mail: @mail[/switch] [...]

    Write to any character, connected or asleep; they find it in their
    mailbox (and are told at login how many messages are new).

      @mail                          list your messages (* new)
      @mail <n>                      read message n (also @mail/read <n>)
      @mail <names> = <subject>      write one: type the body, '.' sends
      @mail <names> = <subject>/<body>   write one on one line
      @mail/reply <n> [= <body>]     answer message n (without a body: type it)
      @mail/delete <n>[-<m>]         delete messages (or 'all')
      @mail/keep <n>[-<m>]           keep messages for good (or 'all')
      @mail/review <name>            your messages in their mailbox
      @mail/retract <name> = <n>[-<m>]   take back those not read yet (or 'all')

    Names are separated by commas or spaces (at most 5). A subject is one
    line of at most 80 characters, a body at most 4000 characters in 60
    lines; a mailbox holds 100 messages. Each character may send 30
    messages an hour (each recipient counts). What your messages store
    counts against your storage quota (@quota) until they are retracted,
    deleted or expire: a read message expires 30 days after it was first
    read, unless its reader keeps it, which moves it to their quota.
    """
    switch = ctx.switch.lower()
    args = ctx.args.strip()
    expired = _expire(ctx, _box(ctx))
    if expired:
        ctx.tell(_expired_notice(expired))
    if switch in ("", "list") and not args:
        _list(ctx)
    elif switch in ("", "read") and split_equals(args) is None:
        _read(ctx, args)
    elif switch in ("", "send", "write"):
        _write(ctx)
    elif switch == "reply":
        _reply(ctx)
    elif switch in ("delete", "del", "clear"):
        _delete(ctx)
    elif switch in ("keep", "save"):
        _keep(ctx)
    elif switch == "review":
        _review(ctx)
    elif switch in ("retract", "unsend"):
        _retract(ctx)
    else:
        raise UserError(f"@mail has no /{switch}; try /read, /reply, /delete, /keep, /review "
                        "or /retract.")


def _list(ctx: Context) -> None:
    box = _box(ctx)
    if box is None or not len(box):
        ctx.tell("You have no mail. ('@mail <name> = <subject>' writes to someone.)")
        return
    lines = [f"Your mail ({box.unread} new of {len(box)}; '@mail <number>' reads one; "
             "+ kept):"]
    for message in box.messages.values():
        new = "*" if not message.read else "+" if message.kept else " "
        lines.append(f"  {new}{message.number:>3}  {message.sender_name:<20} "
                     f"{_when(message.sent)}  {message.subject}")
    ctx.tell("\n".join(lines))


def _read(ctx: Context, args: str) -> None:
    if not (args.isascii() and args.isdigit()):
        first = args.replace(",", " ").split()[0]
        account = find_account(ctx.root, first) if ctx.switch.lower() != "read" else None
        if account is not None:  # '@mail bob Hello': the '=' left out
            raise UserError(f"To write to {account.name}, type '@mail {account.name} = "
                            f"<subject>' (then the message), or '@mail {account.name} = "
                            "<subject>/<message>'.")
        raise UserError("Read which message? Type '@mail <number>' ('@mail' lists them), or "
                        "'@mail <name> = <subject>' to write one.")
    box = _box(ctx)
    message = mail.get(box, int(args))
    assert box is not None
    mail.mark_read(box, message, ctx.server.clock.seconds())
    # The body is indented under the header: no line of it passes for the game's.
    body = "\n".join("  " + line if line else "" for line in message.body.split("\n"))
    ctx.tell(f"Message {message.number} from {message.sender_name}, {_when(message.sent)} "
             f"UTC, to {', '.join(message.recipients)}\nSubject: {message.subject}\n{body}")


def _write(ctx: Context) -> None:
    parts = split_equals(ctx.args)
    if parts is None or not parts[1]:
        raise UserError("Type '@mail <name> = <subject>' (then the message), or "
                        "'@mail <name> = <subject>/<message>'.")
    to = recipients(ctx, parts[0])
    subject, slash, body = parts[1].partition("/")
    subject = mail.check_subject(subject)
    if slash:
        send(ctx, to, subject, body)
        return
    _check_rate(ctx, len(to))
    _compose(ctx, [a.name for a in to], subject)


def _reply(ctx: Context) -> None:
    parts = split_equals(ctx.args)
    number, body = parts if parts is not None else (ctx.args, "")
    message = mail.get(_box(ctx), _number(number))
    sender = ctx.root.get(message.sender)
    account = find_account(ctx.root, message.sender_name) if sender is not None else None
    if account is None or account.character_id != message.sender:
        raise UserError(f"{message.sender_name} is no longer here to answer.")
    subject = message.subject if message.subject.lower().startswith("re:") \
        else f"Re: {message.subject}"
    subject = subject[:mail.MAX_SUBJECT]
    if body:
        send(ctx, [account], subject, body)
        return
    _check_rate(ctx, 1)
    _compose(ctx, [account.name], subject)


def _number(text: str) -> int:
    text = text.strip()
    if not (text.isascii() and text.isdigit()):
        raise UserError("Say which message by its number ('@mail' lists them).")
    return int(text)


def _chosen(ctx: Context) -> tuple[Mailbox, list[mail.Message]]:
    """
    The actor's mailbox and the messages of it that C{ctx.args} numbers,
    those numbered that it holds.

    @raise UserError: if it holds none of them.
    """
    box = _box(ctx)
    numbers = _numbers(ctx, ctx.args)
    found = [box.messages.get(n) for n in numbers] if box is not None else []
    chosen = [m for m in found if m is not None]
    if not chosen:
        raise UserError("You have no such message. ('@mail' lists them.)")
    assert box is not None
    return box, chosen


def _delete(ctx: Context) -> None:
    box, gone = _chosen(ctx)
    for message in gone:
        refund(ctx, message, ctx.actor.id)
        mail.delete(box, message)
    ctx.tell("Deleted 1 message." if len(gone) == 1 else f"Deleted {len(gone)} messages.")



def _keep(ctx: Context) -> None:
    box, chosen = _chosen(ctx)
    now = ctx.server.clock.seconds()
    taken = [m for m in chosen if not m.kept]
    size = sum(_stored(m) for m in taken)
    try:
        accounting.charge_bytes(ctx.root, ctx.actor.id, size)
    except QuotaExceeded as e:
        raise QuotaExceeded(f"{e} (Mail you keep counts against your storage.) Nothing was "
                            "kept.") from None
    for message in taken:
        refund(ctx, message, None)  # its writer's charge ends
        mail.mark_read(box, message, now)
        message.kept = True
        message.charged = _stored(message)
    kept = "1 message" if len(chosen) == 1 else f"{len(chosen)} messages"
    ctx.tell(f"You keep {kept} for good; kept mail counts against your storage (@quota) "
             "until you delete it.")


def _writer_box(ctx: Context, name: str) -> tuple[Account, list[mail.Message]]:
    # The named character's mailbox, shed of expired mail, and the actor's messages in it.
    account = find_account(ctx.root, name.strip()) if name.strip() else None
    if account is None:
        raise UserError(f"There is no character called {name.strip()!r}. Type "
                        "'@mail/review <name>'.")
    box = mail.mailbox(ctx.root, account.character_id)
    _expire(ctx, box)
    return account, mail.sent_by(box, ctx.actor.id)


def _state(message: mail.Message) -> str:
    if message.kept:
        return "kept"
    if not message.read:
        return "unread"
    days = mail.READ_LIFETIME // 86400
    return f"read (expires {days} days after)"


def _review(ctx: Context) -> None:
    account, mine = _writer_box(ctx, ctx.args)
    if not mine:
        ctx.tell(f"{account.name}'s mailbox holds no message of yours.")
        return
    lines = [f"Your messages in {account.name}'s mailbox ('@mail/retract {account.name} = "
             "<n>' takes back one not read yet):"]
    for n, message in enumerate(mine, 1):
        lines.append(f"  {n:>3}  {_when(message.sent)}  {_state(message):<26}  "
                     f"{message.subject}")
    ctx.tell("\n".join(lines))


def _retract(ctx: Context) -> None:
    parts = split_equals(ctx.args)
    if parts is None or not parts[1]:
        raise UserError("Type '@mail/retract <name> = <n>' ('@mail/review <name>' lists your "
                        "messages there), or '= all'.")
    account, mine = _writer_box(ctx, parts[0])
    text = parts[1].strip().lower()
    numbers = range(1, len(mine) + 1) if text == "all" else _range(text)
    chosen = [mine[n - 1] for n in numbers if 0 < n <= len(mine)]
    if not chosen:
        raise UserError(f"{account.name}'s mailbox holds no such message of yours "
                        f"('@mail/review {account.name}' lists them).")
    taken = [m for m in chosen if mail.retractable(m)]
    box = mail.mailbox(ctx.root, account.character_id)
    assert box is not None
    for message in taken:
        refund(ctx, message, None)
        mail.delete(box, message)
    said = ("You took back nothing" if not taken else "You took back 1 message"
            if len(taken) == 1 else f"You took back {len(taken)} messages")
    left = len(chosen) - len(taken)
    if left:
        days = mail.READ_LIFETIME // 86400
        said += (f"; {left} already read or kept by {account.name} stay theirs to delete "
                 f"(read mail expires {days} days after it was read, unless kept)")
    ctx.tell(said + ".")


def _compose(ctx: Context, names: list[str], subject: str) -> None:
    session, dispatcher = ctx.session, ctx.dispatcher
    shown = ", ".join(names)

    def sending(lines: list[str]) -> bool:
        sent: list[bool] = []

        def body(ctx: Context) -> None:
            send(ctx, recipients(ctx, " ".join(names)), subject, "\n".join(lines))
            ctx.turn.after_commit.append(lambda: sent.append(True))

        dispatcher.run(session, body, "@mail")
        return bool(sent)

    composer = Composer(session, f"To {shown}: {subject}", sending)
    ctx.turn.after_commit.append(composer.open)


@define
class Composer:
    """
    A player typing a message's body.

    @ivar session: the player's session (lines come from it).
    @ivar header: what is written, for the player (C{"To Bob: Hello"}).
    @ivar send: called with the lines once the player sends them; whether
        they were sent (if not, the player was told why, and the lines are
        kept to send again or give up).
    @ivar lines: the body so far.
    """

    session: Session
    header: str
    send: Callable[[list[str]], bool]
    lines: list[str] = field(factory=list)

    def open(self) -> None:
        """
        Say what is written, and wait for the first line.
        """
        self.session.write(f"{self.header}\n{COMPOSE_HELP}")
        self._next()

    def _next(self) -> None:
        self.session.ask("", self.answer)

    def answer(self, line: str) -> None:
        """
        One line typed: a line of the body, or a command.
        """
        word = line.strip().lower()
        if word == ".":
            if not any(x.strip() for x in self.lines):
                self.session.write("The message is empty; nothing was sent.")
                return
            if not self.send(self.lines):
                self.session.write("Your message is kept: '.' tries again once that is "
                                   "put right; '.abort' gives it up.")
                self._next()
            return
        if word in (".abort", ".q", "@abort"):
            self.session.write("The message was not sent.")
            return
        if word in (".list", ".l"):
            self.session.write("\n".join(f"  {x}" for x in self.lines) or "(nothing yet)")
        elif word in (".undo", ".u"):
            if self.lines:
                self.lines.pop()
            self.session.write(f"{len(self.lines)} line(s) so far.")
        elif word in (".help", ".h", ".?"):
            self.session.write(COMPOSE_HELP)
        elif is_login_line(line, self.session.name or ""):
            # A password typed at the wrong prompt: the reader would read it.
            self.session.write("You are writing a message, and that line looks like a login or "
                               "a password, so it was not added. '.' sends the message, "
                               "'.abort' gives it up; then type it again.")
        elif len(self.lines) >= mail.MAX_BODY_LINES or \
                sum(len(x) + 1 for x in self.lines) + len(line) > mail.MAX_BODY:
            self.session.write(f"A message may be at most {mail.MAX_BODY} characters in "
                               f"{mail.MAX_BODY_LINES} lines; that line was not added. "
                               "'.' sends what there is.")
        else:
            self.lines.append(line)
        self._next()


def login(ctx: Context) -> None:
    """
    At login: say how many messages are new.
    """
    box = _box(ctx)
    expired = _expire(ctx, box)
    if expired:
        ctx.tell(_expired_notice(expired))
    if box is not None and box.unread:
        many = "1 new message" if box.unread == 1 else f"{box.unread} new messages"
        ctx.tell(f"You have {many}. ('@mail' lists them.)")


__all__ = ["Composer", "login", "mail_command", "recipients", "send"]
