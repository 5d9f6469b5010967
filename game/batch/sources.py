"""A scenario and the game data it is played with, as a worker process gets them: the
scenario's text and the assets folder (None: the game's own), each loaded once per
process. Unlike shards.ScenarioRef (the game's own data, checked by fingerprint), a
Source may name a changed assets/ folder, so a modder's catalog is what every local
worker plays; a remote worker needs the same folder at the same path."""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

import attrs

from game.catalog import Catalog, default_catalog
from game.catalog.loader import load_catalog
from game.saves import SaveError, Scenario, migrate, parse, read_bounded


@attrs.frozen
class Source:
    path: str
    text: str = attrs.field(repr=False)
    assets: str | None = None

    @classmethod
    def of(cls, scn: Scenario, assets: Path | None = None) -> Source:
        """The file `scn` was read from, as it is on disk, with the assets folder."""
        text = read_bounded(Path(scn.path)).decode("utf-8")
        return cls(str(scn.path), text, None if assets is None else str(assets))

    def load(self) -> tuple[Scenario, Catalog]:
        """The scenario and its catalog (each parsed once per process)."""
        return _loaded(self.path, self.text, self.assets)


@functools.lru_cache(maxsize=4)
def catalog_at(assets: str | None) -> Catalog:
    """The catalog of an assets folder (None: the game's own), loaded once per process."""
    return default_catalog() if assets is None else load_catalog(Path(assets))


@functools.lru_cache(maxsize=8)
def _loaded(path: str, text: str, assets: str | None) -> tuple[Scenario, Catalog]:
    catalog = catalog_at(assets)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise SaveError(f"{path}: not valid TOML ({err})") from None
    return parse(migrate(doc, path), catalog, Path(path)), catalog
