"""World: the state of B games as a frozen struct of arrays, batch axis first.

Shapes: B games, L labs, G GPU types, S sites, V integrators, K contract slots,
R training-run slots, O order slots. Slot arrays mark empty slots (`order_count == 0`,
`contract_partner == -1`, `run_phase == 0`). Money is USD, power MW, compute FLOP/s,
capability and software efficiency log10. Storage types: STORED_AS below.
"""

from __future__ import annotations

import attrs
import numpy as np

from game.engine.params import NEVER, Params

ORDER_SLOTS = 8
CONTRACT_SLOTS = 12
RUN_SLOTS = 3

# run_phase
RUN_EMPTY, RUN_PRETRAIN, RUN_POST = 0, 1, 2

# What an empty contract slot holds (an empty slot is all zeros, its indices -1).
EMPTY_CONTRACT = {
    "contract_partner": -1,
    "contract_source": -1,
    "contract_site": -1,
    "contract_gpu": 0,
    "contract_count": 0,
    "contract_price": 0,
    "contract_start": 0,
    "contract_end": 0,
    "contract_later_price": 0,
    "contract_reprice": -1,
}

# end_reason
RUNNING, END_AGI, END_BANKRUPT, END_TIME = 0, 1, 2, 3
END_REASONS = ("running", "agi", "bankrupt", "time")


