"""Helpers for work over every row of a large file or network in one process."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a bulk path runs.

    An import or a duplicate scan makes millions of small objects (cells, tuples,
    dicts) that form no cycles, yet every few hundred allocations the collector
    walks the young ones and, as they pile up, all of them again: a quarter of an
    import's CPU. Reference counting still frees everything as usual; the
    collector resumes (as it was) when the last bulk path of the process ends."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
