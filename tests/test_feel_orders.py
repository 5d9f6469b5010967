"""A GPU order the vendors take only part of (NVIDIA's quarter is shared with the rival's
orders) is told in the week's news with its figures: how many were ordered, how many
the vendor took, and the money for the rest, which was never charged."""

from __future__ import annotations

import pytest

from game.engine import compute, economy
from game.play import news
from game.play.decisions import BuyGpus
from game.play.session import Session
from game.play.words import money


def test_an_order_cut_by_nvidias_supply_is_news_with_its_figures():
    s = Session.new("sandbox", humans=("openai",), seed=3)
    lab, p = s.lab_index("openai"), s.params
    h100 = p.gpu_ids.index("H100")
    asked = int(compute.supply_left(p, s.world)[0, h100]) + 20_000  # more than the quarter has left
    s.decide(lab, BuyGpus("H100", "dell", asked), confirmed=True)
    report = s.end_week()
    taken = int(report.ordered[0, lab, h100])
    assert 0 < taken < asked
    paid = -float(report.flows[0, lab, economy.FLOW_INDEX["gpus"]])
    refund = (asked - taken) * paid / taken  # the same price a GPU for the ones not taken
    said = [n for n in s.news if n.lab == lab and n.week == 0 and n.kind == news.REFUSED]
    assert len(said) == 1 and said[0].urgent and said[0].seen_by(lab)
    text = said[0].text
    assert f"{asked:,} H100 ordered, the vendor took {taken:,}" in text
    assert f"Refunded: the {money(refund)} for the {asked - taken:,} not taken" in text
    assert "NVIDIA's supply for the quarter is spoken for" in text
    assert float(report.order_unfilled_usd[0, lab]) == pytest.approx(refund)
    rival = 1 - lab  # another lab's cut order is its own business
    assert not [n for n in s.news if n.lab == rival and "order was cut" in n.text]
