# The tall clock in the chapel: a repeating timer, set when the script is
# attached, strikes the quarters and the hours.

QUARTER = 900  # seconds

NAMES = ["", "first quarter", "half hour", "third quarter"]


def on_attach():
    timers.every(QUARTER, "strike")


def strike(data):
    quarter = (state.get("quarter", 0) + 1) % 4
    state.set("quarter", quarter)
    if quarter:
        here.emote("chimes the " + NAMES[quarter] + ".")
        return
    hour = state.get("hour", 0) % 12 + 1
    state.set("hour", hour)
    here.emote("strikes " + str(hour) + ": " + ", ".join(["BONG"] * hour) + ".")


def on_look(actor):
    actor.tell("It has struck " + str(state.get("hour", 0)) + " last.")
