"""The fuzz tier: attacks on a live server over real sockets, and kill -9 durability."""
