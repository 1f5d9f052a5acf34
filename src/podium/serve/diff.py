"""What changed between two builds of the site: which files, and per deck which slides.

An open page patches the slides that changed (their new HTML travels in the update event)
when that gives the same page a reload would; otherwise it reloads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from podium.model import Slide
from podium.render.helpers import presenter_notes
from podium.serve.snapshot import DeckBuild, Page, ServedFile


@dataclass(frozen=True)
class DeckChange:
    """How one deck's pages changed between two served builds."""

    changed: bool
    """Whether its pages differ at all."""
    slides: tuple[dict[str, Any], ...] | None
    """New content of the changed slides, for patching in place; None: reload the page."""
    edited: int | None
    """The first slide whose content changed (for "jump to the edited slide")."""


RELOAD = DeckChange(changed=True, slides=None, edited=None)


def deck_change(old: DeckBuild, new: DeckBuild, *, notes: bool) -> DeckChange:
    """Whether a deck's pages changed, which slides, and whether the open pages can patch
    them in place.

    Patching is safe only when the page would differ from a reload by those slides' content
    alone: same slide count, same front matter and title, and per slide nothing the views'
    ``replaceSlide`` cannot set (its own classes and attributes, the title slide's byline).
    A new id (from a new title) is set by the client.
    """
    from podium.render import byline, slide_class

    before, after = old.deck, new.deck
    changed = [
        b
        for a, b in zip(before.slides, after.slides, strict=False)
        if _slide_content(a, notes) != _slide_content(b, notes)
    ]
    edited = changed[0].index if changed else None
    if edited is None and len(before.slides) != len(after.slides) and after.slides:
        edited = min(len(before.slides) + 1, len(after.slides))  # slides added or cut at the end
    patchable = (
        len(before.slides) == len(after.slides)
        and dict(before.meta) == dict(after.meta)
        and before.settings == after.settings
        and old.files.get(f"{old.source.slug}/theme.css")
        == new.files.get(f"{new.source.slug}/theme.css")
        and before.title == after.title
        and {a.target for a in before.assets} == {a.target for a in after.assets}
    )
    if patchable and not changed:
        return DeckChange(False, (), None)
    for slide in changed if patchable else ():
        was = before.slides[slide.index - 1]
        own_classes = _classes_without_layout(slide_class(was)) != _classes_without_layout(
            slide_class(slide)
        )
        # The title slide's byline comes from the front matter, outside the slide's HTML.
        byline_slide = slide.index == 1 and bool(byline(after))
        if own_classes or was.attrs != slide.attrs or byline_slide:
            patchable = False
    if not patchable:
        return DeckChange(True, None, edited)
    return DeckChange(True, tuple(slide_payload(s, notes=notes) for s in changed), edited)


def _classes_without_layout(classes: str) -> set[str]:
    return {c for c in classes.split() if not c.startswith("layout-")}


def slide_payload(slide: Slide, *, notes: bool) -> dict[str, Any]:
    """What a page needs to replace one slide: the HTML the server rendered, and facts."""
    payload: dict[str, Any] = {
        "index": slide.index,
        "html": slide.html,
        "layout": slide.layout,
        "title": slide.title or f"Slide {slide.index}",
        "steps": slide.steps,
        "line": slide.line,
        "id": slide.id,
    }
    if notes:
        payload["notesHtml"] = presenter_notes(slide.notes)
    return payload


def changed_files(
    old: Mapping[str, ServedFile],
    new: Mapping[str, ServedFile],
    touched: set[str],
    changed_decks: set[str],
) -> tuple[str, ...]:
    """Site files added, removed or different. An image counts when its file was touched; a
    page when its deck's content changed (:func:`deck_change`), not rendering it to compare."""
    names = []
    for name in sorted(old.keys() | new.keys()):
        before, after = old.get(name), new.get(name)
        if isinstance(before, Page) and isinstance(after, Page):
            differs = before is not after and name.split("/", 1)[0] in changed_decks
        else:
            differs = before != after or (isinstance(after, Path) and str(after) in touched)
        if differs:
            names.append(name)
    return tuple(names)


def _slide_content(slide: Slide, notes: bool) -> tuple[object, ...]:
    return (
        slide.html,
        slide.layout,
        slide.title,
        slide.steps,
        slide.classes,
        slide.attrs,
        slide.id,
        tuple((n.html, n.step) for n in slide.notes) if notes else (),
    )
