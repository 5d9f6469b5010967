"""Powered halls that stand empty beyond what the GPUs on their way will fill are one alert
over all the lab's sites (it was per site and silent while any GPU was on order: a
play-tester's 411 MW stood empty behind one small order, and money piled up)."""

from __future__ import annotations

from game.play import decisions as dec
from game.play import intel
from game.play.exits import SellGpus
from game.play.session import Session

XAI = 0


def _empty(s: Session) -> list[intel.Alert]:
    return [a for a in intel.alerts(s.turn(XAI)) if a.key == "empty"]


def test_halls_emptied_are_an_alert_until_gpus_on_their_way_fill_them():
    s = Session.new(humans=("xai",), seed=1)
    s.autosave_every = 0
    for _ in range(8):  # the warehouse's GPUs go into the halls as power comes
        s.end_week()
    assert _empty(s) == []
    s.decide(XAI, SellGpus("H100", 40_000), confirmed=True)
    s.end_week()
    (alert,) = _empty(s)
    kw = float(s.params.gpu_kw[s.params.gpu_ids.index("H100")])
    assert alert.actionable and alert.screen == "market"
    mw = float(alert.text.split(" MW")[0].replace(",", ""))
    assert abs(mw - 40_000 * kw / 1000) <= 2, alert.text  # the halls the sale emptied
    assert alert.text.endswith("beyond the GPUs on their way (most at Memphis): order GPUs")
    s.decide(XAI, dec.BuyGpus("H100", "dell", 10_000), confirmed=True)  # a part: still empty beyond it
    (part,) = _empty(s)
    assert abs(float(part.text.split(" MW")[0].replace(",", "")) - 30_000 * kw / 1000) <= 2, part.text
    s.decide(XAI, dec.BuyGpus("H100", "supermicro", 30_000), confirmed=True)  # the rest: nothing to say
    assert _empty(s) == []
    s.end_week()  # on order now, not in the book: still nothing to say
    assert _empty(s) == []


def _filling() -> Session:
    """Halls emptied by a sale of 40,000 H100, with a fill order of H100 via Dell set."""
    from game.play import standing

    s = Session.new(humans=("xai",), seed=1)
    s.autosave_every = 0
    for _ in range(8):
        s.end_week()
    s.decide(XAI, SellGpus("H100", 40_000), confirmed=True)
    s.end_week()
    standing.add(s, standing.fill_order(s, XAI, "H100", "dell"))
    return s


def test_with_a_fill_order_standing_the_empty_halls_are_information():
    """`a` stopped again and again on the empty halls while a fill order stood: while the
    order is buying for them, the alert tells and does not stop."""
    s = _filling()
    s.news.clear()
    (alert,) = _empty(s)
    assert not alert.actionable and alert.screen == "orders"
    assert alert.text.endswith(": your fill order buys for them as it can")


def test_a_fill_order_that_waits_says_why_in_the_empty_halls_alert():
    """A play-tester's fill order stood still beside 258 MW of empty halls, with 388k
    GB200 on sale, and the alert only said it "buys for them as it can"."""
    import attrs

    from game.play import standing

    s = _filling()
    cash = s.world.cash.copy()
    cash[0, XAI] = 1e6  # under its reserve of running costs: it waits for cash
    s.world = attrs.evolve(s.world, cash=cash)
    (alert,) = _empty(s)
    now = standing.fill_now(s.turn(XAI), "H100", "dell")
    assert now.count == 0 and "in cash" in now.why
    assert alert.text.endswith(f": your fill order waits ({now.why})"), alert.text
    # waiting, it may wait long (a GPU not on sale yet, the cash): fast-forward stops when the
    # empty halls double (a tester's 80 MW became 428 MW in one `a`)
    assert alert.actionable and alert.amount > 0
