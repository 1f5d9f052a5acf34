"""Which decks a command is about, and whether an output folder is safe to write.

Light on purpose (no click, no dataclasses, no parser): the "nothing changed" answer of
``podium build`` (``podium.cli``) is made from this module and ``manifest.py`` alone.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from podium.project import find_project_root, marks_project

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

DECK_SUFFIXES = (".md", ".markdown")
#: What the commands read when no deck is named.
DEFAULT_SOURCE = "slides"
MANIFEST = ".podium-build.json"
"""The file a build leaves in its output folder: what it wrote, and what it read."""
#: Names at the top of the output folder that are podium's own, never a deck's folder (the
#: site's index, the shared CSS/JS, the manifest).
RESERVED_NAMES = ("index.html", "_podium", MANIFEST)


class DeckSource:
    """A deck to build: the file, how the user named it, and its folder in the output."""

    __slots__ = ("display", "file", "renamed", "slug")

    def __init__(self, file: Path, display: str, slug: str, renamed: str | None = None) -> None:
        self.file = file
        """The deck file on disk."""
        self.display = display
        """How the user named it (for diagnostics)."""
        self.slug = slug
        """Its folder name in the output."""
        self.renamed = renamed
        """Why the folder is not the one its file name gives (it was taken), or None."""

    def __repr__(self) -> str:
        return f"DeckSource({self.file!r}, {self.display!r}, {self.slug!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DeckSource):
            return NotImplemented
        return (self.file, self.display, self.slug) == (other.file, other.display, other.slug)

    def __hash__(self) -> int:
        return hash((self.file, self.display, self.slug))


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
    # Folder names taken, compared as a case-insensitive file system (macOS, Windows) would.
    used: dict[str, str] = {name.casefold(): "podium's own" for name in RESERVED_NAMES}
    for file, display in found:
        real = file.resolve()
        if real in seen_files:
            continue
        seen_files.add(real)
        base = _slug(file.stem)
        slug, counter = base, 2
        while slug.casefold() in used:
            slug, counter = f"{base}-{counter}", counter + 1
        renamed = None
        if slug != base:
            owner = used[base.casefold()]
            taken = "podium's own name" if owner == "podium's own" else f"the folder of {owner}"
            renamed = f"published as {slug}/: {base} is {taken}"
        used[slug.casefold()] = display
        sources.append(DeckSource(file, display, slug, renamed))
    return sources


def _slug(stem: str) -> str:
    # "déjà vu.md" -> "deja-vu": accents folded, so the URL stays readable ASCII.
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_stem).strip("-.") or "deck"
    if base.startswith("_"):
        base = base.lstrip("_") or "deck"
    return base


def _project_top(folder: Path) -> bool:
    """Whether ``folder`` holds the project's pyproject.toml, or no folder above it does."""
    return (
        not any((above / "pyproject.toml").is_file() for above in folder.parents)
        or (folder / "pyproject.toml").is_file()
    )


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
        if root != source.file.resolve().parent or marks_project(root):
            roots.add(root)
    for root in roots:
        if real == root or contains(real, root):
            return f"refusing to write to {out}: it is the project folder {root}"
    for given in named:
        # A deck file named is its folder named: the same check as for a folder, except for
        # a deck at the top of its project (or in no project), whose site may sit beside it
        # as `_site/` sits in a project (`podium build talk.md -o site`).
        path = Path(given).resolve()
        folder = path if path.is_dir() else path.parent
        if not path.is_dir() and _project_top(folder):
            continue
        if contains(folder, real):
            shown = given if path.is_dir() else os.path.dirname(given) or "."
            return f"refusing to write to {out}: it is inside the source folder {shown}"
    for source in sources:
        if contains(real, source.file.resolve()):
            return f"refusing to write to {out}: it contains the deck {source.display}"
    if real.is_dir() and not (real / MANIFEST).is_file() and any(real.iterdir()):
        return f"refusing to write to {out}: the folder is not empty and was not made by podium"
    return None
