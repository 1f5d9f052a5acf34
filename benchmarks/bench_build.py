"""Time ``podium build`` against the floor renderer and the peers, side by side.

Every figure is a whole process: started with ``subprocess.Popen``, waited for with
``os.wait4`` (wall time from ``time.perf_counter`` around both, peak RSS from the child's
``ru_maxrss``). Within each round the tools run one after the other, and the order
rotates from round to round, so that a noisy stretch of the shared machine hits every
tool alike. The table quotes medians and ratios to the floor at the same size.

Run ``python benchmarks/bench_build.py --help`` for the flags; ``make bench`` runs the
default set. A tool that is not installed, or that fails, is reported and skipped.
Nothing here asserts on time: the targets are printed as PASS/FAIL lines.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import gen_deck

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
VENV_PY = REPO / ".venv" / "bin" / "python"
DEFAULT_PODIUM = REPO / ".venv" / "bin" / "podium"
MARP = HERE / "node_modules" / ".bin" / "marp"
DARKSLIDE = HERE / ".venv-peers" / "bin" / "darkslide"
# Python-Markdown extensions that give darkslide fenced code, tables and Pygments.
DARKSLIDE_EXTENSIONS = "fenced_code,codehilite,tables"
MARP_FLAGS = ("--no-stdin", "--no-config-file")
VIEWS = ("index.html", "presenter.html", "handout.html")

# Targets from the performance issue, as ratios in one run.
COLD_MAX_RATIO = 1.0
REBUILD_MAX_RATIO = 0.1
REBUILD_TARGET_SIZE = "1000"
STARTUP_MAX_S = 0.1
MEMORY_MAX_RATIO = 1.5


def log(message: str) -> None:
    """Progress goes to stderr; the report goes to stdout."""
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- running


@dataclass
class Invocation:
    argv: list[str]
    cwd: Path
    env: dict[str, str] | None = None


@dataclass
class Run:
    wall_s: float
    rss_mb: float
    """Peak RSS of the largest single process (wait4's ru_maxrss)."""
    ok: bool
    error: str = ""
    cpu_s: float = 0.0
    """User + system CPU time of the child: less swayed by other load than wall time."""
    tree_mb: float = 0.0
    """Sampled peak of the PSS summed over the child and its descendants."""
    procs: int = 1
    """Most processes seen at once in the child's tree (a tool's workers show here)."""

    @property
    def memory_mb(self) -> float:
        """Peak memory: a single process's exact peak, or a process tree's sampled sum."""
        return max(self.rss_mb, self.tree_mb)


SAMPLE_INTERVAL_S = 0.02


class TreeSampler(threading.Thread):
    """Samples the summed PSS of a process and its descendants from /proc.

    ``ru_maxrss`` from wait4 is the peak of the largest single process; a tool that forks
    workers uses the sum. PSS splits pages shared after a fork between their sharers, so
    the sum counts each page once. Sampling misses peaks shorter than the interval.
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.procs = 1
        self.done = threading.Event()

    def tree(self) -> list[int]:
        pids, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            pids.append(pid)
            try:
                tasks = os.listdir(f"/proc/{pid}/task")
            except OSError:
                continue
            for tid in tasks:
                try:
                    with open(f"/proc/{pid}/task/{tid}/children") as f:
                        todo += [int(c) for c in f.read().split()]
                except OSError:
                    continue
        return pids

    @staticmethod
    def pss_kb(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        return int(line.split()[1])
        except (OSError, ValueError):
            pass
        return 0

    def run(self) -> None:
        while not self.done.wait(SAMPLE_INTERVAL_S):
            pids = self.tree()
            self.procs = max(self.procs, len(pids))
            self.peak_kb = max(self.peak_kb, sum(self.pss_kb(p) for p in pids))


def run_once(inv: Invocation, log_dir: Path, timeout_s: float) -> Run:
    """One whole-process run: wall time and the child's peak RSS."""
    log_dir.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log_dir / "stdout.txt", log_dir / "stderr.txt"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(
                inv.argv,
                cwd=inv.cwd,
                env=inv.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
            )
        except OSError as exc:
            return Run(0.0, 0.0, False, f"cannot start {inv.argv[0]}: {exc}")
        timer = threading.Timer(timeout_s, proc.kill)
        timer.start()
        sampler = TreeSampler(proc.pid)
        sampler.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
            sampler.done.set()
        wall = time.perf_counter() - start
        sampler.join()
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code  # we reaped it ourselves; keep Popen from trying again
    rss_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    cpu = usage.ru_utime + usage.ru_stime
    tree_mb, procs = sampler.peak_kb / 1024, sampler.procs
    if code == 0:
        return Run(wall, rss_mb, True, cpu_s=cpu, tree_mb=tree_mb, procs=procs)
    text = err_path.read_text(errors="replace").strip() or out_path.read_text(errors="replace")
    lines = text.strip().splitlines()
    why = f"timed out after {timeout_s:.0f} s" if wall >= timeout_s else f"exit code {code}"
    detail = "\n".join(lines[-12:])
    message = f"{' '.join(inv.argv)}: {why}\n{detail}".rstrip()
    return Run(wall, rss_mb, False, message, cpu_s=cpu, tree_mb=tree_mb, procs=procs)


# --------------------------------------------------------------------------- decks


@dataclass(frozen=True)
class Size:
    label: str
    deck: Path
    slides: int = 0


def split_slides(text: str) -> list[str]:
    return text.split("\n\n---\n\n")


def prepare_sizes(labels: Sequence[str], deck_dir: Path) -> list[Size]:
    sizes: list[Size] = []
    for label in labels:
        if label == "keras":
            deck = gen_deck.write_keras(deck_dir, log=log)
            label = "Keras"
        else:
            deck = gen_deck.write_deck(int(label), deck_dir)
        sizes.append(Size(label, deck, len(split_slides(deck.read_text(encoding="utf-8")))))
    return sizes


def copy_deck(size: Size, into: Path) -> Path:
    """A private copy of a deck and its res/ folder (so no cache can hide beside it)."""
    into.mkdir(parents=True, exist_ok=True)
    deck = into / size.deck.name
    shutil.copyfile(size.deck, deck)
    res = size.deck.parent / "res"
    if res.is_dir() and not (into / "res").exists():
        shutil.copytree(res, into / "res")
    return deck


def edited(text: str, marker: int) -> str:
    """The deck with one paragraph of its middle slide set to a new text."""
    slides = split_slides(text)
    mid = len(slides) // 2
    slides[mid] = f"{slides[mid]}\n\nThis slide was edited for benchmark run {marker}."
    return "\n\n---\n\n".join(slides)


# --------------------------------------------------------------------------- tools


class Tool:
    """One row of the table: how to run it at a size, and what to do around each run."""

    name: str = ""
    key: str = ""
    per_size = True

    def available(self) -> str | None:
        """None when it can run, else why not."""
        return None

    def setup(self, size: Size, work: Path, timeout_s: float) -> str | None:
        """Untimed preparation for a size; returns an error to skip the size."""
        return None

    def before(self, size: Size, work: Path, index: int) -> Invocation:
        raise NotImplementedError

    def after(self, size: Size, work: Path, index: int, run: Run) -> None:
        return None


class Floor(Tool):
    name = "floor: markdown-it-py + Pygments + one Jinja2 page"
    key = "floor"

    def before(self, size: Size, work: Path, index: int) -> Invocation:
        out = work / f"{size.deck.stem}.html"
        return Invocation(
            [str(VENV_PY), str(HERE / "floor.py"), str(size.deck), "-o", str(out)], work
        )


class Marp(Tool):
    key = "marp"

    def __init__(self) -> None:
        self.name = f"marp-cli {version_of([str(MARP), '--version'], 'v')}".strip()

    def available(self) -> str | None:
        if not MARP.exists():
            return f"{MARP.relative_to(REPO)} not found (make bench installs it with npm)"
        return None

    def before(self, size: Size, work: Path, index: int) -> Invocation:
        out = work / f"{size.deck.stem}.html"
        return Invocation([str(MARP), *MARP_FLAGS, str(size.deck), "-o", str(out)], work)


class Darkslide(Tool):
    key = "darkslide"

    def __init__(self) -> None:
        version = version_of([str(DARKSLIDE), "--version"], "darkslide ")
        self.name = f"darkslide {version} (fenced code, tables, Pygments)"

    def available(self) -> str | None:
        if not DARKSLIDE.exists():
            return f"{DARKSLIDE.relative_to(REPO)} not found (make bench installs it)"
        return None

    def before(self, size: Size, work: Path, index: int) -> Invocation:
        out = work / f"{size.deck.stem}.html"
        argv = [str(DARKSLIDE), "-q", "-x", DARKSLIDE_EXTENSIONS, "-d", str(out), str(size.deck)]
        return Invocation(argv, work)


class Pandoc(Tool):
    """Optional: only when ``pandoc`` is on PATH (make bench does not install it)."""

    key = "pandoc"

    def __init__(self) -> None:
        self.exe = shutil.which("pandoc")
        version = version_of([self.exe, "--version"], "pandoc ") if self.exe else ""
        self.name = f"pandoc {version} to reveal.js".replace("  ", " ")

    def available(self) -> str | None:
        return None if self.exe else "pandoc is not on PATH (optional: apt-get install pandoc)"

    def before(self, size: Size, work: Path, index: int) -> Invocation:
        assert self.exe is not None
        out = work / f"{size.deck.stem}.html"
        argv = [self.exe, "-s", "-t", "revealjs", str(size.deck), "-o", str(out)]
        return Invocation(argv, work)


def podium_env(home: Path) -> dict[str, str]:
    """Podium runs with HOME and XDG_CACHE_HOME of its own, so a cold build is cold."""
    env = dict(os.environ)
    env.pop("PODIUM_CACHE_DIR", None)  # it would point every run at one warm cache
    env["HOME"] = str(home)
    env["XDG_CACHE_HOME"] = str(home / ".cache")
    return env


class PodiumBase(Tool):
    def __init__(self, exe: Path) -> None:
        self.exe = exe

    def available(self) -> str | None:
        if not self.exe.exists():
            return (
                f"{self.exe} not found (podium is not installed yet: `make setup` once "
                "src/podium/cli/ exists)"
            )
        return None

    def build_argv(self, deck: Path, site: Path) -> list[str]:
        return [str(self.exe), "build", str(deck), "-o", str(site)]


class PodiumCold(PodiumBase):
    name = "podium build, cold (3 views)"
    key = "podium-cold"

    def __init__(self, exe: Path) -> None:
        super().__init__(exe)
        self.missing: dict[str, list[str]] = {}
        self.extras: dict[str, list[str]] = {}

    @staticmethod
    def run_name(index: int) -> str:
        return "warmup" if index < 0 else f"run-{index}"

    def before(self, size: Size, work: Path, index: int) -> Invocation:
        run_dir = work / self.run_name(index)
        if run_dir.exists():
            shutil.rmtree(run_dir)
        deck = copy_deck(size, run_dir)
        return Invocation(self.build_argv(deck, run_dir / "site"), run_dir, podium_env(run_dir))

    def after(self, size: Size, work: Path, index: int, run: Run) -> None:
        run_dir = work / self.run_name(index)
        if run.ok and size.label not in self.missing:
            site = run_dir / "site"
            wanted = [f"{size.deck.stem}/{view}" for view in VIEWS] + ["index.html"]
            self.missing[size.label] = [w for w in wanted if not (site / w).is_file()]
            # .cache is the run's own HOME/XDG_CACHE_HOME (podium_env), not a leak
            expected = {size.deck.name, "res", "site", ".cache"}
            self.extras[size.label] = sorted(
                p.name for p in run_dir.iterdir() if p.name not in expected
            )
        shutil.rmtree(run_dir, ignore_errors=True)


class PodiumRebuild(PodiumBase):
    """A second build into the same output folder, with nothing changed."""

    name = "podium rebuild, nothing changed"
    key = "podium-noop"

    def deck_text(self, size: Size, index: int) -> str:
        return size.deck.read_text(encoding="utf-8")

    def setup(self, size: Size, work: Path, timeout_s: float) -> str | None:
        if work.exists():
            shutil.rmtree(work)
        deck = copy_deck(size, work)
        deck.write_text(self.deck_text(size, 0), encoding="utf-8")
        first = run_once(
            Invocation(self.build_argv(deck, work / "site"), work, podium_env(work)),
            work / "logs-setup",
            timeout_s,
        )
        return None if first.ok else first.error

    def before(self, size: Size, work: Path, index: int) -> Invocation:
        deck = work / size.deck.name
        text = self.deck_text(size, index + 1)
        if text != deck.read_text(encoding="utf-8"):
            deck.write_text(text, encoding="utf-8")
        return Invocation(self.build_argv(deck, work / "site"), work, podium_env(work))


class PodiumEdit(PodiumRebuild):
    """A rebuild after one slide changed: each run sets the middle slide to a new text."""

    name = "podium rebuild, one slide changed"
    key = "podium-edit"

    def deck_text(self, size: Size, index: int) -> str:
        return edited(size.deck.read_text(encoding="utf-8"), index)


class Command(Tool):
    """A size-independent command (start-up costs)."""

    per_size = False

    def __init__(self, name: str, key: str, argv: list[str], need: Path | None = None) -> None:
        self.name, self.key, self.argv, self.need = name, key, argv, need

    def available(self) -> str | None:
        if self.need is not None and not self.need.exists():
            return f"{self.need} not found"
        return None

    def before(self, size: Size, work: Path, index: int) -> Invocation:
        return Invocation(self.argv, work)


def version_of(argv: list[str], prefix: str) -> str:
    """First line of ``--version`` after ``prefix``; "" when the tool is missing."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    first = (done.stdout or done.stderr).strip().splitlines()
    if not first:
        return ""
    line = first[0]
    if prefix in line:
        line = line.split(prefix, 1)[1]
    return line.split()[0] if line.split() else ""


# --------------------------------------------------------------------------- measuring


@dataclass
class Cell:
    runs: list[Run] = field(default_factory=list)
    skipped: str = ""

    @property
    def ok_runs(self) -> list[Run]:
        return [r for r in self.runs if r.ok]

    def wall(self) -> float | None:
        ok = self.ok_runs
        return statistics.median(r.wall_s for r in ok) if ok else None

    def cpu(self) -> float | None:
        ok = self.ok_runs
        return statistics.median(r.cpu_s for r in ok) if ok else None

    def rss(self) -> float | None:
        ok = self.ok_runs
        return max(r.memory_mb for r in ok) if ok else None

    def procs(self) -> int:
        return max((r.procs for r in self.ok_runs), default=1)


Results = dict[str, dict[str, Cell]]  # tool key -> size label -> cell


def measure_group(
    tools: Sequence[Tool],
    size: Size,
    rounds: int,
    work_root: Path,
    results: Results,
    timeout_s: float,
    warmup: bool,
) -> None:
    """Alternate the tools for ``rounds`` rounds at one size (round-robin, rotating)."""
    active: list[Tool] = []
    for tool in tools:
        cell = results.setdefault(tool.key, {}).setdefault(size.label, Cell())
        work = work_root / tool.key / size.label
        work.mkdir(parents=True, exist_ok=True)
        error = tool.setup(size, work, timeout_s)
        if error:
            cell.skipped = f"setup failed: {error}"
            log(f"[{size.label}] {tool.key}: skipped, {cell.skipped}")
            continue
        if warmup:  # one untimed run: page cache, .pyc files, node's compile cache
            inv = tool.before(size, work, -1)
            run = run_once(inv, work / "logs", timeout_s)
            tool.after(size, work, -1, run)
            if not run.ok:
                cell.skipped = f"failed: {run.error}"
                log(f"[{size.label}] {tool.key}: skipped, {cell.skipped}")
                continue
        active.append(tool)
    for r in range(rounds):
        if not active:
            break
        shift = r % len(active)
        order = active[shift:] + active[:shift]
        for tool in order:
            cell = results[tool.key][size.label]
            if cell.skipped:
                continue
            work = work_root / tool.key / size.label
            inv = tool.before(size, work, r)
            run = run_once(inv, work / "logs", timeout_s)
            tool.after(size, work, r, run)
            cell.runs.append(run)
            if run.ok:
                log(
                    f"[{size.label}] round {r + 1}/{rounds} {tool.key}: "
                    f"{run.wall_s:.3f} s, cpu {run.cpu_s:.3f} s, {run.memory_mb:.0f} MB"
                )
            else:
                cell.skipped = f"failed: {run.error}"
                log(f"[{size.label}] {tool.key}: FAILED, skipped from now on\n{run.error}")


# --------------------------------------------------------------------------- reporting


def fmt_s(value: float) -> str:
    return f"{value:.3f} s" if value < 1 else f"{value:.2f} s"


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def paired_ratio(cell: Cell, floor: Cell) -> float | None:
    """Median over rounds of (tool / floor) in the same round: less sensitive to drift."""
    pairs = [
        t.wall_s / f.wall_s
        for t, f in zip(cell.runs, floor.runs, strict=False)
        if t.ok and f.ok and f.wall_s > 0
    ]
    return statistics.median(pairs) if pairs else None


def table(
    tools: Sequence[Tool],
    sizes: Sequence[Size],
    results: Results,
    value: Callable[[Cell], float | None],
    unit: Callable[[float], str],
) -> list[str]:
    header = "| tool | " + " | ".join(
        f"{s.label} ({s.slides} slides)" if s.label == "Keras" else f"{s.label} slides"
        for s in sizes
    )
    lines = [header + " |", "| --- |" + " ---: |" * len(sizes)]
    floor_cells = results.get("floor", {})
    for tool in tools:
        cells = results.get(tool.key, {})
        row = [tool.name]
        for size in sizes:
            cell = cells.get(size.label)
            got = value(cell) if cell else None
            if got is None:
                row.append("skipped" if cell and cell.skipped else "-")
                continue
            floor_cell = floor_cells.get(size.label)
            base = value(floor_cell) if floor_cell else None
            r = ratio(got, base)
            row.append(f"{unit(got)} ({r:.2f}x)" if r is not None else unit(got))
        lines.append("| " + " | ".join(row) + " |")
    return lines


def short(cell: Cell | None) -> str:
    """A one-line reason for a missing figure; the full error is under Failures."""
    if cell is None or not cell.skipped:
        return "not run"
    if cell.skipped.startswith("setup failed"):
        return "its setup build failed (see Failures)"
    return "it failed (see Failures)"


def target_lines(
    results: Results, sizes: Sequence[Size], podium_note: str | None, cold: PodiumCold | None
) -> list[str]:
    lines: list[str] = []
    floor = results.get("floor", {})

    def skip(what: str, why: str) -> None:
        lines.append(f"SKIP  {what}: {why}")

    def check_ratio(what: str, key: str, size: Size, limit: float) -> None:
        cell = results.get(key, {}).get(size.label)
        base = floor.get(size.label)
        if podium_note:
            skip(what, podium_note)
            return
        if cell is None or cell.wall() is None:
            skip(what, short(cell))
            return
        if base is None or base.wall() is None:
            skip(what, "the floor was not measured at this size")
            return
        t, b = cell.wall(), base.wall()
        assert t is not None and b is not None
        r = t / b
        pr = paired_ratio(cell, base)
        verdict = "PASS" if r <= limit else "FAIL"
        extra = ""
        if key == "podium-cold" and cold is not None and cold.missing.get(size.label):
            verdict = "FAIL"
            extra = f"; views missing from the output: {', '.join(cold.missing[size.label])}"
        paired = f", paired per-round {pr:.2f}x" if pr is not None else ""
        lines.append(
            f"{verdict}  {what}: {fmt_s(t)} vs floor {fmt_s(b)} = {r:.2f}x{paired} "
            f"(target <= {limit:.1f}x){extra}"
        )

    for size in sizes:
        check_ratio(f"cold build @ {size.label}", "podium-cold", size, COLD_MAX_RATIO)
    target = next((s for s in sizes if s.label == REBUILD_TARGET_SIZE), None)
    for key, what in (("podium-noop", "nothing changed"), ("podium-edit", "one slide changed")):
        label = f"rebuild, {what} @ {REBUILD_TARGET_SIZE}"
        if target is None:
            skip(label, f"size {REBUILD_TARGET_SIZE} was not run")
        else:
            check_ratio(label, key, target, REBUILD_MAX_RATIO)
    for key in ("podium-version", "podium-help"):
        what = "podium --version" if key == "podium-version" else "podium --help"
        cell = results.get(key, {}).get("-")
        if podium_note:
            skip(what, podium_note)
        elif cell is None or cell.wall() is None:
            skip(what, short(cell))
        else:
            t = cell.wall()
            assert t is not None
            verdict = "PASS" if t < STARTUP_MAX_S else "FAIL"
            lines.append(f"{verdict}  {what}: {fmt_s(t)} (target < {STARTUP_MAX_S} s)")
    for key, what in (
        ("podium-cold", "cold build"),
        ("podium-noop", "rebuild, nothing changed"),
        ("podium-edit", "rebuild, one slide changed"),
    ):
        for size in sizes:
            cell = results.get(key, {}).get(size.label)
            base = floor.get(size.label)
            label = f"peak memory, {what} @ {size.label}"
            if podium_note:
                if key == "podium-cold":
                    skip(label, podium_note)
                continue
            if cell is None or cell.rss() is None or base is None or base.rss() is None:
                if key == "podium-cold":
                    skip(label, "not measured")
                continue
            m, b = cell.rss(), base.rss()
            assert m is not None and b is not None
            verdict = "PASS" if m <= MEMORY_MAX_RATIO * b else "FAIL"
            lines.append(
                f"{verdict}  {label}: {m:.0f} MB vs floor {b:.0f} MB = {m / b:.2f}x "
                f"(target <= {MEMORY_MAX_RATIO}x)"
            )
    return lines


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Podium build benchmark, side by side with peers.")
    p.add_argument(
        "--sizes",
        default=None,
        help="comma-separated deck sizes; 'keras' is the real Keras deck "
        "(default: keras,100,1000,5000; with --quick: keras,100,1000)",
    )
    p.add_argument(
        "--rounds", type=int, default=None, help="rounds per size (default: 5; --quick: 3)"
    )
    p.add_argument(
        "--big-rounds",
        type=int,
        default=None,
        help="rounds for sizes above --big-from slides, to shorten a run (default: --rounds)",
    )
    p.add_argument("--big-from", type=int, default=2000, help="(default: 2000)")
    p.add_argument(
        "--rebuild-sizes",
        default=REBUILD_TARGET_SIZE,
        help="sizes at which the podium rebuilds are timed (default: %(default)s)",
    )
    p.add_argument(
        "--tools",
        default="floor,podium,marp,darkslide,pandoc,startup",
        help="which rows to run (default: %(default)s)",
    )
    p.add_argument("--podium", type=Path, default=DEFAULT_PODIUM, help="the podium executable")
    p.add_argument(
        "--quick", action="store_true", help="default to sizes keras,100,1000 and 3 rounds"
    )
    p.add_argument(
        "--no-warmup", action="store_true", help="skip the untimed first run of each tool"
    )
    p.add_argument("--timeout", type=float, default=600, help="seconds per run (default: 600)")
    p.add_argument(
        "--out", type=Path, default=HERE / "out", help="work folder (default: %(default)s)"
    )
    args = p.parse_args(argv)
    if args.sizes is None:
        args.sizes = "keras,100,1000" if args.quick else "keras,100,1000,5000"
    if args.rounds is None:
        args.rounds = 3 if args.quick else 5
    if args.big_rounds is None:
        args.big_rounds = args.rounds
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    # Time the tools as users run them: with compiled bytecode. A shell that sets
    # PYTHONDONTWRITEBYTECODE would make every run of every Python tool compile its own
    # modules again (podium has more of them than the floor).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run(
        [str(VENV_PY), "-m", "compileall", "-q", str(REPO / "src"), str(REPO / "benchmarks")],
        check=False,
        capture_output=True,
    )
    started = time.perf_counter()
    load_start = os.getloadavg()[0]
    wanted = {t.strip() for t in args.tools.split(",") if t.strip()}
    labels = [s.strip() for s in args.sizes.split(",") if s.strip()]
    rebuild_labels = {s.strip() for s in args.rebuild_sizes.split(",") if s.strip()}
    out: Path = args.out.resolve()
    sizes = prepare_sizes(labels, out / "decks")
    work_root = out / "runs"
    podium_exe: Path = args.podium.resolve() if args.podium.exists() else args.podium

    if not VENV_PY.exists():
        print(f"error: {VENV_PY} not found: run `make setup` first", file=sys.stderr)
        return 2

    # Which rows exist, and why some are skipped.
    notes: list[str] = []
    details: list[str] = []
    cold = PodiumCold(podium_exe)
    noop = PodiumRebuild(podium_exe)
    edit = PodiumEdit(podium_exe)
    build_tools: list[Tool] = []
    skipped_tools: list[Tool] = []  # shown in the tables as "skipped"
    if "floor" in wanted:
        build_tools.append(Floor())
    podium_note: str | None = None
    if "podium" in wanted:
        podium_note = cold.available()
        if podium_note is None:
            probe = run_once(
                Invocation([str(podium_exe), "--version"], REPO), out / "logs-probe", 60
            )
            if not probe.ok:
                podium_note = "`podium --version` fails (see Notes)"
                details.append(probe.error)
        if podium_note is None:
            build_tools += [cold, noop, edit]
        else:
            notes.append(f"podium: skipped, {podium_note.replace('see Notes', 'error below')}")
            skipped_tools += [cold, noop, edit]
    else:
        podium_note = "not selected (--tools)"
    peers: list[Tool] = []
    if "marp" in wanted:
        peers.append(Marp())
    if "darkslide" in wanted:
        peers.append(Darkslide())
    if "pandoc" in wanted:
        peers.append(Pandoc())
    for peer in peers:
        why = peer.available()
        if why is None:
            build_tools.append(peer)
        else:
            notes.append(f"{peer.key}: skipped, {why}")
            skipped_tools.append(peer)

    startup_tools: list[Tool] = []
    if "startup" in wanted:
        startup_tools = [
            Command("python -c pass (interpreter start)", "python", [str(VENV_PY), "-c", "pass"]),
            Command(
                "python importing markdown_it, jinja2, pygments",
                "imports",
                [
                    str(VENV_PY),
                    "-c",
                    "import markdown_it, jinja2, pygments.lexers.python, pygments.formatters.html",
                ],
            ),
        ]
        if podium_note is None:
            startup_tools += [
                Command("podium --version", "podium-version", [str(podium_exe), "--version"]),
                Command("podium --help", "podium-help", [str(podium_exe), "--help"]),
            ]

    results: Results = {}
    log(f"decks in {out / 'decks'}; runs in {work_root}")
    for note in notes:
        log(note)
    if startup_tools:
        here = Size("-", sizes[0].deck if sizes else HERE / "gen_deck.py")
        measure_group(
            startup_tools, here, max(args.rounds, 5), work_root, results, 60, not args.no_warmup
        )
    rounds_used: dict[str, int] = {}
    for size in sizes:
        rounds = args.big_rounds if size.slides > args.big_from else args.rounds
        rounds_used[size.label] = rounds
        tools = [
            t
            for t in build_tools
            if t.key not in {"podium-noop", "podium-edit"} or size.label.lower() in rebuild_labels
        ]
        # One untimed warm-up run per tool at the first size only (page cache, .pyc
        # files, node's compile cache); later sizes start warm already.
        warm = not args.no_warmup and size is sizes[0]
        measure_group(tools, size, rounds, work_root, results, args.timeout, warm)

    # ---- the report
    is_rebuild = {"podium-noop", "podium-edit"}
    for tool in skipped_tools:
        for size in sizes:
            if tool.key not in is_rebuild or size.label.lower() in rebuild_labels:
                results.setdefault(tool.key, {})[size.label] = Cell(skipped="not run")
    order = [Floor.key, cold.key, noop.key, edit.key, "marp", "darkslide", "pandoc"]
    table_tools = sorted(build_tools + skipped_tools, key=lambda t: order.index(t.key))
    report: list[str] = []
    report.append("# Podium build benchmark")
    report.append("")
    report.append(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Linux {platform.release()}; "
        f"Python {platform.python_version()}; {time.strftime('%Y-%m-%d %H:%M')}."
    )
    report.append(
        "Whole-process runs, tools alternated round-robin within each round (order rotated "
        "every round). Rounds: "
        + ", ".join(f"{label} {n}" for label, n in rounds_used.items())
        + (
            f" (fewer rounds above {args.big_from} slides, to keep the run short)."
            if any(n != args.rounds for n in rounds_used.values())
            else "."
        )
    )
    report.append(
        f"Load average (1 min) at start {load_start:.2f}, at end {os.getloadavg()[0]:.2f} "
        f"on {os.cpu_count()} cores: above ~0.5 other work shared the machine."
    )
    report.append(
        "Each cell: median wall time (ratio to the floor's median at the same size); "
        "CPU: median user + system time of the process and its children; memory: the "
        "largest peak of the runs, where a run's peak is the larger of its largest process's "
        "peak RSS (wait4) and the peak PSS summed over its process tree (sampled every "
        f"{SAMPLE_INTERVAL_S * 1000:.0f} ms)."
    )
    if notes:
        report.append("")
        report.append("Notes:")
        report.append("")
        report.extend(f"- {note}" for note in notes)
        for detail in details:
            report += ["", "```", detail, "```"]
    report.append("")
    report.append("## Wall time (median)")
    report.append("")
    report += table(table_tools, sizes, results, Cell.wall, fmt_s)
    report.append("")
    report.append("## CPU time, user + system (median; less swayed by other load than wall time)")
    report.append("")
    report += table(table_tools, sizes, results, Cell.cpu, fmt_s)
    report.append("")
    report.append("## Peak memory")
    report.append("")
    report += table(table_tools, sizes, results, Cell.rss, lambda v: f"{v:.0f} MB")
    if startup_tools:
        report.append("")
        report.append("## Start-up (median wall time, peak memory)")
        report.append("")
        report.append("| command | wall | peak memory |")
        report.append("| --- | ---: | ---: |")
        for tool in startup_tools:
            cell = results.get(tool.key, {}).get("-")
            w = cell.wall() if cell else None
            m = cell.rss() if cell else None
            ws = fmt_s(w) if w is not None else "failed"
            ms = f"{m:.0f} MB" if m is not None else "-"
            report.append(f"| {tool.name} | {ws} | {ms} |")
    report.append("")
    report.append("## Targets")
    report.append("")
    report.append("```")
    report += target_lines(results, sizes, podium_note, cold if podium_note is None else None)
    report.append("```")
    failures = [
        (key, label, cell.skipped)
        for key, by_size in results.items()
        for label, cell in by_size.items()
        if cell.skipped and cell.skipped != "not run"
    ]
    if failures:
        report.append("")
        report.append("## Failures")
        for key, label, why in failures:
            report.append("")
            report.append(f"{key} @ {label}:")
            report.append("```")
            report.append(why)
            report.append("```")
    pools = []
    for tool in table_tools:
        most = max((c.procs() for c in results.get(tool.key, {}).values()), default=1)
        if most > 1:
            pools.append(f"{tool.name}: up to {most}")
    if pools:
        report.append("")
        report.append(
            "Processes at once (a tool with more than one can use both cores, so its wall "
            "time can beat its CPU time): " + "; ".join(pools) + "."
        )
    if podium_note is None:
        extras = {k: v for k, v in cold.extras.items() if v}
        if extras:
            report.append("")
            report.append(
                "Note: podium left files beside the deck/output in a cold run: "
                + "; ".join(f"{k}: {', '.join(v)}" for k, v in extras.items())
            )
    report.append("")
    report.append("## All runs (wall seconds, in round order)")
    report.append("")
    for key, by_size in results.items():
        for label, cell in by_size.items():
            if cell.runs:
                walls = " ".join(f"{r.wall_s:.3f}" for r in cell.runs)
                report.append(f"- {key} @ {label}: {walls}")
    report.append("")
    report.append(f"Total benchmark time: {time.perf_counter() - started:.0f} s.")
    text = "\n".join(report)
    print(text)
    (out / "report.md").write_text(text + "\n", encoding="utf-8")
    raw = {
        key: {label: asdict(cell) for label, cell in by_size.items()}
        for key, by_size in results.items()
    }
    (out / "results.json").write_text(json.dumps(raw, indent=1) + "\n", encoding="utf-8")
    log(f"report written to {out / 'report.md'} and {out / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
