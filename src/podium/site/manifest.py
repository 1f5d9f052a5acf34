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
from podium.project import find_project_root
from podium.site.sources import MANIFEST, DeckSource
from podium.template_files import file_state, templates_state

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any


def build_flags(
    *,
    notes: bool,
    unsafe_html: bool | None,
    self_contained: bool = False,
    theme: str | None = None,
) -> tuple[str, ...]:
    """The options that change a build's output (part of its fingerprint)."""
    flags: tuple[str, ...] = (f"notes={notes}", f"unsafe-html={unsafe_html}")
    if theme is not None:
        flags = (*flags, f"theme={theme}")
    return (*flags, "self-contained") if self_contained else flags


def read_manifest(out: Path) -> dict[str, Any]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class Previous:
    """What the manifest in an output folder proves the last build wrote."""

    __slots__ = ("damaged", "files")

    def __init__(self, files: set[str], damaged: str | None = None) -> None:
        self.files = files
        """Files the last build wrote (it may remove those files, and no others)."""
        self.damaged = damaged
        """Why the manifest could not be read whole (None: it could, or there is none)."""


def previous_build(out: Path) -> Previous:
    """The files the last build in ``out`` wrote. A damaged manifest (cut short by a full
    disk, say) proves only the names it still holds whole; podium never guesses the rest."""
    try:
        raw = (out / MANIFEST).read_bytes()
    except FileNotFoundError:
        return Previous(set())
    except OSError as problem:
        return Previous(set(), f"cannot read it: {problem.strerror or problem}")
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError:
        return Previous(_salvage(raw), "it is damaged (not a whole manifest)")
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("generator") != "podium":
        return Previous(set(), "it is not a podium manifest")
    if not isinstance(files, list):
        return Previous(set(), "it lists no files")
    return Previous({str(name) for name in files if _safe_name(name)})


#: How a manifest begins (``json.dumps(..., indent=1)`` of ``{"generator", "files", ...}``).
_HEAD = b'{\n "generator": "podium",\n "files": [\n'


def _salvage(raw: bytes) -> set[str]:
    """The file names a cut-short manifest still holds whole (one per line, after _HEAD)."""
    if not raw.startswith(_HEAD):
        return set()
    found: set[str] = set()
    for line in raw[len(_HEAD) :].split(b"\n"):
        text = line.strip().removesuffix(b",")
        try:
            name = json.loads(text.decode("utf-8")) if text.startswith(b'"') else None
        except ValueError:
            name = None
        if not isinstance(name, str):
            break  # the end of the list, or where the file was cut
        if _safe_name(name):
            found.add(name)
    return found


def _safe_name(name: object) -> bool:
    """A path a build may have written: relative, inside the output folder."""
    if not isinstance(name, str) or not name or name.startswith(("/", "\\")):
        return False
    return ".." not in name.replace("\\", "/").split("/")


def deck_key(display: str) -> str:
    """How the manifest names a deck: a hash of how the user named it, which may be an
    absolute path (the manifest is published, the builder's folders are not)."""
    return hashlib.blake2b(display.encode(), digest_size=8).hexdigest()


def relative_to(path: str, folder: str) -> str:
    """``path`` (absolute) relative to ``folder`` (absolute), as text: nothing resolved, so a
    ``..`` the author wrote means what it meant."""
    ups, base = 0, folder
    while True:
        prefix = base.rstrip(os.sep) + os.sep
        if path.startswith(prefix):
            return "../" * ups + path[len(prefix) :]
        parent = os.path.dirname(base)
        if parent == base:
            return path
        base, ups = parent, ups + 1


def deck_folder(source: DeckSource) -> str:
    """The folder a deck's images are looked for from (its dependencies are relative to it)."""
    return str(source.file.resolve().parent)


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
    if not stamp or not isinstance(decks, list) or not all(isinstance(d, dict) for d in decks):
        return None
    if [(d.get("source"), d.get("slug")) for d in decks] != [
        (deck_key(s.display), s.slug) for s in sources
    ]:
        return None
    inputs = [
        DeckInput(s.display, s.slug, read_digest(s.file), deck_folder(s), d.get("dependencies"))
        for s, d in zip(sources, decks, strict=True)
    ]
    if fingerprint(inputs, flags) != stamp:
        return None
    if not all((out / str(name)).is_file() for name in manifest.get("files", [])):
        return None
    said = recall_said(out, str(stamp))
    if said is None:
        return None
    return Fresh(sum(int(d.get("slides", 0)) for d in decks), said)


