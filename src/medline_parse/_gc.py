"""Pausing Python's cyclic garbage collector while many long-lived objects are made at once.

Articles hold no reference cycles, but each is dozens of objects the collector tracks.  While a
list of them grows (``collect``), or a worker's pickled file of them is loaded
(``parse_many``), every object made survives, so the collector's passes rescan them again and
again: loading a pickled file took seven times as long with the collector on as with it paused.
Pausing it for that stretch, and restoring its state afterwards (also when an error is raised),
loses nothing: what cycles user code may make there are collected when it runs again.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector paused in the ``with`` block, its state restored after it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
