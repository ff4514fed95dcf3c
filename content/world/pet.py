# Biscuit, the harbour terrier. Whoever pets him when he is free becomes
# his friend for a walk (he keeps their facet in his state) and he follows
# them from room to room.
#
# He is everyone's dog in turn, not the first comer's for ever: WALK
# seconds after he takes up with someone he trots home to the harbour
# wall (his content grant 'home', a control facet of that room, lets
# move_to reach it from anywhere) and waits for whoever pets him next.
# The friend he just left cannot have him again for REST seconds, so the
# next turn goes to someone else at the harbour (one player's alts could
# still take turns; each turn is a walk, not for ever, and anyone at the
# harbour when he comes home is as quick to pet him as they are).
#
# He sets the timer that takes him home before he takes up with anyone:
# if the world's scripts have no timers left just then, he stays free
# rather than follow someone with no timer to bring him back. Each walk
# has a number, which its timer carries, so the timer of a walk cut short
# does not cut the next friend's walk short; the next walk cancels it, so
# that walks cut short in turn (alts revoking) keep no more than one timer
# of the world's (which its other scripts share) pending.
#
# A player may make him forget them at once ('@holders/revoke'): the facet
# he kept dies, and he is free for someone new (he stays where he is, and
# goes home when that walk's time is up). That ends their walk as going
# home would: they rest REST before another (revoking and petting him
# again at once would make a walk last for ever).

#: Seconds a walk lasts before he goes home.
WALK = 900
#: Seconds before the friend he left may have him again.
REST = 600


def his_friend():
    if state.get("owner") is not None:  # kept for good before walks: forgotten
        state.delete("owner")
    friend = state.get("friend")
    if friend is None:
        return None
    try:
        return friend if friend.name else None
    except Exception:  # revoked by its player: that walk is over, and they rest
        state.delete("friend")
        rest(state.get("friend_name"))
        return None


def rest(name):
    state.set("last", name)
    state.set("last_until", clock.now() + REST)


def resting(actor):
    return (state.get("last") == actor.name
            and clock.now() < state.get("last_until", 0))


def verb_pet(actor, dobj, prep, iobj, dobjstr, iobjstr):
    friend = his_friend()
    if friend is None:
        if resting(actor):
            here.emote("licks " + actor.name + "'s hand, but he has only just come home "
                       "from a walk with " + actor.name + ": he waits for someone else.")
            return
        walk = state.get("walk", 0) + 1
        try:
            timer = timers.after(WALK, "go_home", walk)
        except Exception:  # the world's scripts have no timers left just now
            here.emote("wags, but is too restless to go anywhere just now.")
            return
        # The last walk's timer, if it was cut short, goes (this one brings him
        # home): one timer pending, however many walks were cut short.
        last = state.get("walk_timer")
        if last is not None:
            timers.cancel(last)
        state.set("walk_timer", timer)
        state.set("walk", walk)
        state.set("friend", actor)
        state.set("friend_name", actor.name)
        here.emote("wags his whole back end and decides he is " + actor.name
                   + "'s dog now (for a walk, at least).")
    elif friend == actor:
        here.emote("leans against " + actor.name + "'s legs, eyes half closed.")
    else:
        here.emote("sniffs " + actor.name + "'s hand politely, then looks round for "
                   + friend.name + ". He will be free again when his walk is over.")


verb_stroke = verb_pet


def go_home(walk):
    if walk != state.get("walk"):
        return  # a walk cut short (its friend revoked): the next one has its own timer
    friend = his_friend()
    if friend is not None:
        rest(friend.name)
        state.delete("friend")
    home = grants.get("home")
    if home is None or not state.get("away"):
        if here is not None:
            here.emote("yawns, shakes himself, and looks about for someone new to walk with.")
        return
    if here is not None:
        here.emote("pricks up his ears at the harbour bell and trots off home.")
    try:
        this.move_to(home)
    except Exception:  # he stays, free for whoever is here
        return
    state.set("away", False)


def on_depart(actor, where):
    if where is None or actor != his_friend():
        return
    try:
        this.move_to(where)
    except Exception:
        here.emote("whines and sits down to wait.")
        return
    state.set("away", True)
