"""Work on every core for big decks: a forked pool that inherits what it needs.

The workers are forked after the caller has everything loaded (modules, the deck, the
caches), so nothing but each item and each result crosses between processes. A process
that runs threads (the dev server) never forks: a fork can copy a lock some other thread
holds, and deadlock. There, and for small jobs, the work runs in-process.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

_JOB: tuple[Callable[[Any, Any], Any], Any] | None = None


def worker_count(items: int, *, minimum: int, jobs: int | None = None) -> int:
    """How many processes ``items`` pieces of work deserve (1: stay in-process)."""
    cores = os.cpu_count() or 1
    wanted = cores if jobs is None else max(1, jobs)
    if items < minimum or wanted < 2 or threading.active_count() > 1:
        return 1
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(wanted, cores)


def run(
    work: Callable[[Any, Item], Result],
    context: Any,
    items: Sequence[Item],
    workers: int,
) -> list[Result]:
    """``[work(context, item) for item in items]``, on ``workers`` forked processes."""
    if workers < 2:
        return [work(context, item) for item in items]
    import multiprocessing

    global _JOB
    _JOB = (work, context)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            size = max(1, len(items) // (workers * 4))
            return pool.map(_call, items, chunksize=size)
    finally:
        _JOB = None


def _call(item: Any) -> Any:
    assert _JOB is not None  # set before the fork, inherited by the workers
    work, context = _JOB
    return work(context, item)
