"""Building a big schema's object graph without the cyclic garbage collector scanning it.

Parsing allocates millions of small objects (JSON values, parse nodes, IR nodes) and frees
almost none of them: each of the collector's passes over the growing heap finds nothing to
collect, and cost a quarter of `validate` on a 50,000-field schema. These graphs have no cycles
(references are by name), so reference counting frees them when they are dropped.

At the end of the pause, what the block allocated goes straight to the oldest generation
(`freeze` then `unfreeze`): re-enabled, the collector would otherwise scan all of it at once as
young objects, then again as it promotes them. Nothing is kept from collection: garbage among
those objects is found by the next full collection, as for any old object.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block, if it was running (re-entrant)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        gc.enable()
