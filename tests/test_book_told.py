"""What a decision costs is told before the week plays it (from a play-test's game):
a cut in the people budget lays people off with severance, which a play-tester learnt
only when $219M left the cash the next week (the book said it cost $0 and the runway
after it 5 weeks): the form, the confirmation and the runway now count it. A loan is no
longer questioned as if it shortened the runway, and a fill order that waits says so
once, not every week."""

from __future__ import annotations

import pytest

from game.engine import economy
from game.play import decisions as dec
from game.play import views
from game.play.session import Session
from game.play.words import money

XAI = 0


def _hiring(report) -> float:
    return -float(report.flows[0, XAI, economy.FLOW_INDEX["hiring"]])


def test_a_cut_says_who_goes_and_the_severance_the_week_pays():
    s = Session.new(seed=5)
    before = s.preview(XAI).runway_weeks
    budget = float(s.world.staff_usd_week[0, XAI]) / 3
    said = s.decide(XAI, dec.SetStaff(budget), confirmed=True)
    people = views.people_view(s.turn(XAI))
    assert people.laying_off and people.laid_off > 0
    assert f"with {money(people.severance)} of severance" in said
    assert s.preview(XAI).runway_weeks < before or before == float("inf")
    report = s.end_week()
    assert money(_hiring(report)) == money(people.severance)


def test_a_budget_the_payroll_fits_lays_nobody_off():
    s = Session.new(seed=5)
    said = s.decide(XAI, dec.SetStaff(float(s.world.staff_usd_week[0, XAI]) * 2), confirmed=True)
    assert "severance" not in said and views.people_view(s.turn(XAI)).laid_off == 0


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_training_form_names_the_layoffs_and_their_severance(size):
    from game.tui.app import AgiRaceApp

    s = Session.new(seed=5)
    s.decide(XAI, dec.SetStaff(float(s.world.staff_usd_week[0, XAI]) / 3), confirmed=True)
    app = AgiRaceApp(session=s)
    async with app.run_test(size=size) as pilot:
        await pilot.press("t")
        await pilot.pause()
        people = str(app.screen.query_one("#people").render())
        severance = money(views.people_view(s.turn(XAI)).severance)
        assert "laid off this week" in people and f"with {severance} of severance" in people


def test_a_loan_with_little_runway_left_is_not_questioned_as_if_it_shortened_it():
    """'Borrow $240M ... leaves 6.7 weeks of runway. Go ahead?' read to a play-tester as
    if borrowing shortened the runway; the runway counts credit, so a loan moves it by
    its interest alone, and the loan's review says its terms."""
    import attrs

    s = Session.new(seed=5)
    head = float(economy.credit_headroom(s.params, s.world)[0, XAI])
    cash, debt = s.world.cash.copy(), s.world.debt.copy()
    cash[0, XAI], debt[0, XAI] = 2e8, head / 2
    s.world = attrs.evolve(s.world, cash=cash, debt=debt)
    assert s.preview(XAI).runway_weeks < 8
    assert s.decide(XAI, dec.Borrow(1e8)).startswith("Borrow $100M")  # no question: booked


def test_a_fill_order_that_waits_says_so_once_not_every_week():
    """'Standing order: filling 116,029 GPUs of hall room with GB200 waits: it keeps
    $1.43B in cash' came every week, twice in one summary, and pushed the summary's
    heading off the screen."""
    import attrs
    import numpy as np

    from game.play import standing

    s = Session.new("sandbox", humans=("openai",), seed=3)
    lab = s.lab_index("openai")
    standing.add(s, standing.fill_order(s, lab, "H100", s.params.integrator_ids[0]))
    poor = np.where(np.arange(s.world.cash.shape[1]) == lab, 1e3, s.world.cash)
    said = []
    for _ in range(3):
        s.world = attrs.evolve(s.world, cash=poor)
        s.books.clear()
        s.end_week()
        said.append([n.text for n in s.news if n.week == s.week and "waits" in n.text])
    assert len(said[0]) == 1 and said[1:] == [[], []]
    assert len(standing.orders(s, lab)) == 1  # it still stands


@pytest.mark.parametrize(("capability", "promised"), [(26.094, 26.076), (27.114, 27.125), (26.081, 26.084)])
def test_a_releases_difference_is_the_difference_of_the_figures_it_shows(capability, promised):
    """'capability 26.09 (its compute promised 26.08: it came out 0.02 better)'."""
    import re

    from game.play.words.news import released

    said = released("xAI", capability, promised)
    shown, hoped = (float(x) for x in re.findall(r"\d+\.\d\d", said)[:2])
    off = re.search(r"came out (\d\.\d\d) (better|worse)", said)
    if off is None:
        assert "as promised" in said and shown == hoped
    else:
        assert float(off[1]) == round(abs(shown - hoped), 2) and (off[2] == "better") == (shown > hoped)


def test_the_debriefs_milestone_date_is_the_week_its_release_was_news():
    """'xAI shipped past 27.0 on 24 Feb 2025' where the news said 17 Feb: a history point
    is kept as a week ends, and carries the next week's number."""
    s = Session.new(seed=5, humans=())
    news_week = None
    while news_week is None and s.week < 80:
        s.end_week()
        if s.world.best_model[0, XAI] >= 26.5:
            news_week = s.week - 1  # the week just played, as its news names it
    from game.play.debrief import _first_week_at

    assert news_week is not None and _first_week_at(s.turn(XAI), XAI, 26.5) == news_week
