"""One game as a person plays it, and batches of games played headless: the layer
between the engine and saves below and the screens and command line above. No Textual."""
