"""GPUs that lost power are an alert to act on until the power ordered for them is on its
way; then they are information, saying what restores them (a play-tester's fast-forward
kept stopping on 'Memphis: 48 MW of GPUs lost power' after the turbines were ordered)."""

from __future__ import annotations

from game.play import intel
from game.play.views import SiteView


def _site(**changes: float) -> SiteView:
    fields = dict(
        id="memphis", name="Memphis, Tennessee", hall_mw=150.0, building_mw=0.0, power_mw=100.0, used_mw=100.0,
        unpowered_halls_mw=50.0, dark_mw=48.0, turbines_mw=0.0, turbines_pending_mw=0.0, turbines_weeks=0,
        grid_coming_mw=0.0, grid_weeks=0, gpus=60_000, outage_weeks=0,
    )  # fmt: skip
    fields.update(changes)
    return SiteView(**fields)  # type: ignore[arg-type]


def test_dark_gpus_are_to_act_on_until_enough_power_is_on_its_way():
    bare = intel.dark_alert(_site())
    assert bare.actionable and bare.severity == "error" and bare.text == "Memphis: 48 MW of GPUs lost power"
    short = intel.dark_alert(_site(turbines_pending_mw=20.0, turbines_weeks=4))
    assert short.actionable  # 20 MW does not cover the 50 MW of halls without power
    covered = intel.dark_alert(_site(turbines_pending_mw=50.0, turbines_weeks=4))
    assert not covered.actionable and covered.severity == "information"
    assert covered.text == "Memphis: 48 MW of GPUs lost power; 50 MW of turbines run in 4 weeks"
