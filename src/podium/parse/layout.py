"""A slide's layout, inferred from what it holds, as md2googleslides does (docs/dialect.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from podium.model import LAYOUTS

# Google Slides' predefined layout names (md2googleslides' `{layout="..."}`) onto ours.
GOOGLE_LAYOUTS: Mapping[str, str] = MappingProxyType(
    {
        "title slide": "title",
        "title": "title",
        "section header": "section",
        "section title": "section",
        "title and body": "body",
        "title and two columns": "columns",
        "title only": "section",
        "main point": "big",
        "section title and description": "body",
        "big number": "big-body",
        "blank": "blank",
        "one column text": "body",
        "caption only": "image",
        "caption": "image",
    }
)


@dataclass(frozen=True)
class SlideContent:
    """What layout inference looks at."""

    has_title: bool
    """An h1."""
    has_subtitle: bool
    """An h2."""
    title_is_big: bool
    """The h1 carries ``{.big}``: a main-point slide."""
    has_big_point: bool
    """A paragraph or heading other than the h1 carries ``{.big}``."""
    body_blocks: int
    """Blocks besides headings, big points, attribute blocks and background images."""
    image_only_body: bool
    """Every body block is images and nothing else."""
    columns: int


def normalise_layout(name: str) -> str | None:
    """A Podium layout name for ``{layout=...}``, or None when it names no layout."""
    key = name.strip().lower().replace("_", " ")
    if key.replace(" ", "-") in LAYOUTS:
        return key.replace(" ", "-")
    return GOOGLE_LAYOUTS.get(key)


def infer_layout(content: SlideContent) -> str:
    has_body = content.body_blocks > 0
    if content.columns >= 2:
        return "columns"
    if content.title_is_big:
        return "big-body" if has_body else "big"
    if content.has_big_point:
        return "big-body" if has_body or content.has_title else "big"
    if content.has_title and content.has_subtitle and not has_body:
        return "title"
    if content.has_title and not has_body:
        return "section"
    if has_body and content.image_only_body:
        return "image"
    if has_body or content.has_title or content.has_subtitle:
        return "body"
    return "blank"
