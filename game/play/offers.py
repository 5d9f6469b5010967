"""`agi-race offer`'s answer: one offer to a partner in a scenario's first week, heard by
the same evaluation the game's talks use (no state changes)."""

from __future__ import annotations

from typing import Any

from game.catalog import Catalog
from game.engine import deals
from game.play.words import offer_message
from game.saves import Scenario, initial_world, offer_actions, scenario_params


def hear_offer(scn: Scenario, catalog: Catalog, lab_id: str, offer: dict[str, Any], seed: int | None) -> dict[str, Any]:
    """The partner's answer, its reason and words, the price it asks, and a counter's
    terms. `offer` names the partner and a rental's gpu, count, weeks, price (and start
    week, site) or an investment's invest and share; its start is in weeks from now."""
    params = scenario_params(scn, catalog)
    world = initial_world(scn, params, 1, seed=seed)
    lab = scn.lab_ids.index(lab_id)
    week = int(world.week[0])
    offer = dict(offer)
    if "invest" not in offer:
        offer["start"] = week + int(offer.get("start", 0))
    a = offer_actions(world, lab, offer)  # the one way an offer becomes actions (game, replay, here)
    ans = deals.evaluate(params, world, a)
    answer = deals.ANSWERS[int(ans.answer[0, lab])]
    result: dict[str, Any] = {
        "answer": answer,
        "reason": deals.REASONS[int(ans.reason[0, lab])],
        "message": offer_message(params, a, ans, 0, lab),
        "asking_price": float(ans.required_price[0, lab]),
    }
    if answer == "counter":
        if "invest" in offer:
            result["terms"] = {"invest": offer["invest"], "share": float(ans.share[0, lab])}
        else:
            result["terms"] = {
                "count": int(ans.count[0, lab]),
                "start_week": int(ans.start[0, lab]) - week,
                "term": int(ans.weeks[0, lab]),
                "price": float(ans.price[0, lab]),
            }
    return result
