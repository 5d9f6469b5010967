"""Where a week's time goes, next to the same figures for a baseline build, in one run.

Each figure is measured in a child process per build (PYTHONPATH pointing at the build's
tree), alternating the builds, repeated; the minimum CPU time (time.process_time) of each
is kept, since the machine is shared and noise only ever adds time. Then the ratio.

    git worktree add /tmp/agi-base 21e4b8e           # once: the baseline of issue 24
    python benchmarks/profile.py                     # every figure, baseline vs this tree
    python benchmarks/profile.py --quick             # fewer repeats, smaller forecast
    python benchmarks/profile.py --only week1,calls  # some figures
    python benchmarks/profile.py --tree /tmp/x       # another tree in place of this one

Figures:
  forecast  2,000 futures x 156 weeks from week 20 of one game, one process: CPU seconds
  week1     one game (B=1) from week 40: CPU ms per week
  batch     5,000 games a batch from week 40: game-weeks per CPU second
  calls     numpy calls per game-week (B=1 and B=2,000) by rule module: numpy functions
            and array methods called, and array operators (+, <, [i], ...) executed in
            the engine's code (an upper bound: a few operate on plain numbers)
  modules   share of a week's time by rule module (a sampling profile: a numpy call's
            time is its caller's), at B=1 and B=2,000
  tournament  `agi-race tournament --quick --workers 2`: CPU seconds of every process, and
            the clock (not in the default list: minutes per build; `--only tournament`)
"""

from __future__ import annotations

import sys

# This file is named like the standard library's `profile` (which cProfile, say, imports):
# run as a script, its folder must not shadow it.
if sys.path and sys.path[0] == str(__import__("pathlib").Path(__file__).resolve().parent):
    sys.path.pop(0)

import argparse  # noqa: E402
import dis  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
import types  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

HERE = Path(__file__).resolve().parent.parent
FIGURES = ("forecast", "week1", "batch", "calls", "modules")


# ----------------------------------------------------------------- the child's side
def _setup(batch: int, start_week: int) -> tuple[Any, Any]:
    from game.catalog import default_catalog
    from game.engine import policies, turn
    from game.saves import initial_world, load_scenario, scenario_params

    catalog = default_catalog()
    scn = load_scenario("2024-07-colossus", catalog)
    params = scenario_params(scn, catalog, humans=())
    world = initial_world(scn, params, batch, seed=1)
    ctl = policies.make_controllers(catalog, params)
    for _ in range(start_week):
        world, _ = turn.step(world, policies.decide(world, ctl))
    return world, ctl


def _weeks(world: Any, ctl: Any, weeks: int) -> Any:
    from game.engine import policies, turn

    for _ in range(weeks):
        world, _ = turn.step(world, policies.decide(world, ctl))
    return world


def _cpu(fn: Any, *args: Any) -> float:
    t0 = time.process_time()
    fn(*args)
    return time.process_time() - t0


def measure_forecast(quick: bool) -> dict[str, float]:
    from game.engine import forecast

    world, ctl = _setup(1, 20)
    futures = 500 if quick else 2000
    seconds = _cpu(lambda: forecast.run(world, ctl, futures, 156))
    return {"value": seconds, "futures": futures}


def measure_week1(quick: bool) -> dict[str, float]:
    world, ctl = _setup(1, 40)
    _weeks(world, ctl, 3)  # warm-up
    weeks = 40 if quick else 100
    best = min(_cpu(_weeks, world, ctl, weeks) for _ in range(3))
    return {"value": best / weeks * 1000.0}


def measure_batch(quick: bool) -> dict[str, float]:
    batch = 1000 if quick else 5000
    world, ctl = _setup(batch, 40)
    _weeks(world, ctl, 1)
    weeks = 3 if quick else 6
    best = min(_cpu(_weeks, world, ctl, weeks) for _ in range(2))
    return {"value": batch * weeks / best, "batch": batch}


def measure_tournament(quick: bool) -> dict[str, float]:
    import resource

    t0 = time.perf_counter()
    cmd = [sys.executable, "-m", "game", "tournament", "--quick", "--workers", "2", "-q"]
    subprocess.run(cmd, check=True, capture_output=True)
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"value": used.ru_utime + used.ru_stime, "wall": time.perf_counter() - t0}


def _module_of(filename: str) -> str | None:
    """'engine.turn' for .../game/engine/turn.py; None outside game/."""
    parts = Path(filename).parts
    if "game" not in parts:
        return None
    i = len(parts) - 1 - parts[::-1].index("game")
    return ".".join(parts[i + 1 :]).removesuffix(".py")


