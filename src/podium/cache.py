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


class DiskCache(MutableMapping[str, Any]):
    """One deck's chunk cache: loaded once, written back with only the entries used."""

    def __init__(self, deck_file: Path, *, flavour: str) -> None:
        name = hashlib.blake2b(f"{deck_file.resolve()}\0{flavour}".encode(), digest_size=12)
        self.path = cache_dir() / f"chunks-{_FORMAT}-{name.hexdigest()}.pickle"
        self._entries: dict[str, Any] = {}
        self._used: set[str] = set()
        self._dirty = False
        import pickle  # here, not at the top: an up-to-date build never loads a cache

        try:
            with self.path.open("rb") as handle:
                loaded = pickle.load(handle)
            if isinstance(loaded, dict) and loaded.get("version") == __version__:
                self._entries = dict(loaded.get("entries", {}))
        except Exception:  # any unreadable cache is an empty one (pickle raises many kinds)
            self._entries = {}

    def __getitem__(self, key: str) -> Any:
        value = self._entries[key]
        self._used.add(key)
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        self._entries[key] = value
        self._used.add(key)
        self._dirty = True

    def __delitem__(self, key: str) -> None:
        del self._entries[key]
        self._dirty = True

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def save(self) -> None:
        """Write the entries this run used (so the cache never grows past the deck)."""
        if not self._dirty and self._used == set(self._entries):
            return
        import pickle
        import tempfile

        kept = {key: self._entries[key] for key in self._used if key in self._entries}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.path.parent, delete=False) as handle:
                pickle.dump({"version": __version__, "entries": kept}, handle, protocol=5)
            os.replace(handle.name, self.path)
        except OSError:
            pass  # a cache we cannot write only costs time next run
