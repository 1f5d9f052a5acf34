"""Save-to-screen latency of ``podium serve``, measured with a real browser.

For each deck (the Keras deck, and a generated deck of ``--slides`` slides) this starts the
dev server in-process on 127.0.0.1, opens the audience view in Debian's headless Chromium at
a slide in the middle, and then, round after round, saves the deck with a new marker in that
slide (atomically, as most editors do) and waits for the marker to be on screen.

Save-to-screen is the time from just before the save to the first animation frame whose DOM
holds the marker (``page.wait_for_function(..., polling="raf")`` returns that frame's
``Date.now()``; both clocks are the machine's wall clock). It includes the watcher's quiet
window, the rebuild, the event and the patch. Two kinds of edit are timed:

- ``patch``: the slide's text changes; the page replaces the slide in place;
- ``reload``: a slide is added at the end; the page reloads, keeping its slide and step.

The server's own rebuild time is printed beside it. Nothing here asserts on time: the
targets (median patch under 100 ms for Keras, under 300 ms for the large deck) are printed
as PASS/FAIL lines.

    python benchmarks/bench_serve.py [--slides 1000] [--rounds 15] [--reloads 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gen_deck

from podium.serve import DevServer, Update
from podium.site.build import discover_decks, load_deck

CHROMIUM = ("/usr/lib/chromium/chromium-headless-shell", "/usr/lib/chromium/chromium")
NO_NETWORK = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost"
TARGETS_MS = {"keras": 100.0, "large": 300.0}


@dataclass
class Timings:
    screen_ms: list[float] = field(default_factory=list)
    rebuild_ms: list[float] = field(default_factory=list)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def p90(values: Sequence[float]) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=10)[-1]


def save(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def with_marker(lines: list[str], after_line: int, marker: str) -> str:
    """The deck with a paragraph holding ``marker`` after the 1-based ``after_line``."""
    return "\n".join([*lines[:after_line], "", marker, "", *lines[after_line:]]) + "\n"


def wait_on_screen(page: Any, expression: str, timeout_ms: float = 30_000) -> float:
    """Poll ``expression`` on every animation frame; the wall-clock ms of the first frame where
    it holds. Survives a reload (the check starts again in the new document)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        try:
            handle = page.wait_for_function(
                f"() => ({expression}) ? Date.now() : false",
                polling="raf",
                timeout=max(1.0, (deadline - time.monotonic()) * 1000),
            )
            return float(handle.json_value())
        except Exception as exc:  # the page navigated away mid-check: look again
            if "context was destroyed" not in str(exc) and "navigat" not in str(exc).lower():
                raise
            if time.monotonic() > deadline:
                raise


def wait_for_report(rebuilds: list[Update], before: int) -> None:
    """The server reports a rebuild just after pushing it: wait for that report."""
    deadline = time.monotonic() + 30
    while len(rebuilds) <= before and time.monotonic() < deadline:
        time.sleep(0.005)


def bench_deck(
    browser: Any, deck_file: Path, label: str, *, rounds: int, reloads: int
) -> dict[str, Timings]:
    source = discover_decks([str(deck_file)])[0]
    deck = load_deck(source)
    target = deck.slides[len(deck.slides) // 2]
    base_text = deck_file.read_text(encoding="utf-8")
    lines = base_text.rstrip("\n").split("\n")
    results = {"patch": Timings(), "reload": Timings()}
    rebuilds: list[Update] = []
    server = DevServer([str(deck_file)], port=0, on_update=rebuilds.append)
    server.start()
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(f"{server.url}{source.slug}/#{target.index}")
        page.wait_for_function("document.documentElement.dataset.podiumLive === 'connected'")
        current = f"document.querySelector('section.slide[data-index=\"{target.index}\"]')"
        for round_ in range(rounds + 1):  # round 0 warms up
            marker = f"Marker {label} {round_} {time.time_ns()}"
            before = len(rebuilds)
            started = time.time() * 1000
            save(deck_file, with_marker(lines, target.end_line, marker))
            shown = wait_on_screen(page, f"{current}?.textContent.includes({marker!r})")
            wait_for_report(rebuilds, before)
            if round_:
                results["patch"].screen_ms.append(shown - started)
                results["patch"].rebuild_ms.append(rebuilds[-1].seconds * 1000)
        text = with_marker(lines, target.end_line, "Settled")
        page.keyboard.press("j")  # stay on this slide rather than jump to the added one
        for round_ in range(reloads):
            # one more slide each time: the page cannot patch that, it reloads
            extra = "".join(f"\n---\n\n# Extra {k}\n" for k in range(round_ + 1))
            count = len(deck.slides) + round_ + 1
            before = len(rebuilds)
            started = time.time() * 1000
            save(deck_file, text + extra)
            shown = wait_on_screen(
                page,
                f"window.podium && window.podium.data && window.podium.data.count === {count}"
                f" && window.podium.state.slide === {target.index}",
            )
            wait_for_report(rebuilds, before)
            results["reload"].screen_ms.append(shown - started)
            results["reload"].rebuild_ms.append(rebuilds[-1].seconds * 1000)
        page.close()
    finally:
        server.stop()
        save(deck_file, base_text)
    return results


def report(label: str, slides: int, results: dict[str, Timings]) -> bool:
    print(f"\n{label} ({slides} slides)")
    print(
        f"  {'edit':<8}{'n':>4}{'screen med':>12}{'p90':>8}{'min':>8}{'max':>8}{'rebuild med':>13}"
    )
    for kind, timing in results.items():
        if not timing.screen_ms:
            continue
        s = timing.screen_ms
        print(
            f"  {kind:<8}{len(s):>4}{median(s):>10.0f}ms{p90(s):>6.0f}ms{min(s):>6.0f}ms"
            f"{max(s):>6.0f}ms{median(timing.rebuild_ms):>11.0f}ms"
        )
    target = TARGETS_MS["keras" if label == "keras" else "large"]
    got = median(results["patch"].screen_ms)
    ok = got < target
    print(f"  {'PASS' if ok else 'FAIL'}: median save-to-screen {got:.0f} ms (target {target:.0f})")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slides", type=int, default=1000, help="size of the generated deck")
    parser.add_argument("--rounds", type=int, default=15, help="timed edits per deck")
    parser.add_argument("--reloads", type=int, default=5, help="timed reloading edits per deck")
    args = parser.parse_args(argv)
    chromium = next((p for p in CHROMIUM if os.path.exists(p)), None)
    if chromium is None:
        print("bench_serve: no Debian Chromium (make browser installs it)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    print(f"podium serve: save-to-screen, {os.cpu_count()} cores, Chromium {chromium}")
    all_ok = True
    with tempfile.TemporaryDirectory(prefix="podium-bench-serve-") as scratch:
        root = Path(scratch)
        keras = gen_deck.write_keras(root / "keras", log=lambda _: None)
        large = gen_deck.write_deck(args.slides, root / "large")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=[NO_NETWORK])
            try:
                for label, deck_file in (("keras", keras), (f"{args.slides}-slide", large)):
                    results = bench_deck(
                        browser, deck_file, label, rounds=args.rounds, reloads=args.reloads
                    )
                    slides = len(load_deck(discover_decks([str(deck_file)])[0]).slides)
                    all_ok = report(label, slides, results) and all_ok
            finally:
                browser.close()
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
