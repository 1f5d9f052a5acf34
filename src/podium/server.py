"""The dev server: builds into memory, serves the last good build, pushes reloads to the pages.

How it fits together:

- :class:`SiteBuilder` builds the site into memory (never into the watched tree) and, on a
  change, rebuilds only the decks the change touches (:func:`build_deck`), then says what
  changed: which pages, and for each deck which slides, with their new HTML, so an open page
  can patch itself instead of reloading.
- :class:`DevServer` serves the last good :class:`Snapshot` over a stdlib threading HTTP
  server, watches the sources (:mod:`podium.watch`) and publishes every rebuild as a
  server-sent event on ``/__podium/events``. The client, ``/__podium/live.js``, is added to
  HTML pages only here, as they are served; ``podium build`` output never contains it.
- :func:`run_server` is the ``podium serve`` command: messages, signals, the browser.

Safety (reliability research, E): URLs are looked up as keys of the in-memory site, never
joined onto a folder; the Host header must name this server (DNS rebinding); no CORS headers,
no directory listings, nothing changes state on a request.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import errno
import functools
import ipaddress
import json
import logging
import mimetypes
import os
import re
import select
import signal
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import quote, unquote

import click

from podium.model import Deck, Diagnostic, Slide
from podium.parse.assets import copy_content, read_image
from podium.site.build import DeckSource, discover_decks, load_deck
from podium.site.cache import UsedEntries
from podium.site.sources import DECK_SUFFIXES
from podium.watch import QUIET_SECONDS, Debouncer, Watcher

log = logging.getLogger(__name__)

EVENTS_PATH = "/__podium/events"
CLIENT_PATH = "/__podium/live.js"
#: Ports tried after a busy one before giving up.
PORT_TRIES = 20
#: Seconds between keep-alive comments on an idle event stream (they also find dead clients).
KEEPALIVE_SECONDS = 15.0
#: Decks built at once at most (the others wait for a thread).
DECK_BUILDS_AT_ONCE = 4
#: Seconds between checks, while a deck builds, for a newer change that supersedes it.
BUILD_CHECK_SECONDS = 0.02
#: Seconds between checks that an idle event stream's page is still there.
GONE_CHECK_SECONDS = 1.0
#: Connections open at once: pages, idle keep-alives, event streams. Past it, the connection
#: idle longest (waiting for a request, or a slow client still sending one) is closed to make
#: room; when none is idle, the newcomer gets a 503.
MAX_CONNECTIONS = 64
#: Event streams open at once (every open page holds one); past it a page is told so.
MAX_EVENT_STREAMS = 32
#: Seconds one read or write may wait on a client before its connection is dropped (a
#: half-open or stalled client; above KEEPALIVE_SECONDS, so an idle stream stays up).
IO_TIMEOUT_SECONDS = 20.0
#: Names whose change rebuilds every deck: the project's configuration.
CONFIG_NAMES = frozenset({"pyproject.toml"})


class ServeError(click.ClickException):
    """The server cannot start (busy port, bad address, no decks); nothing is running."""


# ---- building into memory ------------------------------------------------------------------------


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


@dataclass(frozen=True)
class DeckChange:
    """How one deck's pages changed between two served builds."""

    changed: bool
    """Whether its pages differ at all."""
    slides: tuple[dict[str, Any], ...] | None
    """New content of the changed slides, for patching in place; None: reload the page."""
    edited: int | None
    """The first slide whose content changed (for "jump to the edited slide")."""


@dataclass(frozen=True)
class Update:
    """The outcome of one rebuild."""

    ok: bool
    """False when the build had errors: the previous build stays served."""
    snapshot: Snapshot
    """What is served now."""
    diagnostics: tuple[Diagnostic, ...]
    """Everything the build found (also when it failed)."""
    rebuilt: tuple[str, ...]
    """Slugs of the decks parsed again."""
    seconds: float
    changed: tuple[str, ...] = ()
    """Site files whose content changed (when ``ok``)."""
    decks: Mapping[str, DeckChange] = field(default_factory=dict)


def templates_dir() -> Path:
    """The views' templates: a change there re-renders every deck."""
    from podium.render import TEMPLATES_DIR

    return TEMPLATES_DIR.resolve()


def build_deck(
    source: DeckSource,
    *,
    notes: bool,
    previous: Deck | None = None,
    cache: UsedEntries | None = None,
) -> DeckBuild:
    """Parse one deck (only its changed chunks, given the last build's ``cache``), its views
    to render on demand: the unit of an incremental rebuild."""
    from podium.render import DECK_VIEWS

    if previous is not None and previous.slides:
        _wait_for_content(source.file)
    deck = load_deck(source, notes=notes, cache=cache)
    if cache is not None:
        cache.forget_unused()
    files: dict[str, ServedFile] = {
        f"{source.slug}/{view}": Page(
            functools.partial(_render_view, deck, source.slug, view, notes)
        )
        for view in DECK_VIEWS
    }
    for asset in deck.assets:
        content = copy_content(asset.source)  # an SVG: its sanitised copy
        if content is not None:
            files[f"{source.slug}/{asset.target}"] = content
    return DeckBuild(source, deck, files)


def _render_view(deck: Deck, slug: str, view: str, notes: bool) -> str:
    from podium.render import render_deck

    return render_deck(deck, slug=slug, views=(view,), notes=notes)[f"{slug}/{view}"]


def _wait_for_content(file: Path, *, tries: int = 4, pause: float = 0.05) -> None:
    """A deck that had slides and now is missing or empty is most likely mid-save (vim and
    JetBrains delete and recreate, an in-place save truncates first): give it a moment."""
    for _ in range(tries):
        try:
            if file.stat().st_size > 0:
                return
        except OSError:
            pass
        time.sleep(pause)


