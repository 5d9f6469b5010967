"""`agi-race offer`'s answer: one offer to a partner in a scenario's first week, heard by
the same evaluation the game's talks use (no state changes)."""

from __future__ import annotations

import attrs

from game.catalog import Catalog
from game.engine import deals
from game.play.words import offer_message
from game.saves import Offer, Scenario, initial_world, offer_actions, scenario_params


@attrs.frozen
class RentalCounter:
    """A rental's counter: the GPUs, first week (from now), term and price it names."""

    count: int
    start_week: int
    term: int
    price: float  # USD per GPU-hour


@attrs.frozen
class InvestmentCounter:
    """An investment's counter: the amount asked and the share of revenue it wants."""

    invest: float  # USD
    share: float


@attrs.frozen
class Hearing:
    """The partner's answer, its reason and words, the price it asks, and a counter's
    terms (None unless it counters)."""

    answer: str
    reason: str
    message: str
    asking_price: float
    terms: RentalCounter | InvestmentCounter | None = None

    def as_json(self) -> dict[str, object]:
        """The answer as `--json` writes it (no `terms` unless it counters)."""
        return attrs.asdict(self, filter=lambda a, v: not (a.name == "terms" and v is None))


def hear_offer(scn: Scenario, catalog: Catalog, lab_id: str, offer: Offer, seed: int | None) -> Hearing:
    """How the partner hears `offer` (a rental's or an investment's terms; a rental's
    start is in weeks from now)."""
    params = scenario_params(scn, catalog)
    world = initial_world(scn, params, 1, seed=seed)
    lab = scn.lab_ids.index(lab_id)
    week = int(world.week[0])
    if not offer.investment:
        offer = attrs.evolve(offer, start=week + offer.start)
    a = offer_actions(world, lab, offer)  # the one way an offer becomes actions (game, replay, here)
    ans = deals.evaluate(params, world, a)
    answer = deals.ANSWERS[int(ans.answer[0, lab])]
    terms: RentalCounter | InvestmentCounter | None = None
    if answer == "counter":
        if offer.investment:
            terms = InvestmentCounter(invest=offer.invest, share=float(ans.share[0, lab]))
        else:
            terms = RentalCounter(
                count=int(ans.count[0, lab]),
                start_week=int(ans.start[0, lab]) - week,
                term=int(ans.weeks[0, lab]),
                price=float(ans.price[0, lab]),
            )
    return Hearing(
        answer=answer,
        reason=deals.REASONS[int(ans.reason[0, lab])],
        message=offer_message(params, a, ans, 0, lab),
        asking_price=float(ans.required_price[0, lab]),
        terms=terms,
    )
