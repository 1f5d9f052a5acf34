"""Orchestration and file output: deck sources in, a static site out.

``build_site`` is the whole site as data (``{relative path: bytes or source file}``), which
the dev server holds in memory; ``write_site`` puts it on disk, atomically, and only where
it is safe: it never writes into a folder it did not make, and never deletes a file it did
not write (a manifest in the output folder says which files those are).
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from podium.assets import AssetResolver, find_project_root
from podium.model import Deck, Diagnostic

if TYPE_CHECKING:
    from podium.parse import ChunkCache

MANIFEST = ".podium-build.json"
DECK_SUFFIXES = (".md", ".markdown")

SiteFile = bytes | Path
"""A file of the site: its content, or the source file to copy (images)."""


class OutputDirError(click.ClickException):
    """The output folder is not safe to write to; nothing was written."""

    exit_code = 2


@dataclass(frozen=True)
class DeckSource:
    file: Path
    """The deck file on disk."""
    display: str
    """How the user named it (for diagnostics)."""
    slug: str
    """Its folder name in the output."""


@dataclass(frozen=True)
class Site:
    files: dict[str, SiteFile]
    """Every output file, keyed by its path relative to the output root (``/`` separators)."""
    decks: tuple[tuple[DeckSource, Deck], ...]
    diagnostics: tuple[Diagnostic, ...]
    fingerprint: str = ""
    """What the build read, summed up (``cache.fingerprint``): equal next time, nothing to do."""


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


def load_deck(
    source: DeckSource,
    *,
    notes: bool = True,
    unsafe_html: bool | None = None,
    cache: ChunkCache | None = None,
) -> Deck:
    """Read and parse one deck; an unreadable file is a diagnostic, never an exception."""
    from podium.parse import decode_source, parse_deck

    data, problem = _read(source)
    if data is None:
        return Deck(path=source.display, slides=(), diagnostics=(problem,) if problem else ())
    text, problems = decode_source(data, path=source.display)
    deck = parse_deck(
        text,
        path=source.display,
        resolver=AssetResolver.for_deck(source.file),
        unsafe_html=unsafe_html,
        notes=notes,
        cache=cache,
    )
    if problems:
        merged = sorted({*problems, *deck.diagnostics}, key=Diagnostic.sort_key)
        deck = replace(deck, diagnostics=tuple(merged))
    return deck


def _read(source: DeckSource) -> tuple[bytes | None, Diagnostic | None]:
    try:
        return source.file.read_bytes(), None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        problem = Diagnostic(
            source.display, 1, 1, "error", "file-unreadable", f"cannot read: {reason}"
        )
        return None, problem


def build_flags(*, notes: bool, unsafe_html: bool | None) -> tuple[str, ...]:
    """The options that change a build's output (part of its fingerprint)."""
    return (f"notes={notes}", f"unsafe-html={unsafe_html}")


def build_site(
    sources: Sequence[DeckSource],
    *,
    notes: bool = True,
    unsafe_html: bool | None = None,
    disk_cache: bool = False,
) -> Site:
    """Parse and render every deck into the site's files (in memory). With ``disk_cache``,
    parsed chunks are kept between runs (see ``cache.py``)."""
    from podium.cache import DiskCache, fingerprint, read_digest
    from podium.render import render_deck, render_index, static_files

    files: dict[str, SiteFile] = dict(static_files())
    decks: list[tuple[DeckSource, Deck]] = []
    diagnostics: list[Diagnostic] = []
    flags = build_flags(notes=notes, unsafe_html=unsafe_html)
    flavour = "/".join(flags)
    digests = []
    for source in sources:
        # Read before parsing: if the file changes meanwhile, the next build sees a change.
        digests.append((source.display, source.slug, read_digest(source.file)))
        cache = DiskCache(source.file, flavour=flavour) if disk_cache else None
        parts = DiskCache(source.file, flavour=f"{flavour}/parts") if disk_cache else None
        deck = load_deck(source, notes=notes, unsafe_html=unsafe_html, cache=cache)
        decks.append((source, deck))
        diagnostics.extend(deck.diagnostics)
        for name, text in render_deck(deck, slug=source.slug, notes=notes, parts=parts).items():
            files[name] = text.encode("utf-8")
        for store in (cache, parts):
            if store is not None:
                store.save()
        for asset in deck.assets:
            files[f"{source.slug}/{asset.target}"] = Path(asset.source)
    files["index.html"] = render_index((s.slug, d) for s, d in decks).encode("utf-8")
    dependencies = {s.display: d.dependencies for s, d in decks}
    stamp = fingerprint(digests, dependencies, flags)
    return Site(files, tuple(decks), tuple(diagnostics), stamp)


# --- writing --------------------------------------------------------------------------------


def _contains(parent: Path, child: Path) -> bool:
    return child == parent or parent in child.parents


