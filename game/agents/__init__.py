"""Programs as players (DESIGN 2): what one lab sees (observe.py: the player's screens,
rivals through the fog), the week's legal presets (legal.py), actions as JSON read into
the player's decisions (actions.py, with the JSON Schema in schema.py), the JSON-lines
protocol (protocol.py, `agi-race agent`), and the batched core the reinforcement-learning
environments of game/rl/ wrap (levers.py, features.py, batch.py).

On top of the engine, the saves and the player's decisions; no Textual, and no
Gymnasium or PettingZoo (those are game/rl/'s, an optional extra).
"""
