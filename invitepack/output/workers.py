"""Worker processes for a batch (`render --jobs N`): chunks of rows judged in parallel, the
answers handed back in the chunks' order, so that the caller records them as one process would.

Workers are forked from the process that built the renderer and the checker, so they judge
with exactly its template, config and rules, and load nothing themselves; each request
carries only a chunk of rows. They ignore Ctrl-C (the parent's to handle, as with the plugin
worker) and die with the parent (Linux). A worker that ends without answering (killed, out
of memory) is an error that stops the run with exit 2. Only the batch imports this module:
a plain `check` never loads multiprocessing.
"""

from __future__ import annotations

import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from invitepack.errors import InvitepackError

T = TypeVar("T")
R = TypeVar("R")
# Requests in flight per worker: one being worked on and one waiting, so no worker idles
# while the parent writes the last answer's files.
_AHEAD = 2
_work: Callable[[Any], Any] | None = None  # in a worker: the function it was forked with


def cpu_count() -> int:
    """The CPUs this process may run on (`--jobs 0`): its affinity where known."""
    if hasattr(os, "sched_getaffinity"):
        return max(len(os.sched_getaffinity(0)), 1)
    return os.cpu_count() or 1


def _become_worker(work: Callable[[Any], Any]) -> None:
    """In a new worker: keep the function, leave signals to the parent, die with it."""
    from invitepack.checks.isolation import die_with_parent

    global _work
    _work = work
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent()


def _run(chunk: Any) -> Any:
    assert _work is not None
    return _work(chunk)


def in_order(
    work: Callable[[list[T]], R], chunks: Iterable[list[T]], jobs: int
) -> Iterator[tuple[list[T], R]]:
    """Each chunk with work(chunk), computed by `jobs` forked workers, in the chunks' order.

    A few chunks are in flight at a time (memory stays flat); closing the iterator, or an
    exception (Ctrl-C), cancels those not started and waits for the workers to end.
    An exception raised by `work` is raised here, for its chunk."""
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(
        jobs,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_become_worker,
        initargs=(work,),
    )
    pending: deque[tuple[list[T], Future[R]]] = deque()
    chunks = iter(chunks)
    try:
        for chunk in chunks:
            pending.append((chunk, pool.submit(_run, chunk)))
            if len(pending) >= jobs * _AHEAD:
                break
        while pending:
            chunk, future = pending.popleft()
            answer = future.result()
            following = next(chunks, None)
            if following is not None:
                pending.append((following, pool.submit(_run, following)))
            yield chunk, answer
    except BrokenProcessPool:  # from the answer awaited, or from a request after it
        raise InvitepackError(
            "a worker process ended before answering (killed, or out of memory); "
            "nothing was written",
            hint="run again; if it happens again, with fewer --jobs",
        ) from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
