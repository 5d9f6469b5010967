"""Standing orders (game/play/standing.py): they fire at the start of the right week as the
player's own decisions would, respect money, supply and slots, say why when refused, and
are saved with the game; old saves load with none."""

from __future__ import annotations

import inspect

import attrs
import numpy as np
import pytest

from game.engine.state import RUN_PRETRAIN
from game.play import standing
from game.play.decisions import BuyGpus, Refused, StartRun
from game.play.session import Session
from game.saves import dumps, load_scenario, migrate, parse
from game.saves.records import VERSION

# Until the session calls standing.fire itself at the start of a week, the tests do.
HOOKED = "standing" in inspect.getsource(Session)


def next_week(s: Session) -> list[str]:
    """Play a week; the standing orders' news of the new week's start."""
    before = len(s.news)
    s.end_week()
    if not HOOKED:
        s.news.extend(standing.fire(s))
    return [n.text for n in s.news[before:] if n.text.startswith("Standing order")]


@pytest.fixture
def game() -> tuple[Session, int]:
    s = Session.new("sandbox", humans=("openai",), seed=3)
    return s, s.lab_index("openai")


def test_the_next_run_starts_in_the_week_the_current_one_ends(game):
    s, lab = game
    s.decide(lab, StartRun(4e25))  # a run that pretrains for a few weeks
    standing.add(s, standing.run_order(s, lab, 2e25))
    next_week(s)
    assert (s.world.run_phase[0, lab] == RUN_PRETRAIN).any()
    fired_at = None
    for _ in range(60):
        said = next_week(s)
        booked = [d for d in s.book(lab) if isinstance(d, StartRun)]
        if booked:
            fired_at = s.week
            assert not (s.world.run_phase[0, lab] == RUN_PRETRAIN).any()  # the current one has ended
            assert booked == [StartRun(2e25)] and any("Start a 2.00e+25 FLOP run" in t for t in said)
            break
        assert (s.world.run_phase[0, lab] == RUN_PRETRAIN).any(), "a week with no run passed unfilled"
    assert fired_at is not None
    (kept,) = standing.orders(s, lab)  # kept, marked, while its run is in the week's book
    assert kept.placed == fired_at and "in this week's orders" in kept.label(s)
    next_week(s)
    assert (s.world.run_phase[0, lab] == RUN_PRETRAIN).any()
    assert standing.orders(s, lab) == []  # a run order fires once: done once its week is played


def test_a_save_during_the_week_a_standing_order_booked_keeps_it(game, tmp_path):
    """A run order put its run in the book and was gone; a save holds no decision of its
    week, so saving that week and loading lost both the run and the order (a play-test)."""
    s, lab = game
    standing.add(s, standing.run_order(s, lab, 2e25))
    standing.add(s, standing.fill_order(s, lab, "H100", s.params.integrator_ids[0]))
    next_week(s)
    booked = [d for d in s.book(lab) if isinstance(d, StartRun)]
    assert booked == [StartRun(2e25)]
    back = Session.load(s.save(tmp_path / "mid-week.toml"))
    assert back.book(lab) == s.book(lab)  # the run (and a fill's order, if one was booked) again
    assert standing.orders(back, lab) == standing.orders(s, lab)
    for game_ in (s, back):  # and the two games go on alike
        next_week(game_)
    assert np.array_equal(back.world.run_flop, s.world.run_flop) and standing.orders(
        back, lab
    ) == standing.orders(s, lab)
    assert [o.kind for o in standing.orders(back, lab)] == ["fill"]


def test_a_run_order_with_no_free_slot_waits_and_says_why(game):
    s, lab = game
    full = np.full_like(s.world.run_phase, 2)  # every slot in post-training
    s.world = attrs.evolve(s.world, run_phase=full, run_post_left=np.full_like(s.world.run_post_left, 20))
    standing.add(s, standing.run_order(s, lab, 1e25))
    said = standing.fire(s)
    assert said and "waits" in said[0].text and "slots" in said[0].text
    assert not said[0].urgent  # a run that waits is in the news log; it stops no fast-forward
    assert len(standing.orders(s, lab)) == 1 and s.book(lab) == []


