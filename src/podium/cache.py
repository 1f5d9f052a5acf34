"""What changed since the last build: the on-disk chunk cache and the build fingerprint.

- The chunk cache keeps each deck's parsed chunks (``parse.ChunkCache``) between runs, in
  ``$PODIUM_CACHE_DIR`` or ``$XDG_CACHE_HOME/podium`` (``~/.cache/podium``): never in the
  output folder, which gets published (a cache holds speaker notes). Entries are keyed by
  the hash of their text and settings, and re-checked against the files they depend on, so
  a stale entry is never used; an unreadable cache is simply empty.
- The fingerprint of what a build read is ``manifest.py``'s.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

from podium import __version__

CACHE_ENV = "PODIUM_CACHE_DIR"
_FORMAT = 1


def cache_dir() -> Path:
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "podium"


class UsedEntries(MutableMapping[str, Any]):
    """A cache that knows which entries this run used: what no run uses any more can go."""

    def __init__(self) -> None:
        self._entries: dict[str, Any] = {}
        self._used: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        value = self._entries[key]
        self._used.add(key)
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        self._entries[key] = value
        self._used.add(key)

    def __delitem__(self, key: str) -> None:
        del self._entries[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def forget_unused(self) -> None:
        """Drop what this run did not use, and start counting afresh (the dev server's
        in-memory cache, after each build: a long editing session does not grow it)."""
        self._entries = {k: v for k, v in self._entries.items() if k in self._used}
        self._used = set()


class DiskCache(UsedEntries):
    """One deck's cache of parsed chunks (or rendered parts), kept in one file.

    A rebuild after an edit adds a few entries to thousands: it appends them to a journal
    beside the file instead of writing the whole file again. The file is written afresh
    (with only the entries the run used, so the cache never grows far past the deck) once
    the entries no run uses make up a quarter of it, or the journal grows as big as it.
    """

    def __init__(self, deck_file: Path, *, flavour: str) -> None:
        name = hashlib.blake2b(f"{deck_file.resolve()}\0{flavour}".encode(), digest_size=12)
        self.path = cache_dir() / f"chunks-{_FORMAT}-{name.hexdigest()}.pickle"
        self.journal = self.path.with_suffix(".journal")
        super().__init__()
        self._added: dict[str, Any] = {}
        self._sizes = (0, 0)  # of the file and the journal, as read
        import pickle  # here, not at the top: an up-to-date build never loads a cache

        try:
            with self.path.open("rb") as handle:
                loaded = pickle.load(handle)
                size = handle.tell()
            if isinstance(loaded, dict) and loaded.get("version") == __version__:
                self._entries = dict(loaded.get("entries", {}))
                self._sizes = (size, self._read_journal())
        except Exception:  # any unreadable cache is an empty one (pickle raises many kinds)
            self._entries = {}

    def _read_journal(self) -> int:
        """Add the journal's entries; returns its size (0: none; -1: one not to append to,
        such as one a run cut short mid-append, which the next save replaces)."""
        import pickle

        try:
            with self.journal.open("rb") as handle:
                while True:
                    try:
                        added = pickle.load(handle)
                    except EOFError:
                        break
                    except Exception:  # a run cut short mid-append: the rest is lost
                        return -1
                    if not (isinstance(added, dict) and added.get("version") == __version__):
                        return -1
                    self._entries.update(added.get("entries", {}))
                return handle.tell()
        except OSError:
            return 0

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self._added[key] = value

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self._added.pop(key, None)

    def save(self) -> None:
        """Keep this run's new entries: appended to the journal, or in a fresh file."""
        unused = len(self._entries) - len(self._used & self._entries.keys())
        tidy = unused * 4 <= len(self._entries)  # what no run uses is not worth a rewrite yet
        if not self._added and tidy:
            return
        import pickle

        added = pickle.dumps({"version": __version__, "entries": self._added}, protocol=5)
        file_size, journal_size = self._sizes
        if tidy and file_size and 0 <= journal_size <= file_size - len(added):
            try:
                # Private, as the file is (a cache holds speaker notes).
                flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
                with os.fdopen(os.open(self.journal, flags, 0o600), "ab") as handle:
                    handle.write(added)
                self._sizes = (file_size, journal_size + len(added))
                self._added = {}
                return
            except OSError:
                pass  # write the whole file instead
        self._write_afresh()

    def _write_afresh(self) -> None:
        import pickle
        import tempfile

        kept = {key: self._entries[key] for key in self._used if key in self._entries}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.path.parent, delete=False) as handle:
                pickle.dump({"version": __version__, "entries": kept}, handle, protocol=5)
                size = handle.tell()
            os.replace(handle.name, self.path)
            self.journal.unlink(missing_ok=True)
            self._sizes = (size, 0)
            self._added = {}
        except OSError:
            pass  # a cache we cannot write only costs time next run
