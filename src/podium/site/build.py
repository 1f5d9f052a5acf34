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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from podium.model import Deck, Diagnostic
from podium.parse.assets import AssetResolver, copy_content
from podium.site.manifest import build_flags, deck_key, previous_build, remember_said
from podium.site.sources import (
    MANIFEST,
    DeckSource,
    contains,
    discover_decks,
)

__all__ = ["DeckSource", "Site", "build_flags", "build_site", "discover_decks", "load_deck"]

if TYPE_CHECKING:
    from podium.parse.deck import ChunkCache
    from podium.site.manifest import DeckInput


SiteFile = bytes | Path
"""A file of the site: its content, or the source file to copy (images)."""


@dataclass(frozen=True)
class Site:
    files: dict[str, SiteFile]
    """Every output file, keyed by its path relative to the output root (``/`` separators)."""
    decks: tuple[tuple[DeckSource, Deck], ...]
    diagnostics: tuple[Diagnostic, ...]
    fingerprint: str = ""
    """What the build read, summed up (``manifest.fingerprint``): equal next time, nothing to
    do. Empty when an image it read changed too recently to tell (``manifest.settled``)."""
    inputs: tuple[DeckInput, ...] = ()
    """What the build read, deck by deck (for the manifest)."""


def load_deck(
    source: DeckSource,
    *,
    notes: bool = True,
    unsafe_html: bool | None = None,
    cache: ChunkCache | None = None,
) -> Deck:
    """Read and parse one deck; an unreadable file is a diagnostic, never an exception."""
    data, problem = _read(source)
    return _parse_source(source, data, problem, notes=notes, unsafe_html=unsafe_html, cache=cache)


def _parse_source(
    source: DeckSource,
    data: bytes | None,
    problem: Diagnostic | None,
    *,
    notes: bool,
    unsafe_html: bool | None,
    cache: ChunkCache | None,
) -> Deck:
    from podium.parse.deck import decode_source, parse_deck

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
        merged = sorted([*problems, *deck.diagnostics], key=Diagnostic.sort_key)
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


def build_site(
    sources: Sequence[DeckSource],
    *,
    notes: bool = True,
    unsafe_html: bool | None = None,
    disk_cache: bool = False,
) -> Site:
    """Parse and render every deck into the site's files (in memory). With ``disk_cache``,
    parsed chunks are kept between runs (see ``cache.py``)."""
    from podium.render import render_deck, render_index, static_files
    from podium.site.cache import DiskCache, cache_dir, private_folder
    from podium.site.manifest import (
        DeckInput,
        content_digest,
        deck_folder,
        fingerprint,
        relative_to,
        settled,
    )

    files: dict[str, SiteFile] = dict(static_files())
    decks: list[tuple[DeckSource, Deck]] = []
    diagnostics: list[Diagnostic] = []
    flags = build_flags(notes=notes, unsafe_html=unsafe_html)
    flavour = "/".join(flags)
    inputs: list[DeckInput] = []
    refused = private_folder(cache_dir()) if disk_cache and sources else None
    if refused is not None:
        # Not a deck's problem, so not kept in the manifest: said again by every build.
        message = f"cache folder not used, {refused}; building without it"
        diagnostics.append(Diagnostic(str(cache_dir()), 1, 1, "warning", "cache-refused", message))
        disk_cache = False
    for source in sources:
        # One read: the fingerprint is of exactly the bytes this build parsed.
        data, problem = _read(source)
        digest = content_digest(data)
        cache = DiskCache(source.file, flavour=flavour) if disk_cache else None
        parts = DiskCache(source.file, flavour=f"{flavour}/parts") if disk_cache else None
        deck = _parse_source(
            source, data, problem, notes=notes, unsafe_html=unsafe_html, cache=cache
        )
        if source.renamed:
            renamed = Diagnostic(source.display, 1, 1, "warning", "deck-renamed", source.renamed)
            deck = replace(deck, diagnostics=(renamed, *deck.diagnostics))
        decks.append((source, deck))
        folder = deck_folder(source)
        needed = [relative_to(p, folder) for p in deck.dependencies]
        inputs.append(DeckInput(source.display, source.slug, digest, folder, needed))
        diagnostics.extend(deck.diagnostics)
        for name, text in render_deck(deck, slug=source.slug, notes=notes, parts=parts).items():
            files[name] = text.encode("utf-8")
        for store in (cache, parts):
            if store is not None:
                store.save()
        for asset in deck.assets:
            content = copy_content(asset.source)  # an SVG: its sanitised copy
            if content is not None:
                files[f"{source.slug}/{asset.target}"] = content
    files["index.html"] = render_index((s.slug, d) for s, d in decks).encode("utf-8")
    stamp = fingerprint(inputs, flags) if settled(inputs) else ""
    # The course's settings warn once per project, not once per deck.
    return Site(files, tuple(decks), tuple(dict.fromkeys(diagnostics)), stamp, tuple(inputs))


# --- writing --------------------------------------------------------------------------------


def _write_manifest(out: Path, names: Iterable[str], record: dict[str, Any] | None = None) -> None:
    data = {"generator": "podium", "files": sorted(names), **(record or {})}
    _atomic_write(out / MANIFEST, json.dumps(data, indent=1).encode("utf-8"))


