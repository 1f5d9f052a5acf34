"""A deck to an editable PowerPoint file (``podium export pptx``), made from the deck model and
each slide's tokens, never from rendered HTML.

Each Podium layout becomes a named slide layout whose placeholders hold the title and the
body (:mod:`podium.export.pptx_master`); text keeps its runs and list levels
(:mod:`podium.export.pptx_text`); tables are tables, code is coloured monospace text, images
are pictures at the size the views give them; math and SVG are drawn once by Chromium
(:mod:`podium.export.pptx_images`). Steps show in their final state; the speaker notes go
to each slide's notes page. What a slide file cannot carry (a video, a frame, a remote
image) becomes a box with its address and a warning.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from podium.export.pptx_blocks import Generated, Link, Para, Pictures, read_blocks
from podium.export.pptx_images import Fragment, as_picture, picture_size, render
from podium.export.pptx_layout import Picture, Plan, Report, SlideWriter
from podium.export.pptx_theme import LIGHT, Theme
from podium.model import Deck, Diagnostic, Slide

if TYPE_CHECKING:
    from markdown_it.token import Token

    from podium.parse.slide import SlideTokens


@dataclass(frozen=True)
class Exported:
    """A PowerPoint file made from a deck, and what could not be carried into it."""

    data: bytes
    diagnostics: tuple[Diagnostic, ...]


def load(file: Path, display: str) -> tuple[Deck, tuple[SlideTokens, ...], list[str]]:
    """Read and parse a deck, keeping its slides' tokens and its lines; an unreadable file
    is a diagnostic in the deck (and no lines), never an exception."""
    from podium.parse.assets import AssetResolver
    from podium.parse.deck import parse_deck_tokens
    from podium.parse.source import decode_source, normalise_text

    try:
        data = file.read_bytes()
    except OSError as problem:
        reason = problem.strerror or str(problem)
        unreadable = Diagnostic(display, 1, 1, "error", "file-unreadable", f"cannot read: {reason}")
        return Deck(path=display, slides=(), diagnostics=(unreadable,)), (), []
    text, problems = decode_source(data, path=display)
    deck, tokens = parse_deck_tokens(text, path=display, resolver=AssetResolver.for_deck(file))
    if problems:
        from dataclasses import replace

        merged = sorted([*problems, *deck.diagnostics], key=Diagnostic.sort_key)
        deck = replace(deck, diagnostics=tuple(merged))
    return deck, tokens, normalise_text(text).split("\n")


def export_pptx(
    deck: Deck,
    tokens: Sequence[SlideTokens],
    source: Sequence[str],
    *,
    chromium: str | None,
    theme: Theme = LIGHT,
) -> Exported:
    """The deck as a ``.pptx`` file's bytes. ``source`` is the deck's lines (for where a
    diagnostic points); ``chromium`` draws math and SVG (None: they show as text)."""
    from pptx import Presentation

    reporter = _Reporter(deck.path, source)
    plans = [
        _plan(slide, slide_tokens) for slide, slide_tokens in zip(deck.slides, tokens, strict=True)
    ]
    fragments = _fragments(plans)
    drawn = render(fragments, chromium) if fragments else {}
    prs = Presentation()
    from podium.export.pptx_master import prepare

    canvas, layouts = prepare(prs, theme, deck.aspect)
    for plan in plans:
        writer = SlideWriter(prs, layouts, canvas, theme, reporter.at(plan.slide))
        pictures = _pictures(plan, drawn, writer.pptx_warning)
        writer.write(plan, pictures, drawn)
        notes = "\n\n".join(note.markdown.strip("\n") for note in plan.slide.notes)
        if notes:
            writer.notes(notes)
    prs.core_properties.title = deck.title
    author = deck.meta.get("author")
    if isinstance(author, str):
        prs.core_properties.author = author
    out = io.BytesIO()
    prs.save(out)
    return Exported(out.getvalue(), tuple(sorted(reporter.found, key=Diagnostic.sort_key)))


def _plan(slide: Slide, tokens: SlideTokens) -> Plan:
    bigs = list(tokens.big_points)
    title = tokens.title
    if slide.layout in {"big", "big-body"} and not tokens.title_is_big and title is None and bigs:
        title = bigs.pop(0)
    lead = [Para(big, style="big") for big in bigs]
    if slide.layout == "blank" and title is not None:  # a blank layout has no title holder
        lead.insert(0, Para(title, style="h1"))
        title = None
    subtitle = tokens.subtitle
    if subtitle is not None and slide.layout not in {"title", "section"}:
        lead.insert(0, Para(subtitle, style="h2"))
        subtitle = None
    columns = [read_blocks(column) for column in tokens.columns] or [[]]
    return Plan(slide, tokens, columns, lead, title, subtitle)


def _fragments(plans: Sequence[Plan]) -> list[Fragment]:
    """Everything to draw: display math, ``$$$ svg`` blocks and SVG images."""
    found: list[Fragment] = []
    for plan in plans:
        for column in plan.columns:
            for item in column:
                if isinstance(item, Generated) and item.html:
                    found.append(Fragment(item.kind, item.html))
                elif isinstance(item, Pictures):
                    found.extend(svg for image in item.images if (svg := _svg(image)))
        found.extend(svg for image in plan.tokens.backgrounds if (svg := _svg(image)))
    return found


def _svg(image: Token) -> Fragment | None:
    resolved = image.meta.get("resolved")
    if resolved is None or resolved.status != "ok" or resolved.kind != "svg":
        return None
    content = _content(resolved.source)
    if content is None:
        return None
    return Fragment("svg", content.decode("utf-8", "replace"), size=60)


def _content(path: str) -> bytes | None:
    """An image's bytes as the site would publish them (an SVG: its sanitised copy)."""
    from podium.parse.assets import copy_content

    content = copy_content(path)
    if isinstance(content, Path):
        try:
            return content.read_bytes()
        except OSError:
            return None
    return content


