"""Finding the local files a deck references, and deciding where they go in the output.

An image path resolves relative to the deck's folder, then the project root (the folder
holding ``pyproject.toml``, or the current one), where a course's ``res/`` lives. A path
that leaves both is refused: the build never copies, and the server never serves, a file
from outside the project.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from podium.sources import find_project_root

Status = Literal["ok", "missing", "outside", "remote", "invalid"]


@dataclass(frozen=True)
class Resolved:
    """Where a reference in the deck points."""

    status: Status
    target: str = ""
    """For ``ok``: the path relative to the deck's output folder; for ``remote``: the URL."""
    source: str = ""
    """For ``ok``: absolute path on disk; otherwise the path that was looked for, for messages."""


@dataclass(frozen=True)
class AssetResolver:
    """Resolves the references of one deck, for one build: a deck may repeat an image, and
    the next build (the dev server's) must see files that appeared or went meanwhile."""

    deck_dir: Path
    project_root: Path
    _seen: dict[str, Resolved] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def for_deck(cls, deck_file: Path) -> AssetResolver:
        deck_dir = deck_file.resolve().parent
        return cls(deck_dir, find_project_root(deck_dir))

    def resolve(self, reference: str) -> Resolved:
        found = self._seen.get(reference)
        if found is None:
            found = self._seen[reference] = _resolve(self.deck_dir, self.project_root, reference)
        return found

    @property
    def roots(self) -> tuple[Path, ...]:
        """Where references are looked for, in order."""
        if self.deck_dir == self.project_root:
            return (self.deck_dir,)
        return (self.deck_dir, self.project_root)

    def looked_at(self, reference: str) -> tuple[str, ...]:
        """Every place ``reference`` is looked for, in order: whether each holds a file
        decides how it resolves (a file appearing in the deck folder shadows the project
        root's), so each is something a build read, found or not."""
        raw = _local_path(reference)
        if raw is None or raw.startswith("/") or re.match(r"^[A-Za-z]:/", raw):
            return ()  # remote, invalid or absolute: resolved without looking at the disk
        return tuple(str(root / raw) for root in self.roots)

    def fresh(self) -> AssetResolver:
        """The same roots, nothing remembered: for the next build."""
        return AssetResolver(self.deck_dir, self.project_root)


def _local_path(reference: str) -> str | None:
    """The local path a reference names (``/`` separators), or None for a URL or nonsense."""
    from urllib.parse import unquote, urlsplit  # only builds that resolve images need it

    if reference.startswith("file://"):
        reference = reference[len("file://") :]  # md2googleslides' spelling of a local file
    parts = urlsplit(reference)
    if parts.scheme and len(parts.scheme) > 1:  # `C:\x` is a drive letter, not a scheme
        return None
    raw = unquote(parts.path).replace("\\", "/")
    if not raw or "\x00" in raw:
        return None
    return raw


def _resolve(deck_dir: Path, project_root: Path, reference: str) -> Resolved:
    from urllib.parse import urlsplit

    local = reference[len("file://") :] if reference.startswith("file://") else reference
    if urlsplit(local).scheme in {"http", "https"}:
        return Resolved("remote", target=local, source=local)
    raw = _local_path(reference)
    if raw is None:
        return Resolved("invalid", source=reference)
    roots = [deck_dir] if deck_dir == project_root else [deck_dir, project_root]
    if raw.startswith("/") or re.match(r"^[A-Za-z]:/", raw):
        return Resolved("outside", source=raw)
    candidate = None
    for root in roots:
        path = root / raw
        if path.is_file():
            candidate = path
            break
    if candidate is None:
        return Resolved("missing", source=raw)
    real = candidate.resolve()
    if not any(_inside(real, root) for root in roots):
        return Resolved("outside", source=raw)
    return Resolved("ok", target=_output_name(raw, real), source=str(real))


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def _output_name(raw: str, real: Path) -> str:
    """Keep the author's relative path when it stays inside the output folder, else hash it."""
    normal = posixpath.normpath(raw)
    reserved = normal in {".", "..", "index.html", "presenter.html", "handout.html"}
    if not (reserved or normal.startswith(("../", "/", "_podium/"))):
        return normal
    digest = hashlib.sha256(os.fsencode(real)).hexdigest()[:10]
    return f"_assets/{digest}/{real.name}"
