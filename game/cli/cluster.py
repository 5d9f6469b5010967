"""`--dask [ADDRESS]` for the commands that play many games (simulate, forecast,
tournament): their shards go to a Dask cluster through the Executor seam
(game/batch/cluster.py). Without the dask extra the flag is a usage error with the
install hint, before any work starts."""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from game.cli.usage import UsageError

LOCAL = "local"
ADDRESS = re.compile(r"(tcp|tls|ucx|ws|wss)://[^\s/]+:\d{1,5}")


def add_dask(parser: Any) -> None:
    parser.add_argument(
        "--dask",
        nargs="?",
        const=LOCAL,
        metavar="ADDRESS",
        help="share the work on Dask: alone, a local cluster of --workers processes; with "
        "tcp://HOST:PORT, a running scheduler's workers (needs the dask extra; default: no Dask)",
    )


def check_dask(args: argparse.Namespace) -> None:
    """A usage error now if --dask cannot work: the extra is missing or the address is not one."""
    from game.batch.cluster import INSTALL_HINT, have_dask

    if args.dask is None:
        return
    if args.dask != LOCAL and not ADDRESS.fullmatch(args.dask):
        raise UsageError(f"--dask: give a scheduler's address like tcp://HOST:8786, got {args.dask!r}")
    if not have_dask():
        raise UsageError(INSTALL_HINT)


@contextmanager
def executor_for(args: argparse.Namespace) -> Iterator[tuple[cf.Executor | None, int]]:
    """The executor --dask asks for (None: the default process pool) and the worker count
    that sizes the shards."""
    if args.dask is None:
        yield None, args.workers
        return
    from game.batch.cluster import dask_executor

    started = False
    try:
        with dask_executor(None if args.dask == LOCAL else args.dask, args.workers) as found:
            started = True
            yield found
    except OSError as err:  # no scheduler there (distributed raises OSError on a timeout)
        if started:
            raise
        raise UsageError(f"--dask {args.dask}: cannot reach the scheduler ({err})") from None