def _record(site: Site) -> dict[str, Any]:
    """What the next build needs to tell, without parsing, that nothing changed. The
    manifest is published with the site: no path of the builder's goes in it (decks are
    named by a hash, the files they read relative to their folder). What the build said
    (diagnostics name files and folders) is kept in the private cache folder instead."""
    return {
        "fingerprint": site.fingerprint,
        "decks": [
            {
                "source": deck_key(s.display),
                "slug": s.slug,
                "slides": len(d.slides),
                "dependencies": read.dependencies,
            }
            for (s, d), read in zip(site.decks, site.inputs, strict=True)
        ],
    }


def _said(site: Site) -> list[dict[str, Any]]:
    """The diagnostics an up-to-date build repeats: the decks' (a refused cache folder is
    said by every build that finds it so)."""
    decks = {s.display for s, _ in site.decks}
    return [d.to_json() for d in site.diagnostics if d.path in decks]


#: A temporary file of podium's, beside the file it becomes: ``.NAME.PID.podium.tmp`` (and
#: ``.NAME.PID.tmp``, the name older versions used). A build killed mid-write leaves one; the
#: next build removes it (it may hold speaker notes, and the folder gets published).
_TEMPORARY = re.compile(r"(?P<folder>(?:.*/)?)\.(?P<name>[^/]+)\.(?P<pid>\d+)(?:\.podium)?\.tmp")


def _temporary_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.podium.tmp")


def _atomic_write(target: Path, data: bytes, *, exists: bool = True) -> bool:
    """Write via a temporary file and rename, so a reader never sees half a file.

    Returns False (and writes nothing) when the file already holds exactly these bytes;
    ``exists=False`` says the caller knows there is no such file yet.
    """
    if exists:
        try:
            if target.stat().st_size == len(data) and target.read_bytes() == data:
                return False
        except OSError:
            pass
    temporary = _temporary_name(target)
    try:
        temporary.write_bytes(data)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return True


def _leftovers(existing: set[str], owned: set[str]) -> list[str]:
    """Temporary files a build that was killed left beside files podium makes: only those
    (a user's file is never taken for one), and only when their process is gone."""
    found = []
    for name in existing:
        match = _TEMPORARY.fullmatch(name)
        if match is None or match["folder"] + match["name"] not in owned:
            continue
        if not _running(int(match["pid"])):
            found.append(name)
    return sorted(found)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return False  # not this build's: it has written nothing yet
    if os.name == "nt":
        return False  # os.kill(pid, 0) would end the process there, not ask about it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True  # someone else's process (or a number no process has): leave it
    return True


def _existing_files(out: Path) -> set[str]:
    """Every file under ``out``, relative and with ``/``: one walk instead of a look at each
    file the build writes."""
    found: set[str] = set()
    for folder, _, files in os.walk(out):
        relative = os.path.relpath(folder, out).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        found.update(prefix + name for name in files)
    return found


@dataclass(frozen=True)
class WriteResult:
    written: tuple[str, ...]
    """Files whose content changed."""
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]
    """Files of an earlier build that this build no longer makes, and temporary files a
    build that was killed left."""
    skipped: tuple[str, ...]
    """Files that exist but were not made by podium: left alone."""
    damaged: str | None = None
    """Why the manifest of the last build could not be read whole (then only the files it
    still proved podium's, or that hold exactly what this build makes, were touched)."""


def _content(site: Site, name: str) -> bytes:
    content = site.files[name]
    return content.read_bytes() if isinstance(content, Path) else content


def _same_bytes(target: Path, data: bytes) -> bool:
    try:
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except OSError:
        return False


def write_site(site: Site, out: Path) -> WriteResult:
    """Write the site under ``out`` (already checked by :func:`podium.commands.plan_build`)."""
    out.mkdir(parents=True, exist_ok=True)
    real = out.resolve()
    last = previous_build(out)
    previous = last.files
    existing = _existing_files(out)
    # A folder on the way that leads out of the output folder (a link): writing there would
    # write somewhere else, so the build never does, as it never removes there either.
    inside = {
        folder: contains(real, (out / folder).resolve())
        for folder in {name.rpartition("/")[0] for name in site.files}
    }
    if last.damaged:
        # The manifest no longer proves which files are podium's: a file holding exactly
        # what podium makes for it is (rewriting it changes nothing); any other is not.
        previous |= {
            name
            for name in site.files
            if name in existing
            and inside[name.rpartition("/")[0]]
            and _same_bytes(out / name, _content(site, name))
        }
    skipped = [
        name
        for name in sorted(site.files)
        if (name not in previous and name in existing) or not inside[name.rpartition("/")[0]]
    ]
    mine = set(site.files) - set(skipped)
    removed: list[str] = []
    for name in _leftovers(existing, previous | mine | {MANIFEST}):
        target = out / name
        if contains(real, target.resolve()) and target.is_file():
            target.unlink()
            removed.append(name)
    _write_manifest(out, mine | previous)  # first: a crash mid-build leaves a folder we own
    written: list[str] = []
    unchanged: list[str] = []
    folders = {out}
    for name in sorted(mine):
        data = _content(site, name)
        target = out / name
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        fresh = _atomic_write(target, data, exists=name in existing)
        (written if fresh else unchanged).append(name)
    for name in sorted(previous - set(site.files)):
        target = out / name
        if contains(real, target.resolve()) and target.is_file():
            target.unlink()
            removed.append(name)
    record = None
    if not skipped and remember_said(out, site.fingerprint, _said(site)):
        record = _record(site)  # only when what it said is kept: else never "up to date"
    _write_manifest(out, mine, record)
    return WriteResult(
        tuple(written), tuple(unchanged), tuple(removed), tuple(skipped), last.damaged
    )
