"""Two podium executables side by side, alternated in one run: a first build (a fresh cache
and output folder each time), the up-to-date build after it, and ``--version``. For a change
that must not cost speed (a restructure): build the old revision's podium in a worktree of
its own, then

    .venv/bin/python benchmarks/bench_compare.py OLD/.venv/bin/podium .venv/bin/podium

Decks come from gen_deck.py (the Keras deck and generated ones). Prints medians and new/old;
nothing asserts on time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def make_decks(sizes: list[str], folder: Path) -> dict[str, Path]:
    decks = {}
    for size in sizes:
        out = folder / f"deck-{size}"
        subprocess.run(
            [sys.executable, str(HERE / "gen_deck.py"), size, "-o", str(out)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        decks[size] = next(out.glob("*.md"))
    return decks


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", help="the podium executable to compare against")
    parser.add_argument("new", help="the podium executable under test")
    parser.add_argument("--sizes", default="keras,100,1000,5000")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="podium-compare-"))
    decks = make_decks(args.sizes.split(","), work)
    times: dict[tuple[str, str, str], list[float]] = {}
    for size, deck in decks.items():
        for round_ in range(args.rounds):
            pair = [("old", args.old), ("new", args.new)]
            for label, exe in pair if round_ % 2 == 0 else pair[::-1]:  # alternated
                cache, out = work / "cache", work / "out"
                env = {**os.environ, "PODIUM_CACHE_DIR": str(cache)}
                command = [exe, "build", str(deck), "-o", str(out)]
                times.setdefault((size, label, "first build"), []).append(timed(command, env))
                times.setdefault((size, label, "up to date"), []).append(timed(command, env))
                shutil.rmtree(cache, ignore_errors=True)
                shutil.rmtree(out, ignore_errors=True)
    for _ in range(2 * args.rounds):
        for label, exe in (("old", args.old), ("new", args.new)):
            run = timed([exe, "--version"], dict(os.environ))
            times.setdefault(("-", label, "--version"), []).append(run)
    shutil.rmtree(work, ignore_errors=True)
    print(f"{'deck':8} {'what':12} {'old s':>8} {'new s':>8} {'new/old':>8}")
    for size, label, what in times:
        if label == "old":
            old = statistics.median(times[(size, "old", what)])
            new = statistics.median(times[(size, "new", what)])
            print(f"{size:8} {what:12} {old:8.3f} {new:8.3f} {new / old:8.2f}")


if __name__ == "__main__":
    main()
