"""How fast the audience view is in the browser: time to interactive, and next-slide.

Builds the Keras deck and a generated deck (``--slides``, default 1000) with ``podium
build``, opens each audience view from disk in Debian's headless Chromium, and prints:

- interactive: milliseconds from navigation start until the view is ready for keys (the
  deck gets its ``ready`` class at the end of its start-up script), median of ``--loads``;
- next-slide: the time of one ``podium.next()`` including the style and layout it causes,
  over ``--presses`` presses with a pause between them (as a presenter presses keys).

Nothing here asserts: the targets (interactive under 100 ms for Keras, next-slide under
16 ms for the big deck) are printed as PASS/FAIL lines.

    python benchmarks/bench_page.py [--slides 1000] [--loads 5] [--presses 60]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import gen_deck

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PODIUM = REPO / ".venv" / "bin" / "podium"
CHROMIUM = "/usr/lib/chromium/chromium-headless-shell"
READY = """
new MutationObserver((_, observer) => {
  if (!window.__ready && document.querySelector('.deck.ready')) {
    window.__ready = performance.now();
    observer.disconnect();
  }
}).observe(document, { subtree: true, attributes: true, childList: true });
"""
PRESS = """() => {
  const start = performance.now();
  window.podium.next();
  document.body.getBoundingClientRect();  // the style and layout the press causes
  return performance.now() - start;
}"""


def build(decks: list[Path], out: Path) -> None:
    subprocess.run(
        [str(PODIUM), "build", *map(str, decks), "-o", str(out), "--no-cache"],
        check=True,
        capture_output=True,
    )


def measure(browser: Any, url: str, loads: int, presses: int) -> tuple[float, list[float]]:
    ready = []
    for _ in range(loads):
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.add_init_script(READY)
        page.goto(url)
        page.wait_for_function("() => window.__ready")
        ready.append(float(page.evaluate("() => window.__ready")))
        page.close()
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(url)
    page.wait_for_function("() => window.podium && document.querySelector('.deck.ready')")
    page.wait_for_timeout(300)
    times = []
    for _ in range(presses):
        times.append(float(page.evaluate(PRESS)))
        page.wait_for_timeout(120)
    page.close()
    return statistics.median(ready), sorted(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--slides", type=int, default=1000)
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--presses", type=int, default=60)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        decks = [gen_deck.write_keras(work, log=lambda _: None)]
        decks.append(gen_deck.write_deck(args.slides, work))
        build(decks, work / "site")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM)
            print(f"audience view in {CHROMIUM}, 1920x1080")
            print(f"{'deck':<14} {'interactive':>12} {'next med':>9} {'p95':>7} {'max':>7}")
            verdicts = []
            for deck in decks:
                url = (work / "site" / deck.stem / "index.html").as_uri()
                ready, times = measure(browser, url, args.loads, args.presses)
                p95 = times[int(len(times) * 0.95)]
                median = statistics.median(times)
                print(
                    f"{deck.stem:<14} {ready:>10.1f}ms {median:>7.2f}ms"
                    f" {p95:>5.1f}ms {times[-1]:>5.1f}ms"
                )
                if deck.stem == "intro-keras":
                    verdicts.append((ready < 100, f"Keras interactive {ready:.0f} ms (< 100)"))
                else:
                    verdicts.append((p95 < 16, f"{deck.stem} next-slide p95 {p95:.1f} ms (< 16)"))
            browser.close()
    for passed, text in verdicts:
        print(("PASS  " if passed else "FAIL  ") + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