_OPERATORS = {
    "BINARY_OP",
    "COMPARE_OP",
    "UNARY_NEGATIVE",
    "UNARY_INVERT",
    "UNARY_NOT",
    "BINARY_SUBSCR",
    "STORE_SUBSCR",
}


class _Counter:
    """Counts numpy calls by the game module that makes them: numpy's functions and ufuncs
    (through a counting stand-in for `np` in every game module), array methods and
    numpy builtins (the profiler's C calls), and operator instructions executed in game
    code (opcode tracing)."""

    def __init__(self) -> None:
        self.functions: Counter[str] = Counter()
        self.methods: Counter[str] = Counter()
        self.operators: Counter[str] = Counter()
        self._ops: dict[Any, set[int]] = {}

    def install(self) -> None:
        import numpy as np

        counter = self
        wrapped: dict[str, Any] = {}

        class CountingNumpy(types.ModuleType):
            def __getattr__(self, name: str) -> Any:
                value = getattr(np, name)
                if not callable(value) or isinstance(value, type):
                    return value
                if name not in wrapped:

                    def call(*args: Any, _f: Any = value, **kwargs: Any) -> Any:
                        mod = _module_of(sys._getframe(1).f_code.co_filename)
                        if mod is not None:
                            counter.functions[mod] += 1
                        return _f(*args, **kwargs)

                    for attr in ("reduce", "accumulate", "outer", "at"):
                        if hasattr(value, attr):
                            setattr(call, attr, getattr(value, attr))
                    wrapped[name] = call
                return wrapped[name]

        stand_in = CountingNumpy("numpy")
        for name, module in list(sys.modules.items()):
            if name.startswith("game.") and getattr(module, "np", None) is np:
                module.np = stand_in  # type: ignore[attr-defined]

    def _opcodes(self, code: Any) -> set[int]:
        if code not in self._ops:
            self._ops[code] = {i.offset for i in dis.get_instructions(code) if i.opname in _OPERATORS}
        return self._ops[code]

    def trace(self, frame: Any, event: str, arg: Any) -> Any:
        if event == "call":
            mod = _module_of(frame.f_code.co_filename)
            if mod is None:
                return None
            frame.f_trace_opcodes = True
            ops = self._opcodes(frame.f_code)

            def local(frame: Any, event: str, arg: Any) -> Any:
                if event == "opcode" and frame.f_lasti in ops:
                    self.operators[mod] += 1
                return local

            return local
        return None

    def profile(self, frame: Any, event: str, arg: Any) -> None:
        if event == "c_call":
            owner = getattr(arg, "__self__", None)
            module = type(owner).__module__ if owner is not None else getattr(arg, "__module__", None)
            if module is not None and module.startswith("numpy"):
                mod = _module_of(frame.f_code.co_filename)
                if mod is not None:
                    self.methods[mod] += 1