def test_fill_orders_what_the_powered_halls_can_take_within_the_cash(game):
    s, lab = game
    vendor = s.params.integrator_ids[0]
    standing.add(s, standing.fill_order(s, lab, "H100", vendor))
    room = standing.fill_room(s, lab, "H100")
    assert room > 0
    standing.fire(s)
    (order,) = [d for d in s.book(lab) if isinstance(d, BuyGpus)]
    assert order.count == room and order.gpu == "H100"
    assert standing.fill_room(s, lab, "H100") == 0  # what is booked fills the room
    assert standing.fire(s) == [] and len(s.book(lab)) == 1  # nothing twice
    assert len(standing.orders(s, lab)) == 1  # a fill order stands


def test_fill_never_spends_more_than_the_cash_and_stays_when_it_cannot(game):
    """It spends only the cash above FILL_RESERVE_WEEKS of running costs: a playtester's
    fill order spent every dollar (runway counted credit) and a new GPU generation then
    cut the credit."""
    from game.engine import economy

    s, lab = game
    vendor = s.params.integrator_ids[0]
    standing.add(s, standing.fill_order(s, lab, "H100", vendor))
    mine = np.arange(s.world.cash.shape[1]) == lab
    start = s.world
    keep = standing.FILL_RESERVE_WEEKS * max(float(economy.net_burn(s.params, start)[0, lab]), 0.0)
    from game.engine import compute

    each = float(compute.week_server_price(s.params, start)[0, 0, s.params.gpu_ids.index("H100")])
    s.world = attrs.evolve(start, cash=np.where(mine, keep + 0.5 * standing.FILL_MIN_GPUS * each, start.cash))
    assert standing.fire(s) and s.book(lab) == []  # cash for 500: under the least it orders, it waits
    s.world = attrs.evolve(start, cash=np.where(mine, keep + 1.5 * standing.FILL_MIN_GPUS * each, start.cash))
    keep = standing.FILL_RESERVE_WEEKS * max(float(economy.net_burn(s.params, s.world)[0, lab]), 0.0)
    standing.fire(s)
    (order,) = s.book(lab)
    assert standing.FILL_MIN_GPUS <= order.count < standing.fill_room(s, lab, "H100") + order.count
    assert s.preview(lab).cash_after >= keep - 1.0  # what it bought, the cash above the reserve paid for
    s.books.clear()
    s.world = attrs.evolve(start, cash=np.where(mine, 1e3, start.cash))
    said = standing.fire(s)
    assert s.book(lab) == []
    assert said and "waits" in said[0].text and "cash" in said[0].text and not said[0].urgent
    assert len(standing.orders(s, lab)) == 1


def test_renew_offers_near_the_end_and_lapses_when_the_contract_is_gone(game):
    s, lab = game
    w, p = s.world, s.params
    k = 0
    fields = {n: getattr(w, n).copy() for n in ("contract_partner", "contract_source", "contract_gpu",
                                               "contract_count", "contract_price", "contract_start", "contract_end")}  # fmt: skip
    oracle, h100 = p.partner_ids.index("oracle"), p.gpu_ids.index("H100")
    fields["contract_partner"][0, lab, k] = fields["contract_source"][0, lab, k] = oracle
    fields["contract_gpu"][0, lab, k], fields["contract_count"][0, lab, k] = h100, 1000
    fields["contract_price"][0, lab, k] = 3.0
    fields["contract_start"][0, lab, k], fields["contract_end"][0, lab, k] = s.week - 40, s.week + 8
    s.world = attrs.evolve(w, **fields)
    standing.add(s, standing.renew_order(s, lab, k))
    assert standing.fire(s) == []  # 8 weeks left: too early
    s.world = attrs.evolve(
        s.world, contract_end=np.where(np.arange(12) == k, s.week + 2, s.world.contract_end)
    )
    end = int(s.world.contract_end[0, lab, k])
    said = standing.fire(s)
    assert said and "contract 0" in said[0].text
    if "renewed" in said[0].text:
        assert int(s.world.contract_end[0, lab, k]) == end + 48  # the term it had when the order was set
    gone = attrs.evolve(s.world, contract_partner=np.full_like(s.world.contract_partner, -1))
    s.world = gone
    said = standing.fire(s)
    assert "lapses" in said[0].text and said[0].urgent and standing.orders(s, lab) == []


