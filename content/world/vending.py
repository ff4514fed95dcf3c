# The brass vending machine in the fish market: put a coin in, and out comes
# a paper twist of salted whelks. The machine is a sealed container (what
# goes in stays in); the whelks it makes belong to its owner (the world) and
# land in the buyer's hands.


def is_coin(thing):
    return "coin" in thing.aliases or "coin" in thing.name.lower()


def on_enter(actor, thing):
    if not is_coin(thing):
        here.say("Clunk. That was not a coin, and now it is mine.")
        return
    whelks = this.create("thing", "paper twist of whelks",
                         "A twist of newspaper full of salted whelks, cold from the ice.")
    whelks.move_to(actor)
    sold = state.get("sold", 0) + 1
    state.set("sold", sold)
    here.emote("whirrs, clanks, and drops a paper twist of whelks into "
               + actor.name + "'s hands.")


def on_look(actor):
    actor.tell("A little counter reads " + str(state.get("sold", 0)) + " sold.")