def _pictures(
    plan: Plan, drawn: dict[str, bytes], pptx_warning: Report
) -> dict[int, Picture | Link]:
    """Every image of the slide, by ``id`` of its token: a picture to place, or a box."""
    images = [image for column in plan.columns for item in column if isinstance(item, Pictures)
              for image in item.images]  # fmt: skip
    found: dict[int, Picture | Link] = {}
    for image in [*images, *plan.tokens.backgrounds]:
        found[id(image)] = _picture(image, drawn, pptx_warning)
    return found


def _picture(image: Token, drawn: dict[str, bytes], pptx_warning: Report) -> Picture | Link:
    src = str(image.attrGet("src") or "")
    resolved = image.meta.get("resolved")
    if resolved is not None and resolved.status == "remote":
        pptx_warning(
            "pptx-image-remote",
            src,
            f"image {src!r} is on the web: the slide shows its address instead",
            "save the image beside the deck and use its relative path",
        )
        return Link("Image", src, "pptx-image-remote")
    if resolved is None or resolved.status != "ok":
        return Link("Missing image", src, "")  # the parse already said why
    data: bytes | None
    if resolved.kind == "svg":
        svg = _svg(image)
        data = drawn.get(svg.key) if svg else None
        if data is None:
            pptx_warning(
                "pptx-not-drawn",
                src,
                f"SVG image {src!r} needs Chromium to be drawn; the slide shows its name",
                "install podium[pdf] and Chromium, or export the image as PNG",
            )
            return Link("SVG image", src, "")
    else:
        content = _content(resolved.source)
        data = as_picture(content, resolved.kind) if content is not None else None
    size = picture_size(data) if data is not None else None
    if data is None or size is None:
        return Link("Image", src, "")
    return Picture(data, *size)


class _Reporter:
    """The export's diagnostics, each placed where its text stands in the slide's source."""

    def __init__(self, path: str, source: Sequence[str]) -> None:
        self.path = path
        self.source = source
        self.found: list[Diagnostic] = []

    def at(self, slide: Slide) -> Report:
        return functools.partial(self.pptx_warning, slide)

    def pptx_warning(
        self, slide: Slide, code: str, needle: str, message: str, hint: str | None = None
    ) -> None:
        line, col = self.locate(slide, needle)
        self.found.append(Diagnostic(self.path, line, col, "warning", code, message, hint))

    def locate(self, slide: Slide, needle: str) -> tuple[int, int]:
        """1-based line and column of ``needle`` in the slide's source (its first line if
        it is not there)."""
        for index in range(slide.line - 1, min(slide.end_line, len(self.source))):
            col = self.source[index].find(needle) if needle else -1
            if col >= 0:
                return index + 1, col + 1
        return slide.line, 1
