"""Watching the sources: a watchdog observer, editor-aware ignore rules, a quiet-window debounce.

Editors save in many ways: in place (two *modified* events, the first on an empty file),
atomically (a temporary file *moved* onto the deck: no event names the deck but the move's
destination), or by delete-and-recreate (vim, JetBrains: the deck is briefly absent). So
every event kind that can mean "this file's content changed" counts, with both of its paths,
and the build runs only after a short quiet window.

Events that only *read* a file (opened, closed without writing) never count: the build and
the server read the decks and images, and must not wake the watcher (no rebuild while idle).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

log = logging.getLogger(__name__)

#: How long the sources must stay still before a build starts. Editors write a save as a
#: burst within a few milliseconds; 50 ms covers that and keeps save-to-screen fast.
QUIET_SECONDS = 0.05
#: A stream of changes that never pauses still gets a build this often.
MAX_WAIT_SECONDS = 2.0

# Event kinds that say nothing about content: the build's and the server's own reads.
_READ_ONLY_EVENTS = frozenset({"opened", "closed_no_write"})

_IGNORED_NAME = re.compile(
    r"""^(?:
        \.            # dot files: .deck.md.swp, .#deck.md (emacs lock), .goutputstream-X, .~lock.x#
      | \#.*\#$       # emacs autosave: #deck.md#
      | ~\$           # office lock files: ~$deck.md
      | \d+$          # vim's write test file: 4913, 5036, ...
    )
    | (?:~|\.swp|\.swo|\.swx|\.tmp|\.bak|\.crswap|___jb_tmp___|___jb_old___)$
    """,
    re.VERBOSE | re.IGNORECASE,
)


def is_ignored(path: str | os.PathLike[str]) -> bool:
    """True for editors' swap, backup, lock and temporary files, which never trigger a build."""
    name = os.path.basename(os.fspath(path))
    return not name or _IGNORED_NAME.search(name) is not None


def changed_paths(event: FileSystemEvent) -> list[str]:
    """The paths an event may have changed the content of (none for reads and folder noise).

    A move counts for both ends: the destination is an atomic save onto a deck, the source
    is a deck renamed away (vim's backup dance); either may matter, and the build decides.
    """
    if event.event_type in _READ_ONLY_EVENTS:
        return []
    if event.is_directory and event.event_type in {"modified", "closed"}:
        return []  # a folder's mtime changes whenever a file in it does: the file's event says it
    paths = [os.fsdecode(event.src_path)]
    dest = getattr(event, "dest_path", "")
    if dest:
        paths.append(os.fsdecode(dest))
    return [p for p in paths if not is_ignored(p)]


class Debouncer:
    """Calls ``build(paths)`` once the changes have been quiet for ``quiet`` seconds.

    Runs the build in its own thread. Changes that arrive during a build are collected and
    give exactly one more build after it; none is lost, because the pending set is swapped
    out under the lock before the build starts. A build that gives way to a newer change
    (see :meth:`pending`) returns the paths it did not build: they join the next build.
    """

    def __init__(
        self,
        build: Callable[[frozenset[str]], Iterable[str] | None],
        *,
        quiet: float = QUIET_SECONDS,
        max_wait: float = MAX_WAIT_SECONDS,
    ) -> None:
        self._build = build
        self._quiet = quiet
        self._max_wait = max_wait
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._pending: set[str] = set()
        self._first_change = 0.0
        self._last_change = 0.0
        self._stopping = False
        self._busy = False
        self._thread = threading.Thread(target=self._run, name="podium-rebuild", daemon=True)
        self.builds = 0
        """How many times ``build`` has been called (tests count rebuilds with it)."""

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        with self._lock:
            self._stopping = True
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def notify(self, paths: Iterable[str]) -> None:
        """Record changed paths (called from the watchdog thread); never blocks on a build."""
        paths = list(paths)
        if not paths:
            return
        now = time.monotonic()
        with self._lock:
            if not self._pending:
                self._first_change = now
            self._pending.update(paths)
            self._last_change = now
        self._wake.set()

    def pending(self) -> frozenset[str]:
        """The changes waiting for the next build."""
        with self._lock:
            return frozenset(self._pending)

    def has_pending(self) -> bool:
        """A change is waiting for its build."""
        with self._lock:
            return bool(self._pending)

    @property
    def idle(self) -> bool:
        """No change waiting and no build running."""
        with self._lock:
            return not self._pending and not self._busy

    def _run(self) -> None:
        while True:
            self._wake.wait()
            batch = self._take_when_quiet()
            if batch is None:
                return
            if not batch:
                continue
            try:
                left = self._build(batch)
                if left:
                    self.notify(left)
            except Exception:  # a failed build must never stop the watching
                log.exception("the rebuild failed")
            finally:
                with self._lock:
                    self.builds += 1
                    self._busy = False

    def _take_when_quiet(self) -> frozenset[str] | None:
        """Wait for the quiet window, then take the pending set (empty when there was nothing
        to take after all); None when stopping."""
        while True:
            with self._lock:
                if self._stopping:
                    return None
                if not self._pending:
                    self._wake.clear()
                    return frozenset()
                now = time.monotonic()
                due = min(self._last_change + self._quiet, self._first_change + self._max_wait)
                if now >= due:
                    batch = frozenset(self._pending)
                    self._pending.clear()
                    self._wake.clear()
                    self._busy = True
                    return batch
                delay = due - now
            time.sleep(delay)


class _Handler(FileSystemEventHandler):
    def __init__(
        self, notify: Callable[[Iterable[str]], None], gone: Callable[[str], None]
    ) -> None:
        self._notify = notify
        self._gone = gone

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory and event.event_type in {"deleted", "moved"}:
            self._gone(os.fsdecode(event.src_path))  # perhaps a watched folder: its watch is dead
        self._notify(changed_paths(event))


