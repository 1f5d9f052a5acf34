"""How the slides fit, as a browser measured it: the pages' report read back, and the
``slide-overflow`` warnings made from it at the slides' source lines.

A page fits each slide itself (``P.fit`` in templates/static/podium.js): wide code shrinks
alone down to a floor and past it wraps; a slide that still spills shrinks its type down to
a floor and past it scrolls. ``P.fitFacts`` says what happened, slide by slide; the dev
server receives it from the open page (:mod:`podium.serve.http`) and ``podium check
--layout`` reads it from headless Chromium (:mod:`podium.export.layout`). Either way the
report comes from a page, so it is read as untrusted input: anything malformed is dropped,
every number is bounded, and the page names slides by number only (their lines come from
the model, never from the page).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from podium.model import Deck, Diagnostic

#: Slides one report may describe (a report longer than any deck is cut, not read).
MAX_SLIDES = 100_000


@dataclass(frozen=True)
class CodeFit:
    """A code block that did not fit the slide's width at its normal size."""

    chars: int
    """Characters in its longest line."""
    scale: float
    """The size its type shrank to (1 is the theme's size)."""
    wraps: bool
    """Too wide even at the code's floor: its long lines wrap, marked with ↪."""


@dataclass(frozen=True)
class SlideFit:
    """One slide as the browser fitted it."""

    index: int
    """1-based slide number."""
    fit: float
    """The slide's final type scale (1: as designed)."""
    needed: float
    """The scale its content would need to fit; below ``floor`` it scrolls instead."""
    floor: float
    """The smallest scale a slide is shrunk to."""
    bullets: int = 0
    paragraphs: int = 0
    code_lines: int = 0
    table_rows: int = 0
    images: int = 0
    code: tuple[CodeFit, ...] = ()

    @property
    def scrolls(self) -> bool:
        """Too much for the slide even at the floor."""
        return self.needed < self.floor - 1e-3


def _number(value: object, low: float, high: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return min(max(float(value), low), high)


def _count(value: object) -> int:
    number = _number(value, 0, 1_000_000)
    return 0 if number is None else int(number)


def _code_fit(item: object) -> CodeFit | None:
    if not isinstance(item, Mapping):
        return None
    scale = _number(item.get("scale"), 0, 1)
    if scale is None:
        return None
    return CodeFit(_count(item.get("chars")), round(scale, 2), item.get("wraps") is True)


def _slide_fit(item: object, count: int) -> SlideFit | None:
    if not isinstance(item, Mapping):
        return None
    index = _number(item.get("index"), 0, count + 1)
    fit = _number(item.get("fit"), 0, 1)
    needed = _number(item.get("needed"), 0, 1)
    floor = _number(item.get("floor"), 0, 1)
    if index is None or fit is None or needed is None or floor is None:
        return None
    if not 1 <= index <= count or index != int(index):
        return None
    code = item.get("code")
    blocks = code[:100] if isinstance(code, list) else []
    return SlideFit(
        int(index),
        round(fit, 2),
        round(needed, 2),
        round(floor, 2),
        bullets=_count(item.get("bullets")),
        paragraphs=_count(item.get("paragraphs")),
        code_lines=_count(item.get("code_lines")),
        table_rows=_count(item.get("table_rows")),
        images=_count(item.get("images")),
        code=tuple(c for c in map(_code_fit, blocks) if c is not None),
    )


def read_fit_report(report: object, slide_count: int) -> list[SlideFit]:
    """The slides a page's report describes (``P.fitFacts`` of each), for a deck of
    ``slide_count`` slides; malformed entries and unknown slides are left out."""
    if not isinstance(report, list):
        return []
    fits = (_slide_fit(item, slide_count) for item in report[:MAX_SLIDES])
    return [fit for fit in fits if fit is not None]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _content(fit: SlideFit) -> str:
    """What fills the slide, its largest parts first: ``14 bullets``, ``40 code lines``."""
    parts = [
        (fit.bullets, "bullet"),
        (fit.code_lines, "code line"),
        (fit.table_rows, "table row"),
        (fit.paragraphs if not fit.bullets else 0, "paragraph"),
        (fit.images, "image"),
    ]
    named = [_plural(n, word) for n, word in sorted(parts, key=lambda p: -p[0]) if n]
    return " and ".join(named[:2]) or "its content"


def fit_message(fit: SlideFit) -> str | None:
    """The warning's text for one slide, or None when it fits readably."""
    said = []
    if fit.scrolls:
        said.append(
            f"{_content(fit)} shrink to {fit.needed:.2f}, below the readable floor of"
            f" {fit.floor:.2f}: the slide stays at {fit.floor:.2f} and scrolls"
        )
    for block in fit.code:
        if block.wraps:
            said.append(
                f"code line {block.chars} chars wraps (the code is at its smallest,"
                f" {block.scale:.2f})"
            )
    if not said:
        return None
    return f"slide {fit.index} does not fit: " + "; ".join(said)


def fit_diagnostics(deck: Deck, fits: Iterable[SlideFit]) -> list[Diagnostic]:
    """A ``slide-overflow`` warning at each slide's first line for every slide that scrolls
    or wraps code, in slide order."""
    found = []
    for fit in sorted(fits, key=lambda f: f.index):
        message = fit_message(fit)
        if message is None or not 1 <= fit.index <= len(deck.slides):
            continue
        slide = deck.slides[fit.index - 1]
        hint = (
            "split the slide in two, or move detail into the speaker notes"
            if fit.scrolls
            else "break the long line, or let it wrap"
        )
        found.append(
            Diagnostic(deck.path, slide.line, 1, "warning", "slide-overflow", message, hint)
        )
    return list(dict.fromkeys(found))
