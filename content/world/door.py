# The iron-bound door in the inn cellar. It opens only for whoever is holding
# the iron key, and swings shut again a minute after it was last opened: it
# keeps one timer for that (opening it again puts the timer off), so that
# the key's holder opening and closing it over and over does not use up the
# timers all the world's scripts share.
# Its content grants it grants["passage"] (control of the cellar's east exit)
# and grants["key"] (a view of the one true key: a copy made by anyone else
# is a different object, and compares unequal).


def holds_key(actor):
    return grants["key"].location == actor


def verb_open(actor, dobj, prep, iobj, dobjstr, iobjstr):
    if dobj != this:
        actor.tell("Open what?")
        return
    passage = grants["passage"]
    if not passage.get_property("locked", False):
        actor.tell("The door already stands open.")
        return
    if not holds_key(actor):
        here.emote("stays firmly shut. The keyhole is empty.")
        return
    passage.set_property("locked", False)
    here.emote("groans open on rusty hinges; a dark passage leads east.")
    shut_later()


def shut_later():
    for timer in timers.pending():
        if timer[1] == "close":
            timers.cancel(timer[0])
    timers.after(60, "close")


verb_unlock = verb_open


def verb_close(actor, dobj, prep, iobj, dobjstr, iobjstr):
    if dobj == this:
        close(None)


def close(data):
    passage = grants["passage"]
    if not passage.get_property("locked", False):
        passage.set_property("locked", True)
        here.emote("swings shut with a boom that shakes the barrels.")
