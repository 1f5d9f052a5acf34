"""The site as the dev server holds it in memory: a deck's build, and the whole build served.

A :class:`Snapshot` is replaced whole, never changed, so the threads that answer requests
read it without a lock; its pages render on first use (:class:`Page`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from podium.model import Deck, Diagnostic
from podium.site.build import DeckSource


class Page:
    """A view of a deck, rendered on first use, then kept.

    Rendering the three views of a 1000-slide deck takes longer than parsing the slide that
    changed, and an open page needs only the changed slides: so the pages are rendered after
    the update is pushed (:meth:`Snapshot.render_pages`), or when first asked for.
    """

    def __init__(self, render: Callable[[], str]) -> None:
        self._render: Callable[[], str] | None = render
        self._data = b""
        self._lock = threading.Lock()

    def content(self) -> bytes:
        with self._lock:
            if self._render is not None:
                self._data = self._render().encode("utf-8")
                self._render = None
            return self._data


ServedFile = bytes | Path | Page
"""A file of the served site: its bytes, an image to read, or a page rendered on demand."""


@dataclass(frozen=True)
class DeckBuild:
    """One deck, parsed, its views ready to render."""

    source: DeckSource
    deck: Deck
    files: Mapping[str, ServedFile]
    """The deck's output files, keyed like :attr:`podium.site.build.Site.files`."""


@dataclass(frozen=True)
class Snapshot:
    """A complete build, as served. Replaced whole, never changed: readers need no lock."""

    build: int
    """Counts the builds served, from 1."""
    files: Mapping[str, ServedFile]
    decks: tuple[DeckBuild, ...]
    diagnostics: tuple[Diagnostic, ...]

    def render_pages(self, *, until: Callable[[], bool] = lambda: False) -> None:
        """Render the pages not rendered yet, stopping early once ``until()`` says so (a new
        change waits: its build comes first; the rest render when asked for)."""
        for content in self.files.values():
            if until():
                return
            if isinstance(content, Page):
                content.content()


def find_deck(decks: Iterable[DeckBuild], slug: str) -> DeckBuild | None:
    """The build of the deck with this slug, if the site has it."""
    return next((b for b in decks if b.source.slug == slug), None)
