"""Which decks a command is about, and whether an output folder is safe to write.

Light on purpose (no click, no dataclasses, no parser): the "nothing changed" answer of
``podium build`` (``fastpath.py``) is made from this module and ``manifest.py`` alone.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

DECK_SUFFIXES = (".md", ".markdown")
#: What the commands read when no deck is named.
DEFAULT_SOURCE = "slides"
MANIFEST = ".podium-build.json"
"""The file a build leaves in its output folder: what it wrote, and what it read."""


class DeckSource:
    """A deck to build: the file, how the user named it, and its folder in the output."""

    __slots__ = ("display", "file", "slug")

    def __init__(self, file: Path, display: str, slug: str) -> None:
        self.file = file
        """The deck file on disk."""
        self.display = display
        """How the user named it (for diagnostics)."""
        self.slug = slug
        """Its folder name in the output."""

    def __repr__(self) -> str:
        return f"DeckSource({self.file!r}, {self.display!r}, {self.slug!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DeckSource):
            return NotImplemented
        return (self.file, self.display, self.slug) == (other.file, other.display, other.slug)

    def __hash__(self) -> int:
        return hash((self.file, self.display, self.slug))


def _marks_project(folder: Path) -> bool:
    # os.path: an unreadable folder on the way up is no project, not an exception
    return os.path.isfile(folder / "pyproject.toml") or os.path.lexists(folder / ".git")


def find_project_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` (a deck's folder) holding ``pyproject.toml``
    or ``.git``, else ``start`` itself: never the current folder, so a deck built from the
    home folder cannot reach the files beside it (``../../.ssh``)."""
    for folder in (start, *start.parents):
        if _marks_project(folder):
            return folder
    return start


def _is_deck_name(name: str) -> bool:
    # Editors' lock, swap and backup files are not decks: `.#deck.md`, `deck.md~`, `.deck.md.swp`
    return name.endswith(DECK_SUFFIXES) and not name.startswith((".", "#", "~"))


def discover_decks(paths: Sequence[str]) -> list[DeckSource]:
    """Deck files named directly, and the ``*.md`` files of folders named (sorted)."""
    found: list[tuple[Path, str]] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for entry in sorted(os.scandir(path), key=lambda e: e.name):
                if _is_deck_name(entry.name) and entry.is_file():
                    found.append((Path(entry.path), os.path.join(given, entry.name)))
        else:
            found.append((path, given))
    sources: list[DeckSource] = []
    seen_files: set[Path] = set()
    used: set[str] = set()
    for file, display in found:
        real = file.resolve()
        if real in seen_files:
            continue
        seen_files.add(real)
        # "déjà vu.md" -> "deja-vu": accents folded, so the URL stays readable ASCII.
        ascii_stem = unicodedata.normalize("NFKD", file.stem).encode("ascii", "ignore").decode()
        base = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_stem).strip("-.") or "deck"
        if base.startswith("_"):
            base = base.lstrip("_") or "deck"
        slug, counter = base, 2
        while slug in used:
            slug, counter = f"{base}-{counter}", counter + 1
        used.add(slug)
        sources.append(DeckSource(file, display, slug))
    return sources


def contains(parent: Path, child: Path) -> bool:
    return child == parent or parent in child.parents


def output_dir_problem(
    out: Path, sources: Sequence[DeckSource], named: Sequence[str]
) -> str | None:
    """Why ``out`` is not safe to write to (refused before anything is touched), or None."""
    real = out.resolve()
    if out.exists() and not out.is_dir():
        return f"refusing to write to {out}: it is a file, not a folder"
    roots = {find_project_root(Path.cwd().resolve())}
    for source in sources:  # a deck's own folder, when it is its project, comes below
        root = find_project_root(source.file.resolve().parent)
        if root != source.file.resolve().parent or _marks_project(root):
            roots.add(root)
    for root in roots:
        if real == root or contains(real, root):
            return f"refusing to write to {out}: it is the project folder {root}"
    for given in named:
        path = Path(given).resolve()
        if path.is_dir() and contains(path, real):
            return f"refusing to write to {out}: it is inside the source folder {given}"
    for source in sources:
        if contains(real, source.file.resolve()):
            return f"refusing to write to {out}: it contains the deck {source.display}"
    if real.is_dir() and not (real / MANIFEST).is_file() and any(real.iterdir()):
        return f"refusing to write to {out}: the folder is not empty and was not made by podium"
    return None
