# The ship's bell behind the bar of the Drowned Bell.
# 'ring bell' rings it; it counts its rings in its state, hums when it hears
# its name, and says how often it has been rung when looked at.


def verb_ring(actor, dobj, prep, iobj, dobjstr, iobjstr):
    rings = state.get("rings", 0) + 1
    state.set("rings", rings)
    here.emote("clangs: DONG! Green dust sifts down onto the bar.")
    if rings % 10 == 0:
        here.say("That's " + str(rings) + " rings. A round on whoever rang it!")


def on_hear(actor, text):
    if "bell" in text.lower():
        here.emote("hums faintly, as if it heard its name.")


def on_look(actor):
    actor.tell("It has been rung " + str(state.get("rings", 0)) + " times.")
