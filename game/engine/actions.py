"""Actions: what every lab of every game decides for one week, as arrays.

`Actions.idle(world)` is "do nothing new": runs continue, the split and staff spend stay.
Fields that keep the current setting use a negative value (`split`, `staff_usd_week`) or
-1 for "none" (`offer_partner`, `offer_site`). A week may hold several decisions of a
kind: GPUs through each integrator (`order_count` per vendor and GPU type), halls and
turbines at every site, up to RUN_SLOTS new runs, any contracts to leave. Everything is
clipped and checked by the step; an action that cannot be carried out (an index out of
range included) changes nothing and is reported (see turn.Report.refused).
"""

from __future__ import annotations

import attrs
import numpy as np

from game.engine.state import World


@attrs.frozen(eq=False)
class Actions:
    order_count: np.ndarray  # (B, L, V, G) int64: GPUs to buy from NVIDIA through each integrator
    build_mw: np.ndarray  # (B, L, S) float64: hall MW to start building
    turbine_mw: np.ndarray  # (B, L, S) float64: gas turbine MW to order
    substation: np.ndarray  # (B, L, S) bool: pay for a substation upgrade
    split: np.ndarray  # (B, L, 3) float64: training/inference/research; negative = keep
    start_flop: np.ndarray  # (B, L, R) float64: start pretraining runs of C FLOP each; 0 = none
    offer_partner: np.ndarray  # (B, L) int64: partner to make an offer to, -1 = none
    offer_gpu: np.ndarray  # (B, L) int64
    offer_count: np.ndarray  # (B, L) int64: GPUs
    offer_start: np.ndarray  # (B, L) int64: first week (now or later)
    offer_weeks: np.ndarray  # (B, L) int64: term
    offer_price: np.ndarray  # (B, L) float64: USD per GPU-hour
    offer_site: np.ndarray  # (B, L) int64: site to build at for the lab, -1 = the partner's own
    offer_invest: np.ndarray  # (B, L) float64: > 0 asks the partner to invest this much instead
    offer_share: np.ndarray  # (B, L) float64: share of revenue offered for the investment
    offer_contract: np.ndarray  # (B, L) int64: contract slot to amend (more GPUs, weeks); -1 = new
    exit: np.ndarray  # (B, L, K) bool: contract slots to leave early
    raise_usd: np.ndarray  # (B, L) float64: ask investors for this much; 0 = none
    borrow_usd: np.ndarray  # (B, L) float64
    repay_usd: np.ndarray  # (B, L) float64
    staff_usd_week: np.ndarray  # (B, L) float64: new weekly people budget; negative = keep
    # ways out of a commitment (engine/exits.py)
    hall_cancel: np.ndarray  # (B, L, S) bool: stop building the MW still under construction
    hall_pause: np.ndarray  # (B, L, S) int64: 1 pauses construction, -1 resumes it, 0 keeps
    sell_gpus: np.ndarray  # (B, L, G) int64: GPUs to sell on the used market
    sublet: np.ndarray  # (B, L, K) bool: contract slots to hand back for the partner to re-let

    @classmethod
    def idle(cls, world: World) -> Actions:
        B, L = world.cash.shape
        G, S = world.warehouse.shape[2], world.hall_mw.shape[2]
        V, R, K = len(world.params.integrator_ids), world.run_phase.shape[2], world.contract_partner.shape[2]
        f, i = np.float64, np.int64
        return cls(
            order_count=np.zeros((B, L, V, G), i),
            build_mw=np.zeros((B, L, S), f),
            turbine_mw=np.zeros((B, L, S), f),
            substation=np.zeros((B, L, S), bool),
            split=np.full((B, L, 3), -1.0),
            start_flop=np.zeros((B, L, R), f),
            offer_partner=np.full((B, L), -1, i),
            offer_gpu=np.zeros((B, L), i),
            offer_count=np.zeros((B, L), i),
            offer_start=np.zeros((B, L), i),
            offer_weeks=np.zeros((B, L), i),
            offer_price=np.zeros((B, L), f),
            offer_site=np.full((B, L), -1, i),
            offer_invest=np.zeros((B, L), f),
            offer_share=np.zeros((B, L), f),
            offer_contract=np.full((B, L), -1, i),
            exit=np.zeros((B, L, K), bool),
            raise_usd=np.zeros((B, L), f),
            borrow_usd=np.zeros((B, L), f),
            repay_usd=np.zeros((B, L), f),
            staff_usd_week=np.full((B, L), -1.0),
            hall_cancel=np.zeros((B, L, S), bool),
            hall_pause=np.zeros((B, L, S), i),
            sell_gpus=np.zeros((B, L, G), i),
            sublet=np.zeros((B, L, K), bool),
        )

    def replace(self, **changes: np.ndarray) -> Actions:
        return attrs.evolve(self, **changes)


def amount(x: np.ndarray, hi: float) -> np.ndarray:
    """An action's quantity made safe: NaN and negatives become 0, inf and huge become hi."""
    return np.fmin(np.fmax(x, 0.0), hi)  # fmax drops NaN for 0


def merge(mask: np.ndarray, chosen: Actions, other: Actions) -> Actions:
    """Per lab: `chosen` where mask (B, L) is true, else `other`."""
    if mask.all():
        return chosen
    if not np.count_nonzero(mask):
        return other
    changes = {}
    for f in attrs.fields(Actions):
        a, b = getattr(chosen, f.name), getattr(other, f.name)
        m = mask.reshape(mask.shape + (1,) * (a.ndim - 2))
        changes[f.name] = np.where(m, a, b)
    return Actions(**changes)


def checked(a: Actions, n_partners: int, n_gpus: int, n_sites: int) -> tuple[Actions, np.ndarray]:
    """`a` with every index made safe: an offer naming a partner, GPU or site that does not
    exist is dropped, and the labs (B, L) that named one are returned (the step refuses
    them with codes.BAD_INDEX). Masks are read as booleans."""
    made = a.offer_partner >= 0
    bad = (a.offer_partner < -1) | (a.offer_partner >= n_partners)
    bad |= made & ((a.offer_gpu < 0) | (a.offer_gpu >= n_gpus))
    bad |= made & ((a.offer_site < -1) | (a.offer_site >= n_sites))
    bad |= made & ((a.offer_contract < -1) | (a.offer_contract >= a.exit.shape[-1]))
    masks = (a.exit, a.substation, a.hall_cancel, a.sublet)
    if all(isinstance(m, np.ndarray) and m.dtype == np.bool_ for m in masks):
        safe = a  # (the AI's: already boolean arrays)
    else:
        safe = a.replace(
            exit=np.asarray(a.exit, bool),
            substation=np.asarray(a.substation, bool),
            hall_cancel=np.asarray(a.hall_cancel, bool),
            sublet=np.asarray(a.sublet, bool),
        )
    if np.count_nonzero(bad):
        safe = safe.replace(offer_partner=np.where(bad, -1, a.offer_partner))
    return safe, bad
