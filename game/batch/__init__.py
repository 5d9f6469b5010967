"""Headless batch work: simulate, forecast, tournament, strategies and balance.

A floor between saves/ and play/: it may import the catalog, the engine and saves,
never play/, tui/ or cli/. Shards run through one `concurrent.futures.Executor`
seam (executor.py), so a process pool, a Dask cluster or a test's inline executor
plug in without touching the batch code.
"""