_Identity = tuple[int, int]
"""A folder's (device, inode): a folder deleted and made again is another folder."""


def _identity(folder: Path) -> _Identity | None:
    try:
        found = folder.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _nearest_existing(folder: Path) -> Path | None:
    """The folder, or its nearest ancestor that exists (where its coming back is seen)."""
    for candidate in (folder, *folder.parents):
        if candidate.is_dir():
            return candidate
    return None


@dataclass
class _Watch:
    observer: BaseObserver
    watch: ObservedWatch
    identity: _Identity | None
    dead: bool = False
    """Its folder was deleted or moved away: the watch sees nothing any more."""


class Watcher:
    """One watchdog observer over a changing set of folders, feeding a :class:`Debouncer`.

    Folders are watched, never files: an atomic save replaces the file (a new inode), and a
    watch on the old one would go quiet after the first save. When the system's limit on
    watches is reached, a folder is polled instead (and the user told so).

    A folder can be replaced too (``rm -rf slides; git checkout slides``, a sync tool, an
    editor renaming a copy over it): its watch then sees nothing more. So a folder that is
    missing is watched through its nearest existing ancestor (its return is an event), and
    on every :meth:`watch` a folder that is gone, or is another folder now (device and
    inode), is watched afresh, its files reported as changed (they may have been written
    before the new watch was armed).
    """

    def __init__(
        self,
        notify: Callable[[Iterable[str]], None],
        *,
        observer_factory: Callable[[], BaseObserver] = Observer,
        polling_factory: Callable[[], BaseObserver] = lambda: PollingObserver(timeout=0.5),
    ) -> None:
        self._notify = notify
        self._handler = _Handler(notify, self._folder_gone)
        self._observer = observer_factory()
        self._polling_factory = polling_factory
        self._polling: BaseObserver | None = None
        self._watches: dict[tuple[Path, bool], _Watch] = {}
        self._missing: set[tuple[Path, bool]] = set()
        """Folders asked for that do not exist: watched through an ancestor until they do."""
        self._lock = threading.Lock()

    def start(self) -> None:
        self._observer.start()

    def stop(self) -> None:
        for observer in (self._observer, self._polling):
            if observer is None:
                continue
            observer.stop()
            if observer.is_alive():
                observer.join(10)

    @property
    def folders(self) -> set[tuple[Path, bool]]:
        with self._lock:
            return set(self._watches)

    @property
    def polled(self) -> set[tuple[Path, bool]]:
        """The folders watched by polling (the system's watch limit was reached)."""
        with self._lock:
            return {key for key, found in self._watches.items() if found.observer is self._polling}

    def _folder_gone(self, path: str) -> None:
        with self._lock:
            for (folder, _), found in self._watches.items():
                if str(folder) == path:
                    found.dead = True

    def watch(self, folders: Iterable[tuple[Path, bool]]) -> list[str]:
        """Watch exactly these ``(folder, recursive)`` pairs; returns problems as messages.

        A folder that does not exist (yet) is watched through its nearest existing ancestor;
        when it appears, it is watched itself from the next call (after the build its
        appearing caused) and its files count as changed.
        """
        asked = set(folders)
        wanted: set[tuple[Path, bool]] = set()
        missing: set[tuple[Path, bool]] = set()
        for folder, recursive in asked:
            if folder.is_dir():
                wanted.add((folder, recursive))
                continue
            missing.add((folder, recursive))
            ancestor = _nearest_existing(folder.parent)
            if ancestor is not None:
                wanted.add((ancestor, False))
        problems: list[str] = []
        arrived: list[Path] = []
        with self._lock:
            for key, found in list(self._watches.items()):
                replaced = found.dead or _identity(key[0]) != found.identity
                if key in wanted and not replaced:
                    continue
                del self._watches[key]
                # KeyError, OSError: its folder is gone, and the watch with it
                with contextlib.suppress(KeyError, OSError):
                    found.observer.unschedule(found.watch)
                if key in wanted:
                    arrived.append(key[0])
            for key in sorted(wanted - set(self._watches)):
                if key in self._missing:
                    arrived.append(key[0])
                try:
                    self._watches[key] = self._schedule(*key, problems)
                except OSError as exc:
                    problems.append(f"cannot watch {key[0]}: {exc.strerror or exc}")
            self._missing = missing
        for folder in arrived:
            self._notify(_entries(folder))
        return problems

    def _schedule(self, folder: Path, recursive: bool, problems: list[str]) -> _Watch:
        identity = _identity(folder)
        try:
            watch = self._observer.schedule(self._handler, str(folder), recursive=recursive)
            return _Watch(self._observer, watch, identity)
        except OSError as exc:
            if exc.errno not in _WATCH_LIMITS:
                raise
        if self._polling is None:
            self._polling = self._polling_factory()
            self._polling.start()
        problems.append(
            f"the system's limit on watched folders is reached (raise"
            f" fs.inotify.max_user_watches and max_user_instances): polling {folder} instead"
        )
        watch = self._polling.schedule(self._handler, str(folder), recursive=recursive)
        return _Watch(self._polling, watch, identity)


def _entries(folder: Path) -> list[str]:
    """The paths in a folder (for a new watch: what changed before it was armed)."""
    try:
        return [entry.path for entry in os.scandir(folder)]
    except OSError:
        return [str(folder)]


# ENOSPC: too many watches; EMFILE: too many inotify instances.
_WATCH_LIMITS = frozenset({errno.ENOSPC, errno.EMFILE})
