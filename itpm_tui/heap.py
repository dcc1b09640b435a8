"""The cyclic garbage collector, kept out of the way of work that allocates in bulk.

Python's collector scans every tracked object each time a full (oldest generation)
collection runs. Two patterns here made that visible:

- building tens of thousands of models or small tuples in one go: the collector kept
  rescanning them while they were being made (``no_gc_pauses``);
- a screen's first load: what it shows lives as long as the app, yet every full
  collection after it walked all of it again. At 10,000 tasks, with every screen visited,
  one full collection during a screen switch took 127 ms (11.6 ms with the loaded data
  frozen): the p90 of a switch. ``freeze_survivors`` moves what is alive to the permanent
  generation, which collections skip.

Reference counting still frees everything either way. Reference cycles wait for the
collector while it is paused, and stay until the process ends once frozen: hence freezing
only what lives as long as the app anyway.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_gc_pauses() -> Iterator[None]:
    """Pause the cyclic collector while a block allocates many objects; resume after it
    (if it was running: nested pauses leave it off until the outermost ends)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def freeze_survivors() -> None:
    """Collect the young generations, then freeze everything still alive.

    For data that stays for the app's life (a screen's first load, the modules it
    imported). Frozen objects are never collected, so call it at a few such moments, not per
    key: cycles freed after a freeze stay in memory until the process ends.
    """
    gc.collect(1)
    gc.freeze()
