"""What changed since the last build: the on-disk chunk cache and the build fingerprint.

- The chunk cache keeps each deck's parsed chunks (:data:`podium.parse.deck.ChunkCache`)
  between runs, in ``$PODIUM_CACHE_DIR`` or ``$XDG_CACHE_HOME/podium`` (``~/.cache/podium``):
  never in the output folder, which gets published (a cache holds speaker notes). Entries
  are keyed by the hash of their text and settings, and re-checked against the files they
  depend on, so a stale entry is never used; an unreadable cache is simply empty.
- The cache is not trusted code: it is used only in a folder that is ours and that no one
  else may write (0700), its files are read only when ours and not writable by others, it
  is unpickled with an allowlist of podium's plain-data classes (nothing else can come out
  of it, so no code runs), and every file and journal record carries a checksum of its
  bytes: a flipped byte is a miss, never a wrong page.
- The fingerprint of what a build read is :mod:`podium.site.manifest`'s.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

from podium import __version__
from podium.private import CACHE_ENV, cache_dir, private_folder, read_private

__all__ = ["CACHE_ENV", "DiskCache", "UsedEntries", "cache_dir", "private_folder"]

_FORMAT = 2


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


#: The classes a cache file may hold (besides str, int, tuple, dict and the like): plain
#: data, each made by its dataclass constructor. Anything else in a file makes it a miss.
_ALLOWED = {
    ("podium.model", "Resolved"),
    ("podium.parse.chunks", "ChunkResult"),
    ("podium.parse.chunks", "Group"),
    ("podium.model", "Asset"),
    ("podium.model", "Diagnostic"),
    ("podium.model", "Note"),
    ("podium.model", "Poll"),
    ("podium.parse.slide", "SlideResult"),
}
#: How a cache file starts; then the checksum of the rest, then the rest (one pickle).
_MAGIC = b"podium-cache\x00" + str(_FORMAT).encode() + b"\n"
_SUM = 4
#: A journal record: the length of its pickle (8 bytes), its checksum, the pickle.
_LENGTH = 8


def _checksum(data: bytes) -> bytes:
    """CRC-32 of the bytes: it catches damage (a flipped bit, a cut, a burst), which is what
    it is for; no one else can write the files (see :func:`private_folder`). A hash such as
    BLAKE2 would cost five times as much on every build that reads the cache."""
    import zlib

    return zlib.crc32(data).to_bytes(_SUM, "big")


def _load(data: bytes) -> Any:
    """Unpickle plain data only: a class outside :data:`_ALLOWED` (a function, ``os.system``)
    is refused, so a cache file cannot run code even if someone wrote one to."""
    import io
    import pickle

    class PlainData(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            if (module, name) not in _ALLOWED:
                raise pickle.UnpicklingError(f"{module}.{name} is not cache data")
            return super().find_class(module, name)

    return PlainData(io.BytesIO(data)).load()


class DiskCache(UsedEntries):
    """One deck's cache of parsed chunks (or rendered parts), kept in one file.

    A rebuild after an edit adds a few entries to thousands: it appends them to a journal
    beside the file instead of writing the whole file again. The file is written afresh
    (with only the entries the run used, so the cache never grows far past the deck) once
    the entries no run uses make up a quarter of it, or the journal grows as big as it.

    The cache is not trusted code: it is read only from a folder and files that are ours
    and that no one else may write (``refused`` says why not, and the cache is then
    empty and never written), only plain data comes out of it, and each file and journal
    record carries a checksum of its bytes: a damaged one is a miss, never a wrong page.
    """

    def __init__(self, deck_file: Path, *, flavour: str) -> None:
        name = hashlib.blake2b(f"{deck_file.resolve()}\0{flavour}".encode(), digest_size=12)
        folder = cache_dir()
        self.path = folder / f"chunks-{_FORMAT}-{name.hexdigest()}.pickle"
        self.journal = self.path.with_suffix(".journal")
        super().__init__()
        self._added: dict[str, Any] = {}
        self._sizes = (0, 0)  # of the file and the journal, as read
        self.refused = private_folder(folder)
        """Why the cache folder is not used (None: it is)."""
        if self.refused is None:
            self._read()

    def _read(self) -> None:
        data = read_private(self.path)
        if data is None:
            return
        payload = data[len(_MAGIC) + _SUM :]
        if not data.startswith(_MAGIC) or data[len(_MAGIC) : len(_MAGIC) + _SUM] != _checksum(
            payload
        ):
            return  # damaged, or not ours: a miss, and the next save replaces it
        try:
            loaded = _load(payload)
        except Exception:  # any unreadable cache is an empty one (pickle raises many kinds)
            return
        if isinstance(loaded, dict) and loaded.get("version") == __version__:
            entries = loaded.get("entries")
            if isinstance(entries, dict):
                self._entries = dict(entries)
                self._sizes = (len(data), self._read_journal())

    def _read_journal(self) -> int:
        """Add the journal's entries; returns its size (0: none; -1: one not to append to,
        such as one a run cut short mid-append, which the next save replaces)."""
        data = read_private(self.journal)
        if data is None:
            return 0 if not os.path.lexists(self.journal) else -1
        position = 0
        while position < len(data):
            head = position + _LENGTH + _SUM
            length = int.from_bytes(data[position : position + _LENGTH], "big")
            record = data[head : head + length]
            if len(record) != length or data[position + _LENGTH : head] != _checksum(record):
                return -1  # a run cut short mid-append, or a damaged record: the rest is lost
            try:
                added = _load(record)
            except Exception:
                return -1
            if not (isinstance(added, dict) and added.get("version") == __version__):
                return -1
            entries = added.get("entries")
            if not isinstance(entries, dict):
                return -1
            self._entries.update(entries)
            position = head + length
        return position

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self._added[key] = value

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self._added.pop(key, None)

    def save(self) -> None:
        """Keep this run's new entries: appended to the journal, or in a fresh file."""
        if self.refused is not None:
            return
        unused = len(self._entries) - len(self._used & self._entries.keys())
        tidy = unused * 4 <= len(self._entries)  # what no run uses is not worth a rewrite yet
        if not self._added and tidy:
            return
        import pickle

        added = pickle.dumps({"version": __version__, "entries": self._added}, protocol=5)
        record = len(added).to_bytes(_LENGTH, "big") + _checksum(added) + added
        file_size, journal_size = self._sizes
        if tidy and file_size and 0 <= journal_size <= file_size - len(record):
            try:
                # Private, as the file is (a cache holds speaker notes); never through a link.
                flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
                with os.fdopen(os.open(self.journal, flags, 0o600), "ab") as handle:
                    handle.write(record)
                self._sizes = (file_size, journal_size + len(record))
                self._added = {}
                return
            except OSError:
                pass  # write the whole file instead
        self._write_afresh()

    def _write_afresh(self) -> None:
        import pickle
        import tempfile

        kept = {key: self._entries[key] for key in self._used if key in self._entries}
        payload = pickle.dumps({"version": __version__, "entries": kept}, protocol=5)
        data = _MAGIC + _checksum(payload) + payload
        try:
            # (NamedTemporaryFile makes its file 0600: the cache holds speaker notes)
            with tempfile.NamedTemporaryFile(dir=self.path.parent, delete=False) as handle:
                handle.write(data)
            os.replace(handle.name, self.path)
            self.journal.unlink(missing_ok=True)
            self._sizes = (len(data), 0)
            self._added = {}
        except OSError:
            pass  # a cache we cannot write only costs time next run