def measure_calls(quick: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for batch in (1, 2000):
        world, ctl = _setup(batch, 40)
        counter = _Counter()
        counter.install()
        weeks = 3 if quick else 10
        sys.settrace(counter.trace)
        sys.setprofile(counter.profile)
        _weeks(world, ctl, weeks)
        sys.setprofile(None)
        sys.settrace(None)
        per = {
            kind: {m: n / weeks for m, n in getattr(counter, kind).items()}
            for kind in ("functions", "methods", "operators")
        }
        out[str(batch)] = per
        import numpy as np

        for module in list(sys.modules.values()):
            if getattr(module, "np", None).__class__.__name__ == "CountingNumpy":
                module.np = np  # type: ignore[attr-defined]
    return out


def measure_modules(quick: bool) -> dict[str, Any]:
    """A sampling profile: every tick of CPU time (0.5 ms asked) the innermost game frame's module
    gets the tick (a numpy call's time goes to the rule that made it)."""
    out: dict[str, Any] = {}
    for batch in (1, 2000):
        world, ctl = _setup(batch, 40)
        _weeks(world, ctl, 1)
        ticks: Counter[str] = Counter()

        def tick(signum: int, frame: Any, ticks: Counter[str] = ticks) -> None:
            while frame is not None:
                mod = _module_of(frame.f_code.co_filename)
                if mod is not None:
                    ticks[mod] += 1
                    return
                frame = frame.f_back
            ticks["(other)"] += 1

        signal.signal(signal.SIGPROF, tick)
        signal.setitimer(signal.ITIMER_PROF, 0.0005, 0.0005)
        # The kernel's profiling timer ticks at its own rate (often 4 ms): play enough.
        for _ in range((3 if quick else 10) if batch == 1 else 1):
            _weeks(world, ctl, 60 if batch == 1 else (8 if quick else 30))
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        total = max(sum(ticks.values()), 1)
        out[str(batch)] = {m: n / total for m, n in ticks.items()}
    return out


def child(figure: str, quick: bool) -> None:
    measure = {
        "forecast": measure_forecast,
        "week1": measure_week1,
        "batch": measure_batch,
        "calls": measure_calls,
        "modules": measure_modules,
        "tournament": measure_tournament,
    }[figure]
    print(json.dumps(measure(quick)))


# ---------------------------------------------------------------- the parent's side
def run_child(tree: Path, figure: str, quick: bool) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(tree))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", figure] + (["--quick"] if quick else [])
    done = subprocess.run(cmd, env=env, cwd="/", capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{figure} on {tree} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def _table(title: str, base: dict[str, Any], work: dict[str, Any], scale: float = 1.0) -> None:
    print(title)
    print(f"  {'module':<26}{'baseline':>12}{'this tree':>12}")
    modules = sorted(set(base) | set(work), key=lambda m: -max(base.get(m, 0), work.get(m, 0)))
    for m in modules:
        print(f"  {m:<26}{base.get(m, 0) * scale:>12,.0f}{work.get(m, 0) * scale:>12,.0f}")
    print(f"  {'total':<26}{sum(base.values()) * scale:>12,.0f}{sum(work.values()) * scale:>12,.0f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", choices=(*FIGURES, "tournament"), help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--base", type=Path, default=Path("/tmp/agi-base"), help="the baseline's tree")
    parser.add_argument("--tree", type=Path, default=HERE, help="the tree to measure against it")
    parser.add_argument("--only", default=",".join(FIGURES), help="figures, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timed figure per build")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.quick)
        return 0
    if not (args.base / "game").is_dir():
        raise SystemExit(f"no baseline tree at {args.base}: git worktree add {args.base} 21e4b8e")
    figures = [f for f in args.only.split(",") if f]
    print(
        f"baseline {args.base}, this tree {args.tree}; min of {args.repeat} runs each, alternating; CPU time"
    )
    units = {
        "forecast": ("forecast, futures x 156 weeks, one process (CPU s)", "s", False),
        "week1": ("one game (B=1), CPU ms per week", "ms", False),
        "batch": ("game-weeks per CPU second, one process", "/s", True),
        "tournament": ("tournament --quick --workers 2, CPU of every process", "s", False),
    }
    for figure in figures:
        if figure in units:
            title, unit, higher_better = units[figure]
            runs: dict[str, list[float]] = {"base": [], "work": []}
            walls: dict[str, float] = {}
            extra: dict[str, Any] = {}
            once = figure == "tournament" or (figure == "forecast" and args.quick)
            for _ in range(1 if once else args.repeat):
                for name, tree in (("base", args.base), ("work", args.tree)):
                    r = run_child(tree, figure, args.quick)
                    runs[name].append(r["value"])
                    walls[name] = r.get("wall", 0.0)
                    extra = r
            pick = max if higher_better else min
            b, w = pick(runs["base"]), pick(runs["work"])
            ratio = w / b if higher_better else b / w
            note = f" ({extra['futures']:,} futures)" if "futures" in extra else ""
            note += f" (B={extra['batch']:,})" if "batch" in extra else ""
            if "wall" in extra:
                note += f" (on the clock: baseline {walls['base']:,.0f} s, this tree {walls['work']:,.0f} s)"
            print(
                f"{title}{note}: baseline {b:,.3g} {unit}, this tree {w:,.3g} {unit}: {ratio:.2f}x",
                flush=True,
            )
        elif figure == "calls":
            base, work = run_child(args.base, "calls", args.quick), run_child(args.tree, "calls", args.quick)
            for batch in ("1", "2000"):
                for kind in ("functions", "methods", "operators"):
                    _table(f"numpy {kind} per game-week at B={batch}", base[batch][kind], work[batch][kind])
                tb = sum(sum(base[batch][k].values()) for k in base[batch])
                tw = sum(sum(work[batch][k].values()) for k in work[batch])
                print(
                    f"all numpy calls per game-week at B={batch}: baseline {tb:,.0f}, this tree {tw:,.0f}: {tb / tw:.2f}x fewer",
                    flush=True,
                )
        elif figure == "modules":
            base, work = (
                run_child(args.base, "modules", args.quick),
                run_child(args.tree, "modules", args.quick),
            )
            for batch in ("1", "2000"):
                _table(f"share of a week's time at B={batch} (%, sampled)", base[batch], work[batch], 100.0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
