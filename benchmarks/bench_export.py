"""PDF export side by side: ``podium export pdf`` against ``marp --pdf`` on the same decks.

    .venv/bin/python benchmarks/bench_export.py                 # Keras and 100 slides, best of 5
    .venv/bin/python benchmarks/bench_export.py --sizes 100 --rounds 3 --handout
    .venv/bin/python benchmarks/bench_export.py --compare /tmp/old/.venv/bin/podium

Both print with the same headless Chromium (Debian's, found as ``podium export pdf`` finds it;
marp is given it with ``--browser-path``). Each figure is a whole process, start to exit, as a
user runs it; within a round every tool runs once, in an order that rotates each round, and
the table gives each tool's best round (the least disturbed by other work on a shared machine)
and the median. Every PDF is read back with pypdf and its page count printed, so a tool that
wrote nothing, or the wrong pages, shows. The target, from the PDF issue: podium at most 0.5x
marp's time at 100 slides. Nothing asserts on time; the script exits 0 either way (1 when a
tool failed).
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import gen_deck

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PODIUM = REPO / ".venv" / "bin" / "podium"
MARP = HERE / "node_modules" / ".bin" / "marp"
TARGET_SIZE, TARGET_RATIO = "100", 0.5


@dataclass
class Tool:
    """One way of making a PDF: a label and the command for a deck and a target file."""

    label: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)

    def command(self, deck: Path, target: Path) -> list[str]:
        return [*self.argv, str(deck), "-o", str(target)]


def tools(podium: Path, chromium: str, *, handout: bool, compare: Path | None) -> list[Tool]:
    found = [Tool("podium", [str(podium), "export", "pdf"])]
    if compare is not None:
        found.append(Tool("podium (compare)", [str(compare), "export", "pdf"]))
    if handout:
        found.append(Tool("podium --handout", [str(podium), "export", "pdf", "--handout"]))
    if MARP.exists():
        flags = ["--no-stdin", "--no-config-file", "--pdf", "--allow-local-files"]
        found.append(Tool("marp --pdf", [str(MARP), *flags, "--browser-path", chromium]))
    else:
        print(f"marp skipped: {MARP.relative_to(REPO)} not found (make bench-export installs it)")
    return found


def make_decks(sizes: Sequence[str], folder: Path) -> dict[str, Path]:
    decks = {}
    for size in sizes:
        if size == "keras":
            decks["Keras"] = gen_deck.write_keras(folder / "keras", log=lambda _: None)
        else:
            decks[size] = gen_deck.write_deck(int(size), folder / f"deck-{size}")
    return decks


def timed(tool: Tool, deck: Path, target: Path) -> float | None:
    """Seconds from start to exit, or None when the tool failed (its output is printed)."""
    target.unlink(missing_ok=True)
    env = {**os.environ, **tool.env}
    start = time.perf_counter()
    done = subprocess.run(
        tool.command(deck, target), env=env, capture_output=True, text=True, cwd=deck.parent
    )
    seconds = time.perf_counter() - start
    if done.returncode not in (0,) or not target.exists():
        print(f"{tool.label} failed on {deck.name} (exit {done.returncode}):")
        print((done.stdout + done.stderr).strip()[-2000:])
        return None
    return seconds


def pages(target: Path) -> int:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    return len(PdfReader(target).pages)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="keras,100", help="decks: keras and slide counts")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--handout", action="store_true", help="also time podium --handout")
    parser.add_argument("--podium", type=Path, default=PODIUM, help="the podium executable")
    parser.add_argument(
        "--compare", type=Path, help="another podium executable (an older revision) timed beside"
    )
    args = parser.parse_args(argv)
    # Time podium as users run it: with compiled bytecode (pip compiles a package it installs;
    # an editable install's src/ is compiled by its first run). A shell that sets
    # PYTHONDONTWRITEBYTECODE would make every timed run compile podium's modules again,
    # about 0.4 s of each export on a 2-core machine; bench_build.py does the same.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(REPO / "src")],
        check=False,
        capture_output=True,
    )

    from podium.export.pdf import find_chromium

    chromium = find_chromium()
    if chromium is None:
        print("no Chromium found: `make browser` installs Debian's headless shell")
        return 1
    work = Path(tempfile.mkdtemp(prefix="podium-bench-export-"))
    failed = False
    try:
        decks = make_decks(args.sizes.split(","), work)
        runners = tools(args.podium, chromium, handout=args.handout, compare=args.compare)
        times: dict[tuple[str, str], list[float]] = {}
        counts: dict[tuple[str, str], int] = {}
        first = next(iter(decks.values()))
        for tool in runners:  # one untimed warm-up run each: the disk cache, the fonts
            timed(tool, first, work / "warm-up.pdf")
        for round_ in range(args.rounds):
            for size, deck in decks.items():
                turn = round_ % len(runners)
                for tool in runners[turn:] + runners[:turn]:
                    target = work / f"{size}-{tool.label.replace(' ', '_')}.pdf"
                    seconds = timed(tool, deck, target)
                    if seconds is None:
                        failed = True
                        continue
                    times.setdefault((size, tool.label), []).append(seconds)
                    counts.setdefault((size, tool.label), pages(target))
        report(decks, runners, times, counts, args.rounds, chromium)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


def report(
    decks: dict[str, Path],
    runners: list[Tool],
    times: dict[tuple[str, str], list[float]],
    counts: dict[tuple[str, str], int],
    rounds: int,
    chromium: str,
) -> None:
    load = os.getloadavg()[0]
    print(f"\nPDF export, best and median of {rounds} rounds; Chromium: {chromium}")
    print(f"load average now {load:.2f} (above ~0.5 on 2 cores, someone else is busy)\n")
    print(f"{'deck':8} {'tool':18} {'pages':>5} {'best s':>8} {'median s':>9} {'/ marp':>7}")
    for size in decks:
        marp = times.get((size, "marp --pdf"))
        for tool in runners:
            runs = times.get((size, tool.label))
            if not runs:
                print(f"{size:8} {tool.label:18} {'-':>5} {'failed':>8}")
                continue
            ratio = f"{min(runs) / min(marp):7.2f}" if marp else f"{'-':>7}"
            pages_ = counts.get((size, tool.label), 0)
            print(
                f"{size:8} {tool.label:18} {pages_:5d} {min(runs):8.2f}"
                f" {statistics.median(runs):9.2f} {ratio}"
            )
    podium, marp = times.get((TARGET_SIZE, "podium")), times.get((TARGET_SIZE, "marp --pdf"))
    if podium and marp:
        measured = min(podium) / min(marp)
        verdict = "PASS" if measured <= TARGET_RATIO else "FAIL"
        print(
            f"\n{verdict}: podium export pdf at {TARGET_SIZE} slides takes {measured:.2f}x"
            f" marp --pdf's time (target: at most {TARGET_RATIO}x)"
        )
    else:
        print(f"\nSKIP: the target needs podium and marp timed at {TARGET_SIZE} slides")


if __name__ == "__main__":
    sys.exit(main())
