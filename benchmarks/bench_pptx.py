"""How long ``podium export pptx`` takes: the Keras deck and a generated deck (``--slides``,
default 100), best of ``--runs`` (default 3), in this process (no interpreter start-up).

Each run is a whole export: read and parse the deck keeping its tokens, dress the master,
place every slide, write the file. Pictures Chromium would draw (math, SVG) are not part of
these decks. Prints the figures; asserts nothing.

    python benchmarks/bench_pptx.py [--slides 100] [--runs 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import gen_deck

from podium.export.pptx import export_pptx, load


def export_seconds(deck: Path, runs: int) -> tuple[float, int, int]:
    """Best time of ``runs`` exports of ``deck``; its slide count and file size."""
    best = float("inf")
    slides = size = 0
    for _ in range(runs):
        started = time.perf_counter()
        model, tokens, lines = load(deck, str(deck))
        exported = export_pptx(model, tokens, lines, chromium=None)
        best = min(best, time.perf_counter() - started)
        slides, size = len(model.slides), len(exported.data)
    return best, slides, size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--slides", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="podium-bench-pptx-") as temp:
        folder = Path(temp)
        decks = [
            gen_deck.write_keras(folder / "keras", log=lambda _: None),
            gen_deck.write_deck(args.slides, folder / "generated"),
        ]
        for deck in decks:
            seconds, slides, size = export_seconds(deck, args.runs)
            print(
                f"{deck.name:<16} {slides:>5} slides  {seconds * 1000:8.0f} ms "
                f"(best of {args.runs})  {size / 1024:8.0f} KiB"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