def _a_contract(s, lab: int, k: int, ends_in: int, price: float = 3.0) -> None:
    w, p = s.world, s.params
    fields = {n: getattr(w, n).copy() for n in ("contract_partner", "contract_source", "contract_gpu",
                                               "contract_count", "contract_price", "contract_start", "contract_end")}  # fmt: skip
    oracle, h100 = p.partner_ids.index("oracle"), p.gpu_ids.index("H100")
    fields["contract_partner"][0, lab, k] = fields["contract_source"][0, lab, k] = oracle
    fields["contract_gpu"][0, lab, k], fields["contract_count"][0, lab, k] = h100, 1000
    fields["contract_price"][0, lab, k] = price
    fields["contract_start"][0, lab, k], fields["contract_end"][0, lab, k] = s.week - 24, s.week + ends_in
    s.world = attrs.evolve(w, **fields)


def test_a_renewal_adds_the_weeks_named_every_time_and_never_pays_past_its_most(game, tmp_path):
    """A renewal renewed for the contract's whole term so far, so each one doubled the
    term (26 weeks, then 52, then 104) at whatever the list price had become."""
    s, lab = game
    _a_contract(s, lab, 0, ends_in=2)
    standing.add(s, standing.renew_order(s, lab, 0, weeks=13))
    for _ in range(2):  # renewed, then renewed again when the new end comes near
        end = int(s.world.contract_end[0, lab, 0])
        said = standing.fire(s)
        assert "renewed for 13 weeks" in said[0].text, said[0].text
        assert not said[0].urgent  # done: nothing for the player to do
        assert int(s.world.contract_end[0, lab, 0]) == end + 13
        s.world = attrs.evolve(
            s.world, contract_end=np.where(np.arange(12) == 0, s.week + 2, s.world.contract_end)
        )
    o = standing.orders(s, lab)[0]
    weeks, price, listed = standing.renewal_terms(s, o)
    assert (weeks, price) == (13, listed)
    cheap = round(listed / 3, 2)  # a most far under the list: the offer names it, the partner counters
    standing.add(s, standing.renew_order(s, lab, 0, weeks=13, max_price=cheap))
    assert "at most $" in standing.orders(s, lab)[0].label(s)
    end = int(s.world.contract_end[0, lab, 0])
    countered = standing.fire(s)[0]
    said = countered.text
    assert "renewed" not in said and f"your most, ${cheap:,.2f}, is under its list price" in said, said
    assert countered.urgent  # the contract is about to end and the partner wants more: the player decides
    assert int(s.world.contract_end[0, lab, 0]) == end
    back = Session.load(s.save(tmp_path / "renew.toml"))  # the terms are saved with the order
    assert standing.orders(back, lab) == standing.orders(s, lab)
    with pytest.raises(Refused, match="at most"):
        standing.renew_order(s, lab, 0, max_price=1e6)


def test_standing_orders_are_saved_and_loaded_and_cancelled(game, tmp_path):
    s, lab = game
    standing.add(s, standing.run_order(s, lab, 1e26))
    standing.add(s, standing.fill_order(s, lab, "H200", s.params.integrator_ids[1]))
    path = s.save(tmp_path / "g.toml")
    back = Session.load(path)
    assert standing.orders(back) == standing.orders(s)
    assert "Cancelled standing order: Next run" in standing.cancel(back, lab, 0)
    assert [o.kind for o in standing.orders(back, lab)] == ["fill"]


