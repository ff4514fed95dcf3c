# The brass vending machine in the fish market: put a coin in, and out comes
# a paper twist of salted whelks, dropped into the tray for the buyer to
# take. The machine is a sealed container (what goes in stays in).
#
# It knows Saltmere's coins by capability, as the iron-bound door knows its
# key: its content grants hand it a view of each real coin, and a thing
# anyone else makes is a different object, whatever it is called, so it
# compares unequal. It drops the whelks in the tray rather than into the
# buyer's hands: a script puts nothing into a player's hands unless that
# player typed the script's own verb.


def is_coin(thing):
    for coin in grants.values():
        if thing == coin:
            return True
    return False


def on_enter(actor, thing):
    if not is_coin(thing):
        here.say("Clunk. That was not a coin, and now it is mine.")
        return
    whelks = this.create("thing", "paper twist of whelks",
                         "A twist of newspaper full of salted whelks, cold from the ice.")
    whelks.move_to(here)
    sold = state.get("sold", 0) + 1
    state.set("sold", sold)
    here.emote("whirrs, clanks, and drops a paper twist of whelks into its tray for "
               + actor.name + ".")


def on_look(actor):
    actor.tell("A little counter reads " + str(state.get("sold", 0)) + " sold.")
