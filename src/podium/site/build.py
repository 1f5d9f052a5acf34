"""Orchestration and file output: deck sources in, a static site out.

``build_site`` is the whole site as data (``{relative path: bytes or source file}``), which
the dev server holds in memory; :func:`podium.site.write.write_site` puts it on disk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from podium.model import Deck, Diagnostic
from podium.parse.assets import AssetResolver, copy_content
from podium.parse.settings import PROJECT_THEME_CSS
from podium.site.manifest import build_flags
from podium.site.sources import (
    DeckSource,
    discover_decks,
)

__all__ = [
    "DeckSource",
    "Site",
    "build_flags",
    "build_site",
    "deck_files",
    "discover_decks",
    "load_deck",
    "project_stylesheet",
    "with_theme",
]

if TYPE_CHECKING:
    from podium.parse.deck import ChunkCache
    from podium.site.manifest import DeckInput


SiteFile = bytes | Path
"""A file of the site: its content, or the source file to copy (images)."""


@dataclass(frozen=True)
class Site:
    files: dict[str, SiteFile]
    """Every output file, keyed by its path relative to the output root (``/`` separators)."""
    decks: tuple[tuple[DeckSource, Deck], ...]
    diagnostics: tuple[Diagnostic, ...]
    fingerprint: str = ""
    """What the build read, summed up (``manifest.fingerprint``): equal next time, nothing to
    do. Empty when an image it read changed too recently to tell (``manifest.settled``)."""
    inputs: tuple[DeckInput, ...] = ()
    """What the build read, deck by deck (for the manifest)."""


def load_deck(
    source: DeckSource,
    *,
    notes: bool = True,
    unsafe_html: bool | None = None,
    cache: ChunkCache | None = None,
) -> Deck:
    """Read and parse one deck; an unreadable file is a diagnostic, never an exception."""
    data, problem = _read(source)
    return _parse_source(source, data, problem, notes=notes, unsafe_html=unsafe_html, cache=cache)


def _parse_source(
    source: DeckSource,
    data: bytes | None,
    problem: Diagnostic | None,
    *,
    notes: bool,
    unsafe_html: bool | None,
    cache: ChunkCache | None,
) -> Deck:
    from podium.parse.deck import parse_deck
    from podium.parse.source import decode_source

    if data is None:
        return Deck(path=source.display, slides=(), diagnostics=(problem,) if problem else ())
    text, problems = decode_source(data, path=source.display)
    deck = parse_deck(
        text,
        path=source.display,
        resolver=AssetResolver.for_deck(source.file),
        unsafe_html=unsafe_html,
        notes=notes,
        cache=cache,
    )
    if problems:
        merged = sorted([*problems, *deck.diagnostics], key=Diagnostic.sort_key)
        deck = replace(deck, diagnostics=tuple(merged))
    return deck


def _read(source: DeckSource) -> tuple[bytes | None, Diagnostic | None]:
    try:
        return source.file.read_bytes(), None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        problem = Diagnostic(
            source.display, 1, 1, "error", "file-unreadable", f"cannot read: {reason}"
        )
        return None, problem


Page = TypeVar("Page")


def deck_files(deck: Deck, slug: str, page: Callable[[str], Page]) -> dict[str, Page | SiteFile]:
    """A deck's files, keyed like :attr:`Site.files`: one page per view, then the images its
    slides use (an SVG as its sanitised copy, any other image as the file to copy), and the
    project's ``templates/theme.css`` when it has one.

    ``page(view)`` makes the page of a view (``index.html``, ...): the build passes the
    pages it rendered, the dev server pages it renders when first asked for.
    """
    from podium.render import DECK_VIEWS

    files: dict[str, Page | SiteFile] = {f"{slug}/{view}": page(view) for view in DECK_VIEWS}
    for asset in deck.assets:
        content = copy_content(asset.source)  # checked again: it may have changed since
        if content is not None:
            files[f"{slug}/{asset.target}"] = content
    stylesheet = project_stylesheet(deck)
    if stylesheet is not None:
        files[f"{slug}/{PROJECT_THEME_CSS}"] = stylesheet
    return files


def project_stylesheet(deck: Deck) -> bytes | None:
    """The project's ``templates/theme.css`` (the builder's own file, read as it is now), or
    None when the deck's project has none."""
    if not deck.settings.templates:
        return None
    try:
        return (Path(deck.settings.templates) / PROJECT_THEME_CSS).read_bytes()
    except OSError:
        return None


