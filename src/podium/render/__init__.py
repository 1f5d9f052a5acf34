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
    pygments_code_css,
    static_files,
)
from podium.template_files import TEMPLATES_DIR, templates_state

__all__ = [
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
    "byline",
    "content_security_policy",
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
    "script_hash",
    "self_contained_name",
    "slide_attrs",
    "slide_class",
    "slide_parts",
    "static_files",
    "templates_state",
    "thumbnail_html",
]


@functools.cache
def default_renderer() -> Renderer:
    """The renderer behind this module's functions: one per process, made on first use, its
    compiled templates kept in the private cache folder."""
    return Renderer(bytecode_cache=private_bytecode_cache())


def render_deck(
    deck: Deck,
    *,
    slug: str,
    views: Iterable[str] = tuple(DECK_VIEWS),
    notes: bool = True,
    parts: MutableMapping[str, str] | None = None,
    self_contained: Mapping[str, bytes] | None = None,
    tallies: Sequence[PollTally] = (),
) -> dict[str, str]:
    """:meth:`Renderer.render_deck` of the :func:`default_renderer`."""
    return default_renderer().render_deck(
        deck,
        slug=slug,
        views=views,
        notes=notes,
        parts=parts,
        self_contained=self_contained,
        tallies=tallies,
    )


def render_index(decks: Iterable[tuple[str, Deck]]) -> str:
    """:meth:`Renderer.render_index` of the :func:`default_renderer`."""
    return default_renderer().render_index(decks)


def render_parts(
    deck: Deck,
    kinds: Iterable[str],
    *,
    notes: bool,
    store: MutableMapping[str, str] | None = None,
    jobs: int | None = None,
) -> dict[str, list[str]]:
    """:meth:`Renderer.render_parts` of the :func:`default_renderer`."""
    return default_renderer().render_parts(deck, kinds, notes=notes, store=store, jobs=jobs)


def slide_parts(
    slide: Slide, deck: Deck, *, notes: bool, macros: Any = None, token: str = ""
) -> tuple[str, ...]:
    """:meth:`Renderer.slide_parts` of the :func:`default_renderer`."""
    return default_renderer().slide_parts(slide, deck, notes=notes, macros=macros, token=token)
