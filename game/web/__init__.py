"""The game in a browser (the optional extra `agi-race[web]`, textual-serve): server.py
serves one game process per visitor; child.py is that process."""
