"""Event cards check what they describe (issue 14): a card whose text or effect is about a
training run, installed GPUs, turbines, rented GPUs, researchers or substation work can
fire only for a lab (or at a site) that has one. The test walks the whole deck."""

from __future__ import annotations

import re

import attrs
import numpy as np
import pytest

from game.catalog import default_catalog
from game.engine import events

# What a card may be about, how to tell from its text or effects, the condition that must
# guard it, and the state in which that subject is absent.
SUBJECTS = {
    "a training run": (r"training run|next model", ("runs", "runs_training")),
    "installed GPUs": (r"installed GPUs|in one of .* halls", ("installed", "owned_gpus")),
    "turbines": (r"turbine", ("turbines", "turbine_mw")),
    "rented GPUs": (r"rents?\b|rented", ("rented", "rented_gpus")),
    "researchers": (r"researchers", ("staff", "staff")),
    "substation work": (r"substation work", ("substation_delay", "substation_weeks")),
}


def _subjects(card) -> list[tuple[str, str]]:
    """The subjects a card names, each with the condition field that must guard it."""
    found = []
    effects = {e.what for e in card.effects}
    for name, (pattern, (effect, field)) in SUBJECTS.items():
        if effect in effects or re.search(pattern, card.text, re.IGNORECASE):
            if effect == "staff" and all(e.low >= 1 for e in card.effects if e.what == "staff"):
                continue  # gaining people needs no people
            if field == "staff" and "staff" not in effects:
                continue  # researchers named as the cause (e.g. leaving for the rival), not the subject
            found.append((name, field))
    return found


CARDS = default_catalog().events


@pytest.mark.parametrize("card", CARDS, ids=[c.id for c in CARDS])
def test_a_card_checks_the_subject_its_text_names(card):
    for name, field in _subjects(card):
        guards = [c for c in card.when if c.field == field and c.op == ">=" and c.value > 0]
        if field == "turbine_mw":
            # a turbine card acts at a site: it must check turbines at that site
            sites = {e.site for e in card.effects if e.what == "turbines"} or {c.site for c in guards}
            guards = [c for c in guards if not sites or c.site in sites]
        assert guards, f"{card.id} is about {name} but fires without checking {field} >= something above 0"


def _absent(world, field: str):
    """The world with the subject of `field` taken away from every lab and site."""
    if field == "runs_training":
        return attrs.evolve(world, run_phase=np.zeros_like(world.run_phase))
    if field == "owned_gpus":
        return attrs.evolve(
            world, installed=np.zeros_like(world.installed), warehouse=np.zeros_like(world.warehouse)
        )
    if field == "turbine_mw":
        return attrs.evolve(world, turbine_mw=np.zeros_like(world.turbine_mw))
    if field == "rented_gpus":
        return attrs.evolve(world, contract_partner=np.full_like(world.contract_partner, -1))
    if field == "staff":
        return attrs.evolve(world, staff=np.zeros_like(world.staff))
    if field == "substation_weeks":
        return attrs.evolve(world, substation_left=np.zeros_like(world.substation_left))
    raise AssertionError(field)


@pytest.mark.parametrize("card", CARDS, ids=[c.id for c in CARDS])
def test_a_card_cannot_fire_where_its_subject_is_missing(card, colossus, params):
    from game.saves import initial_world

    c = [x.id for x in params.catalog.events].index(card.id)
    for _, field in _subjects(card):
        world = initial_world(colossus, params, 8, seed=3)
        # Anything else a card asks for, anyone may have: rich, big, far ahead or behind.
        for week in (0, 30, 60, 120):
            w = _absent(attrs.evolve(world, week=np.full_like(world.week, week)), field)
            assert not events.eligible(params, w)[..., c].any(), f"{card.id} could fire without {field}"


def test_the_training_run_card_fires_only_for_a_lab_with_a_run(colossus, params):
    """The reported bug: 'Training run diverges ... losing 19%' for a lab with no run."""
    from game.saves import initial_world

    c = [x.id for x in params.catalog.events].index("run-crash")
    world = initial_world(colossus, params, 4, seed=1)
    installed = world.installed.copy()
    installed[..., 0, :] += 60_000  # every lab has the fleet the card asks for
    runs = np.zeros_like(world.run_phase)
    runs[:, 1, 0] = 1  # only OpenAI trains
    w = attrs.evolve(
        world,
        installed=installed,
        hall_mw=world.hall_mw + 1000,
        grid_alloc=world.grid_alloc + 1000,
        run_phase=runs,
    )
    ok = events.eligible(params, w)[..., c]
    assert ok[:, 1].all() and not ok[:, [0, 2]].any()


def test_a_lab_card_never_calls_its_own_lab_the_rival():
    """A lab card fires for whichever lab it draws, the player's own included: a
    playtester as xAI read "Leak about the rival: ... xAI's next model is behind"."""
    for card in default_catalog().events:
        if card.scope == "lab":
            assert "rival" not in card.title.lower(), card.id  # the text may say "a rival's offers"