@attrs.frozen(eq=False, repr=False)
class World:
    params: Params = attrs.field(repr=False)

    # per game (B,)
    seed: np.ndarray  # uint
    game: np.ndarray  # int: index of the game in its run (keys the RNG)
    week: np.ndarray  # int: weeks since the scenario's start
    done: np.ndarray  # bool
    winner: np.ndarray  # int: lab index, -1 for none yet
    end_reason: np.ndarray  # int: RUNNING, END_AGI, END_BANKRUPT, END_TIME
    agi_week: np.ndarray  # int: -1 until AGI
    market_users: np.ndarray  # float: weekly users of AI assistants, all labs
    mood: np.ndarray  # float: investors' mood, 1 = neutral

    # NVIDIA and integrators
    nvidia_ordered: np.ndarray  # (B, G) float: GPUs shipped this quarter
    nvidia_requested: np.ndarray  # (B, G) float: GPUs asked for this quarter
    price_mult: np.ndarray  # (B, G) float: demand factor on NVIDIA's list price
    integrator_backlog: np.ndarray  # (B, V) float: GPUs queued at each integrator
    gpu_delay: np.ndarray  # (B, G) int: weeks a GPU's first shipments slipped (events)
    outage_left: np.ndarray  # (B, S) int: weeks a site's grid is down (events)
    event_last: np.ndarray  # (B, L, C) int: week each card last fired for each lab

    # per lab (B, L)
    cash: np.ndarray
    debt: np.ndarray
    valuation: np.ndarray
    founder_share: np.ndarray
    users: np.ndarray
    software: np.ndarray  # log10 software efficiency (GPT-4's = 0)
    best_model: np.ndarray  # log10 effective compute of the best released model; 0 = none
    bankrupt: np.ndarray  # bool
    last_raise_week: np.ndarray  # int: week the last round was started
    last_invest_week: np.ndarray  # int: week a partner last invested in the lab (Microsoft's deal)
    last_post: np.ndarray  # post-money valuation of the last round that closed
    round_usd: np.ndarray  # a round under way: USD committed, 0 = none
    round_pre: np.ndarray  # its pre-money valuation
    round_basis: np.ndarray  # the lab's value on its merits when the round was agreed
    round_close: np.ndarray  # int: the week it closes (after: the week the last round closed)
    revenue_fast: np.ndarray  # weekly revenue, moving average over ~4 weeks
    revenue_slow: np.ndarray  # weekly revenue, moving average over ~26 weeks
    staff_usd_week: np.ndarray  # the people budget the lab has set
    staff: np.ndarray  # researchers employed
    staff_ramped: np.ndarray  # researchers at full productivity (new hires ramp up)
    split: np.ndarray  # (B, L, 3) float: training, inference, research shares

    # fleet
    warehouse: np.ndarray  # (B, L, G) int: delivered, not installed
    installed: np.ndarray  # (B, L, S, G) int
    order_gpu: np.ndarray  # (B, L, O) int
    order_count: np.ndarray  # (B, L, O) int, 0 = empty slot
    order_arrive: np.ndarray  # (B, L, O) int: week of delivery
    order_vendor: np.ndarray  # (B, L, O) int: the integrator building the servers

    # sites
    grid_mw: np.ndarray  # (B, S): grid power the site can draw today
    substation_left: np.ndarray  # (B, S) int: weeks until an upgrade lands, 0 = none
    substation_payer: np.ndarray  # (B, S) int: lab that paid for it, -1 = none
    grid_alloc: np.ndarray  # (B, L, S): each lab's share of the site's grid
    turbine_mw: np.ndarray  # (B, L, S)
    turbine_pending: np.ndarray  # (B, L, S): MW of turbines on their way
    turbine_left: np.ndarray  # (B, L, S) int: weeks until they run
    hall_mw: np.ndarray  # (B, L, S): built hall capacity (all-in MW)
    hall_building: np.ndarray  # (B, L, S): MW under construction
    hall_paused: np.ndarray  # (B, L, S) bool: construction paused (engine/exits.py)
    grid_idle: np.ndarray  # (B, L, S) int: weeks in a row part of the lab's grid claim went unused
    grid_deposit: np.ndarray  # (B, L, S): USD deposit held against the unused part of its claim

    # partners (B, L, P)
    relationship: np.ndarray  # float -1..1, 0 = neutral
    patience: np.ndarray  # float: offers the partner will still hear
    last_counter: np.ndarray  # float: the partner's last counter as a multiple of its list price, 0 = none
    revenue_share: np.ndarray  # (B, L) float: share of revenue owed to investors

    # rental contracts (B, L, K)
    contract_partner: np.ndarray  # int, -1 = empty
    contract_source: np.ndarray  # int: partner whose free capacity it holds; -1 = built to order
    contract_site: np.ndarray  # int: site it was built at for the lab, -1 = the partner's own
    contract_gpu: np.ndarray  # int
    contract_count: np.ndarray  # int
    contract_price: np.ndarray  # float USD per GPU-hour
    contract_start: np.ndarray  # int week
    contract_end: np.ndarray  # int week (exclusive)
    contract_later_price: np.ndarray  # float: the price from week contract_reprice on (an extension's)
    contract_reprice: np.ndarray  # int week the later price starts; -1 = one price throughout

    # training runs (B, L, R)
    run_phase: np.ndarray  # int: RUN_EMPTY, RUN_PRETRAIN, RUN_POST
    run_flop: np.ndarray  # float: compute budget C
    run_done: np.ndarray  # float: FLOP done so far
    run_software: np.ndarray  # float: log10 software efficiency when it started
    run_post_left: np.ndarray  # int: weeks of post-training left

    # Derived arrays kept with this state (see memo.py); not part of the state.
    derived: dict = attrs.field(init=False, factory=dict, repr=False)

    def __attrs_post_init__(self) -> None:
        # The state is never changed in place (memo.py relies on it): make it impossible.
        for name in _ARRAY_FIELDS:
            getattr(self, name).setflags(write=False)

    @property
    def batch(self) -> int:
        return int(self.week.shape[0])

    def __repr__(self) -> str:
        weeks = np.unique(self.week)
        return f"World(games={self.batch}, labs={self.params.lab_ids}, weeks={weeks.tolist()[:5]})"


