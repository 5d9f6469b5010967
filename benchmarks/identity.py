"""Does this tree play the same games as a reference tree? Bit for bit, in one run.

Runs the same commands with PYTHONPATH pointing at each tree and compares the hashes of
their outputs: the engine's fingerprint (every state and report field of 300 games over
200 weeks), `simulate --json` on one process and on two, and a forecast's JSON.

    git worktree add /tmp/agi-ref <commit>       # the reference (e.g. HEAD before a change)
    python benchmarks/identity.py --ref /tmp/agi-ref
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
CLI = "import sys; from game.cli import main; sys.exit(main(sys.argv[1:]))"


def commands(tree: Path, save: Path, quick: bool) -> dict[str, list[str]]:
    py = sys.executable
    runs = "60" if quick else "300"
    sim = [py, "-c", CLI, "simulate", "--scenario", "2024-07-colossus", "--runs", runs, "--seed", "1"]
    return {
        "fingerprint": [py, str(tree / "benchmarks/fingerprint.py")]
        + (["--games", "60", "--weeks", "120"] if quick else []),
        "simulate --json": [*sim, "--json", "-"],
        "simulate --json --workers 2": [*sim, "--json", "-", "--workers", "2"],
        "forecast --json": [
            py,
            "-c",
            CLI,
            "forecast",
            str(save),
            "--futures",
            "200" if quick else "600",
            "--json",
            "-q",
        ],
    }


def run(tree: Path, cmd: list[str]) -> str:
    env = dict(os.environ, PYTHONPATH=str(tree))
    done = subprocess.run(cmd, env=env, cwd="/tmp", capture_output=True, check=False)
    if done.returncode != 0:
        return f"failed ({done.returncode}): {done.stderr.decode()[-300:]}"
    return hashlib.sha256(done.stdout).hexdigest()[:16]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", type=Path, required=True, help="the reference tree")
    parser.add_argument("--tree", type=Path, default=HERE)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        save = Path(tmp) / "week30.json"
        made = subprocess.run(
            [sys.executable, "-c", CLI, "simulate", "--scenario", "2024-07-colossus", "--runs", "1",
             "--seed", "3", "--weeks", "30", "--save-to", str(save)],
            env=dict(os.environ, PYTHONPATH=str(args.ref)), cwd="/tmp", capture_output=True, check=False,
        )  # fmt: skip
        if made.returncode != 0 or not save.exists():
            saves = list(Path(tmp).glob("*"))
            if not saves:
                print("could not make a save for the forecast:", made.stderr.decode()[-300:])
                return 2
            save = saves[0]
        same = True
        for name, _ in commands(args.ref, save, args.quick).items():
            ref = run(args.ref, commands(args.ref, save, args.quick)[name])
            new = run(args.tree, commands(args.tree, save, args.quick)[name])
            ok = ref == new and not ref.startswith("failed")
            same &= ok
            print(f"{'same' if ok else 'DIFFERENT'}  {name}: {ref} {new}", flush=True)
    print("identical" if same else "NOT identical")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
