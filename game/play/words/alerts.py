"""What a lab should act on now, in words (play/intel.py's alerts), and its rivals' runs
as leaks, news and hiring tell of them."""

from __future__ import annotations

import math

from game.play.words.numbers import money, money_down, plural
from game.play.words.partners import share_up

# what to do on an alert's screen, when its text does not say it
HINTS = {
    "plan_run": "plan one",
    "power": "turbines, substation",
    "rent": "rent more",
    "repay_or_raise": "repay or raise",
    "repay": "repay to stay under",
    "plan_without_round": "plan without its money: borrow or spend less",
    "build_halls": "build halls there",
}


def no_run() -> str:
    return "No training run: your training compute is idle"


def run_ending(weeks: int) -> str:
    return f"Your run ends in ~{plural(weeks, 'week')}: plan the next one"


def warehouse(gpus: int, mw: float) -> str:
    return f"{gpus:,} GPUs wait for {mw:,.0f} MW of powered halls"


def outage(site: str, weeks: int) -> str:
    return f"{site}: the grid is down for {plural(weeks, 'more week')}; it comes back by itself"


def new_gpu(gpu: str, weeks_ago: int, pflops: float, best_before: float, older: list[str], fall: float) -> str:
    """A GPU type newly on sale (`weeks_ago` 0: this week), against the best one could
    buy before it; `older`: the GPUs it is a new generation over, whose value falls."""
    when = "this week" if weeks_ago <= 0 else f"{plural(weeks_ago, 'week')} ago"
    text = f"{gpu} on sale {when}: {pflops:.2f} PF/s a GPU"
    if best_before > 0:
        text += f", {pflops / best_before:.1f}x the best before"
    if older:
        text += f"; {', '.join(older)} now worth {fall:.0%} less"
    return text


def claim_lapsing(site: str, mw: float, weeks: int, halls: float = 0.0, turbines: float = 0.0) -> str:
    """Grid the lab won at a site that no hall of its draws on, lapsing in `weeks`;
    `halls` and `turbines`: the lab's there (its turbines power its halls first, so halls
    that turbines run leave the claim unused: a tester read "build halls" beside his own)."""
    why = (
        f" (your {halls:,.0f} MW of halls there run on your {turbines:,.0f} MW of turbines first)"
        if halls > 0 and turbines > 0
        else ""
    )
    return (
        f"{site}: {mw:,.0f} MW of your grid claim is unused{why} and lapses in {plural(weeks, 'week')}, "
        "deposit and all, unless more halls draw on it"
    )


def empty_halls(mw: float, most: str, filling: bool = False, waits: str = "") -> str:
    """Powered halls no GPU in hand, on order or booked will fill; `most`: the site with
    the most; `filling`: a fill order stands, and buys for them as cash and supply allow
    (`waits`: why it buys nothing this week)."""
    text = f"{mw:,.0f} MW of powered halls stand empty beyond the GPUs on their way (most at {most})"
    if filling and waits:
        return f"{text}: your fill order waits ({waits})"
    return text + (": your fill order buys for them as it can" if filling else ": order GPUs")


def dark(
    site: str, mw: float, turbines: tuple[float, int] | None = None, grid: tuple[float, int] | None = None
) -> str:
    """Installed GPUs without power; the turbines and grid on their way that restore it."""
    coming = _coming(turbines, grid)
    return f"{site}: {mw:,.0f} MW of GPUs lost power" + (f"; {' and '.join(coming)}" if coming else "")


def _coming(turbines: tuple[float, int] | None, grid: tuple[float, int] | None) -> list[str]:
    coming = []
    if turbines is not None:
        coming.append(f"{turbines[0]:,.0f} MW of turbines run in {plural(turbines[1], 'week')}")
    if grid is not None:
        coming.append(f"{grid[0]:,.0f} MW of grid comes in {plural(grid[1], 'week')}")
    return coming


def unpowered(
    site: str, mw: float, turbines: tuple[float, int] | None, grid: tuple[float, int] | None, enough: bool
) -> str:
    """Halls without power; the turbines and grid on their way ((MW, weeks) or None), and
    whether they are `enough` for those halls."""
    coming = _coming(turbines, grid)
    text = f"{site}: {mw:,.0f} MW of halls have no power"
    if enough:
        return f"{text} yet: {' and '.join(coming)}"
    return text + (f"; {' and '.join(coming)}" if coming else "")


def unpowered_sites(waits: list[tuple[str, float, int]]) -> str:
    """Halls at several sites waiting for power already on its way: (site, MW, weeks)."""
    each = ", ".join(f"{site} {mw:,.0f} MW ({plural(weeks, 'week')})" for site, mw, weeks in waits)
    return f"Halls waiting for power on its way: {each}"


def runway(weeks: int) -> str:
    return f"Runway {plural(weeks, 'week')}: raise, borrow or cut costs"


def round_open(largest: float, pre_money: float, down: bool) -> str:
    return (
        f"Investors would put in up to {money_down(largest)} at {money(pre_money)} pre-money"
        f"{', a down round' if down else ''}"
    )


def layoffs(staff: float, payroll: float, budget: float) -> str:
    if budget < 1.0:
        return f"People budget $0: all {staff:,.0f} researchers will be laid off"
    return (
        f"Payroll {money(payroll)}/wk is {payroll / budget - 1.0:.0%} over your people budget: layoffs come"
    )


def investment(partner: str, usd: float, share: float) -> str:
    return f"{partner} would invest up to {money(usd)} for {share_up(share):.1f}% of your revenue"


def covenant(leverage: float, trigger: float) -> str:
    return f"Debt is {leverage:.0%} of your GPUs' value, over the {trigger:.0%} covenant: lenders sweep cash each week"


def contract_ending(partner: str, gpus: int, gpu: str, weeks: int, renewal_waits: str = "") -> str:
    """`renewal_waits`: why the standing renewal of it makes no offer ("": none, or it does)."""
    waits = f"; your standing renewal waits: {renewal_waits}" if renewal_waits else ""
    return f"{partner}: {gpus:,} {gpu} end in {plural(weeks, 'week')}{waits}"


def rival_capability(low: float, high: float) -> str:
    return f"capability {low:.1f}-{high:.1f}"


def rival_eta(low: float, high: float) -> str:
    """When a rival's run may finish, in weeks (its band)."""
    if math.isinf(high):
        return "a long time"
    lo, hi = round(low), max(round(high), 1)
    if hi <= 1:
        return "a week or so"
    return f"{max(lo, 1)}-{hi} weeks"


def round_rival(rivals: list[str], usd: float, closes: object, margin: float) -> str:
    """Rivals' runs that may ship before the lab's round closes on `closes` (a date)."""
    who = " and ".join(rivals)
    return (
        f"{who} may release before your {money(usd)} round closes on {closes:%d %b}: a better rival "
        f"model lowers your value on its merits ({margin:.0%} above the walk-away line now)"
    )


def rival_run(rival: str, capability: str, post_training: bool, eta: str) -> str:
    when = "is in post-training" if post_training else f"may finish in {eta}"
    return f"{rival}'s run ({capability}) {when}"
