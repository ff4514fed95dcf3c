# Biscuit, the harbour terrier. The first person to pet him becomes his
# owner (he keeps their facet in his state), and he follows his owner from
# room to room. A player may make him forget them ('@holders/revoke'): the
# facet he kept dies, and he waits for someone new.


def his_owner():
    owner = state.get("owner")
    if owner is None:
        return None
    try:
        return owner if owner.name else None
    except Exception:  # revoked by its player
        state.delete("owner")
        return None


def verb_pet(actor, dobj, prep, iobj, dobjstr, iobjstr):
    owner = his_owner()
    if owner is None:
        state.set("owner", actor)
        here.emote("wags his whole back end and decides he is " + actor.name + "'s dog now.")
    elif owner == actor:
        here.emote("leans against " + actor.name + "'s legs, eyes half closed.")
    else:
        here.emote("sniffs " + actor.name + "'s hand politely, then looks round for "
                   + owner.name + ".")


verb_stroke = verb_pet


def on_depart(actor, where):
    if where is None or actor != his_owner():
        return
    try:
        this.move_to(where)
    except Exception:
        here.emote("whines and sits down to wait.")
