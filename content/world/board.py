# The notice board on the High Street. 'post <message> on board' pins a
# note; 'read board' reads them; 'remove <n> from board' takes down a note
# you posted. It keeps at most 20 notes, in its state, and at most 3 of any
# one player's: a player's new note past their 3 takes down their own
# oldest, and on a full board a note it no longer knows the author of goes
# first, then the oldest note of whoever has the most there, so that
# nobody's notes (nor a few accounts') push everyone else's off the board.
#
# Each note keeps a facet of its author, to know who may take it down. An
# author may revoke what the board holds of them (@holders/revoke): the
# facet dies, and the board forgets it (the note stays, under the name it
# was posted with, nobody may take it down, and it gives way first on a
# full board, so that revoking dodges no cap).

LIMIT = 20
PER_POSTER = 3


def notes_now():
    notes = state.get("notes", [])
    for note in notes:
        if note[0] is not None and not alive(note[0]):
            note.append(note[0])  # still whose words these are (verb_read)
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
    notes.append([actor, actor.name, dobjstr[:200]])
    state.set("notes", notes)
    here.emote("rustles as " + actor.name + " pins up a note.")


# Each note is read out as said by its author (said_by): whoever ignores
# them is not read it. Revoking what the board holds of them forgets who
# may take the note down, but not whose words these are (note[3], dead).
def verb_read(actor, dobj, prep, iobj, dobjstr, iobjstr):
    notes = state.get("notes", [])
    if not notes:
        actor.tell("The board is bare but for rusty pins.")
        return
    actor.tell("Notes on the board:")
    for number, note in enumerate(notes, 1):
        author = note[3] if len(note) > 3 else note[0]
        actor.tell(str(number) + ". " + note[2] + " (" + note[1] + ")", said_by=author)


def posted_by(note, actor):
    return note[0] is not None and note[0] == actor


def make_room(notes, actor):
    mine = [number for number, note in enumerate(notes) if posted_by(note, actor)]
    if len(mine) >= PER_POSTER:
        notes.pop(mine[0])
        return
    while len(notes) >= LIMIT:
        counts = [LIMIT if note[0] is None
                  else sum(1 for other in notes if other[0] is not None and other[0] == note[0])
                  for note in notes]
        notes.pop(counts.index(max(counts)))


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
