"""
Red-team trials of the capability layer: what a hostile player's scripts can
do to another player or to the server through facets.
"""