# What a build said is kept in the private cache folder, not in the published manifest: its
# messages name the builder's files and folders. One small file per output folder.


def _said_file(out: Path) -> Path:
    from podium.private import cache_dir

    name = hashlib.blake2b(str(out.resolve()).encode(), digest_size=12).hexdigest()
    return cache_dir() / f"said-{name}.json"


def remember_said(out: Path, stamp: str, diagnostics: list[dict[str, Any]]) -> bool:
    """Keep what the build of ``out`` with fingerprint ``stamp`` said; False if it cannot."""
    import tempfile

    from podium.private import cache_dir, private_folder

    if private_folder(cache_dir()) is not None:
        return False
    target = _said_file(out)
    data = json.dumps({"fingerprint": stamp, "diagnostics": diagnostics}).encode()
    try:
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as handle:
            handle.write(data)
        os.replace(handle.name, target)
    except OSError:
        return False
    return True


def recall_said(out: Path, stamp: str) -> list[dict[str, Any]] | None:
    """What the build of ``out`` with fingerprint ``stamp`` said, if kept (else None)."""
    from podium.private import cache_dir, private_folder, read_private

    if private_folder(cache_dir()) is not None:
        return None
    data = read_private(_said_file(out))
    try:
        kept = json.loads(data) if data is not None else None
    except ValueError:
        return None
    if not isinstance(kept, dict) or kept.get("fingerprint") != stamp:
        return None
    said = kept.get("diagnostics")
    return said if isinstance(said, list) else None


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


class DeckInput:
    """What a build read of one deck: its bytes (digest) and the files besides it."""

    __slots__ = ("dependencies", "digest", "display", "folder", "slug")

    def __init__(
        self, display: str, slug: str, digest: str, folder: str, dependencies: object
    ) -> None:
        self.display = display
        self.slug = slug
        self.digest = digest
        self.folder = folder
        """The deck's folder: ``dependencies`` are relative to it."""
        self.dependencies: list[str] = []
        """Files besides the deck its result depended on (found or not), relative to it."""
        if isinstance(dependencies, list):
            self.dependencies = [str(p) for p in dependencies]


#: A file changed this recently may change again within its file system's timestamp tick (a
#: second or two on some) keeping its size and time, unseen by the fingerprint; so a build
#: that read one is not recorded as up to date (the next build builds, from the cache).
RECENT_NS = 2_000_000_000


def settled(decks: Sequence[DeckInput]) -> bool:
    """Whether every file besides the decks that the build read is older than RECENT_NS."""
    import time

    recent = time.time_ns() - RECENT_NS
    for deck in decks:
        for path in deck.dependencies:
            try:
                if os.stat(os.path.join(deck.folder, path)).st_mtime_ns > recent:
                    return False
            except OSError:
                continue  # looked for, not there: its appearing changes the fingerprint
    return True


def fingerprint(decks: Sequence[DeckInput], flags: Iterable[str]) -> str:
    """The hash of everything a build reads: each deck's bytes and the state (or absence) of
    every file its result depended on, the templates, podium's version and the flags."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((__version__, sorted(flags), templates_state())).encode())
    for deck in decks:
        digest.update(f"\0{deck.display}\0{deck.slug}\0{deck.digest}\0".encode())
        states = [file_state(os.path.join(deck.folder, p))[1:] for p in deck.dependencies]
        digest.update(repr(list(zip(deck.dependencies, states, strict=True))).encode())
        if deck.dependencies:
            # Images resolve against the project root too, which a pyproject.toml appearing
            # (or a build from another folder, when there is none) moves.
            digest.update(str(find_project_root(Path(deck.folder))).encode())
    return digest.hexdigest()