def check_output_dir(out: Path, sources: Sequence[DeckSource], named: Sequence[str]) -> None:
    """Refuse, before touching anything, an output folder that is not safe to write."""
    real = out.resolve()
    if out.exists() and not out.is_dir():
        raise OutputDirError(f"refusing to write to {out}: it is a file, not a folder")
    roots = {find_project_root(Path.cwd().resolve())}
    roots.update(find_project_root(s.file.resolve().parent) for s in sources)
    for root in roots:
        if real == root or _contains(real, root):
            raise OutputDirError(f"refusing to write to {out}: it is the project folder {root}")
    for given in named:
        path = Path(given).resolve()
        if path.is_dir() and _contains(path, real):
            raise OutputDirError(
                f"refusing to write to {out}: it is inside the source folder {given}"
            )
    for source in sources:
        if _contains(real, source.file.resolve()):
            raise OutputDirError(
                f"refusing to write to {out}: it contains the deck {source.display}"
            )
    if real.is_dir() and not (real / MANIFEST).is_file() and any(real.iterdir()):
        raise OutputDirError(
            f"refusing to write to {out}: the folder is not empty and was not made by podium",
        )


def _read_manifest(out: Path) -> dict[str, Any]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _previous_manifest(out: Path) -> set[str]:
    files = _read_manifest(out).get("files", [])
    return {str(name) for name in files} if isinstance(files, list) else set()


def _write_manifest(out: Path, names: Iterable[str], record: dict[str, Any] | None = None) -> None:
    data = {"generator": "podium", "files": sorted(names), **(record or {})}
    _atomic_write(out / MANIFEST, json.dumps(data, indent=1).encode("utf-8"))


def _record(site: Site) -> dict[str, Any]:
    """What the next build needs to tell, without parsing, that nothing changed."""
    return {
        "fingerprint": site.fingerprint,
        "dependencies": {s.display: list(d.dependencies) for s, d in site.decks},
        "decks": [
            {"path": s.display, "slug": s.slug, "slides": len(d.slides)} for s, d in site.decks
        ],
        "diagnostics": [d.to_json() for d in site.diagnostics],
    }


@dataclass(frozen=True)
class UpToDate:
    """The last build in the output folder is of exactly these inputs."""

    slides: int
    diagnostics: tuple[Diagnostic, ...]


def up_to_date(out: Path, sources: Sequence[DeckSource], flags: Iterable[str]) -> UpToDate | None:
    """Whether the output already holds this build (same fingerprint, every file there)."""
    from podium.cache import fingerprint, read_digest

    manifest = _read_manifest(out)
    stamp = manifest.get("fingerprint")
    decks = manifest.get("decks")
    if not stamp or not isinstance(decks, list):
        return None
    if [(d.get("path"), d.get("slug")) for d in decks] != [(s.display, s.slug) for s in sources]:
        return None
    digests = [(s.display, s.slug, read_digest(s.file)) for s in sources]
    dependencies = manifest.get("dependencies") or {}
    if fingerprint(digests, dependencies, flags) != stamp:
        return None
    if not all((out / str(name)).is_file() for name in manifest.get("files", [])):
        return None
    try:
        diagnostics = tuple(Diagnostic(**d) for d in manifest.get("diagnostics", []))
    except TypeError:
        return None
    return UpToDate(sum(int(d.get("slides", 0)) for d in decks), diagnostics)


def _atomic_write(target: Path, data: bytes) -> bool:
    """Write via a temporary file and rename, so a reader never sees half a file.

    Returns False (and writes nothing) when the file already holds exactly these bytes.
    """
    try:
        if target.stat().st_size == len(data) and target.read_bytes() == data:
            return False
    except OSError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, target)
    finally:
        if temporary.exists():
            temporary.unlink()
    return True


@dataclass(frozen=True)
class WriteResult:
    written: tuple[str, ...]
    """Files whose content changed."""
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]
    """Files of an earlier build that this build no longer makes."""
    skipped: tuple[str, ...]
    """Files that exist but were not made by podium: left alone."""


def write_site(site: Site, out: Path) -> WriteResult:
    """Write the site under ``out`` (already checked by :func:`check_output_dir`)."""
    out.mkdir(parents=True, exist_ok=True)
    previous = _previous_manifest(out)
    skipped = [
        name
        for name in sorted(site.files)
        if name not in previous and ((out / name).exists() or (out / name).is_symlink())
    ]
    mine = set(site.files) - set(skipped)
    _write_manifest(out, mine | previous)  # first: a crash mid-build leaves a folder we own
    written: list[str] = []
    unchanged: list[str] = []
    for name in sorted(mine):
        content = site.files[name]
        data = content.read_bytes() if isinstance(content, Path) else content
        (written if _atomic_write(out / name, data) else unchanged).append(name)
    removed: list[str] = []
    for name in sorted(previous - set(site.files)):
        target = out / name
        if _contains(out.resolve(), target.resolve()) and target.is_file():
            target.unlink()
            removed.append(name)
    _write_manifest(out, mine, _record(site) if not skipped else None)
    return WriteResult(tuple(written), tuple(unchanged), tuple(removed), tuple(skipped))
