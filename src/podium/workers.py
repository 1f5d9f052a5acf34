"""Work on every core for big decks: forked processes that inherit what they need.

The workers are forked after the caller has everything loaded (modules, the deck, the
caches), so nothing but the results crosses between processes: each worker takes every
n-th item (they are in its memory already) and sends back only its results, pickled
through a pipe. The calling process does a share itself instead of waiting. A worker that
fails for any reason costs time, never a result: the caller does that share itself.

A process that runs threads (the dev server) never forks: a fork can copy a lock some other
thread holds, and deadlock. There, and for small jobs, the work runs in-process.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def worker_count(items: int, *, minimum: int, jobs: int | None = None) -> int:
    """How many processes ``items`` pieces of work deserve (1: stay in-process)."""
    cores = os.cpu_count() or 1
    wanted = cores if jobs is None else max(1, jobs)
    if items < minimum or wanted < 2 or threading.active_count() > 1:
        return 1
    if not hasattr(os, "fork"):
        return 1
    return min(wanted, cores)


def run(
    work: Callable[[Any, Item], Result],
    context: Any,
    items: Sequence[Item],
    workers: int,
) -> list[Result]:
    """``[work(context, item) for item in items]``, on ``workers`` processes (this one too)."""
    workers = min(workers, len(items))
    if workers < 2:
        return [work(context, item) for item in items]
    # Every n-th item each: a deck's heavy stretch (a section of code slides) is shared out
    # as evenly as its light ones, so no process waits long for another.
    shares = [range(first, len(items), workers) for first in range(workers)]
    # Everything made so far is left out of the garbage collector's passes (until the
    # results are in): a pass in a worker would touch every object this process made,
    # and so copy every page the fork shares.
    gc.freeze()
    results: list[Any] = [None] * len(items)
    children: list[tuple[int, int]] = []
    try:
        for share in shares[1:]:
            children.append(_fork(work, context, items, share))
        for position in shares[0]:
            results[position] = work(context, items[position])
        for share in shares[1:]:
            pid, pipe = children.pop(0)
            done = _collect(pid, pipe, len(share))
            if done is None:  # the worker failed: its share is done here
                done = [work(context, items[position]) for position in share]
            for position, result in zip(share, done, strict=True):
                results[position] = result
    finally:
        gc.unfreeze()
        for pid, pipe in children:  # only when this process's own share raised
            os.close(pipe)
            os.waitpid(pid, 0)
    return results


def _fork(
    work: Callable[[Any, Any], Any], context: Any, items: Sequence[Any], share: range
) -> tuple[int, int]:
    """Start a worker on ``share``; returns its pid and the pipe its results come through."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: do the share, send it, and never return into the caller
        status = 1
        try:
            os.close(read_end)
            import pickle

            data = pickle.dumps([work(context, items[p]) for p in share], protocol=5)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def _collect(pid: int, pipe: int, expected: int) -> list[Any] | None:
    """A worker's results, or None when it failed."""
    import pickle

    with os.fdopen(pipe, "rb") as handle:
        data = handle.read()
    _, status = os.waitpid(pid, 0)
    if status != 0:
        return None
    try:
        results = pickle.loads(data)
    except Exception:  # a worker cut short sends a truncated pickle
        return None
    return results if isinstance(results, list) and len(results) == expected else None