def with_theme(deck: Deck, theme: str | None) -> Deck:
    """The deck in ``theme`` (``--theme``: the builder's choice, over the deck's), or as is."""
    if theme is None or theme == deck.settings.theme:
        return deck
    return replace(deck, settings=replace(deck.settings, theme=theme))


def inlined_images(deck: Deck) -> dict[str, bytes]:
    """The deck's images as a self-contained page inlines them, by their path in the page:
    what :func:`deck_files` would copy (an SVG as its sanitised copy), checked again."""
    images: dict[str, bytes] = {}
    for asset in deck.assets:
        content = copy_content(asset.source)
        if isinstance(content, Path):
            try:
                content = content.read_bytes()
            except OSError:
                continue  # gone since it was checked: the page shows its alt text
        if content is not None:
            images[asset.target] = content
    return images


def build_site(
    sources: Sequence[DeckSource],
    *,
    notes: bool = True,
    unsafe_html: bool | None = None,
    disk_cache: bool = False,
    self_contained: bool = False,
    theme: str | None = None,
) -> Site:
    """Parse and render every deck into the site's files (in memory). With ``disk_cache``,
    parsed chunks are kept between runs (see :mod:`podium.site.cache`). ``self_contained``:
    each view one file with everything inlined, no other file (``<slug>.html``,
    ``<slug>-presenter.html``, ``<slug>-handout.html``; :mod:`podium.render.inline`).
    ``theme``: every deck in this built-in theme (``--theme``), whatever it says."""
    from podium.render import render_deck, render_index, static_files
    from podium.site.cache import DiskCache, cache_dir, private_folder
    from podium.site.manifest import (
        DeckInput,
        content_digest,
        deck_folder,
        fingerprint,
        relative_to,
        settled,
    )
    from podium.site.polls import dependencies as poll_results
    from podium.site.polls import read_tallies

    files: dict[str, SiteFile] = {} if self_contained else dict(static_files())
    decks: list[tuple[DeckSource, Deck]] = []
    diagnostics: list[Diagnostic] = []
    flags = build_flags(
        notes=notes, unsafe_html=unsafe_html, self_contained=self_contained, theme=theme
    )
    flavour = "/".join(flags)
    inputs: list[DeckInput] = []
    refused = private_folder(cache_dir()) if disk_cache and sources else None
    if refused is not None:
        # Not a deck's problem, so not kept in the manifest: said again by every build.
        message = f"cache folder not used, {refused}; building without it"
        diagnostics.append(Diagnostic(str(cache_dir()), 1, 1, "warning", "cache-refused", message))
        disk_cache = False
    for source in sources:
        # One read: the fingerprint is of exactly the bytes this build parsed.
        data, problem = _read(source)
        digest = content_digest(data)
        cache = DiskCache(source.file, flavour=flavour) if disk_cache else None
        parts = DiskCache(source.file, flavour=f"{flavour}/parts") if disk_cache else None
        deck = _parse_source(
            source, data, problem, notes=notes, unsafe_html=unsafe_html, cache=cache
        )
        deck = with_theme(deck, theme)
        if source.renamed:
            renamed = Diagnostic(source.display, 1, 1, "warning", "deck-renamed", source.renamed)
            deck = replace(deck, diagnostics=(renamed, *deck.diagnostics))
        decks.append((source, deck))
        folder = deck_folder(source)
        read = (*deck.dependencies, *poll_results(source.file, source.slug))
        needed = [relative_to(p, folder) for p in read]
        inputs.append(DeckInput(source.display, source.slug, digest, folder, needed))
        diagnostics.extend(deck.diagnostics)
        images = inlined_images(deck) if self_contained else None
        rendered = render_deck(
            deck,
            slug=source.slug,
            notes=notes,
            parts=parts,
            self_contained=images,
            stylesheet=project_stylesheet(deck) if self_contained else None,
            tallies=read_tallies(source.file, source.slug),
        )
        for store in (cache, parts):
            if store is not None:
                store.save()
        if self_contained:
            files.update((name, text.encode("utf-8")) for name, text in rendered.items())
            continue
        pages = {name.rpartition("/")[2]: text.encode("utf-8") for name, text in rendered.items()}
        files.update(deck_files(deck, source.slug, pages.__getitem__))
    if not self_contained:
        files["index.html"] = render_index((s.slug, d) for s, d in decks).encode("utf-8")
    stamp = fingerprint(inputs, flags) if settled(inputs) else ""
    # The course's settings warn once per project, not once per deck.
    return Site(files, tuple(decks), tuple(dict.fromkeys(diagnostics)), stamp, tuple(inputs))
