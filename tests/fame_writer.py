"""A process that adds scores to a hall of fame (tests/test_dependable.py starts three at
once); a module of its own so that a spawned process imports little."""

from __future__ import annotations

from pathlib import Path

from game.saves.hall_of_fame import FameEntry, record_score


def add_scores(path: str, first: int) -> None:
    for k in range(8):
        entry = FameEntry(lab="xai", score=float(first + k), result="won", week=100)
        record_score("sandbox", "easy", [entry], path=Path(path), keep=1000)
