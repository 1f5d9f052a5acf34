"""Deck model to pages: each slide's parts, and the views that join them.

A :class:`Renderer` owns the Jinja2 environment and the parts it has rendered, kept for the
life of the process (the dev server renders the same deck again and again: an edit
re-renders only the slides it changed). ``render_deck`` is pure: a
:class:`~podium.model.Deck` in, ``{relative path: text}`` out. The build writes that
mapping to disk; the dev server holds it in memory.

The views (docs/views.md describes them):

- ``<slug>/index.html``: the audience view, every slide a ``<section class="slide ...">``;
- ``<slug>/presenter.html``: current slide, next step, notes, clock, timer and pacing;
- ``<slug>/handout.html``: the lesson as a document, each slide a figure beside its notes;
- ``index.html`` at the output root (:meth:`Renderer.render_index`): every deck as a card.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from podium import __version__
from podium.model import Deck, PollTally, Settings, Slide
from podium.render.environment import make_environment
from podium.render.helpers import (
    byline,
    content_security_policy,
    deck_data,
    deck_style,
    project_stylesheet,
)
from podium.render.inline import data_uri, self_contained_name, self_contained_page
from podium.render.static import STATIC_DIR, static_files
from podium.render.themes import theme
from podium.template_files import file_state, templates_state
from podium.workers import run, worker_count

#: The views of one deck: output file name -> template name.
DECK_VIEWS: Mapping[str, str] = {
    "index.html": "audience.html.j2",
    "presenter.html": "presenter.html.j2",
    "handout.html": "handout.html.j2",
}
#: The role of each view, as the pages name each other (``links`` in the templates).
_ROLES: Mapping[str, str] = {
    "index.html": "audience",
    "presenter.html": "presenter",
    "handout.html": "handout",
}
#: The parts of one slide, in the order the ``parts`` macro of ``_slides.html.j2`` writes them.
PART_KINDS = ("audience", "presenter", "handout_toc", "handout")
#: The parts each view joins.
VIEW_PARTS: Mapping[str, tuple[str, ...]] = {
    "index.html": ("audience",),
    "presenter.html": ("presenter",),
    "handout.html": ("handout_toc", "handout"),
}
#: At most this many slides' parts are kept in a renderer; past it, it starts over.
PART_CACHE_LIMIT = 50_000
#: Below this many slides, forking workers to render parts costs more than it saves.
PARALLEL_MIN_SLIDES = 300


class Renderer:
    """Renders decks' views: owns the Jinja2 environment (made when first needed) and the
    rendered slide parts, keyed by everything a part shows, so never stale.

    ``bytecode_cache`` keeps compiled templates between runs
    (:func:`~podium.render.environment.private_bytecode_cache`); None compiles them in
    every process.
    """

    def __init__(
        self, *, bytecode_cache: jinja2.BytecodeCache | None = None, templates: str = ""
    ) -> None:
        self._bytecode_cache = bytecode_cache
        self.templates = templates
        """A project's own templates folder, looked in before podium's ('' for none)."""
        self._environment: jinja2.Environment | None = None
        self._token = ""
        #: Rendered parts of slides: (slide, where it stands, templates' token) -> parts.
        self.part_cache: dict[tuple[Any, ...], tuple[str, ...]] = {}

    @property
    def environment(self) -> jinja2.Environment:
        """The Jinja2 environment of the views (:func:`make_environment`)."""
        if self._environment is None:
            self._environment = make_environment(
                self._bytecode_cache, project_templates=self.templates
            )
        return self._environment

    def templates_token(self) -> str:
        """The state of the template files (sizes and times): rendered parts are cached under
        it, so an edited template (the dev server watches them) never serves an old part."""
        state = templates_state()
        if self.templates:
            state += [file_state(str(p)) for p in sorted(Path(self.templates).glob("*.j2"))]
        token = hashlib.blake2b(repr(state).encode(), digest_size=8).hexdigest()
        if token != self._token:
            # Jinja2 reloads a changed template, but not the macros another template
            # imported from a changed one: start from a fresh environment.
            if self._token:
                self._environment = None
            self._token = token
        return token

    def slide_parts(
        self, slide: Slide, deck: Deck, *, notes: bool, macros: Any = None, token: str = ""
    ) -> tuple[str, ...]:
        """Every part of one slide (:data:`PART_KINDS`), cached in the renderer. ``macros``
        is the loaded ``_slides.html.j2`` module (looked up once per deck: looking a template
        up checks its file on disk); ``token`` is the templates' state
        (:meth:`templates_token`)."""
        first_byline = byline(deck) if slide.index == 1 else ""
        key = (slide, len(deck.slides), first_byline, notes, token or self.templates_token())
        parts = self.part_cache.get(key)
        if parts is None:
            module = macros or self.environment.get_template("_slides.html.j2").module
            parts = _rendered_parts(module, slide, deck, notes)
            if len(self.part_cache) >= PART_CACHE_LIMIT:
                self.part_cache.clear()
            self.part_cache[key] = parts
        return parts

    def render_parts(
        self,
        deck: Deck,
        kinds: Iterable[str],
        *,
        notes: bool,
        store: MutableMapping[str, str] | None = None,
        jobs: int | None = None,
    ) -> dict[str, list[str]]:
        """Every slide's part of each kind. Parts found in ``store`` (kept between runs) are
        reused; the rest are rendered, on every core for many slides, and stored."""
        token = self.templates_token()
        kinds = tuple(kinds)
        picked = [PART_KINDS.index(kind) for kind in kinds]
        digests = [
            part_digest(s, deck, notes=notes, token=token) if store is not None else ""
            for s in deck.slides
        ]
        found: list[tuple[str, ...] | None] = []
        for digest in digests:
            kept = [store.get(f"{kind}:{digest}") for kind in kinds] if store is not None else []
            found.append(
                tuple(p for p in kept if p is not None) if store and None not in kept else None
            )
        missing = [position for position, parts in enumerate(found) if parts is None]
        workers = worker_count(len(missing), minimum=PARALLEL_MIN_SLIDES, jobs=jobs)
        macros = self.environment.get_template("_slides.html.j2").module  # before any fork
        job = _PartsJob(self, deck, notes, macros, token)
        for position, parts in zip(missing, run(_parts_of, job, missing, workers), strict=True):
            chosen = tuple(parts[index] for index in picked)
            found[position] = chosen
            if store is not None:
                for kind, part in zip(kinds, chosen, strict=True):
                    store[f"{kind}:{digests[position]}"] = part
        by_kind: dict[str, list[str]] = {kind: [] for kind in kinds}
        for slide_parts_found in found:
            assert slide_parts_found is not None  # every miss was rendered above
            for kind, part in zip(kinds, slide_parts_found, strict=True):
                by_kind[kind].append(part)
        return by_kind

    def render_deck(
        self,
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
        """Render the views of one deck; keys are paths relative to the output root.
        ``tallies``: the class results of its polls, which the handout lists.
        ``parts`` keeps rendered slide parts between runs (the build's disk cache).
        ``self_contained``: make each view one file that needs no other
        (:mod:`~podium.render.inline`), with these images (by their path in the page)
        inlined; the keys are then :func:`~podium.render.inline.self_contained_name`.
        ``stylesheet``: the project's ``templates/theme.css``, inlined in a self-contained
        page (an ordinary page links it: the build publishes it beside the pages)."""
        data = deck_data(deck, slug)
        links = {"audience": "index.html", "presenter": "presenter.html", "site": "../index.html"}
        if self_contained is not None:
            links = {role: self_contained_name(view, slug) for view, role in _ROLES.items()}
            data["pages"] = links  # what the audience's `p` opens, and the sync key
        settings = deck.settings
        logo_url = None
        if self_contained is not None and settings.logo in self_contained:
            logo_url = data_uri(settings.logo, self_contained[settings.logo])
        context = {
            "deck": deck,
            "lang": settings.lang,
            "theme": theme(settings.theme),
            "theme_css": "theme.css" if project_stylesheet(settings) else "",
            "deck_style": deck_style(settings, logo_url=logo_url),
            "paper": "Letter" if settings.paper == "letter" else "A4",
            "slug": slug,
            "static": f"../{STATIC_DIR}",
            "with_notes": notes,
            "data": data,
            "links": links,
            "duration": deck.duration_seconds,
            "csp": content_security_policy(unsafe_html=deck.unsafe_html),
            "tallies": tallies,
        }
        views = tuple(views)
        kinds = [kind for name in views for kind in VIEW_PARTS[name]]
        rendered = self.render_parts(deck, kinds, notes=notes, store=parts)
        env = self.environment
        pages = {}
        for name in views:
            joined = {kind: Markup("\n".join(rendered[kind])) for kind in VIEW_PARTS[name]}
            template = env.get_template(DECK_VIEWS[name])
            page = template.render(context, view=name, parts=joined)
            if self_contained is None:
                pages[f"{slug}/{name}"] = page
                continue
            folder = slug.rpartition("/")[0]
            key = f"{folder}/{links[_ROLES[name]]}" if folder else links[_ROLES[name]]
            pages[key] = self_contained_page(
                page,
                static=static_files(),
                images=self_contained,
                unsafe_html=deck.unsafe_html,
                styles={"theme.css": stylesheet or b""},
            )
        return pages

    def render_index(self, decks: Iterable[tuple[str, Deck]]) -> str:
        """The site's front page: every deck as a card with its first slide and its views."""
        # Always the strict policy: the cards' first slides are pictures, never running code.
        csp = content_security_policy()
        listed = list(decks)
        # The site's look, title and language are its first deck's (a course is one project).
        first = listed[0][1].settings if listed else Settings()
        slug = listed[0][0] if listed else ""
        return self.environment.get_template("site-index.html.j2").render(
            decks=listed,
            static=STATIC_DIR,
            csp=csp,
            lang=first.lang,
            theme=theme(first.theme),
            theme_css=f"{slug}/theme.css" if project_stylesheet(first) else "",
            course=first.course,
        )


def _rendered_parts(macros: Any, slide: Slide, deck: Deck, notes: bool) -> tuple[str, ...]:
    """The ``parts`` macro's output, split. Its separator is NUL, which markdown-it turns
    into U+FFFD in everything a deck writes; should any still come through (a front matter
    value, say), the parts are rendered again around a separator no deck holds."""
    separator = "\x00"
    text = str(macros.parts(slide, deck, notes, Markup(separator)))
    if text.count(separator) != len(PART_KINDS) - 1:
        separator = f"\x00{os.urandom(16).hex()}\x00"
        text = str(macros.parts(slide, deck, notes, Markup(separator)))
    return tuple(text.split(separator))


def part_digest(slide: Slide, deck: Deck, *, notes: bool, token: str) -> str:
    """Everything a slide's parts show, hashed: the key of the parts kept between runs.
    ``source_hash`` covers the slide's content; the rest is where it stands in the deck.
    Source lines are left out on purpose: a line added above moves a slide, not its parts."""
    first_byline = byline(deck) if slide.index == 1 else ""
    # (a deck made by hand, not by the parser, has no source hash: hash what it shows)
    shown = slide.source_hash or repr(replace(slide, line=0, end_line=0))
    place = (slide.index, slide.id, len(deck.slides), first_byline)
    basis = repr((__version__, token, shown, place, notes))
    return hashlib.blake2b(basis.encode(), digest_size=16).hexdigest()


@dataclass(frozen=True)
class _PartsJob:
    renderer: Renderer
    deck: Deck
    notes: bool
    macros: Any
    token: str


def _parts_of(job: _PartsJob, position: int) -> tuple[str, ...]:
    slide = job.deck.slides[position]
    return job.renderer.slide_parts(
        slide, job.deck, notes=job.notes, macros=job.macros, token=job.token
    )