def _normal(path: str | os.PathLike[str]) -> str:
    """A path as the watcher reports it: real folder, name as is (the file may be gone)."""
    text = os.fspath(path)
    return os.path.join(os.path.realpath(os.path.dirname(text) or "."), os.path.basename(text))


class Superseded(Exception):
    """A newer change waits: the rest of a rebuild is left to the next one."""

    def __init__(self, left: Iterable[str]) -> None:
        super().__init__("a newer change waits")
        self.left = frozenset(left)
        """The changed paths not built yet."""


@dataclass(frozen=True)
class _Running:
    future: concurrent.futures.Future[DeckBuild]
    stamp: tuple[int, int] | None
    """The deck file's (mtime, size) when its build started."""


def _stamp(file: Path) -> tuple[int, int] | None:
    try:
        found = file.stat()
    except OSError:
        return None
    return found.st_mtime_ns, found.st_size


def _size(file: Path) -> int:
    """A deck's size: what its build costs, roughly (the smaller decks go first)."""
    stamp = _stamp(file)
    return stamp[1] if stamp else 0


class SiteBuilder:
    """Builds the site into memory and rebuilds only what a change touches."""

    def __init__(self, paths: Sequence[str], *, notes: bool = True) -> None:
        self.paths = list(paths)
        self.notes = notes
        self.templates = templates_dir()
        self._latest: dict[str, DeckBuild] = {}
        """The newest build of every deck, by slug (possibly with errors, never served)."""
        self._static: dict[str, ServedFile] = {}
        self._caches: dict[Path, UsedEntries] = {}
        self._running: dict[str, _Running] = {}
        """Decks building in the background, by slug (see :meth:`rebuild_steps`)."""
        # A thread for each deck building at once (a slow one must not hold up the others).
        self._pool = concurrent.futures.ThreadPoolExecutor(
            DECK_BUILDS_AT_ONCE, thread_name_prefix="podium-deck"
        )
        self.served: Snapshot | None = None

    # -- what to watch

    def project_roots(self) -> set[Path]:
        from podium.site.sources import find_project_root

        return {find_project_root(b.source.file.resolve().parent) for b in self._latest.values()}

    def watched_folders(self) -> set[tuple[Path, bool]]:
        """``(folder, recursive)``: the decks' folders, their images' folders, the named
        folders (new decks), the project roots (configuration) and the templates."""
        folders: set[tuple[Path, bool]] = {(self.templates, True)}
        for given in self.paths:
            path = Path(given).resolve()
            folders.add((path if path.is_dir() else path.parent, False))
        for built in self._latest.values():
            folders.add((built.source.file.resolve().parent, False))
            for dependency in built.deck.dependencies:  # images, and where missing ones would be
                folders.add((Path(dependency).parent, False))
            for content in built.files.values():
                if isinstance(content, Path):
                    folders.add((content.parent, False))
        folders.update((root, False) for root in self.project_roots())
        return folders

    # -- building

    def rebuild(self, changed: Iterable[str] | None = None) -> Update | None:
        """Build what ``changed`` paths touch (everything when None), all at once; None if
        nothing was."""
        updates = list(self.rebuild_steps(changed))
        return updates[-1] if updates else None

    def rebuild_steps(
        self,
        changed: Iterable[str] | None = None,
        *,
        waiting: Callable[[], bool] | None = None,
    ) -> Iterator[Update]:
        """Build what ``changed`` paths touch, yielding each update as it is published.

        Given ``waiting`` (a newer change waits for its build), the decks are built one at a
        time, smallest file first, each in the background and published as soon as it is
        built: a newer save raises :class:`Superseded` at the next safe point (the end of a
        deck's build, or while one runs), with the paths left to build. A deck whose build
        is still running then is not built twice: the next rebuild takes its result, unless
        its file changed since (the newest save wins).
        """
        started = time.perf_counter()
        changes = None if changed is None else {_normal(p) for p in changed}
        sources = self._discover()
        full = changes is None or self._touches_everything(changes)
        stale = [s for s in sources if full or self._needs_build(s, changes or set())]
        same_decks = {s.slug for s in sources} == set(self._latest)
        if not stale and same_decks and self.served and not self._assets_changed(changes or set()):
            return
        if full or not self._static:
            self._static = _static_files()
        if waiting is None or full or not stale:
            yield self._rebuild_at_once(sources, stale, changes, full, started, waiting)
            return
        # Decks already built stay served while the others build; gone decks leave now.
        current = {
            s.slug: self._latest[s.slug]
            for s in sources
            if s.slug in self._latest and self._latest[s.slug].source == s
        }
        touched = changes or set()
        left = set(touched)
        order = sorted(stale, key=lambda s: (s.slug in self._running, _size(s.file)))
        for source in order:
            built = self._build_in_background(source, waiting, left)
            current[source.slug] = built
            left.discard(_normal(source.file))
            self._latest = {s.slug: current[s.slug] for s in sources if s.slug in current}
            took = time.perf_counter() - started
            yield self._publish(touched, (source.slug,), False, took)
            touched = set()  # the images changed were in the first update

    def _rebuild_at_once(
        self,
        sources: list[DeckSource],
        stale: list[DeckSource],
        changes: set[str] | None,
        full: bool,
        started: float,
        waiting: Callable[[], bool] | None,
    ) -> Update:
        latest: dict[str, DeckBuild] = {}
        for source in sources:
            if waiting is not None and waiting():
                raise Superseded(changes or set())
            previous = self._latest.get(source.slug)
            if source in stale or previous is None or previous.source != source:
                self._settle(source.slug)
                latest[source.slug] = build_deck(
                    source,
                    notes=self.notes,
                    previous=previous.deck if previous else None,
                    # kept across template changes too: a chunk's key holds all that shaped it
                    cache=self._caches.setdefault(source.file, UsedEntries()),
                )
            else:
                latest[source.slug] = previous
        rebuilt = tuple(s.slug for s in sources if latest[s.slug] is not self._latest.get(s.slug))
        self._latest = latest
        took = time.perf_counter() - started
        return self._publish(changes, rebuilt, full, took, waiting=waiting)

    def _build_in_background(
        self, source: DeckSource, waiting: Callable[[], bool], left: set[str]
    ) -> DeckBuild:
        """One deck's build, in its own thread, waited for while no newer change waits."""
        running = self._running.get(source.slug)
        stamp = _stamp(source.file)
        if running is not None and running.stamp != stamp:
            running = None  # built from an older save: its result is dropped, not shown
            self._settle(source.slug)
        if running is None:
            previous = self._latest.get(source.slug)
            future = self._pool.submit(
                build_deck,
                source,
                notes=self.notes,
                previous=previous.deck if previous else None,
                cache=self._caches.setdefault(source.file, UsedEntries()),
            )
            running = _Running(future, stamp)
            self._running[source.slug] = running
        while True:
            try:
                built = running.future.result(timeout=BUILD_CHECK_SECONDS)
                break
            except concurrent.futures.TimeoutError:
                if waiting():
                    raise Superseded(left) from None  # it goes on; the next rebuild takes it
            except BaseException:
                del self._running[source.slug]  # failed: the next rebuild starts afresh
                raise
        del self._running[source.slug]
        if _stamp(source.file) != running.stamp and waiting():
            raise Superseded(left)  # saved again while it built: build the newest
        return built

    def _settle(self, slug: str) -> None:
        """Wait for a deck's background build to end (it uses the deck's cache)."""
        running = self._running.pop(slug, None)
        if running is not None:
            with contextlib.suppress(Exception):  # its result is not used
                running.future.result()

    def close(self) -> None:
        """End the background builds (waiting for a running one)."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _discover(self) -> list[DeckSource]:
        """The decks now; a deck that vanished from its folder gets a moment to come back
        (vim and JetBrains delete and recreate it), then it leaves the site."""
        sources = discover_decks(self.paths)
        known = {built.source.file for built in self._latest.values()}
        for _ in range(4):
            if known <= {source.file for source in sources}:
                break
            time.sleep(0.05)
            sources = discover_decks(self.paths)
        return sources

    def _touches_everything(self, changes: set[str]) -> bool:
        templates = str(self.templates) + os.sep
        return any(p.startswith(templates) or os.path.basename(p) in CONFIG_NAMES for p in changes)

    def _needs_build(self, source: DeckSource, changes: set[str]) -> bool:
        previous = self._latest.get(source.slug)
        if previous is None or previous.source != source:
            return True
        if _normal(source.file) in changes:
            return True
        images = {str(c) for c in previous.files.values() if isinstance(c, Path)}
        for dependency in map(_normal, previous.deck.dependencies):
            # An image that appeared where a missing one was looked for, or one that went,
            # changes the deck; an image edited in place is only sent again (see assets).
            if dependency in changes and (
                dependency not in images or not Path(dependency).is_file()
            ):
                return True
        return False

    def _assets_changed(self, changes: set[str]) -> bool:
        return any(
            isinstance(content, Path) and str(content) in changes
            for built in self._latest.values()
            for content in built.files.values()
        )

    def _publish(
        self,
        changes: set[str] | None,
        rebuilt: tuple[str, ...],
        full: bool,
        took: float,
        *,
        waiting: Callable[[], bool] | None = None,
    ) -> Update:
        from podium.render import render_index

        decks = tuple(self._latest.values())
        diagnostics = tuple(
            sorted((d for b in decks for d in b.deck.diagnostics), key=Diagnostic.sort_key)
        )
        failed = any(d.severity == "error" for d in diagnostics)
        if failed and self.served is not None:
            return Update(False, self.served, diagnostics, rebuilt, took)
        files: dict[str, ServedFile] = dict(self._static)
        for built in decks:
            files.update(built.files)
        try:
            files["index.html"] = render_index((b.source.slug, b.deck) for b in decks).encode()
            if full:  # new templates: render now, so that an error in them is caught here
                for content in files.values():
                    if waiting is not None and waiting():
                        raise Superseded(changes or set())  # those templates are old already
                    if isinstance(content, Page):
                        content.content()
        except Superseded:
            raise
        except Exception as exc:  # a template that does not render is an error like any other
            problem = render_problem(exc)
            if self.served is None:
                raise ServeError(f"cannot render the pages: {problem.format()}") from None
            return Update(False, self.served, (*diagnostics, problem), rebuilt, took)
        previous = self.served
        snapshot = Snapshot((previous.build if previous else 0) + 1, files, decks, diagnostics)
        self.served = snapshot
        if previous is None:
            return Update(True, snapshot, diagnostics, rebuilt, took)
        deck_changes: dict[str, DeckChange] = {}
        for built in decks:
            old = _find(previous.decks, built.source.slug)
            if old is None or old is built:
                continue
            # New templates may change anything on the page: reload it.
            change = RELOAD if full else deck_change(old, built, notes=self.notes)
            if change.changed:
                deck_changes[built.source.slug] = change
        changed = changed_files(previous.files, files, changes or set(), set(deck_changes))
        return Update(True, snapshot, diagnostics, rebuilt, took, changed, deck_changes)


def render_problem(exc: Exception) -> Diagnostic:
    """An exception from rendering, as a diagnostic at the template line it came from."""
    import traceback

    path, line = "templates", 1
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2"):
            path, line = frame.filename, frame.lineno or 1
            break
    lineno = getattr(exc, "lineno", None)
    filename = getattr(exc, "filename", None) or getattr(exc, "name", None)
    if isinstance(filename, str) and isinstance(lineno, int):  # a template syntax error
        path, line = filename, lineno
    message = getattr(exc, "message", None) or str(exc)
    return Diagnostic(path, line, 1, "error", "template", f"{type(exc).__name__}: {message}")


def _static_files() -> dict[str, ServedFile]:
    from podium.render import static_files

    return dict(static_files())


def _find(decks: Iterable[DeckBuild], slug: str) -> DeckBuild | None:
    return next((b for b in decks if b.source.slug == slug), None)


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
        tuple(n.html for n in slide.notes) if notes else (),
    )


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
        payload["notesHtml"] = "\n".join(note.html for note in slide.notes)
    return payload


# ---- URLs and hosts ------------------------------------------------------------------------------

_PERCENT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\\]")


def site_key(target: str) -> str | None:
    """The :attr:`Snapshot.files` key a request target names, or None.

    Decoded once; anything that is not a plain path inside the site is refused: a NUL or
    other control character, a backslash, a ``.`` or ``..`` or empty segment, a second layer
    of %-encoding, bytes that are not UTF-8. ``/deck/`` names ``deck/index.html``.
    """
    path = target.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/") or len(path) > 4096:
        return None
    try:
        decoded = unquote(path, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        return None
    if _CONTROL.search(decoded) or _PERCENT_ESCAPE.search(decoded):
        return None
    segments = decoded[1:].split("/")
    folder = segments[-1] == ""
    if folder:
        segments.pop()
    if any(segment in ("", ".", "..") for segment in segments):
        return None
    return "/".join([*segments, "index.html"] if folder else segments)


_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def allowed_host_names(host: str) -> frozenset[str]:
    """Names (beside IP literals) a Host header may use: localhost, and when the server is
    open to the network, this machine's own names."""
    names = set(_LOOPBACK_NAMES)
    if host and not _is_ip(host):
        names.add(host.lower().rstrip("."))
    if not is_loopback(host):
        for name in (socket.gethostname(), socket.getfqdn()):
            names.add(name.lower().rstrip("."))
    return frozenset(names)


