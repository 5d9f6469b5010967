"""A GPU newly on sale is a decision to make (buy it, point a fill order at it), so it is
an alert for a few weeks and fast-forward to something you can act on stops the week it
goes on sale, its slip included (a play-tester's `a` played past GB200's launch while a
fill order went on buying B200)."""

from __future__ import annotations

import attrs
import numpy as np

from game.engine import compute
from game.play import intel
from game.play.session import Session
from game.tui.app import AgiRaceApp
from game.tui.screens import HQScreen
from tests.tui_helpers import SIZES


def _at(week: int, slip: int = 0) -> Session:
    s = Session.new(humans=("xai",), seed=1)
    s.autosave_every = 0
    if slip:
        g = s.params.gpu_ids.index("B200")
        delay = s.world.gpu_delay.copy()
        delay[:, g] += slip
        s.world = attrs.evolve(s.world, gpu_delay=delay)
    while s.week < week:
        s.end_week()
    return s


def _new(s: Session) -> list[intel.Alert]:
    return [a for a in intel.alerts(s.turn(0)) if a.key.startswith("new-gpu:")]


def test_a_gpu_is_an_alert_from_the_week_it_goes_on_sale_for_four_weeks():
    s = _at(0)
    start = int(compute.on_sale_week(s.params, s.world)[0, s.params.gpu_ids.index("B200")])
    assert _new(s) == []  # the GPUs on sale at the start are not news
    while s.week < start - 1:
        s.end_week()
    assert _new(s) == []
    seen = []
    for _ in range(intel.NEW_GPU_WEEKS + 1):
        s.end_week()
        seen.append([(a.key, a.actionable, a.screen) for a in _new(s)])
    on = [("new-gpu:B200", True, "market")]
    assert seen == [on] * intel.NEW_GPU_WEEKS + [[]]
    text = _new(_at(start))[0].text
    assert text == "B200 on sale this week: 2.25 PF/s a GPU, 2.3x the best before; A100, H100, H200 now worth 30% less"


def test_a_slipped_gpu_is_an_alert_when_it_really_goes_on_sale():
    nominal = _at(0)
    g = nominal.params.gpu_ids.index("B200")
    start = int(compute.on_sale_week(nominal.params, nominal.world)[0, g])
    late = _at(start, slip=5)
    assert int(compute.on_sale_week(late.params, late.world)[0, g]) >= start + 5
    assert _new(late) == []
    while late.week < int(compute.on_sale_week(late.params, late.world)[0, g]):
        late.end_week()
    assert [a.key for a in _new(late)] == ["new-gpu:B200"]
    assert np.all(late.world.gpu_delay[:, g] >= 5)


async def test_fast_forward_to_something_to_act_on_stops_the_week_a_gpu_goes_on_sale():
    s = _at(0)
    start = int(compute.on_sale_week(s.params, s.world)[0, s.params.gpu_ids.index("B200")])
    app = AgiRaceApp(session=s)
    async with app.run_test(size=SIZES[1]) as pilot:
        while s.week < start:
            await pilot.press("a")  # again after each stop: other alerts stop it first
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, HQScreen)
            assert s.week <= start  # never past the week B200 goes on sale
        assert s.week == start
        assert "B200 on sale this week" in str(app.screen.query_one("#alerts").render())
