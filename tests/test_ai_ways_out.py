"""The AI takes the ways out a player has (issue 23) as last resorts: in a week its runway
is under policies.toml's `distress_runway_weeks` it stops its builds, sublets the
contracts its partners re-let at a small loss and sells GPUs, warehouse first and the
oldest type first, until cash and credit cover `distress_cover_weeks` of net burn. A lab
whose money lasts takes none of them."""

from __future__ import annotations

import attrs
import numpy as np

from game.engine import compute, economy, exits, policies, turn
from game.engine.params import HOURS_PER_WEEK
from game.engine.state import World
from game.play import news

from .conftest import blank, index

XAI = 0


def _in_distress(world: World) -> World:
    """Game 0: xAI with a month's worth of GPUs at used prices, weeks from running dry,
    its credit line drawn; two contracts (one priced over the partner's list, so handing it
    back costs two weeks of its rent, one with two years to run) and a hall under construction. Game 1: the same
    lab with $50B in hand."""
    p = world.params
    h100, a100 = index(p.gpu_ids, "H100"), index(p.gpu_ids, "A100")
    warehouse = np.zeros_like(world.warehouse)
    warehouse[:, XAI, h100] = 2_000
    installed = np.zeros_like(world.installed)
    installed[:, XAI, 0, a100] = 20_000
    installed[:, XAI, 0, h100] = 20_000
    building = np.zeros_like(world.hall_building)
    building[:, XAI, 0] = 40.0
    w = blank(
        world,
        warehouse=warehouse,
        installed=installed,
        hall_mw=np.where(np.arange(world.hall_mw.shape[-1]) == 0, 200.0, 0.0) * np.ones_like(world.hall_mw),
        hall_building=building,
        grid_alloc=np.full_like(world.grid_alloc, 150.0),
    )
    partner = np.full_like(w.contract_partner, -1)
    partner[:, XAI, :2] = 0
    count, gpu, price = (
        np.zeros_like(w.contract_count),
        np.zeros_like(w.contract_gpu),
        np.zeros_like(w.contract_price),
    )
    count[:, XAI, :2], gpu[:, XAI, :2] = 5_000, h100
    price[:, XAI, :2] = 2.0
    start, end = np.zeros_like(w.contract_start), np.zeros_like(w.contract_end)
    start[:, XAI, :2] = w.week[:, None]
    end[:, XAI, 0], end[:, XAI, 1] = w.week + 10, w.week + 104
    w = attrs.evolve(
        w,
        contract_partner=partner,
        contract_count=count,
        contract_gpu=gpu,
        contract_price=price,
        contract_start=start,
        contract_end=end,
    )
    debt = economy.credit_headroom(p, w) + w.debt  # the whole credit line drawn
    cash = np.zeros_like(w.cash)
    cash[:, XAI] = 1.0 * np.maximum(economy.net_burn(p, w)[:, XAI], 1.0)  # a week of burn
    cash[1, XAI] = 50e9
    return attrs.evolve(w, cash=cash, debt=np.where(np.arange(w.cash.shape[0])[:, None] == 1, w.debt, debt))


def test_an_ai_weeks_from_running_dry_stops_building_sublets_what_is_cheap_to_hand_back_and_sells(
    world: World,
):
    p = world.params
    w = _in_distress(world)
    ctl = policies.make_controllers(p.catalog, p)
    a = policies.decide(w, ctl)
    h100, a100 = index(p.gpu_ids, "H100"), index(p.gpu_ids, "A100")

    # Game 0: every way out; game 1 (money in hand): none.
    assert a.hall_cancel[0, XAI, 0] and not a.hall_cancel[1].any()
    cost = exits.sublet_cost(p, w)[0, XAI]
    rent = 2.0 * 5_000 * HOURS_PER_WEEK
    weeks = p.catalog.ai.sublet_cost_weeks
    assert 0 < cost[0] <= weeks * rent < cost[1]
    assert a.sublet[0, XAI].tolist()[:2] == [True, False] and not a.sublet[1].any()
    assert a.sell_gpus[0, XAI].sum() > 0 and not a.sell_gpus[1].any()

    # Warehouse GPUs go first (they earn nothing), then the oldest installed type: here the
    # 2,000 H100 in the warehouse, every A100, then some of the installed H100.
    sold = a.sell_gpus[0, XAI]
    assert sold[a100] == 20_000 and 2_000 < sold[h100] < 22_000 and sold.sum() == sold[[a100, h100]].sum()

    # What it sells covers a month of net burn with its credit, and no more than a GPU over it.
    price = exits.used_price(p, w)[0]
    burn = max(float(economy.net_burn(p, w)[0, XAI]), 1.0)
    cover = p.catalog.ai.distress_cover_weeks * burn
    at_hand = max(float(w.cash[0, XAI]), 0.0) + float(economy.credit_headroom(p, w)[0, XAI])
    need = cover - at_hand + float((cost * a.sublet[0, XAI]).sum())
    got = float((sold * price).sum())
    assert need <= got < need + float(price.max())

    # The week plays them: the lab survives it with its GPUs fewer and its builds stopped.
    after, report = turn.step(w, a)
    assert not after.bankrupt[0, XAI]
    assert after.hall_building[0, XAI, 0] == 0.0
    assert compute.owned_gpus(after)[0, XAI].sum() == compute.owned_gpus(w)[0, XAI].sum() - sold.sum()

    # The others read it in the news: the GPUs, not the price (the used market's, not theirs).
    items = news.week_news(p, p.catalog, report, human=np.array([False, True, False]))
    said = [n for n in items if n.lab == XAI and "used market" in n.text]
    assert len(said) == 1 and not said[0].private
    assert said[0].text.startswith(f"xAI sells 20,000 A100, {sold[h100]:,} H100 on the used market"), said[
        0
    ].text
    assert "$" not in said[0].text