def host_allowed(header: str | None, *, port: int, names: frozenset[str]) -> bool:
    """Whether a Host header names this server: an IP address or one of ``names``, with our
    port. A name any website can point at 127.0.0.1 (DNS rebinding) is refused."""
    if not header:
        return False
    value = header.strip().lower()
    if value.startswith("["):
        name, _, rest = value[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
        if rest and not rest.startswith(":"):
            return False
    else:
        name, colon, port_text = value.rpartition(":") if ":" in value else (value, "", "")
        if not colon:
            name = value
    if port_text:
        if not port_text.isdigit() or int(port_text) != port:
            return False
    elif port != 80:
        return False
    name = name.rstrip(".")
    return _is_ip(name) or name in names


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True


def is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


#: The policy of everything served that is not a page: an SVG (or any file) opened on its
#: own runs no script and loads nothing; as an ``<img>`` (how pages use it) it is unaffected.
RESOURCE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"


def page_policy(snapshot: Snapshot, key: str) -> str:
    """The Content-Security-Policy header of a served page: the one in its ``<meta>`` (its
    deck's; the strict one for the site index) plus ``frame-ancestors 'self'``."""
    from podium.render import content_security_policy

    slug, _, rest = key.partition("/")
    built = _find(snapshot.decks, slug) if rest else None
    unsafe = built is not None and built.deck.unsafe_html
    return content_security_policy(unsafe_html=unsafe, header=True)


def inject_client(page: bytes, tag: bytes) -> bytes:
    """Insert the live-reload script before the last ``</body>`` (or at the end)."""
    at = page.lower().rfind(b"</body>")
    return page + tag if at < 0 else page[:at] + tag + page[at:]


def client_script() -> bytes:
    """The live-reload client; read on each request, so editing it needs no restart."""
    from podium.render import TEMPLATES_DIR

    return (TEMPLATES_DIR / "serve" / "live.js").read_bytes()


# ---- pushing updates -----------------------------------------------------------------------------


class Broadcaster:
    """The recent server-sent events, and a condition the streams wait on."""

    def __init__(self, keep: int = 16) -> None:
        self._condition = threading.Condition()
        self._events: deque[tuple[int, str]] = deque(maxlen=keep)
        self._seq = 0
        self._closed = False

    @property
    def seq(self) -> int:
        with self._condition:
            return self._seq

    def publish(self, name: str, data: Mapping[str, Any]) -> int:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        with self._condition:
            self._seq += 1
            self._events.append((self._seq, f"id: {self._seq}\nevent: {name}\ndata: {text}\n\n"))
            self._condition.notify_all()
            return self._seq

    def wait(self, after: int, timeout: float) -> list[tuple[int, str]] | None:
        """Events after ``after`` (waiting up to ``timeout``); None once closed.

        A stream so far behind that events were dropped gets an empty ``hello`` marker
        (seq -1): it must ask for the whole state again.
        """
        with self._condition:
            self._condition.wait_for(lambda: self._closed or self._seq > after, timeout)
            if self._closed:
                return None
            if self._events and self._events[0][0] > after + 1:
                return [(-1, "")]
            return [(seq, text) for seq, text in self._events if seq > after]

    def close(self) -> None:
        with self._condition:
            self._closed = True
            self._condition.notify_all()


def diagnostics_json(diagnostics: Iterable[Diagnostic]) -> list[dict[str, str]]:
    return [
        {"severity": d.severity, "text": d.format(), **({"hint": d.hint} if d.hint else {})}
        for d in diagnostics
        if d.severity in ("error", "warning")
    ]


def update_event(update: Update) -> dict[str, Any]:
    """The ``update`` event: what the pages need to patch themselves or reload."""
    snapshot = update.snapshot
    return {
        "build": snapshot.build,
        "ok": update.ok,
        "diagnostics": diagnostics_json(update.diagnostics),
        "changed": list(update.changed) if update.ok else [],
        "removed": [name for name in update.changed if name not in snapshot.files],
        "assets": [name for name in update.changed if isinstance(snapshot.files.get(name), Path)],
        "decks": {
            slug: {
                "slides": None if change.slides is None else list(change.slides),
                "edited": change.edited,
                "age": _age_ms(_find(snapshot.decks, slug)),
            }
            for slug, change in update.decks.items()
        },
    }


def _age_ms(built: DeckBuild | None) -> int:
    """Milliseconds since the deck's file was saved: a page whose viewer moved since then
    is not moved by the update (one clock, the server's; the page subtracts it from now)."""
    try:
        saved = built.source.file.stat().st_mtime_ns if built else time.time_ns()
    except OSError:
        return 0
    return max(0, (time.time_ns() - saved) // 1_000_000)


# ---- HTTP ----------------------------------------------------------------------------------------


def too_many(what: str, cap: int) -> str:
    """The one-line refusal a client gets past a cap."""
    return (
        f"podium serve is busy: too many {what} open (at most {cap}). Close some tabs,"
        " or stop the program that keeps opening them."
    )


class _HTTPServer(ThreadingHTTPServer):
    """A thread per connection, with a cap on connections and on event streams (see
    :data:`MAX_CONNECTIONS`): a browser with many tabs, or a client that misbehaves, cannot
    make it spawn threads without end or keep others out."""

    daemon_threads = True
    app: DevServer

    def __init__(self, address: tuple[str, int], family: socket.AddressFamily) -> None:
        self.address_family = family
        super().__init__(address, _Handler)
        self.max_connections = MAX_CONNECTIONS
        self.max_streams = MAX_EVENT_STREAMS
        self.refused = 0
        """Connections and streams refused past a cap, and idle connections closed for room."""
        self._connections: set[socket.socket] = set()
        self._idle: dict[socket.socket, float] = {}
        """Connections waiting for (the rest of) a request, and since when."""
        self._streams = 0
        self._warned = False
        self._handlers: set[threading.Thread] = set()
        self._tracking = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._tracking:
            admitted = len(self._connections) < self.max_connections or self._evict_idle()
            if admitted:
                thread = threading.Thread(
                    target=self._handle,
                    args=(request, client_address),
                    name="podium-request",
                    daemon=True,
                )
                self._connections.add(request)
                self._idle[request] = time.monotonic()
                self._handlers.add(thread)
        if not admitted:
            self._refuse(request, 503, too_many("connections", self.max_connections))
            self.shutdown_request(request)
            return
        thread.start()

    def _evict_idle(self) -> bool:
        """Close the connection idle longest to make room (holding the lock); False if none."""
        if not self._idle:
            return False
        oldest = min(self._idle, key=self._idle.__getitem__)
        del self._idle[oldest]
        self._connections.discard(oldest)
        self._refuse(oldest, 503, too_many("connections", self.max_connections))
        with contextlib.suppress(OSError):
            oldest.shutdown(socket.SHUT_RDWR)  # its thread reads the end and finishes
        return True

    def _refuse(self, connection: socket.socket, status: int, text: str) -> None:
        """Answer a one-line plain text without waiting on the client (it may not read)."""
        self.refused += 1
        self._warn(text)
        body = (text + "\n").encode()
        head = (
            f"HTTP/1.1 {status} Service Unavailable\r\nContent-Type: text/plain; charset=utf-8"
            f"\r\nContent-Length: {len(body)}\r\nRetry-After: 5\r\nConnection: close\r\n\r\n"
        )
        with contextlib.suppress(OSError):
            connection.send(head.encode() + body, socket.MSG_DONTWAIT)

    def _warn(self, text: str) -> None:
        if not self._warned:  # once per rush, not once per refusal
            self._warned = True
            log.warning("%s (refused so far: %d)", text, self.refused)

    def waiting(self, connection: socket.socket, idle: bool) -> bool:
        """Mark a connection as waiting for a request (``idle``) or answering one; False when
        it was closed for room meanwhile (then it must not answer)."""
        with self._tracking:
            if idle:
                if connection not in self._connections:
                    return False
                self._idle[connection] = time.monotonic()
                return True
            return self._idle.pop(connection, None) is not None

    def open_stream(self) -> bool:
        """Count an event stream in; False past the cap."""
        with self._tracking:
            if self._streams >= self.max_streams:
                self.refused += 1
                self._warn(too_many("live pages (event streams)", self.max_streams))
                return False
            self._streams += 1
            return True

    def close_stream(self) -> None:
        with self._tracking:
            self._streams -= 1

    def _handle(self, request: Any, client_address: Any) -> None:
        try:
            self.process_request_thread(request, client_address)
        finally:
            with self._tracking:
                self._connections.discard(request)
                self._idle.pop(request, None)
                self._handlers.discard(threading.current_thread())
                if len(self._connections) < self.max_connections // 2:
                    self._warned = False  # the rush is over: warn again next time

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("error while answering %s", client_address, exc_info=True)

    def close_connections(self, timeout: float = 5.0) -> None:
        """Shut every open connection (idle keep-alives, event streams) and wait for their
        threads, so stopping leaves nothing running."""
        with self._tracking:
            connections, threads = list(self._connections), list(self._handlers)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + timeout
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "podium"
    sys_version = ""
    timeout = IO_TIMEOUT_SECONDS  # per read or write: an idle keep-alive is closed after it

    def handle_one_request(self) -> None:
        # Idle (closable for room) until the request's head is in; see _HTTPServer.
        if self.server.waiting(self.connection, True):
            super().handle_one_request()
        else:
            self.close_connection = True

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if not self.server.waiting(self.connection, False):
            self.close_connection = True  # closed for room while it was being read
            return False
        return True

    def handle(self) -> None:
        with contextlib.suppress(OSError):  # the client went away: nothing to say about it
            super().handle()

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def _answer(self, *, head: bool) -> None:
        app = self.server.app
        if not host_allowed(self.headers.get("Host"), port=app.port, names=app.host_names):
            self._plain(403, "Forbidden: this server answers only to its own address.\n", head)
            return
        route = self.path.split("?", 1)[0]
        if route == EVENTS_PATH:
            self._events(head)
            return
        if route == CLIENT_PATH:
            self._send(200, client_script(), "text/javascript; charset=utf-8", head)
            return
        snapshot = app.snapshot
        key = site_key(self.path)
        if key is None or snapshot is None:
            self._plain(404, "Not found.\n", head)
            return
        content = snapshot.files.get(key)
        if content is None:
            if f"{key}/index.html" in snapshot.files:
                self._redirect(quote(f"/{key}/"), head)
            else:
                self._plain(404, "Not found.\n", head)
            return
        try:
            data = _read(content)
        except Exception as exc:  # a page that does not render: say so, keep serving
            log.error("%s", render_problem(exc).format())
            self._plain(500, "This page could not be rendered: see the terminal.\n", head)
            return
        if data is None:
            self._plain(404, "Not found.\n", head)
            return
        kind = mimetypes.guess_type(key)[0] or "application/octet-stream"
        policy = RESOURCE_POLICY
        if kind == "text/html":
            data = inject_client(data, app.client_tag(snapshot.build))
            policy = page_policy(snapshot, key)
        if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml"):
            kind += "; charset=utf-8"
        self._send(200, data, kind, head, policy=policy)

    def _send(
        self, status: int, data: bytes, kind: str, head: bool, *, policy: str = RESOURCE_POLICY
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", policy)
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _plain(self, status: int, text: str, head: bool) -> None:
        self._send(status, text.encode("utf-8"), "text/plain; charset=utf-8", head)

    def _redirect(self, location: str, head: bool) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # The stdlib's HTML error page echoes the request; a short plain text says enough.
        self.close_connection = True
        with contextlib.suppress(OSError):
            self._plain(code, f"{message or 'Error'}\n", head=self.command == "HEAD")

    def _events(self, head: bool) -> None:
        app = self.server.app
        origin = self.headers.get("Origin")
        if origin is not None and origin != f"http://{self.headers.get('Host')}":
            self._plain(403, "Forbidden: events are for this server's own pages.\n", head)
            return
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        if head:
            return
        if not self.server.open_stream():
            # Past the cap: a 200 with one event the page shows (an EventSource given an
            # error status gives up for good); it tries again after `retry`.
            text = too_many("live pages", self.server.max_streams)
            self.wfile.write(b"retry: 10000\n\n" + _event_bytes("refused", {"message": text}))
            return
        try:
            self._stream(app)
        finally:
            self.server.close_stream()

    def _stream(self, app: DevServer) -> None:
        seq, hello = app.hello()
        self.wfile.write(b"retry: 1000\n\n" + _event_bytes("hello", hello))
        self.wfile.flush()
        quiet = 0.0
        while True:
            events = app.broadcaster.wait(seq, GONE_CHECK_SECONDS)
            if events is None:
                return
            if not events:
                # A page closed leaves its stream to us: give its slot back soon, not at
                # the next keep-alive's failed write.
                if self._client_gone():
                    return
                quiet += GONE_CHECK_SECONDS
                if quiet < KEEPALIVE_SECONDS:
                    continue
                quiet = 0.0
                self.wfile.write(b": keep-alive\n\n")
            elif events[0][0] == -1:
                seq, hello = app.hello()
                self.wfile.write(_event_bytes("hello", hello))
            else:
                seq = events[-1][0]
                self.wfile.write("".join(text for _, text in events).encode("utf-8"))
            self.wfile.flush()

    def _client_gone(self) -> bool:
        """The client closed its end (an event stream's client never sends anything)."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and not self.connection.recv(1, socket.MSG_PEEK)
        except (OSError, ValueError):
            return True


def _event_bytes(name: str, data: Mapping[str, Any]) -> bytes:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"event: {name}\ndata: {text}\n\n".encode()


def _read(content: ServedFile) -> bytes | None:
    if isinstance(content, bytes):
        return content
    if isinstance(content, Page):
        return content.content()
    try:
        # The build checked this image is inside the project; if it has since been swapped
        # for a symlink that leads elsewhere, it is not served.
        if content.resolve() != content:
            return None
        return read_image(content)  # still an image (not edited into a page), read unblocked
    except OSError:
        return None


# ---- the server ----------------------------------------------------------------------------------


def bind(host: str, port: int, *, tries: int = PORT_TRIES) -> tuple[_HTTPServer, str | None]:
    """Listen on ``host:port``, or the next free port; returns the server and a note when
    another port was used. Raises :class:`ServeError` with a clear message otherwise."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    address = host.strip("[]")
    last = port + (tries - 1 if port else 0)
    for candidate in range(port, min(last, 65535) + 1):
        try:
            server = _HTTPServer((address, candidate), family)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                continue
            if exc.errno == errno.EACCES:
                raise ServeError(
                    f"no permission to listen on port {candidate} (ports below 1024 need"
                    " root): use --port 8000"
                ) from None
            if isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
                raise ServeError(
                    f"cannot listen on {host}: not an address of this machine"
                ) from None
            raise ServeError(
                f"cannot listen on {host}:{candidate}: {exc.strerror or exc}"
            ) from None
        actual = server.server_address[1]
        note = None if candidate == port else f"port {port} is busy; using port {actual} instead"
        return server, note
    span = f"ports {port}-{last}" if last > port else f"port {port}"
    raise ServeError(f"{span} busy: stop the other server, or choose one with --port")


class DevServer:
    """The whole dev server: the build in memory, the HTTP server, the watcher.

    Use it as a context manager, or call :meth:`start` and :meth:`stop`.
    """

    def __init__(
        self,
        paths: Sequence[str],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        notes: bool = True,
        quiet: float = QUIET_SECONDS,
        port_tries: int = 1,
        on_update: Callable[[Update], None] | None = None,
        max_connections: int = MAX_CONNECTIONS,
        max_streams: int = MAX_EVENT_STREAMS,
    ) -> None:
        self.host = host
        self._caps = (max_connections, max_streams)
        self.builder = SiteBuilder(paths, notes=notes)
        self.broadcaster = Broadcaster()
        self.host_names = allowed_host_names(host)
        self.instance = f"{os.getpid():x}{time.time_ns() & 0xFFFFFF:x}"
        self.on_update = on_update
        self.port_note: str | None = None
        self._requested = (port, port_tries)
        self._debouncer = Debouncer(self._rebuild, quiet=quiet)
        self._watcher = Watcher(self._debouncer.notify)
        self._publishing = threading.Lock()
        self._http: _HTTPServer | None = None
        self._serving: threading.Thread | None = None
        self._state: tuple[int, dict[str, Any]] = (0, {})
        self.watch_problems: list[str] = []
        self.rebuilds = 0
        """Rebuilds that built something (tests count them)."""

    # -- life cycle

    def start(self) -> Update:
        port, tries = self._requested
        self._http, self.port_note = bind(self.host, port, tries=tries)
        self._http.app = self
        self._http.max_connections, self._http.max_streams = self._caps
        try:
            self._watcher.start()
            self._rewatch(initial=True)
            first = self.builder.rebuild(None)
            assert first is not None
            first.snapshot.render_pages()
            self._state = (self.broadcaster.seq, self._hello_data(first))
            self._rewatch()
            self._debouncer.start()
            self._serving = threading.Thread(
                target=self._http.serve_forever,
                kwargs={"poll_interval": 0.2},
                name="podium-http",
                daemon=True,
            )
            self._serving.start()
        except BaseException:
            self.stop()
            raise
        return first

    def stop(self) -> None:
        self._debouncer.stop()
        self._watcher.stop()
        self.builder.close()
        self.broadcaster.close()
        if self._http is not None:
            if self._serving is not None:
                self._http.shutdown()
                self._serving.join(10)
            self._http.close_connections()
            self._http.server_close()

    def __enter__(self) -> DevServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- facts

    @property
    def port(self) -> int:
        return self._http.server_address[1] if self._http else 0

    @property
    def url(self) -> str:
        shown = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        shown = "[::1]" if shown == "::" else shown
        if ":" in shown and not shown.startswith("["):
            shown = f"[{shown}]"
        return f"http://{shown}:{self.port}/"

    @property
    def snapshot(self) -> Snapshot | None:
        return self.builder.served

    @property
    def idle(self) -> bool:
        return self._debouncer.idle

    @property
    def watched_folders(self) -> set[tuple[Path, bool]]:
        return self._watcher.folders

    def client_tag(self, build: int) -> bytes:
        return (
            f'<script src="{CLIENT_PATH}" data-instance="{self.instance}"'
            f' data-build="{build}" defer></script>\n'
        ).encode()

    def hello(self) -> tuple[int, dict[str, Any]]:
        """The event count and the state a new stream starts from (taken together)."""
        with self._publishing:
            return self._state

    def _hello_data(self, update: Update) -> dict[str, Any]:
        return {
            "instance": self.instance,
            "build": update.snapshot.build,
            "ok": update.ok,
            "diagnostics": diagnostics_json(update.diagnostics),
        }

    # -- rebuilding (in the debouncer's thread)

    def _rebuild(self, changed: frozenset[str]) -> frozenset[str]:
        """Build and push; returns the paths left for the next build (a newer save came)."""
        try:
            for update in self.builder.rebuild_steps(changed, waiting=self._newer_change):
                self._push(update)
        except Superseded as newer:
            return newer.left
        except Exception as exc:  # a bug must not take the server down: say so, keep serving
            log.exception("the rebuild failed")
            update_or_none = self._internal_error(exc)
            if update_or_none is not None:
                self._push(update_or_none)
        finally:
            self._rewatch()
        return frozenset()

    def _newer_change(self) -> bool:
        """A change waits that a build must not hold up: a deck, the templates, the config
        (an image or a stray file waits for the build in progress)."""
        templates = str(self.builder.templates) + os.sep
        return any(
            path.endswith(DECK_SUFFIXES)
            or os.path.basename(path) in CONFIG_NAMES
            or _normal(path).startswith(templates)
            for path in self._debouncer.pending()
        )

    def _push(self, update: Update) -> None:
        with self._publishing:
            seq = self.broadcaster.publish("update", update_event(update))
            self._state = (seq, self._hello_data(update))
        self.rebuilds += 1
        if self.on_update is not None:
            self.on_update(update)
        try:
            # For the pages that reload: after the push, and only while nothing else waits.
            update.snapshot.render_pages(until=self._debouncer.has_pending)
        except Exception as exc:  # the page answers 500 when asked for; say why here
            log.error("%s", render_problem(exc).format())

    def _internal_error(self, exc: Exception) -> Update | None:
        served = self.builder.served
        if served is None:
            return None
        problem = Diagnostic(
            "podium", 1, 1, "error", "internal", f"the build failed: {type(exc).__name__}: {exc}"
        )
        return Update(False, served, (problem,), (), 0.0)

    def _rewatch(self, *, initial: bool = False) -> None:
        folders = self.builder.watched_folders()
        if initial:
            for source in discover_decks(self.builder.paths):
                folders.add((source.file.resolve().parent, False))
        for problem in self._watcher.watch(folders):
            if problem not in self.watch_problems:
                self.watch_problems.append(problem)
                log.warning("%s", problem)


# ---- the command ---------------------------------------------------------------------------------


def run_server(paths: list[str], *, host: str, port: int, open_browser: bool, notes: bool) -> int:
    """``podium serve``: serve until Ctrl+C or SIGTERM; returns the exit status."""
    from podium.cli.output import print_diagnostics

    if not discover_decks(paths):
        raise ServeError(f"no decks (*.md) found in {', '.join(paths)}")
    _set_up_logging()
    reporter = _Reporter()
    server = DevServer(
        paths, host=host, port=port, notes=notes, port_tries=PORT_TRIES, on_update=reporter
    )
    stop = threading.Event()
    restore_sigterm = _stop_on_sigterm(stop)
    try:
        click.echo("Building…", err=True)
        first = server.start()  # a ServeError (busy port, bad address) goes to click as is
        try:
            print_diagnostics(first.diagnostics)
            reporter.shown = set(first.diagnostics)
            _announce(server, first)
            if open_browser:
                _open(server)
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            click.echo("\nStopping…", err=True)
            server.stop()
    finally:
        restore_sigterm()
    click.echo("Stopped.", err=True)
    return 0


class _OneLine(logging.Formatter):
    """A log record as one line: the user sees what failed, not a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        text = f"{record.levelname.lower()}: {record.getMessage()}"
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            text += f": {type(error).__name__}: {error}"
        return text


def _drop_watchdog_stop_noise(record: logging.LogRecord) -> bool:
    # watchdog logs this at error level when its observer stops mid-read (harmless).
    return "called when the thread is inactive" not in record.getMessage()


def _set_up_logging() -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(_OneLine())
    handler.addFilter(_drop_watchdog_stop_noise)
    if os.environ.get("PODIUM_DEBUG"):
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    for name in ("podium", "watchdog"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(handler)
            logger.propagate = False


def _stop_on_sigterm(stop: threading.Event) -> Callable[[], None]:
    """SIGTERM sets ``stop`` (as Ctrl+C stops the loop); returns what puts the old handler back."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def handle(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, handle)

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous)

    return restore


def _announce(server: DevServer, first: Update) -> None:
    if server.port_note:
        click.echo(f"note: {server.port_note}", err=True)
    if not is_loopback(server.host):
        click.secho(
            f"warning: listening on {server.host}: anyone on this network can open these pages,"
            " speaker notes included (--no-notes leaves them out)",
            fg="yellow",
            err=True,
        )
    decks = first.snapshot.decks
    slides = sum(len(b.deck.slides) for b in decks)
    click.echo(
        f"Serving {len(decks)} deck{'s' if len(decks) != 1 else ''} ({slides} slides)"
        f" at {server.url}  (Ctrl+C to stop)"
    )
    for built in decks:
        base = f"{server.url}{built.source.slug}/"
        click.echo(f"  {built.source.display}")
        click.echo(f"    audience   {base}")
        if server.builder.notes:
            click.echo(f"    presenter  {base}presenter.html")
        click.echo(f"    handout    {base}handout.html")
    folders = len(server.watched_folders)
    click.echo(f"Watching {folders} folder{'s' if folders != 1 else ''} for changes.")


class _Reporter:
    """One line per rebuild on the terminal, with its diagnostics: every error, and the
    warnings that are new (the ones already shown are only counted, not repeated)."""

    def __init__(self, shown: Iterable[Diagnostic] = ()) -> None:
        self.shown = set(shown)

    def __call__(self, update: Update) -> None:
        from podium.cli.output import print_diagnostics

        fresh = [d for d in update.diagnostics if d.severity == "error" or d not in self.shown]
        print_diagnostics(fresh)
        self.shown = set(update.diagnostics)
        stamp = time.strftime("%H:%M:%S")
        what = ", ".join(update.rebuilt) or "images"
        warnings = sum(1 for d in update.diagnostics if d.severity == "warning")
        tail = f"; {_plural(warnings, 'warning')}" if warnings else ""
        if not update.ok:
            errors = sum(1 for d in update.diagnostics if d.severity == "error")
            click.secho(
                f"[{stamp}] {what}: {_plural(errors, 'error')}; still serving build"
                f" {update.snapshot.build}{tail}",
                fg="red",
                err=True,
            )
            return
        slides = sum(len(c.slides or ()) for c in update.decks.values())
        how = f", {_plural(slides, 'slide')} patched" if slides else ""
        took = f"{update.seconds * 1000:.0f} ms"
        build = update.snapshot.build
        click.echo(f"[{stamp}] rebuilt {what} in {took}{how} (build {build}){tail}", err=True)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _open(server: DevServer) -> None:
    import webbrowser

    snapshot = server.snapshot
    first = snapshot.decks[0].source.slug + "/" if snapshot and snapshot.decks else ""
    threading.Thread(target=webbrowser.open, args=(server.url + first,), daemon=True).start()
