"""Dask as the cluster engine (the optional extra `agi-race[dask]`): an Executor for the
batch seam (executor.py) from `distributed.Client.get_executor()`.

`dask_executor(None, n)` starts a local cluster of `n` worker processes (one thread each:
the engine is numpy, and the shards are independent) on this machine only, with no
dashboard; `dask_executor("tcp://HOST:PORT", n)` joins a running scheduler (started with
`dask scheduler`, its workers with `dask worker tcp://HOST:PORT`), every worker of which
must have the same agi-race installed (shards.ScenarioRef checks the game data). The
results are the same as on one process.
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Iterator
from contextlib import contextmanager

INSTALL_HINT = "--dask needs the dask extra: pip install 'agi-race[dask]'"


class MissingExtra(RuntimeError):
    """An optional extra is not installed; the message is the one-line install hint."""


def have_dask() -> bool:
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


@contextmanager
def dask_executor(address: str | None, workers: int) -> Iterator[tuple[cf.Executor, int]]:
    """A Dask client's Executor and how many shards keep its workers busy (the threads
    of a running cluster, else `workers`); the client (and a local cluster) close after."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise MissingExtra(INSTALL_HINT) from None
    if address is None:
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=50,  # logging.CRITICAL: a command prints its results (a task that fails raises here)
        )
        try:
            with Client(cluster) as client:
                yield client.get_executor(), workers
        finally:
            cluster.close()
        return
    with Client(address, timeout="20s") as client:
        threads = sum(client.nthreads().values())
        yield client.get_executor(), max(workers, threads)
