"""Names live with their ids: every id the engine uses (refusal codes, flows, partners'
reasons, event effects) has its words in one table, and a new id without them fails here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from game.catalog.events import EFFECTS, EVENT_GAME_EFFECTS, EVENT_LAB_EFFECTS
from game.engine import codes, deals, economy
from game.play import words
from game.play.words import partners

ENGINE = Path(__file__).resolve().parent.parent / "game" / "engine"


def test_every_refusal_code_has_its_words_and_its_own_bit():
    found = {name: v for name, v in vars(codes).items() if name.isupper() and isinstance(v, int)}
    assert found, "codes.py defines the refusal codes"
    missing = [name for name, bit in found.items() if not words.REFUSAL_TEXT.get(bit, "").strip()]
    assert missing == []
    bits = list(found.values())
    assert all(b > 0 and b & (b - 1) == 0 for b in bits) and len(set(bits)) == len(bits)


def test_every_flow_has_a_name():
    assert set(economy.FLOWS) == set(economy.FLOW_NAMES)
    assert all(name.strip() for name in economy.FLOW_NAMES.values())


def test_every_partner_reason_has_a_sentence():
    """A partner never answers '(no_slot)': every reason the engine gives is spoken in
    words/partners.py (its answers' table or the common answers)."""
    spoken = set(re.findall(r"deals\.([A-Z_]+)\b", Path(partners.__file__).read_text()))
    unspoken = [r for r in deals.REASONS[1:] if r.upper() not in spoken]
    assert unspoken == []


def test_every_event_effect_the_engine_applies_is_in_the_one_table():
    source = (ENGINE / "events.py").read_text()
    applied = {
        node.comparators[0].value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Compare)
        and isinstance(node.left, ast.Name)
        and node.left.id == "what"
        and isinstance(node.comparators[0], ast.Constant)
    }
    assert applied == set(EFFECTS)
    assert set(EVENT_LAB_EFFECTS) | set(EVENT_GAME_EFFECTS) == set(EFFECTS)
    for name, kind in EFFECTS.items():
        assert kind.meaning.strip() and kind.low < kind.high and kind.op in ("add", "mul"), name
