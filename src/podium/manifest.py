"""The manifest a build leaves in its output folder, and the question it answers fast:
is the output already the build of exactly these inputs?

The fingerprint sums up everything a build read (the decks' bytes, the files they depend
on, the templates, podium's version and the flags); when it equals the one the last build
left in the manifest, there is nothing to do. Light on purpose, like ``sources.py``: no
click, no parser, no typing at run time.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from podium import __version__
from podium.sources import MANIFEST, DeckSource

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from typing import Any


def build_flags(*, notes: bool, unsafe_html: bool | None) -> tuple[str, ...]:
    """The options that change a build's output (part of its fingerprint)."""
    return (f"notes={notes}", f"unsafe-html={unsafe_html}")


def read_manifest(out: Path) -> dict[str, Any]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def previous_files(out: Path) -> set[str]:
    """What the last build in ``out`` wrote (it may remove those files, and no others)."""
    files = read_manifest(out).get("files", [])
    return {str(name) for name in files} if isinstance(files, list) else set()


class Fresh:
    """The last build in the output folder is of exactly these inputs."""

    __slots__ = ("diagnostics", "slides")

    def __init__(self, slides: int, diagnostics: list[dict[str, Any]]) -> None:
        self.slides = slides
        self.diagnostics = diagnostics
        """As ``Diagnostic.to_json()`` wrote them."""


def up_to_date(out: Path, sources: Sequence[DeckSource], flags: Iterable[str]) -> Fresh | None:
    """Whether the output already holds this build (same fingerprint, every file there)."""
    manifest = read_manifest(out)
    stamp = manifest.get("fingerprint")
    decks = manifest.get("decks")
    diagnostics = manifest.get("diagnostics", [])
    if not stamp or not isinstance(decks, list) or not isinstance(diagnostics, list):
        return None
    if [(d.get("path"), d.get("slug")) for d in decks] != [(s.display, s.slug) for s in sources]:
        return None
    digests = [(s.display, s.slug, read_digest(s.file)) for s in sources]
    if fingerprint(digests, manifest.get("dependencies") or {}, flags) != stamp:
        return None
    if not all((out / str(name)).is_file() for name in manifest.get("files", [])):
        return None
    return Fresh(sum(int(d.get("slides", 0)) for d in decks), diagnostics)


def _stat(path: str) -> tuple[str, int, int] | tuple[str]:
    try:
        info = os.stat(path)
    except OSError:
        return (path,)
    return (path, info.st_size, info.st_mtime_ns)


def templates_state() -> list[tuple[str, int, int] | tuple[str]]:
    """Size and time of every template and static file: an edit to the theme is a change."""
    root = Path(__file__).parent / "templates"
    found = []
    for folder, _, files in os.walk(root):
        for name in files:
            found.append(_stat(os.path.join(folder, name)))
    return sorted(found)


def content_digest(data: bytes | None) -> str:
    """The digest of a deck's bytes (None: the file could not be read)."""
    if data is None:
        return "unreadable"
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def read_digest(file: Path) -> str:
    try:
        return content_digest(file.read_bytes())
    except OSError:
        return content_digest(None)


def fingerprint(
    decks: Sequence[tuple[str, str, str]],
    dependencies: Mapping[str, Sequence[str]],
    flags: Iterable[str],
) -> str:
    """The hash of everything a build reads: ``decks`` are (display, slug, content digest)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((__version__, sorted(flags), templates_state())).encode())
    for display, slug, content in decks:
        digest.update(f"\0{display}\0{slug}\0{content}\0".encode())
        digest.update(repr([_stat(p) for p in dependencies.get(display, ())]).encode())
    return digest.hexdigest()
