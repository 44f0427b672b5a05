"""A type's links judged on several processes: the rebuild's longest loop in Python (at a million reports,
five million records of one type) split over the machine's cores.

The workers are forked, so each reads the records and neighbour blocks the parent already holds (copy on
write: a worker's memory grows by the pages it touches, not by a second copy read from the store, which
inside the rebuild's transaction would not even see the reprint marks it has just written), and only the
links travel back. Each worker judges a run of the records in block order (`Blocks.in_order`: by province,
then date), so most of the neighbours it reads, and whose words it stems, are in its own run. A link is the same
judged from either end (`compat.linked` and `compat.score` are symmetric), so the links found are the same
whatever the number of workers. Where fork is missing (Windows) or the records are few, the calling
process judges them all."""
from __future__ import annotations

import gc
import multiprocessing
import os
import traceback
from collections.abc import Callable, Sequence

from undercurrent.corroborate.compat import EventView, score
from undercurrent.corroborate.neighbours import Blocks

Pair = tuple[str, str]
Link = Callable[[EventView, EventView], bool]

# Fewer records than this are judged in process: forking and sending the links back cost more than
# a second core saves (a type of 20,000 records is judged in a few seconds).
PARALLEL_MIN = 20_000
# Judging takes about a millisecond a record on one core: a progress line every this many records.
PROGRESS_EVERY = 500_000
# The default number of processes. A worker comes to hold nearly as much memory as the parent: the
# pages of every record it touches are copied (reference counts are written on reading), and the stemmed
# words it computes are its own (at a million reports 7.2 GB of its own, the parent 9.3 GB). Workers are
# also held to what the memory available can take (`affordable`).
DEFAULT_WORKERS_MAX = 4
# The share of the memory available that forked workers may take, each counted as large as the parent.
MEMORY_SHARE = 0.8

# What forked workers read: set by the parent just before it forks, cleared when they are done.
_shared: tuple[Sequence[EventView], Blocks, Link] | None = None


def default_workers() -> int:
    """The processes a rebuild judges on by default: the cores this process may use, at most DEFAULT_WORKERS_MAX."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, DEFAULT_WORKERS_MAX))


def affordable(workers: int) -> tuple[int, str | None]:
    """How many of `workers` processes the memory available can hold, counting each forked one as large as
    this process, and why fewer when fewer (Linux: /proc; elsewhere `workers` as asked)."""
    own, available = _memory()
    if workers <= 1 or own is None or available is None:
        return workers, None
    fits = max(1, min(workers, 1 + int(available * MEMORY_SHARE // own)))
    if fits == workers:
        return workers, None
    return fits, (f"judging on {fits} of {workers} processes: {available / 2**30:.1f} GB of memory available, "
                  f"and each would hold about {own / 2**30:.1f} GB")


def _memory() -> tuple[int | None, int | None]:
    """(this process's resident bytes, the bytes the system has available), or None where unknown."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            own = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            available = next(int(line.split()[1]) * 1024 for line in meminfo if line.startswith("MemAvailable:"))
    except (OSError, ValueError, StopIteration):
        return None, None
    return own, available


def judged(blocks: Blocks, link: Link, *, workers: int = 1,
           progress: Callable[[str], None] | None = None) -> dict[Pair, float]:
    """Every link among the records of `blocks` (each judged against `blocks.neighbours`), as (lower id,
    higher id) -> score, judged on `workers` processes (as many as the memory holds, `affordable`) when
    there are at least PARALLEL_MIN records. `progress` hears when fewer processes judge than asked,
    and about how many records are judged every PROGRESS_EVERY (the calling process's part times the
    number of parts: the parts are alike)."""
    # Records with no date are in no block: they have no neighbours to judge. In block order a record's
    # neighbours were read just before it (in id order they lie anywhere in memory).
    ordered = blocks.in_order()
    parts = workers if workers > 1 and len(ordered) >= PARALLEL_MIN and _can_fork() else 1
    parts, fewer = affordable(parts)
    if fewer is not None and progress is not None:
        progress(fewer)
    if parts == 1:
        return _judge_part(ordered, blocks, link, 0, 1, progress)
    global _shared
    _shared = (ordered, blocks, link)
    # Frozen, the parent's objects are never walked by a worker's garbage collector, which would
    # otherwise write to (and so copy) every page the parent holds.
    gc.freeze()
    context = multiprocessing.get_context("fork")
    started = []
    try:
        for part in range(1, parts):
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_work, args=(part, parts, sender), daemon=True)
            process.start()
            sender.close()
            started.append((process, receiver))
        found = _judge_part(ordered, blocks, link, 0, parts, progress)
        for process, receiver in started:
            found.update(_received(process, receiver))
    finally:
        for process, receiver in started:
            receiver.close()
            if process.is_alive():
                process.terminate()
            process.join()
        _shared = None
        gc.unfreeze()
    return found


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _judge_part(events: Sequence[EventView], blocks: Blocks, link: Link, part: int, parts: int,
                progress: Callable[[str], None] | None = None) -> dict[Pair, float]:
    found: dict[Pair, float] = {}
    every = max(1, PROGRESS_EVERY // parts)
    run = events[len(events) * part // parts:len(events) * (part + 1) // parts]
    for done, record in enumerate(run, start=1):
        if progress is not None and done % every == 0:
            progress(f"links judged for about {done * parts:,} of {len(events):,} records")
        for other in blocks.neighbours(record):
            pair = (record.id, other.id) if record.id < other.id else (other.id, record.id)
            if pair not in found and link(record, other):
                found[pair] = score(record, other)
    return found


def _work(part: int, parts: int, sender) -> None:
    """A forked worker: judge its part of the parent's records and send back the links (or what failed)."""
    assert _shared is not None
    events, blocks, link = _shared
    try:
        sender.send(("links", list(_judge_part(events, blocks, link, part, parts).items())))
    except BaseException:  # noqa: BLE001 - whatever stopped the worker is the parent's error to raise
        sender.send(("failed", traceback.format_exc()))
    finally:
        sender.close()


def _received(process, receiver) -> list[tuple[Pair, float]]:
    try:
        kind, payload = receiver.recv()
    except EOFError:
        process.join()
        raise RuntimeError(f"a process judging links stopped before it answered (exit code {process.exitcode}); "
                           "run the rebuild again with fewer workers (--workers 1) if memory ran out") from None
    if kind == "failed":
        raise RuntimeError(f"a process judging links failed:\n{payload}")
    return payload
