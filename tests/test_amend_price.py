"""An amendment's expected price, under its fields: the deals form showed the facts of a
new rental beside an extension (`expect about $6.44/GPU-hour`), a play-tester offered the
$2.00 list for more weeks and was countered at $3.54, 1.8x, for a pool his own GPUs held.
The line follows the rule the partner's answer follows (its pool's crowding, the lab's
own GPUs included, over the contract's weeks left and those added)."""

from __future__ import annotations

import attrs

from game.play import market, views
from game.play.session import Session
from game.saves import Offer
from tests.test_standing import _a_contract
from tests.tui_helpers import SIZES, fill, text, unseen_at_each_size


def crowded() -> tuple[Session, int]:
    s = Session.new("sandbox", humans=("openai",), seed=3)
    lab = s.lab_index("openai")
    _a_contract(s, lab, 0, ends_in=10)
    p = s.params
    pool = float(p.partner_capacity[s.week, p.partner_ids.index("oracle"), p.gpu_ids.index("H100")])
    counts = s.world.contract_count.copy()
    counts[0, lab, 0] = int(pool * 0.95)  # the lab holds nearly all of it
    s.world = attrs.evolve(s.world, contract_count=counts)
    return s, lab


def test_the_expected_price_of_an_extension_is_the_partners_answer_within_the_weeks_swing():
    s, lab = crowded()
    (c,) = views.contracts_view(s.turn(lab))
    crowd = market.crowding(s.turn(lab), "oracle", "H100", 0, s.week, c.weeks_left + 13)
    assert crowd.factor > 1.2, crowd
    listed, _ = market.list_price(s.turn(lab), "oracle", "H100", c.weeks_left + 13)
    reply = s.offer(lab, Offer(partner="oracle", gpu="H100", count=0, start=s.week, weeks=13, price=listed, contract=0))
    assert reply.answer == "counter", reply
    assert abs(reply.price - crowd.price) <= crowd.price * crowd.swing + 0.01, (reply.price, crowd.price)


async def test_the_deals_form_names_an_extensions_price_before_the_offer():
    s, lab = crowded()
    from game.tui.app import AgiRaceApp

    app = AgiRaceApp(session=s)
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("alt+w")  # to the weeks to add, as a player goes there
        await pilot.pause()
        fill(pilot, **{"more-gpus": "0", "more-weeks": "13"})
        await pilot.pause()
        (c,) = views.contracts_view(s.turn(lab))
        crowd = market.crowding(s.turn(lab), "oracle", "H100", 0, s.week, c.weeks_left + 13)
        said = " ".join(text(pilot, "amend-facts").split())
        assert f"pool is {crowd.full:.0%} spoken for, yours included: expect about ${crowd.price:.2f}/GPU-hour" in said
        assert await unseen_at_each_size(pilot, "amend-facts") == []
