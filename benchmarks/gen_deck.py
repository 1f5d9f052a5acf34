"""Deterministic benchmark decks in Podium's dialect.

``python benchmarks/gen_deck.py N -o DIR`` writes ``DIR/deck-N.md`` and the images it
references under ``DIR/res/`` (small real PNGs made with zlib and struct).
``python benchmarks/gen_deck.py keras -o DIR`` copies the real Keras deck
(``slides/intro-keras.md``) to ``DIR/intro-keras.md`` with its images.

The same N always gives the same bytes (one seeded random stream, consumed slide by
slide, so the first slides of every size are alike). The slide mix: section slides,
big points (``Statement {.big}``), big point + bullets, ``# Title`` + bullets, ~10-line
fenced Python blocks, GFM tables, images, and multi-line speaker notes as HTML comments
holding bullet lists.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import struct
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KERAS_DECK = REPO / "slides" / "intro-keras.md"
SEED = 20240611

_WORD_TEXT = (
    "model layer tensor gradient batch epoch loss metric optimizer dataset pipeline "
    "feature label kernel filter stride padding activation dropout embedding token "
    "sequence attention encoder decoder checkpoint callback schedule warmup learning "
    "rate momentum weight bias shape axis vector matrix training validation test "
    "inference latency throughput memory cache queue worker shard replica cluster "
    "deploy serve export graph trace profile benchmark baseline regression accuracy "
    "precision recall threshold sample augment normalise scale clip overflow"
)
WORDS = tuple(_WORD_TEXT.split())
_VERB_TEXT = (
    "builds trains loads saves evaluates compiles exports splits shuffles caches "
    "streams reduces maps filters tracks logs measures compares tunes freezes"
)
VERBS = tuple(_VERB_TEXT.split())
TOPICS = (
    "Data loading",
    "Model building",
    "Training loops",
    "Evaluation",
    "Deployment",
    "Performance",
    "Debugging",
    "Transfer learning",
    "Regularisation",
    "Callbacks",
    "Custom layers",
    "Distributed training",
)
LANG_NAMES = ("Python", "NumPy", "Keras", "TensorFlow", "JAX", "PyTorch")
LOSSES = ("mse", "categorical_crossentropy")
URLS = ("https://keras.io/api/", "https://example.org/docs/", "https://numpy.org/doc/")


def _words(rng: random.Random, lo: int, hi: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(lo, hi)))


def _inline(rng: random.Random) -> str:
    """A sentence with some inline markup, as people write on slides."""
    head = _words(rng, 2, 5).capitalize()
    kind = rng.randrange(6)
    if kind == 0:
        tail = f"**{rng.choice(WORDS)}** {_words(rng, 2, 6)}"
    elif kind == 1:
        tail = f"`{rng.choice(WORDS)}.{rng.choice(VERBS)}()` {_words(rng, 1, 5)}"
    elif kind == 2:
        tail = f"[{rng.choice(LANG_NAMES)} docs]({rng.choice(URLS)}{rng.choice(WORDS)})"
    elif kind == 3:
        tail = f"*{_words(rng, 1, 3)}* {rng.choice(VERBS)} {_words(rng, 1, 4)}"
    else:
        tail = f"{rng.choice(VERBS)} {_words(rng, 2, 8)}"
    return f"{head} {tail}"


def _title(rng: random.Random) -> str:
    return f"{rng.choice(TOPICS)}: {_words(rng, 1, 3)}"


def _bullets(rng: random.Random, lo: int = 3, hi: int = 6) -> list[str]:
    lines: list[str] = []
    for _ in range(rng.randint(lo, hi)):
        lines.append(f"* {_inline(rng)}")
        if rng.random() < 0.15:
            lines.append(f"  * {_inline(rng)}")
    return lines


def _notes(rng: random.Random) -> list[str]:
    """A multi-line speaker note: a sentence or two, then bullets, like the Keras deck."""
    lines = ["<!--", f"{_inline(rng)}. {_inline(rng)}."]
    for _ in range(rng.randint(1, 2)):
        lines.append("")
        lines.append(f"{rng.choice(TOPICS)}")
        lines.extend(f"* {_inline(rng)}" for _ in range(rng.randint(2, 4)))
    lines.append("-->")
    return lines


def _code(rng: random.Random) -> list[str]:
    """About ten lines of plausible Python."""
    name = f"{rng.choice(VERBS).rstrip('s')}_{rng.choice(WORDS)}"
    arg = rng.choice(WORDS)
    n_units = rng.choice((32, 64, 128, 256))
    body = [
        "```python",
        "import numpy as np",
        "from tensorflow import keras",
        "",
        f"def {name}({arg}, units: int = {n_units}) -> keras.Model:",
        f'    """{_inline(rng)}."""',
        f"    inputs = keras.Input(shape=({arg}.shape[-1],))",
        f"    x = keras.layers.Dense(units, activation='{rng.choice(('relu', 'gelu'))}')(inputs)",
        f"    x = keras.layers.Dropout({rng.choice((0.1, 0.2, 0.5))})(x)",
        "    outputs = keras.layers.Dense(10, activation='softmax')(x)",
        "    model = keras.Model(inputs, outputs)",
        f"    model.compile(optimizer='adam', loss='{rng.choice(LOSSES)}')",
        f"    return model  # {_words(rng, 2, 5)}",
        "```",
    ]
    return body


def _table(rng: random.Random) -> list[str]:
    cols = ["Name", "Shape", "Params", "Notes"]
    lines = ["| " + " | ".join(cols) + " |", "| --- | --- | ---: | --- |"]
    for _ in range(rng.randint(3, 4)):
        lines.append(
            f"| `{rng.choice(WORDS)}_{rng.randint(1, 9)}` "
            f"| ({rng.choice(('None', '32'))}, {rng.choice((16, 64, 128, 784))}) "
            f"| {rng.randint(0, 500000):,} | {_words(rng, 2, 5)} |"
        )
    return lines


def _slide(rng: random.Random, index: int, n_images: int, section: list[int]) -> list[str]:
    """One slide's lines (without separators). ``section`` counts section slides."""
    if index == 0:
        return [f"# Benchmark deck: {_words(rng, 2, 3)}", "", f"{_inline(rng)}"]
    if index % 12 == 1:
        section[0] += 1
        return [f"# {section[0]}. {TOPICS[(section[0] - 1) % len(TOPICS)]}"]
    kind = rng.choices(
        ("big", "big-bullets", "title-bullets", "code", "table", "image"),
        weights=(14, 16, 26, 20, 10, 14),
    )[0]
    lines: list[str]
    if kind == "big":
        lines = [f"{_inline(rng)} {{.big}}"]
    elif kind == "big-bullets":
        lines = [f"{_inline(rng)} {{.big}}", "", *_bullets(rng)]
    elif kind == "title-bullets":
        lines = [f"# {_title(rng)}", "", *_bullets(rng)]
    elif kind == "code":
        lines = [f"## {_title(rng)}", "", *_code(rng)]
        if rng.random() < 0.4:
            lines += ["", f"{_inline(rng)}."]
    elif kind == "table":
        lines = [f"## {_title(rng)}", "", *_table(rng)]
    else:
        k = rng.randrange(1000) % n_images  # same draws at every size
        lines = [f"## {_title(rng)}", "", f"![{_words(rng, 2, 4)}](res/img-{k}.png)"]
        if rng.random() < 0.5:
            lines += ["", f"{_inline(rng)}."]
    if rng.random() < 0.6:
        lines += ["", *_notes(rng)]
    return lines


