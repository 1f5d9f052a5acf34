"""Deck model to HTML: the views of a deck, the site's front page and its static files.

- :mod:`~podium.render.environment`: the Jinja2 environment over ``templates/`` and the
  private cache of compiled templates;
- :mod:`~podium.render.helpers`: pure helpers the templates call, and the pages'
  Content-Security-Policy;
- :mod:`~podium.render.parts`: :class:`Renderer`, which renders each slide's parts and joins
  them into the views, keeping the parts it made;
- :mod:`~podium.render.static`: the CSS, JavaScript and fonts every site ships;
- :mod:`~podium.render.inline`: a view as one file with all of these inlined
  (``podium build --self-contained``).

The functions :func:`render_deck`, :func:`render_index`, :func:`render_parts` and
:func:`slide_parts` use one default :class:`Renderer` per process (:func:`default_renderer`),
made on first use with the private cache of compiled templates; its parts cache is what
lets the dev server re-render only the slides an edit changed.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from typing import Any

from podium.model import Deck, PollTally, Slide
from podium.render.environment import (
    CheckedBytecodeCache,
    make_environment,
    private_bytecode_cache,
)
from podium.render.helpers import (
    byline,
    content_security_policy,
    deck_data,
    format_duration,
    json_for_script,
    script_hash,
    slide_attrs,
    slide_class,
    thumbnail_html,
)
from podium.render.inline import SELF_CONTAINED_NAMES, self_contained_name
from podium.render.parts import (
    DECK_VIEWS,
    PARALLEL_MIN_SLIDES,
    PART_KINDS,
    VIEW_PARTS,
    Renderer,
    part_digest,
)
from podium.render.static import (
    CODE_BACKGROUND,
    CODE_COMMENT,
    CODE_CSS,
    CODE_HIGHLIGHT,
    CODE_STYLE,
    STATIC_DIR,
    static_files,
)
from podium.render.themes import (
    BUILT_IN,
    Theme,
    contrast,
    custom_properties,
    pygments_code_css,
    theme,
)
from podium.template_files import TEMPLATES_DIR, templates_state

__all__ = [
    "BUILT_IN",
    "CODE_BACKGROUND",
    "CODE_COMMENT",
    "CODE_CSS",
    "CODE_HIGHLIGHT",
    "CODE_STYLE",
    "DECK_VIEWS",
    "PARALLEL_MIN_SLIDES",
    "PART_KINDS",
    "SELF_CONTAINED_NAMES",
    "STATIC_DIR",
    "TEMPLATES_DIR",
    "VIEW_PARTS",
    "CheckedBytecodeCache",
    "Renderer",
    "Theme",
    "byline",
    "content_security_policy",
    "contrast",
    "custom_properties",
    "deck_data",
    "default_renderer",
    "format_duration",
    "json_for_script",
    "make_environment",
    "part_digest",
    "private_bytecode_cache",
    "pygments_code_css",
    "render_deck",
    "render_index",
    "render_parts",
    "renderer_for",
    "script_hash",
    "self_contained_name",
    "slide_attrs",
    "slide_class",
    "slide_parts",
    "static_files",
    "templates_state",
    "theme",
    "thumbnail_html",
]


def default_renderer() -> Renderer:
    """The renderer of podium's own templates behind this module's functions: one per
    process, made on first use, its compiled templates kept in the private cache folder."""
    return renderer_for("")


@functools.cache
def renderer_for(templates: str) -> Renderer:
    """The renderer of decks whose project has its own ``templates`` folder ('' for none),
    one per folder and process (:func:`default_renderer` for podium's alone)."""
    return Renderer(bytecode_cache=private_bytecode_cache(), templates=templates)


def render_deck(
    deck: Deck,
    *,
    slug: str,
    views: Iterable[str] = tuple(DECK_VIEWS),
    notes: bool = True,
    parts: MutableMapping[str, str] | None = None,
    self_contained: Mapping[str, bytes] | None = None,
    stylesheet: bytes | None = None,
    tallies: Sequence[PollTally] = (),
) -> dict[str, str]:
    """:meth:`Renderer.render_deck` of the deck's renderer (:func:`renderer_for`)."""
    return renderer_for(deck.settings.templates).render_deck(
        deck,
        slug=slug,
        views=views,
        notes=notes,
        parts=parts,
        self_contained=self_contained,
        stylesheet=stylesheet,
        tallies=tallies,
    )


def render_index(decks: Iterable[tuple[str, Deck]]) -> str:
    """:meth:`Renderer.render_index` of the first deck's renderer (:func:`renderer_for`)."""
    listed = list(decks)
    templates = listed[0][1].settings.templates if listed else ""
    return renderer_for(templates).render_index(listed)


def render_parts(
    deck: Deck,
    kinds: Iterable[str],
    *,
    notes: bool,
    store: MutableMapping[str, str] | None = None,
    jobs: int | None = None,
) -> dict[str, list[str]]:
    """:meth:`Renderer.render_parts` of the deck's renderer (:func:`renderer_for`)."""
    return renderer_for(deck.settings.templates).render_parts(
        deck, kinds, notes=notes, store=store, jobs=jobs
    )


def slide_parts(
    slide: Slide, deck: Deck, *, notes: bool, macros: Any = None, token: str = ""
) -> tuple[str, ...]:
    """:meth:`Renderer.slide_parts` of the deck's renderer (:func:`renderer_for`)."""
    return renderer_for(deck.settings.templates).slide_parts(
        slide, deck, notes=notes, macros=macros, token=token
    )
