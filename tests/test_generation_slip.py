"""A GPU's price, rent and collateral value fall when a newer generation goes on sale, as
late as a slip made it (a play-tester saw every price fall 30% on Rubin's launch date, six
weeks before a slipped Rubin was on sale, with nothing in the news), and the news says so."""

from __future__ import annotations

import attrs
import numpy as np
import pytest

from game.engine import compute, terms
from game.play import news, risk
from game.play.session import Session


def _slipped(s: Session, gpu: str, weeks: int) -> int:
    """Delay `gpu` by `weeks` in the session's game; returns its nominal launch week."""
    g = s.params.gpu_ids.index(gpu)
    delay = s.world.gpu_delay.copy()
    delay[0, g] += weeks
    s.world = attrs.evolve(s.world, gpu_delay=delay)
    return int(s.params.gpu_available_week[g])


def test_older_gpus_fall_in_price_rent_and_collateral_the_week_a_slipped_generation_ships():
    s = Session.new(seed=5)
    p = s.params
    h100, b200 = p.gpu_ids.index("H100"), p.gpu_ids.index("B200")
    launch = _slipped(s, "B200", 6)
    assert p.gpu_newer_gen[h100, b200]  # B200 is a new generation over H100
    assert float(compute.unit_price(p, s.world)[0, h100]) == pytest.approx(
        p.gpu_price[h100] * s.world.price_mult[0, 0]
    )
    oracle = np.array([[p.partner_ids.index("oracle")]])
    rent = float(terms.list_price(p, s.world, oracle, np.array([[h100]]))[0, 0])
    while s.week < launch + 6:
        s.end_week()
        if s.week < launch + 6:  # the nominal launch passes: nothing falls, B200 is not on sale
            assert not compute.on_sale(p, s.world)[0, b200]
            assert float(compute.older_factor(p, s.world)[0, h100]) == 1.0
    assert compute.on_sale(p, s.world)[0, b200]
    factor = p.catalog.nvidia.older_gen_price_factor
    assert float(compute.older_factor(p, s.world)[0, h100]) == pytest.approx(factor)
    now = float(compute.unit_price(p, s.world)[0, h100])
    assert now == pytest.approx(p.gpu_price[h100] * s.world.price_mult[0, 0] * factor)
    assert float(terms.list_price(p, s.world, oracle, np.array([[h100]]))[0, 0]) == pytest.approx(
        rent * factor
    )
    said = [n for n in s.news if "B200 is on sale" in n.text]
    assert (
        len(said) == 1 and said[0].week == launch + 5 and said[0].lab is None
    )  # told as the week before ends
    assert "H100" in said[0].text and "fall 30% in price, in rent and in what lenders count" in said[0].text


def test_the_covenant_forecast_dates_the_next_generation_as_late_as_it_slipped():
    s = Session.new(seed=5)
    p = s.params
    launch = _slipped(s, "B200", 6)
    while s.week < launch:
        s.end_week()
    debt = s.world.debt.copy()
    debt[0, 0] = 1e9
    s.world = attrs.evolve(s.world, debt=debt)
    health = risk.covenant_health(s.turn(0))
    assert health.next_gen == "B200" and health.next_gen_date == p.date_of(launch + 6)
    assert health.leverage_after > health.leverage


def test_a_gpu_that_is_no_new_generation_goes_on_sale_in_the_news_without_a_fall():
    s = Session.new(seed=5)
    gb200 = s.params.gpu_ids.index("GB200")
    assert not s.params.gpu_newer_gen[:, gb200].any()
    at_launch = attrs.evolve(s.world, week=np.array([s.params.gpu_available_week[gb200]]))
    items = news._on_sale_news(s.params, at_launch, int(at_launch.week[0]) - 1)
    assert [n.text for n in items] == ["NVIDIA's GB200 is on sale."] and not items[0].urgent
