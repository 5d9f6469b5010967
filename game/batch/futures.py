"""Ranges of a forecast's futures played on a pool of worker processes that can be
stopped: what the odds and the what-ifs play wave after wave (game/play/odds.py).

A range is numbered futures `first .. first + n - 1` of one game (the same forecast
whatever the processes: see engine.forecast.run), with an optional first week: one
lab plays a given week (its book, or a variant of it) and the AI the others. The pool
(`FuturesPool`) is started once and kept for every wave; stopping it sets an event every
worker process hears each week of its futures, so the processes stop within a week and
exit with the pool: nothing is left running.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

import attrs
import numpy as np

from game.batch.executor import run_jobs
from game.batch.simulate import FutureSpec
from game.engine import forecast, odds, policies
from game.engine.actions import Actions
from game.engine.state import World
from game.saves import initial_world, scenario_params

# A worker's range: the game, futures, first future, weeks, seed, and the first week
# (the B = 1 actions of the lab that plays it, and that lab) or None (the AI plays it).
RangeJob = tuple[FutureSpec, int, int, int | None, int | None, "Opening | None"]

_stop: Any = None  # in a pool process: the event that stops its futures


@attrs.frozen(eq=False)
class Opening:
    """A first week in every future: `lab` plays `actions` (B = 1), the AI the others."""

    actions: Actions
    lab: int

    def week(self, ctl: policies.Controllers) -> Callable[[World], Actions]:
        labs = np.zeros(self.actions.raise_usd.shape[1], bool)
        labs[self.lab] = True
        return odds.first_week(ctl, self.actions, labs)


class FuturesPool(cf.Executor):
    """An executor of `workers` spawned processes, started at the first job (or by
    `warm`) and kept for every later one. `stop()` (safe from any thread, never waits)
    makes the futures being played stop within a week and refuses new jobs;
    `shutdown()` stops and waits for the processes to exit."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._lock = threading.Lock()
        self._context = multiprocessing.get_context("spawn")  # no inherited state: each process starts clean
        _start_resource_tracker()
        self._stop = self._context.Event()
        self._pool: cf.ProcessPoolExecutor | None = None

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future[Any]:
        with self._lock:
            if self._stop.is_set():
                raise cf.CancelledError("the futures were stopped")
            if self._pool is None:
                self._pool = cf.ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=self._context,
                    initializer=_hear,
                    initargs=(self._stop,),
                )
            return self._pool.submit(fn, *args, **kwargs)

    def warm(self) -> None:
        """Start the processes now (each loads the game's code and data) so that a later
        wave finds them ready."""
        for _ in range(self.workers):
            self.submit(_nothing)

    @property
    def started(self) -> bool:
        return self._pool is not None

    def stop(self) -> None:
        with self._lock:
            self._stop.set()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.stop()
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=True)


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker (the helper process that cleans up the
    pool's semaphores) with its error output on the null device. It hands itself this
    process's stderr, which a full-screen terminal app has replaced with an object
    without a file descriptor (the tracker would fail to start), and anything it wrote
    to the terminal would land on the screen."""
    from multiprocessing import resource_tracker

    saved = sys.stderr
    with open(os.devnull, "w") as quiet:
        try:
            sys.stderr = quiet
            resource_tracker.ensure_running()
        finally:
            sys.stderr = saved


def _nothing() -> None:
    """A job that only starts its process."""


def _hear(stop: Any) -> None:
    """A pool process's start: it keeps the stop event and loads the game's catalog (the
    engine came with this module), so that its first range starts playing at once."""
    global _stop
    _stop = stop
    from game.catalog import default_catalog

    default_catalog()


def play_range(
    world: World,
    ctl: policies.Controllers,
    n: int,
    first: int,
    weeks: int | None = None,
    seed: int | None = None,
    opening: Opening | None = None,
    spec: FutureSpec | None = None,
    executor: cf.Executor | None = None,
    workers: int = 1,
    should_stop: Callable[[], bool] | None = None,
    progress: Callable[[float, int], None] | None = None,
) -> forecast.Forecast:
    """Futures `first .. first + n - 1` of `world` (with `opening` as their first week):
    here, or split in `workers` parts on `executor` (workers rebuild the game from
    `spec`) when there are enough of them. The same forecast either way."""
    if executor is None or spec is None or workers <= 1 or n < 8 * workers:
        first_week = None if opening is None else opening.week(ctl)
        return forecast.run(
            world, ctl, n, weeks, seed=seed, should_stop=should_stop, first=first,
            progress=progress, first_week=first_week,
        )  # fmt: skip
    edges = np.linspace(first, first + n, workers + 1).round().astype(int)
    jobs: list[RangeJob] = [
        (spec, int(b - a), int(a), weeks, seed, opening) for a, b in zip(edges[:-1], edges[1:], strict=True)
    ]
    if should_stop is None:
        sizes = [job[1] for job in jobs]
        return forecast.Forecast.combine(run_jobs(_range, jobs, sizes, workers, n, progress, executor))
    return forecast.Forecast.combine(_wait(executor, jobs, n, should_stop, progress))


def _wait(
    executor: cf.Executor,
    jobs: list[RangeJob],
    n: int,
    should_stop: Callable[[], bool],
    progress: Callable[[float, int], None] | None,
) -> list[forecast.Forecast]:
    """The parts of a range on `executor`, in order, hearing `should_stop` as they play:
    a true answer stops the executor's futures (a FuturesPool's) and raises CancelledError."""
    parts = [executor.submit(_range, job) for job in jobs]
    size = {part: job[1] for part, job in zip(parts, jobs, strict=True)}
    pending = set(parts)
    while pending:
        done, pending = cf.wait(pending, timeout=0.05, return_when=cf.FIRST_COMPLETED)
        if done and progress is not None:
            progress(sum(size[p] for p in parts if p.done()), n)
        if pending and should_stop():
            for part in pending:
                part.cancel()
            stop = getattr(executor, "stop", None)
            if stop is not None:
                stop()  # the parts playing stop within a week
            raise cf.CancelledError("the futures were stopped")
    return [part.result() for part in parts]


def _range(job: RangeJob, report: Any = None) -> forecast.Forecast:
    spec, n, first, weeks, seed, opening = job
    scn, catalog = spec.ref.load()
    params = scenario_params(scn, catalog)
    world = initial_world(scn, params, 1)
    ctl = policies.make_controllers(catalog, params, spec.styles, spec.difficulty, ai_labs=params.lab_ids)
    stop = _stop
    return forecast.run(
        world, ctl, n, weeks, seed=seed, first=first,
        should_stop=None if stop is None else stop.is_set,
        first_week=None if opening is None else opening.week(ctl),
    )  # fmt: skip
