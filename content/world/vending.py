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
# the next buyer.
#
# Fair shares (issue 9: one player, or a handful of accounts, must not
# corner the machine or the coins):
#
# - Stock by the day, not for ever. It sells STOCK twists a day (a day is
#   DAY seconds of the server's clock); SOLD OUT lasts until the
#   whelk-man's next round. It sold STOCK in all, so one player cycling
#   the three coins through it could card it SOLD OUT for good.
# - A share each. One buyer (by name: characters keep theirs, and no two
#   share one) gets at most PER_BUYER twists a day; past it, the coin
#   drops back into the tray for someone else. Alts still each get a
#   share, but to empty a day's stock takes STOCK / PER_BUYER accounts,
#   and the next day it is full again.
# - Coins go back into circulation. There are only three coins, and a
#   player who picks them all up and sits on them stops everyone buying.
#   Every coin has a date: CALL_IN seconds after it last rolled out of the
#   machine (or since the machine first counted it), unspent, it is called
#   in. The machine holds a control facet of each coin (its content
#   grants) and of the sea chest in the smugglers' cave, where Saltmere's
#   lost coins always turn up: a coin lying loose (on a floor, in an open
#   box) rolls back into the chest; one kept in someone's hands or seal is
#   a coin the world owns and they only took (world/rules.py: its owner
#   may destroy a thing taken from it wherever it is), so it crumbles to
#   verdigris there and a new one like it turns up in the chest. A coin is
#   a token for whelks, not a treasure to keep: holding one for longer
#   than CALL_IN gains nothing. (A player camped by the chest may still be
#   first to the new one; each turn lasts at most CALL_IN, and each share
#   is still PER_BUYER a day.) It looks for coins due every CHECK seconds.

#: The most things one look through the machine puts out.
SWEEP = 10
#: The fewest seconds between two looks through the machine.
SWEEP_EVERY = 30
#: Seconds after a sale until its coin rolls back out into the tray.
RESTOCK = 300
#: The twists of whelks it sells a day.
STOCK = 100
#: The twists one buyer gets a day.
PER_BUYER = 5
#: Seconds in a day of the whelk-man's rounds.
DAY = 24 * 3600
#: Seconds a coin may go unspent before it is called in.
CALL_IN = 2 * 3600
#: Seconds between two looks for coins due.
CHECK = 600


def coins_now():
    # [coin, due time or None while the machine holds it], one per coin;
    # first counted from its content grants (all but the chest).
    coins = state.get("coins")
    if coins is None:
        coins = [[coin, clock.now() + CALL_IN] for name, coin in sorted(grants.items())
                 if name != "chest"]
        state.set("coins", coins)
    return coins


def is_coin(thing):
    for entry in coins_now():
        if thing == entry[0]:
            return True
    return False


def set_due(thing, due):
    coins = coins_now()
    for entry in coins:
        if thing == entry[0]:
            entry[1] = due
    state.set("coins", coins)


def rounds_soon():
    coins_now()  # (dated from the first look)
    if not pending("call_in"):
        try:
            timers.every(CHECK, "call_in")
        except Exception:  # no timers left just now: a later look asks again
            return False
    return True


def on_attach():
    rounds_soon()


def call_in(data):
    chest = grants.get("chest")
    if chest is None:
        return
    now = clock.now()
    coins = coins_now()
    for entry in coins:
        if entry[1] is None or now < entry[1]:
            continue
        entry[1] = now + CALL_IN
        if not rolled_back(entry[0], chest):  # someone keeps it, or a seal: only taken
            entry[0] = reminted(entry[0], chest) or entry[0]
    state.set("coins", coins)


def rolled_back(coin, chest):
    try:
        coin.move_to(chest)  # lying loose: it rolls back to the chest
    except Exception:
        return False
    return True


def reminted(coin, chest):
    try:
        name, description, aliases = coin.name, coin.description, coin.aliases
        value = coin.get_property("value")
        fresh = this.create("thing", name, description)
    except Exception:  # no room to make one just now: the next round tries again
        return None
    try:
        fresh.set_aliases(aliases)
        if value is not None:
            fresh.set_property("value", value)
        fresh.move_to(chest)
        coin.destroy()
    except Exception:  # the old one stays good; the new one goes
        fresh.destroy()
        return None
    return fresh


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


def today():
    day = int(clock.now() // DAY)
    if state.get("day") != day:  # the whelk-man's round: full again, shares afresh
        state.set("day", day)
        state.set("sold", 0)
        state.set("buyers", {})
    return day


def sold_out():
    today()
    return state.get("sold", 0) >= STOCK


def bought(actor):
    today()
    return state.get("buyers", {}).get(actor.name, 0)


def on_enter(actor, thing):
    if not is_coin(thing):
        if give_back(thing):
            here.say("Clunk. That was not a coin: it drops back out into the tray.")
        else:
            here.say("Clunk. That was not a coin, and the tray is too full to give it back.")
        sweep_soon()
        return
    rounds_soon()
    if sold_out():
        give_back(thing)
        here.say("Clunk. A card in the glass reads SOLD OUT until the whelk-man's next round; "
                 "the coin drops back into the tray.")
        return
    if actor is None or bought(actor) >= PER_BUYER:
        give_back(thing)
        here.say("Clunk. A card in the glass reads " + str(PER_BUYER) + " TWISTS A DAY EACH, "
                 "LEAVE SOME FOR THE NEXT; the coin drops back into the tray.")
        return
    try:
        restocking = timers.after(RESTOCK, "restock", thing)
    except Exception:  # the world's scripts have no timers left just now
        give_back(thing)
        here.say("Clunk. The machine is stuck just now; the coin drops back into the tray.")
        return
    set_due(thing, None)  # in the coin box: not called in until it rolls out again
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
    buyers = state.get("buyers", {})
    buyers[actor.name] = buyers.get(actor.name, 0) + 1
    state.set("buyers", buyers)
    if give_back(whelks):
        here.emote("whirrs, clanks, and drops a paper twist of whelks into its tray for "
                   + actor.name + ".")
    else:  # the tray is full: it waits inside, and comes out with the next sweep
        here.emote("whirrs and clanks, but its tray is full: a paper twist of whelks for "
                   + actor.name + " waits inside until there is room.")
    sweep_soon()


def restock(coin):
    if give_back(coin):
        set_due(coin, clock.now() + CALL_IN)
        here.emote("clanks: the whelk-man has emptied its coin box, and a coin rolls out "
                   "into the tray.")
    else:
        timers.after(RESTOCK, "restock", coin)  # the tray is full: later


def on_look(actor):
    sweep_soon()
    rounds_soon()
    sold = sold_out()
    said = "A little counter reads " + str(state.get("sold", 0)) + " sold today."
    if sold:
        said += " A card in the glass reads SOLD OUT until the whelk-man's next round."
    else:
        said += " A card reads " + str(PER_BUYER) + " TWISTS A DAY EACH."
    actor.tell(said)
