"""The catalog: assets/*.toml loaded into frozen attrs records and validated.

Every record field declares what it accepts (`num`, `text`, `date`, `steps`, ...). The
loader checks types, ranges and unknown keys, and that every number carries a source
(each entry has a `source` sub-table naming where each figure comes from). A problem is
one `CatalogError` naming the file, the entry and the field.
"""

from game.catalog.events import EVENT_GAME_FIELDS, EVENT_LAB_FIELDS, Condition, Effect, EventCard, load_events
from game.catalog.loader import default_catalog, load_catalog
from game.catalog.records import (
    Catalog,
    DealRules,
    Difficulty,
    ExitRules,
    FinanceRules,
    Gpu,
    GridRules,
    Integrator,
    Lab,
    MarketRules,
    Nvidia,
    Partner,
    PolicyStyle,
    ResearchRules,
    Rules,
    ScoreRules,
    Site,
    TrainingRules,
)
from game.catalog.schema import Schema
from game.catalog.specs import (
    CatalogError,
    Choice,
    Date,
    Flag,
    Ids,
    Num,
    PerGpu,
    Steps,
    Text,
    Weights,
    date,
    flag,
    num,
    per_gpu,
    read_toml,
    steps,
    text,
)

__all__ = [
    "EVENT_GAME_FIELDS", "EVENT_LAB_FIELDS", "Catalog", "CatalogError", "Choice", "Condition", "Date",
    "DealRules", "Difficulty", "ExitRules", "GridRules", "Effect", "EventCard", "FinanceRules", "Flag", "Gpu", "Ids", "Integrator",
    "Lab", "MarketRules", "Num", "Nvidia", "Partner", "PerGpu", "PolicyStyle", "ResearchRules", "Rules",
    "Schema", "ScoreRules", "Site", "Steps", "Text", "TrainingRules", "Weights", "date",
    "default_catalog", "flag", "load_catalog", "load_events", "num", "per_gpu", "read_toml", "steps", "text",
]  # fmt: skip
