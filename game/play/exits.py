"""Ways out of a commitment, as decisions for the week's book: stop or pause the halls
under construction at a site, sell GPUs on the used market, sublet a rented contract.
The rules are the engine's (game/engine/exits.py); each decision checks itself against
them, writes its Actions field, and says what it will do in `preview` (the same figures
the week applies)."""

from __future__ import annotations

from typing import ClassVar

import attrs
import numpy as np

from game.engine import compute, deals, exits
from game.engine.limits import MAX_GPUS
from game.engine.params import Params
from game.engine.state import World
from game.play.decisions import Decision, Refused, _index, _site
from game.play.desk import LabTurn
from game.play.words import decisions as say
from game.play.words import describe as said

__all__ = ["KINDS", "CancelHalls", "PauseHalls", "ResumeHalls", "SellGpus", "Sublet", "preview"]


def _booked(book: list[Decision], kind: type, **same: object) -> bool:
    return any(isinstance(d, kind) and all(getattr(d, k) == v for k, v in same.items()) for d in book)


@attrs.frozen
class CancelHalls(Decision):
    """Stop building the halls under construction at a site: what is built stays (and
    stays paid for), what is not is never built nor paid."""

    site: str
    kind: ClassVar[str] = "cancel_halls"

    def check(self, p: Params, w: World, lab: int, book: list[Decision]) -> None:
        s = _index(p.site_ids, self.site, "site")
        if w.hall_building[0, lab, s] <= 0:
            raise Refused(say.no_halls_building(_site(p, self.site)))
        if _booked(book, CancelHalls, site=self.site):
            raise Refused(say.stopping_booked(_site(p, self.site)))
        if _booked(book, PauseHalls, site=self.site):
            raise Refused(say.halls_have_order(_site(p, self.site)))

    def write(self, a: dict[str, np.ndarray], p: Params, lab: int) -> None:
        a["hall_cancel"][0, lab, p.site_ids.index(self.site)] = True

    def label(self, p: Params) -> str:
        return say.stop_halls(_site(p, self.site))


@attrs.frozen
class PauseHalls(Decision):
    """Pause construction at a site: a paused site keeps its progress and neither builds
    nor pays until it is resumed (ResumeHalls)."""

    site: str
    kind: ClassVar[str] = "pause_halls"
    resume: ClassVar[bool] = False

    def check(self, p: Params, w: World, lab: int, book: list[Decision]) -> None:
        s = _index(p.site_ids, self.site, "site")
        paused = bool(w.hall_paused[0, lab, s])
        where = _site(p, self.site)
        if self.resume and not paused:
            raise Refused(say.not_paused(where))
        if not self.resume and paused:
            raise Refused(say.paused_already(where))
        if not self.resume and w.hall_building[0, lab, s] <= 0:
            raise Refused(say.no_halls_building(where))
        if _booked(book, PauseHalls, site=self.site) or _booked(book, CancelHalls, site=self.site):
            raise Refused(say.halls_have_order(where))

    def write(self, a: dict[str, np.ndarray], p: Params, lab: int) -> None:
        a["hall_pause"][0, lab, p.site_ids.index(self.site)] = -1 if self.resume else 1

    def label(self, p: Params) -> str:
        return say.pause_halls(_site(p, self.site), self.resume)


@attrs.frozen
class ResumeHalls(PauseHalls):
    """Resume construction paused at a site."""

    kind: ClassVar[str] = "resume_halls"
    resume: ClassVar[bool] = True


@attrs.frozen
class SellGpus(Decision):
    """Sell GPUs on the used market: the warehouse's first, then installed ones."""

    gpu: str
    count: int
    kind: ClassVar[str] = "sell"

    def check(self, p: Params, w: World, lab: int, book: list[Decision]) -> None:
        g = _index(p.gpu_ids, self.gpu, "gpu")
        if not isinstance(self.count, int) or isinstance(self.count, bool) or not 1 <= self.count <= MAX_GPUS:
            raise Refused(say.whole_count(MAX_GPUS))
        owned = int(compute.owned_gpus(w)[0, lab, g])
        selling = sum(d.count for d in book if isinstance(d, SellGpus) and d.gpu == self.gpu)
        if self.count + selling > owned:
            raise Refused(say.owned_only(owned, self.gpu, selling))

    def write(self, a: dict[str, np.ndarray], p: Params, lab: int) -> None:
        a["sell_gpus"][0, lab, p.gpu_ids.index(self.gpu)] += self.count

    def label(self, p: Params) -> str:
        return say.sell(self.count, self.gpu)


@attrs.frozen
class Sublet(Decision):
    """Hand a contract back to its partner, who re-lets the GPUs to outside customers;
    the lab pays the shortfall on the rest of the term now."""

    slot: int
    kind: ClassVar[str] = "sublet"

    def check(self, p: Params, w: World, lab: int, book: list[Decision]) -> None:
        K = w.contract_partner.shape[-1]
        if (
            not isinstance(self.slot, int)
            or not 0 <= self.slot < K
            or w.contract_partner[0, lab, self.slot] < 0
        ):
            raise Refused(say.no_contract(self.slot))
        for d in book:
            if getattr(d, "slot", None) == self.slot and d.kind in ("sublet", "exit"):
                raise Refused(say.contract_has_order(self.slot))

    def write(self, a: dict[str, np.ndarray], p: Params, lab: int) -> None:
        a["sublet"][0, lab, self.slot] = True

    def label(self, p: Params) -> str:
        return say.sublet(self.slot)


KINDS = (CancelHalls, PauseHalls, ResumeHalls, SellGpus, Sublet)


def preview(t: LabTurn, d: Decision) -> str:
    """What `d` will do this week, with the engine's figures (before it is booked)."""
    lab = t.lab
    p, w = t.params, t.world
    text = d.label(p)
    if isinstance(d, CancelHalls):
        s = p.site_ids.index(d.site)
        building, built = float(w.hall_building[0, lab, s]), float(w.hall_mw[0, lab, s])
        text += said.stop_halls(building, built, float(p.site_build_usd_per_mw[s]))
    elif isinstance(d, PauseHalls):
        s = p.site_ids.index(d.site)
        pace = float(p.site_build_mw_per_week[s]) * float(p.site_build_usd_per_mw[s])
        text += said.pause_halls(float(w.hall_building[0, lab, s]), pace, d.resume)
    elif isinstance(d, SellGpus):
        g = p.gpu_ids.index(d.gpu)
        _, mult = compute.week_price_mult(p, w)  # a new quarter's price is the week's
        each = float(exits.used_price(p, w, mult)[0, g])
        new = float(compute.unit_price(p, w, mult)[0, g])
        server = float(compute.server_price(p, w, mult)[0, :, g].min())
        lends = float(p.rules.finance.loan_to_value)
        text += said.sell(d.count, each, new, d.count - int(w.warehouse[0, lab, g]), server, lends)
    elif isinstance(d, Sublet):
        k = d.slot
        cost = float(exits.sublet_cost(p, w)[0, lab, k])
        penalty = float(deals.exit_penalty(p, w)[0, lab, k])
        partner = t.catalog.partners[int(w.contract_partner[0, lab, k])].name
        left = max(int(w.contract_end[0, lab, k]) - max(int(w.contract_start[0, lab, k]), t.week), 0)
        text += said.sublet(partner, left, cost, p.rules.exits.sublet_discount, penalty)
    return text
