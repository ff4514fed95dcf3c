# -*- test-case-name: tests.facets -*-
"""
Facets: how scripts hold world objects.

Scripts never hold world objects, only facets: zope.security proxies whose
checkers allow exactly one role interface (view ⊂ interact ⊂ control) of the
object and nothing else, which die with their revocation cells, and through
which everything obtained is a facet too. See docs/facets.md.

Modules:
  - L{interfaces}: the roles, per world class;
  - L{checkers}: the default-deny checkers and the membrane;
  - L{adapters}: facet targets and L{adapters.facet}/L{adapters.attenuate};
  - L{context}: the acting store/turn and owner;
  - L{membrane}: revocation cells;
  - L{grants}: grants, listing and revocation;
  - L{capref}: facets at rest;
  - L{state}: script state within quotas;
  - L{timers}: persistent timers (storage half) within quotas;
  - L{accounting}: per-owner usage and quotas;
  - L{lifecycle}: cleanup when an object is destroyed;
  - L{inputs}: exact-type checks of what scripts hand in;
  - L{base}: the facet target base (comparisons that never leak);
  - L{errors}: Revoked, FacetError, QuotaExceeded.

Importing this package registers nothing; L{checkers.install_checkers} does
(and making any facet calls it).
"""