# How each field is stored between steps: counts, slots and weeks in the smallest integer
# type their ranges need (a save's limits: 1e8 GPUs, weeks within +-10,000), and factors
# that need no more in float32; money, power, compute and a partner's standing counter
# (a player who offers exactly the countered price must get a yes) stay float64. A step
# computes in whatever numpy promotes to and `stored` casts its results back: 3.5 KB a
# game instead of 7.5 KB (benchmarks/engine.py prints it).
_I8, _I16, _I32, _F32 = np.dtype(np.int8), np.dtype(np.int16), np.dtype(np.int32), np.dtype(np.float32)
STORED_AS: dict[str, np.dtype] = {
    "winner": _I8,
    "end_reason": _I8,
    "gpu_delay": _I16,
    "outage_left": _I16,
    "event_last": _I16,
    "last_raise_week": _I16,
    "last_invest_week": _I16,
    "round_close": _I16,
    "price_mult": _F32,
    "split": _F32,
    "staff": _F32,
    "staff_ramped": _F32,
    "warehouse": _I32,
    "installed": _I32,
    "order_gpu": _I8,
    "order_count": _I32,
    "order_arrive": _I16,
    "order_vendor": _I8,
    "substation_left": _I16,
    "substation_payer": _I8,
    "turbine_left": _I16,
    "relationship": _F32,
    "patience": _F32,
    "contract_partner": _I8,
    "contract_source": _I8,
    "contract_site": _I8,
    "contract_gpu": _I8,
    "contract_count": _I32,
    "contract_price": _F32,
    "contract_start": _I16,
    "contract_end": _I16,
    "contract_later_price": _F32,
    "contract_reprice": _I16,
    "grid_idle": _I16,
    "run_phase": _I8,
    "run_post_left": _I16,
}