def test_an_old_save_loads_with_no_standing_orders(game, tmp_path):
    s, _ = game
    doc = s.document()
    doc.pop("standing", None)
    doc["version"] = 7
    scn = parse(migrate(dict(doc), "old.toml"), s.catalog, tmp_path / "old.toml")
    assert VERSION >= 10 and scn.standing == ()
    (tmp_path / "old.toml").write_text(dumps(doc))
    old = Session.load(tmp_path / "old.toml")
    assert standing.orders(old) == []
    assert load_scenario(tmp_path / "old.toml", s.catalog).standing == ()


def test_only_a_players_lab_takes_standing_orders(game):
    s, lab = game
    other = next(i for i in range(len(s.params.lab_ids)) if i not in s.human_labs)
    with pytest.raises(Exception, match="not yours"):
        standing.add(s, standing.run_order(s, other, 1e25))
    with pytest.raises(Exception, match="compute budget"):
        standing.add(s, standing.run_order(s, lab, 1.0))


def test_a_game_with_ways_out_saves_and_replays_exactly(tmp_path):
    from game.play import exits
    from game.play.replay import replay
    from game.saves import load_scenario

    s = Session.new(seed=5)  # xAI in July 2024: halls under way at Memphis, GPUs owned
    lab = s.lab_index("xai")
    s.decide(lab, exits.PauseHalls("memphis"))
    s.decide(lab, exits.SellGpus("H100", 500))
    s.end_week()
    s.decide(lab, exits.ResumeHalls("memphis"))
    s.end_week()
    s.decide(lab, exits.CancelHalls("memphis"))
    s.end_week()
    path = s.save(tmp_path / "ways.toml")
    ok, why = replay(load_scenario(path, s.catalog), s.catalog)
    assert ok, why
    assert s.world.hall_building[0, lab].sum() == 0


def test_a_next_run_standing_order_quiets_the_run_ending_alert():
    """A play-tester set the next run as a standing order and the dashboard still said
    'Your run ends in ~3 weeks: plan the next one'."""
    from game.play import intel
    from game.play.session import Session

    s = Session.new("2024-07-colossus", humans=("openai",))
    lab = s.lab_index("openai")
    s.end_week()
    keys = {a.key for a in intel.alerts(s.turn(lab))}
    assert "run-ending" in keys
    standing.add(s, standing.run_order(s, lab, 1e26))
    assert "run-ending" not in {a.key for a in intel.alerts(s.turn(lab))}


async def test_a_renewal_is_set_from_the_orders_screen_with_its_weeks_and_its_most():
    from game.tui.app import AgiRaceApp
    from game.tui.screens.orders import OrdersScreen
    from tests.test_tui_orders import with_a_contract
    from tests.tui_helpers import choose, fill, press_button, text, unseen_at_each_size

    s = with_a_contract(Session.new())
    app = AgiRaceApp(session=s)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, OrdersScreen)
        assert not app.screen.query_one("#renew-weeks").parent.display  # a run's order: no renewal terms
        choose(pilot, **{"standing-kind": "renew:3"})
        await pilot.pause()
        assert not app.screen.query_one("#flop").parent.display
        assert await unseen_at_each_size(pilot, "renew-weeks", "renew-price", "set-standing") == []
        fill(pilot, **{"renew-weeks": "13", "renew-price": "2.2"})
        await pilot.pause()
        await press_button(pilot, "set-standing")
        said = text(pilot, "message")
        assert "for 13 weeks, at most $2.20/GPU-hour" in said, said
        (o,) = standing.orders(s, 0)
        assert (o.kind, o.contract, o.weeks, o.max_price) == ("renew", 3, 13, 2.2)
        fill(pilot, **{"renew-weeks": "9999"})  # past the longest term: told, nothing set
        await pilot.pause()
        await press_button(pilot, "set-standing")
        assert "renewal weeks" in text(pilot, "message") and standing.orders(s, 0) == [o]


