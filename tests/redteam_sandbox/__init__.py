"""
Red-team trials of the sandbox itself: programs written by an attacker who has
read the source, grouped by technique (nesting, C-call stalls, memory kept past
a module's life, compile cost). Each file names the mechanism it attacks.
"""