def stored(fields: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """`fields` cast to the types the World keeps them in (no copy where they already are)."""
    out = dict(fields)
    for n, dtype in STORED_AS.items():
        v = out.get(n)
        if v is not None and v.dtype != dtype:
            out[n] = v.astype(dtype)
    return out


_ARRAY_FIELDS = tuple(f.name for f in attrs.fields(World) if f.name not in ("params", "derived"))


_SET = object.__setattr__


def rebuilt(world: World, arrays: dict[str, np.ndarray]) -> World:
    """`attrs.evolve(world, **arrays)` for a new value of every array field, each already
    read-only (a step's results): the same World without evolve's and __init__'s layers."""
    new = object.__new__(World)
    _SET(new, "params", world.params)
    for name in _ARRAY_FIELDS:
        _SET(new, name, arrays[name])
    _SET(new, "derived", {})
    return new


def array_fields() -> tuple[str, ...]:
    """Names of World's array fields (everything but params and the derived cache)."""
    return _ARRAY_FIELDS


def take(world: World, index: np.ndarray) -> World:
    """The games at `index` (a selection or repetition along the batch axis)."""
    return attrs.evolve(world, **{n: getattr(world, n)[index] for n in array_fields()})


def keep_where(mask: np.ndarray, old: World, new: World) -> World:
    """`new`, except games where `mask` (B,) is true keep `old`'s state."""
    if not np.count_nonzero(mask):
        return new
    changes = {}
    for name in array_fields():
        a, b = getattr(old, name), getattr(new, name)
        m = mask.reshape(mask.shape + (1,) * (a.ndim - 1))
        changes[name] = np.where(m, a, b)
    return attrs.evolve(new, **changes)


def allocate(world_params: Params, batch: int) -> dict[str, np.ndarray]:
    """Zeroed arrays of every field for `batch` games: the base a scenario fills in."""
    p = world_params
    B, L, G, S = batch, p.n_labs, len(p.gpu_ids), len(p.site_ids)
    V, K, R, O = len(p.integrator_ids), CONTRACT_SLOTS, RUN_SLOTS, ORDER_SLOTS
    P = len(p.partner_ids)
    f, i = np.float64, np.int64
    return stored(
        {
            "seed": np.zeros(B, np.uint64),
            "game": np.arange(B, dtype=i),
            "week": np.zeros(B, i),
            "done": np.zeros(B, bool),
            "winner": np.full(B, -1, i),
            "end_reason": np.zeros(B, i),
            "agi_week": np.full(B, -1, i),
            "market_users": np.zeros(B, f),
            "mood": np.ones(B, f),
            "nvidia_ordered": np.zeros((B, G), f),
            "nvidia_requested": np.zeros((B, G), f),
            "price_mult": np.ones((B, G), f),
            "integrator_backlog": np.zeros((B, V), f),
            "gpu_delay": np.zeros((B, G), i),
            "outage_left": np.zeros((B, S), i),
            "event_last": np.full((B, L, len(p.catalog.events)), NEVER, i),
            "cash": np.zeros((B, L), f),
            "debt": np.zeros((B, L), f),
            "valuation": np.zeros((B, L), f),
            "founder_share": np.ones((B, L), f),
            "users": np.zeros((B, L), f),
            "software": np.zeros((B, L), f),
            "best_model": np.zeros((B, L), f),
            "bankrupt": np.zeros((B, L), bool),
            "last_raise_week": np.full((B, L), -1000, i),
            "last_invest_week": np.full((B, L), -1000, i),
            "last_post": np.zeros((B, L), f),
            "round_usd": np.zeros((B, L), f),
            "round_pre": np.zeros((B, L), f),
            "round_basis": np.zeros((B, L), f),
            "round_close": np.zeros((B, L), i),
            "revenue_fast": np.zeros((B, L), f),
            "revenue_slow": np.zeros((B, L), f),
            "staff_usd_week": np.zeros((B, L), f),
            "staff": np.zeros((B, L), f),
            "staff_ramped": np.zeros((B, L), f),
            "split": np.tile(np.array([0.5, 0.4, 0.1]), (B, L, 1)),
            "warehouse": np.zeros((B, L, G), i),
            "installed": np.zeros((B, L, S, G), i),
            "order_gpu": np.zeros((B, L, O), i),
            "order_count": np.zeros((B, L, O), i),
            "order_arrive": np.zeros((B, L, O), i),
            "order_vendor": np.zeros((B, L, O), i),
            "grid_mw": np.zeros((B, S), f),
            "substation_left": np.zeros((B, S), i),
            "substation_payer": np.full((B, S), -1, i),
            "grid_alloc": np.zeros((B, L, S), f),
            "turbine_mw": np.zeros((B, L, S), f),
            "turbine_pending": np.zeros((B, L, S), f),
            "turbine_left": np.zeros((B, L, S), i),
            "hall_mw": np.zeros((B, L, S), f),
            "hall_building": np.zeros((B, L, S), f),
            "hall_paused": np.zeros((B, L, S), bool),
            "grid_idle": np.zeros((B, L, S), i),
            "grid_deposit": np.zeros((B, L, S), f),
            "relationship": np.zeros((B, L, P), f),
            "patience": np.tile(p.partner_patience.astype(f), (B, L, 1)),
            "last_counter": np.zeros((B, L, P), f),
            "revenue_share": np.zeros((B, L), f),
            "contract_partner": np.full((B, L, K), -1, i),
            "contract_source": np.full((B, L, K), -1, i),
            "contract_site": np.full((B, L, K), -1, i),
            "contract_gpu": np.zeros((B, L, K), i),
            "contract_count": np.zeros((B, L, K), i),
            "contract_price": np.zeros((B, L, K), f),
            "contract_start": np.zeros((B, L, K), i),
            "contract_end": np.zeros((B, L, K), i),
            "contract_later_price": np.zeros((B, L, K), f),
            "contract_reprice": np.full((B, L, K), -1, i),
            "run_phase": np.zeros((B, L, R), i),
            "run_flop": np.zeros((B, L, R), f),
            "run_done": np.zeros((B, L, R), f),
            "run_software": np.zeros((B, L, R), f),
            "run_post_left": np.zeros((B, L, R), i),
        }
    )