def test_a_fill_order_for_a_gpu_not_yet_on_sale_says_so(game):
    """It said NVIDIA's supply for the quarter was spoken for, of a GPU not sold yet."""
    s, lab = game
    p = s.params
    later = [g for i, g in enumerate(p.gpu_ids) if s.world.week[0] < p.gpu_available_week[i]]
    assert later and standing.fill_room(s, lab, later[0]) > 0, "a GPU still to launch, and hall room"
    gpu = later[0]
    standing.add(s, standing.fill_order(s, lab, gpu, p.integrator_ids[0]))
    said = " ".join(n.text for n in standing.fire(s))
    assert f"{gpu} is not on sale until" in said and "spoken for" not in said, said


def test_a_renewal_in_a_crowded_pool_offers_its_ask_or_waits_without_spending_patience(game):
    """A pool spoken for past its knee asks more than the list, so a renewal at the list
    was countered every week, each round spending the partner's patience, until the
    contract ended (a play-tester's renewal lapsed unnoticed)."""
    from game.play import market

    s, lab = game
    _a_contract(s, lab, 0, ends_in=3)
    p = s.params
    oracle, h100 = p.partner_ids.index("oracle"), p.gpu_ids.index("H100")
    pool = float(p.partner_capacity[s.week, oracle, h100])
    counts = s.world.contract_count.copy()
    counts[0, lab, 0] = int(pool * 0.95)  # the lab holds nearly all of it
    s.world = attrs.evolve(s.world, contract_count=counts)
    c = market.crowding(s.turn(lab), "oracle", "H100", 0, s.week, 13)
    assert c.factor > 1.2, c
    standing.add(s, standing.renew_order(s, lab, 0, weeks=13))
    end = int(s.world.contract_end[0, lab, 0])
    patience = float(s.world.patience[0, lab, oracle])
    (said,) = next_week(s)  # the week is played, then the order fires
    c = market.crowding(s.turn(lab), "oracle", "H100", 0, s.week, 13)
    assert f"Oracle's pool is {c.full:.0%} spoken for and it would ask about ${c.price:,.2f}" in said, said
    assert "no offer made, no patience spent" in said
    assert float(s.world.patience[0, lab, oracle]) >= patience  # no round of talks
    assert int(s.world.contract_end[0, lab, 0]) == end
    assert next_week(s) == []  # said once, not every week
    from game.play import intel

    (ending,) = [a for a in intel.alerts(s.turn(lab)) if a.key == "contract:0"]  # and on the dashboard
    assert "; your standing renewal waits: Oracle's pool is" in ending.text, ending.text
    most = round(c.price * 1.2, 2)  # a most over the ask: it offers the ask and renews
    standing.add(s, standing.renew_order(s, lab, 0, weeks=13, max_price=most))
    (said_now,) = standing.fire(s)
    assert "renewed for 13 weeks" in said_now.text, said_now.text
    assert int(s.world.contract_end[0, lab, 0]) == end + 13
    price = float(said_now.text.split(" at $")[1].split(" per")[0])
    assert c.price <= price <= most


def test_runs_back_to_back_start_a_run_each_time_one_ends_sized_by_the_compute_of_its_start(game, tmp_path):
    """A player re-set the next run after every run (8 visits to two screens a game): runs
    back to back stand until cancelled, each run the FLOP the training compute of its
    start does in the weeks named, so a fleet that grows trains bigger runs."""
    from game.play.runs import run_eta_weeks, training_flops

    s, lab = game
    standing.add(s, standing.run_order(s, lab, 2e25))
    said = standing.add(s, standing.runs_order(s, lab, 4))
    assert "replaces the earlier one" in said  # the next run and runs back to back are one order
    (o,) = standing.orders(s, lab)
    assert o.kind == "runs" and o.weeks == 4
    back = Session.load(s.save(tmp_path / "g.toml"))
    assert standing.orders(back) == standing.orders(s)  # saved and loaded
    started = []
    for _ in range(40):
        want = standing.runs_flop(s, lab, 4)
        alone = training_flops(s.params, s.world, lab) * 4  # sharing with runs under way only slows it
        assert want <= alone * (1 + 1e-9) or want == s.params.rules.training.min_run_flop
        if want > s.params.rules.training.min_run_flop:
            assert run_eta_weeks(s.params, s.world, lab, want) == pytest.approx(4, abs=1e-6)
        said = next_week(s)
        booked = [d for d in s.book(lab) if isinstance(d, StartRun)]
        if booked:
            assert booked == [StartRun(standing.runs_flop(s, lab, 4))]
            assert not (s.world.run_phase[0, lab] == RUN_PRETRAIN).any() and any("Start a" in t for t in said)
            started.append(s.week)
    assert len(started) >= 4  # one after another, the order still standing
    assert [x.kind for x in standing.orders(s, lab)] == ["runs"]
    with pytest.raises(Refused, match="1 to 104 weeks"):
        standing.runs_order(s, lab, 0)


