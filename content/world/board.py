# The notice board on the High Street. 'post <message> on board' pins a
# note; 'read board' reads them; 'remove <n> from board' takes down a note
# you posted. It keeps at most 20 notes, in its state, and at most 3 of any
# one player's: a player's new note past their 3 takes down their own
# oldest.
#
# Whose a note is, for these counts, is the name it was posted under:
# characters keep the names they were made with, and no two share one, so
# the name is the author's, whatever became of the facet the board kept of
# them (below). The facet was no good for counting: an author may revoke
# it, and the world's scripts give up their oldest holds of players for
# newer visitors' (a crowd of alts walking past is enough), so a count by
# facet lost honest authors and let a revoker post past the cap.
#
# On a full board, which note gives way (make_room), in this order:
#   1. a stale note, older than STALE seconds (the oldest first);
#   2. a note of whoever has the most there, and among those who tie, the
#      NEWEST such note.
# Why the newest: a board cannot tell an honest author from one of twenty
# alts, each with one note, so the rule must be one that numbers cannot
# use. Dropping the oldest of a tie let twenty one-note alts push every
# honest author off in twenty posts. Dropping the newest, a post can only
# unseat the latest arrival: an author whose note has stood while others
# posted after it keeps it, however many accounts post, until it goes
# stale. Alts gain nothing by being many: each of their posts only
# contests the newest place, and their notes are dropped first as soon as
# any of them has more notes than an honest author.
# Why stale notes: with the newest dropped, whoever filled the board
# first (an honest crowd, or twenty alts) would keep it for ever; a note
# STALE seconds old gives way to any post, an honest one as readily as an
# alt's, so age, which no number of accounts can forge, turns the board
# over.
#
# Each note keeps a facet of its author, to know who may take it down, and
# the time it was pinned: [author, name, text, time]. An author may revoke
# what the board holds of them (@holders/revoke): the facet dies, and the
# board moves it to the note's end ([None, name, text, time, dead author]:
# the note stays, under the name it was posted with; it still counts as
# theirs, so revoking dodges no cap; the dead facet still says whose words
# it reads out, to those who ignore them). The facet dies too when the
# world's scripts give up their oldest holds of players as crowds pass, and
# a script cannot tell that from a revocation: so a note whose facet died
# is its author's to take down by the name it was posted under (no two
# characters share a name, and none changes or is destroyed, so nobody
# else has it), whichever way it died. Revoking what the board held of her
# is her taking back its hold on her, not her note: she may still take her
# own words down; nobody else may.

LIMIT = 20
PER_POSTER = 3
#: Seconds after which a note gives way to any new one on a full board (a week).
STALE = 7 * 24 * 3600


def notes_now():
    notes = state.get("notes", [])
    for note in notes:
        if len(note) < 4:  # pinned before notes kept their time: from now
            note.append(clock.now())
        if note[0] is not None and not alive(note[0]):
            note.append(note[0])  # note[4]: still whose words these are (verb_read)
            note[0] = None
    return notes


def alive(author):
    try:
        return bool(author.name)
    except Exception:  # its author revoked what the board held of them
        return False


def verb_post(actor, dobj, prep, iobj, dobjstr, iobjstr):
    if iobj != this or not dobjstr:
        actor.tell("Post what? Type: post <message> on board")
        return
    notes = notes_now()
    make_room(notes, actor)
    notes.append([actor, actor.name, dobjstr[:200], clock.now()])
    state.set("notes", notes)
    here.emote("rustles as " + actor.name + " pins up a note.")


# Each note is read out as said by its author (said_by): whoever ignores
# them is not read it. Revoking what the board holds of them forgets who
# may take the note down, but not whose words these are (note[4], dead).
def verb_read(actor, dobj, prep, iobj, dobjstr, iobjstr):
    notes = state.get("notes", [])
    if not notes:
        actor.tell("The board is bare but for rusty pins.")
        return
    actor.tell("Notes on the board:")
    for number, note in enumerate(notes, 1):
        author = note[4] if len(note) > 4 else note[0]
        actor.tell(str(number) + ". " + note[2] + " (" + note[1] + ")", said_by=author)


def posted_by(note, actor):
    if note[0] is not None:
        return note[0] == actor
    return note[1] == actor.name  # (its facet died: by the name, above)


def make_room(notes, actor):
    mine = [number for number, note in enumerate(notes) if note[1] == actor.name]
    if len(mine) >= PER_POSTER:
        notes.pop(mine[0])
        return
    while len(notes) >= LIMIT:
        notes.pop(giving_way(notes))


def giving_way(notes):
    now = clock.now()
    for number, note in enumerate(notes):
        if now - note[3] > STALE:
            return number
    counts = [sum(1 for other in notes if other[1] == note[1]) for note in notes]
    most = max(counts)
    newest = None
    for number, note in enumerate(notes):
        if counts[number] == most and (newest is None or note[3] >= notes[newest][3]):
            newest = number
    return newest


def verb_remove(actor, dobj, prep, iobj, dobjstr, iobjstr):
    notes = notes_now()
    if iobj != this or not dobjstr.isdigit() or not 1 <= int(dobjstr) <= len(notes):
        actor.tell("Remove which note? Type: remove <number> from board")
        return
    note = notes[int(dobjstr) - 1]
    if not posted_by(note, actor):
        actor.tell("That is not your note to take down.")
        return
    notes.pop(int(dobjstr) - 1)
    state.set("notes", notes)
    here.emote("loses a note as " + actor.name + " takes it down.")


def on_look(actor):
    count = len(state.get("notes", []))
    actor.tell(str(count) + " note(s) are pinned to it.")
