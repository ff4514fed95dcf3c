# The brass vending machine in the fish market: put a coin in, and out comes
# a paper twist of salted whelks, dropped into the tray for the buyer to
# take. The machine is a sealed container (what goes in stays in, but for
# what the machine itself puts out).
#
# It knows Saltmere's coins by capability, as the iron-bound door knows its
# key: its content grants hand it a view of each real coin, and a thing
# anyone else makes is a different object, whatever it is called, so it
# compares unequal. It keeps only those coins (three in all the world, so it
# never holds more than three things) and gives back anything else: a pile
# of junk must not fill it so that no coin fits.
#
# What it gives back, and the whelks, it drops in the tray (the room) rather
# than into anyone's hands: a script puts nothing into a player's hands
# unless that player typed the script's own verb, and a thing put in by
# another's script may not be the waking player's at all.

# Anything it gives back that the tray cannot take (the market is full to
# the ceiling of things per place) goes back into its owner's hands (the
# world's rule for putting out, as for a destroyed box's contents).
#
# It sets its restock timer before it sells: if the world's scripts have no
# timers left just then, it gives the coin straight back rather than keep it
# with no timer to roll it out again.
#
# It looks through what it holds at most once every SWEEP_EVERY seconds, a
# second after a look or an arrival asks it to, and puts out at most SWEEP
# things each time: a machine piled full of junk is emptied a few at a
# time, and nobody's look makes it read all it holds.
#
# Its coins go back into the world: RESTOCK seconds after a sale the
# whelk-man empties the coin box, and the coin rolls out into the tray for
# the next buyer. It holds STOCK twists of whelks in all, and says so
# when it has sold them.

#: The most things one look through the machine puts out.
SWEEP = 10
#: The fewest seconds between two looks through the machine.
SWEEP_EVERY = 30
#: Seconds after a sale until its coin rolls back out into the tray.
RESTOCK = 300
#: The twists of whelks it holds in all.
STOCK = 100


def is_coin(thing):
    for coin in grants.values():
        if thing == coin:
            return True
    return False


def give_back(thing):
    try:
        this.put_out(thing)
    except Exception:  # the tray (the room) and its owner's hands are full too
        return False
    return True


def pending(name):
    for timer in timers.pending():
        if timer[1] == name:
            return True
    return False


def sweep_soon():
    if pending("sweep") or pending("rested"):
        return False
    try:
        timers.after(1, "sweep")
    except Exception:  # no timers left just now: a later look asks again
        return False
    return True


def sweep(data):
    timers.after(SWEEP_EVERY, "rested")
    put = 0
    for thing in this.contents:
        if not is_coin(thing):
            if put == SWEEP or not give_back(thing):
                return
            put += 1


def rested(data):
    pass


def sold_out():
    return state.get("sold", 0) >= STOCK


def on_enter(actor, thing):
    if not is_coin(thing):
        if give_back(thing):
            here.say("Clunk. That was not a coin: it drops back out into the tray.")
        else:
            here.say("Clunk. That was not a coin, and the tray is too full to give it back.")
        sweep_soon()
        return
    if sold_out():
        give_back(thing)
        here.say("Clunk. A card in the glass reads SOLD OUT; the coin drops back into the tray.")
        return
    try:
        restocking = timers.after(RESTOCK, "restock", thing)
    except Exception:  # the world's scripts have no timers left just now
        give_back(thing)
        here.say("Clunk. The machine is stuck just now; the coin drops back into the tray.")
        return
    try:
        whelks = this.create("thing", "paper twist of whelks",
                             "A twist of newspaper full of salted whelks, cold from the ice.")
    except Exception:  # full to the ceiling: no room for the whelks
        timers.cancel(restocking)
        here.say("Clunk. The machine is jammed full; it gives the coin back when it can.")
        timers.after(SWEEP_EVERY, "restock", thing)
        sweep_soon()
        return
    state.set("sold", state.get("sold", 0) + 1)
    if give_back(whelks):
        here.emote("whirrs, clanks, and drops a paper twist of whelks into its tray for "
                   + actor.name + ".")
    else:  # the tray is full: it waits inside, and comes out with the next sweep
        here.emote("whirrs and clanks, but its tray is full: a paper twist of whelks for "
                   + actor.name + " waits inside until there is room.")
    sweep_soon()


def restock(coin):
    if give_back(coin):
        here.emote("clanks: the whelk-man has emptied its coin box, and a coin rolls out "
                   "into the tray.")
    else:
        timers.after(RESTOCK, "restock", coin)  # the tray is full: later


def on_look(actor):
    sweep_soon()
    said = "A little counter reads " + str(state.get("sold", 0)) + " sold."
    if sold_out():
        said += " A card in the glass reads SOLD OUT."
    actor.tell(said)