async def test_runs_back_to_back_are_set_from_the_orders_screen():
    from game.tui.app import AgiRaceApp
    from game.tui.screens.orders import OrdersScreen
    from tests.tui_helpers import choose, text, unseen_at_each_size

    s = Session.new()
    app = AgiRaceApp(session=s)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, OrdersScreen)
        assert not app.screen.query_one("#run-weeks").parent.display  # the next run's order: its FLOP
        choose(pilot, **{"standing-kind": "runs"})
        await pilot.pause()
        assert not app.screen.query_one("#flop").parent.display
        await pilot.press("alt+e")
        await pilot.press(*"8")
        await pilot.pause()
        assert "in 8 weeks" in text(pilot, "standing-preview")
        assert await unseen_at_each_size(pilot, "run-weeks", "standing-preview", "set-standing") == []
        await pilot.press("enter")
        await pilot.pause()
        assert "Runs back to back" in text(pilot, "message")
        (o,) = standing.orders(s, 0)
        assert (o.kind, o.weeks) == ("runs", 8)


def test_a_standing_round_raises_the_most_investors_offer_each_time_they_will_hear_one(tmp_path):
    """The money screen took a tester ten visits a game, most of them to raise the most
    investors offered: a standing round books it each time they will hear one."""
    from game.play.decisions import RaiseRound
    from game.play.views import money_view

    s = Session.new(humans=("xai",), seed=1)
    s.autosave_every = 0
    lab = 0
    standing.add(s, standing.StandingOrder(lab, "raise"))
    assert "Raise the most investors offer" in standing.orders(s, lab)[0].label(s)
    assert "Books a round of the most investors offer" in standing.describe(s, standing.orders(s, lab)[0])
    back = Session.load(s.save(tmp_path / "g.toml"))
    assert standing.orders(back) == standing.orders(s)  # saved and loaded
    raised = []
    for _ in range(60):
        m = money_view(s.turn(lab))
        said = next_week(s)
        booked = [d for d in s.book(lab) if isinstance(d, RaiseRound)]
        if booked:
            m = money_view(s.turn(lab))
            assert m.round_ready and booked == [RaiseRound(m.largest)] and any("Raising up to" in t for t in said)
            raised.append(s.week)
    assert len(raised) >= 2  # again after the first closed
    assert all(b - a >= 2 for a, b in zip(raised, raised[1:], strict=False))  # never while one is under way


def test_runs_back_to_back_wait_rather_than_train_a_run_no_better_than_the_best_model(game):
    """A tester's split moved compute to serving, and his next run back to back shipped at
    27.27 beside his 27.35: a run that would release no better waits, and says why, once."""
    s, lab = game
    best = s.world.best_model.copy()
    best[0, lab] = s.turn(lab).capability_of(standing.runs_flop(s, lab, 8)) + 0.5  # beyond its runs
    s.world = attrs.evolve(s.world, best_model=best)
    standing.add(s, standing.runs_order(s, lab, 8))
    told = []
    for _ in range(30):  # (a run under way ends first)
        told += [t for t in next_week(s) if "no better" in t]
        assert not [d for d in s.book(lab) if isinstance(d, StartRun)]
    assert len(told) == 1 and f"no better than your best model ({best[0, lab]:.2f})" in told[0], told  # once
