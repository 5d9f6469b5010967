"""The Executor seam: batch jobs (shards of games, ranges of futures, tournament chunks)
run on any `concurrent.futures.Executor` (a Dask client's `get_executor()`, a thread
pool in tests, a wrapper around Ray) or, by default, on fresh local processes with live
progress. A job is plain data (a scenario reference and numbers, see shards.py) and a
module-level function, so it pickles small and runs anywhere the game is installed.
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Callable, Sequence
from typing import Any

Report = Callable[[float], None]  # a part's progress: games or futures played so far


_progress_queue: Any = None  # in a worker process: where it posts (part, done) for the parent


def run_jobs(
    fn: Callable[[Any, Report | None], Any],
    jobs: Sequence[Any],
    sizes: Sequence[int],
    workers: int,
    total: int,
    progress: Callable[[float, int], None] | None,
    executor: cf.Executor | None = None,
) -> list[Any]:
    """`fn(job, None)` for every job, results in job order: on `executor` if one is
    given (any concurrent.futures.Executor: `progress(done, total)` hears the sum of
    `sizes` of the jobs finished so far), else on `workers` fresh processes (`_pool_map`)."""
    if executor is None:
        return _pool_map(fn, jobs, workers, total, progress)
    pending = {executor.submit(_run_part, (fn, None, job)): k for k, job in enumerate(jobs)}
    results: list[Any] = [None] * len(jobs)
    done = 0
    try:
        for future in cf.as_completed(pending):
            k = pending[future]
            results[k] = future.result()
            done += sizes[k]
            if progress is not None:
                progress(done, total)
    except BaseException:
        for future in pending:
            future.cancel()
        raise
    return results


def _pool_map(
    fn: Callable[[Any, Report | None], Any],
    jobs: Sequence[Any],
    workers: int,
    total: int,
    progress: Callable[[float, int], None] | None,
) -> list[Any]:
    """`fn(job, report)` for every job on `workers` fresh processes, results in order.
    With `progress`, each part's `report(done)` travels back through a queue, and the
    parent hears the sum over the parts as `progress(done, total)`."""
    import multiprocessing
    import threading

    context = multiprocessing.get_context("spawn")  # no inherited state: each process starts clean
    parts = list(enumerate(jobs))
    if progress is None:
        with cf.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return list(pool.map(_run_part, [(fn, None, job) for _, job in parts]))
    queue = context.Queue()
    done: dict[int, float] = {}

    def listen() -> None:
        while (message := queue.get()) is not None:
            part, value = message
            done[part] = value
            progress(sum(done.values()), total)

    listener = threading.Thread(target=listen, name="progress", daemon=True)
    listener.start()
    try:
        with cf.ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_listen_to, initargs=(queue,)
        ) as pool:
            return list(pool.map(_run_part, [(fn, part, job) for part, job in parts]))
    finally:  # the workers have exited, so every report they posted is ahead of this
        queue.put(None)
        listener.join()


def _listen_to(queue: Any) -> None:
    global _progress_queue
    _progress_queue = queue


def _run_part(task: tuple[Callable[[Any, Report | None], Any], int | None, Any]) -> Any:
    fn, part, job = task
    if part is None or _progress_queue is None:
        return fn(job, None)
    queue = _progress_queue
    return fn(job, lambda value: queue.put((part, value)))