def n_images_for(n_slides: int) -> int:
    return max(3, min(40, n_slides // 25))


def deck_text(n_slides: int) -> str:
    """The whole deck for ``n_slides`` slides, deterministic."""
    rng = random.Random(SEED)
    n_images = n_images_for(n_slides)
    section = [0]
    slides = ["\n".join(_slide(rng, i, n_images, section)) for i in range(n_slides)]
    return "\n\n---\n\n".join(slides) + "\n"


def png_bytes(width: int, height: int, seed: int) -> bytes:
    """A small, valid RGB PNG: a gradient whose colours depend on ``seed``."""
    r0, g0, b0 = (seed * 67) % 256, (seed * 131) % 256, (seed * 29 + 80) % 256
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            rows += bytes(((r0 + x * 2) % 256, (g0 + y * 3) % 256, (b0 + (x + y) // 2) % 256))

    def chunk(tag: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(tag + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


def _write_if_changed(path: Path, data: bytes) -> None:
    """Leave a file (and its mtime) alone when it already holds these bytes."""
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def write_deck(n_slides: int, out_dir: Path) -> Path:
    """Write ``out_dir/deck-N.md`` and its images; return the deck's path."""
    if n_slides < 1:
        raise ValueError("a deck needs at least one slide")
    deck = out_dir / f"deck-{n_slides}.md"
    _write_if_changed(deck, deck_text(n_slides).encode("utf-8"))
    for k in range(n_images_for(n_slides)):
        _write_if_changed(out_dir / "res" / f"img-{k}.png", png_bytes(160, 90, k))
    return deck


_IMAGE_RE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")


def write_keras(out_dir: Path, *, log: Callable[[str], None] = print) -> Path:
    """Copy the real Keras deck and its images; draw a placeholder for a missing image."""
    text = KERAS_DECK.read_bytes()
    deck = out_dir / KERAS_DECK.name
    _write_if_changed(deck, text)
    for ref in _IMAGE_RE.findall(text.decode("utf-8")):
        if "://" in ref:
            continue
        target = out_dir / ref
        candidates = [KERAS_DECK.parent / ref, REPO / ref]
        found = next((c for c in candidates if c.is_file()), None)
        if found is not None:
            if not target.is_file() or target.read_bytes() != found.read_bytes():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(found, target)
        else:
            seed = zlib.crc32(ref.encode()) % 1000
            _write_if_changed(target, png_bytes(320, 180, seed))
            log(f"note: {ref} is not in the repo; wrote a placeholder PNG to {target}")
    return deck


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("size", help="number of slides, or 'keras' for the real Keras deck")
    parser.add_argument("-o", "--out", type=Path, required=True, help="output folder")
    args = parser.parse_args(argv)
    if args.size == "keras":
        path = write_keras(args.out)
    else:
        try:
            n = int(args.size)
        except ValueError:
            parser.error(f"size must be a number or 'keras', not {args.size!r}")
        if n < 1:
            parser.error("size must be at least 1")
        path = write_deck(n, args.out)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
