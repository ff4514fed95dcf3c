# The notice board on the High Street. 'post <message> on board' pins a
# note; 'read board' reads them; 'remove <n> from board' takes down a note
# you posted. It keeps the newest 20 notes, in its state.

LIMIT = 20


def verb_post(actor, dobj, prep, iobj, dobjstr, iobjstr):
    if iobj != this or not dobjstr:
        actor.tell("Post what? Type: post <message> on board")
        return
    notes = state.get("notes", [])
    notes.append([actor, actor.name, dobjstr[:200]])
    state.set("notes", notes[-LIMIT:])
    here.emote("rustles as " + actor.name + " pins up a note.")


def verb_read(actor, dobj, prep, iobj, dobjstr, iobjstr):
    notes = state.get("notes", [])
    if not notes:
        actor.tell("The board is bare but for rusty pins.")
        return
    actor.tell("Notes on the board:")
    for number, note in enumerate(notes, 1):
        actor.tell(str(number) + ". " + note[2] + " (" + note[1] + ")")


def posted_by(note, actor):
    try:
        return note[0] == actor
    except Exception:  # its author revoked what the board held of them
        return False


def verb_remove(actor, dobj, prep, iobj, dobjstr, iobjstr):
    notes = state.get("notes", [])
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
