"""Building the site into memory, and rebuilding only what a change touches.

:class:`SiteBuilder` builds every deck (never into the watched tree) and, on a change,
only the decks the change touches (:func:`build_deck`), then says what changed
(:class:`Update`): which files, and for each deck which slides, with their new HTML.
Given a way to know that a newer change waits, a rebuild builds one deck at a time in the
background and gives way (:class:`Superseded`) as soon as that change comes.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from podium.model import Deck, Diagnostic, PollTally
from podium.serve.diff import RELOAD, DeckChange, changed_files, deck_change
from podium.serve.snapshot import DeckBuild, Page, ServedFile, Snapshot, find_deck
from podium.site.build import DeckSource, deck_files, discover_decks, load_deck, with_theme
from podium.site.cache import UsedEntries
from podium.site.polls import read_tallies
from podium.site.sources import DECK_SUFFIXES

#: Decks built at once at most (the others wait for a thread).
DECK_BUILDS_AT_ONCE = 4
#: Seconds between checks, while a deck builds, for a newer change that supersedes it.
BUILD_CHECK_SECONDS = 0.02
#: Names whose change rebuilds every deck: the project's configuration.
CONFIG_NAMES = frozenset({"pyproject.toml"})


class ServeProblem(Exception):
    """The server cannot start (busy port, bad address, pages that do not render); nothing
    is running. Its message says why, in a line for the user."""


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
    """How long the rebuild took."""
    changed: tuple[str, ...] = ()
    """Site files whose content changed (when ``ok``)."""
    decks: Mapping[str, DeckChange] = field(default_factory=dict)
    """How each changed deck's pages changed, by slug (when ``ok``)."""


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
    theme: str | None = None,
) -> DeckBuild:
    """Parse one deck (only its changed chunks, given the last build's ``cache``), its views
    to render on demand: the unit of an incremental rebuild."""
    if previous is not None and previous.slides:
        _wait_for_content(source.file)
    deck = with_theme(load_deck(source, notes=notes, cache=cache), theme)
    if cache is not None:
        cache.forget_unused()
    files = deck_files(
        deck,
        source.slug,
        lambda view: Page(
            functools.partial(
                _render_view,
                deck,
                source.slug,
                view,
                notes,
                functools.partial(read_tallies, source.file, source.slug),
            )
        ),
    )
    return DeckBuild(source, deck, files)


def _render_view(deck: Deck, slug: str, view: str, notes: bool, tallies: Tallies) -> str:
    from podium.render import render_deck

    return render_deck(deck, slug=slug, views=(view,), notes=notes, tallies=tallies())[
        f"{slug}/{view}"
    ]


Tallies = Callable[[], Sequence[PollTally]]
"""The saved poll results of a deck, read when its handout renders."""


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

    def __init__(
        self, paths: Sequence[str], *, notes: bool = True, theme: str | None = None
    ) -> None:
        self.paths = list(paths)
        self.notes = notes
        self.theme = theme
        """``--theme``: every deck in this theme, or None (each its own)."""
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
        from podium.project import find_project_root

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
                    theme=self.theme,
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
                theme=self.theme,
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

    def supersedes(self, changes: Iterable[str]) -> bool:
        """Whether a change a build must not hold up is among ``changes``: a deck, the
        templates, the config (an image or a stray file waits for the build in progress)."""
        templates = str(self.templates) + os.sep
        return any(
            path.endswith(DECK_SUFFIXES)
            or os.path.basename(path) in CONFIG_NAMES
            or _normal(path).startswith(templates)
            for path in changes
        )

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
                raise ServeProblem(f"cannot render the pages: {problem.format()}") from None
            return Update(False, self.served, (*diagnostics, problem), rebuilt, took)
        previous = self.served
        snapshot = Snapshot((previous.build if previous else 0) + 1, files, decks, diagnostics)
        self.served = snapshot
        if previous is None:
            return Update(True, snapshot, diagnostics, rebuilt, took)
        deck_changes: dict[str, DeckChange] = {}
        for built in decks:
            old = find_deck(previous.decks, built.source.slug)
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
