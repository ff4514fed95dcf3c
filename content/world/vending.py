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

#: The most things one look or one arrival puts out (the rest wait for the
#: next): a machine piled full by moves that woke it no more is emptied a
#: few at a time.
SWEEP = 10


def is_coin(thing):
    for coin in grants.values():
        if thing == coin:
            return True
    return False


def give_back(thing):
    try:
        this.put_out(thing)
    except Exception:  # the tray (the room) is full too
        return False
    return True


def sweep():
    put = 0
    for thing in this.contents:
        if put == SWEEP:
            return
        if not is_coin(thing):
            if not give_back(thing):
                return
            put += 1


def on_enter(actor, thing):
    if not is_coin(thing):
        if give_back(thing):
            here.say("Clunk. That was not a coin: it drops back out into the tray.")
        else:
            here.say("Clunk. That was not a coin, and the tray is too full to give it back.")
        sweep()
        return
    whelks = this.create("thing", "paper twist of whelks",
                         "A twist of newspaper full of salted whelks, cold from the ice.")
    whelks.move_to(here)
    sold = state.get("sold", 0) + 1
    state.set("sold", sold)
    here.emote("whirrs, clanks, and drops a paper twist of whelks into its tray for "
               + actor.name + ".")
    sweep()


def on_look(actor):
    sweep()
    actor.tell("A little counter reads " + str(state.get("sold", 0)) + " sold.")
