"""Deck text to :class:`~podium.model.Deck`, parsed on markdown-it tokens, never on HTML.

The text comes from :mod:`podium.parse.source` (decoded, one newline convention, no NUL).
The deck is cut into chunks at lines that are certainly top-level slide breaks
(:mod:`podium.parse.chunks`); each chunk parses alone to exactly the tokens it has in the whole deck
(block structure, recovery from runaway comments and deep nesting, then each slide's inline
parse, notes and HTML). So a chunk's result depends only on its text and the settings: it is
cached by their hash, and a big deck's chunks are parsed on every core.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from podium.model import Asset, Deck, Diagnostic, Slide
from podium.parse.assets import AssetResolver
from podium.parse.chunks import (
    ChunkResult,
    Group,
    candidate_breaks,
    has_references,
    last_comment_close,
    parse_chunk,
)
from podium.parse.front_matter import (
    CourseSettings,
    _key_lines,
    parse_duration,
    read_course_settings,
    read_front_matter,
    unsafe_html_request,
)
from podium.parse.markdown import make_splitter
from podium.parse.settings import deck_settings
from podium.parse.slide import SlideResult, SlideSettings, SlideTokens, still_valid
from podium.parse.source import normalise_text, without_nul
from podium.syntax.footnotes import undefined_message, unused_message
from podium.syntax.sanitize import is_reserved_id, unreserved_id
from podium.workers import run, worker_count

__all__ = ["ChunkCache", "parse_deck", "parse_deck_tokens"]

#: Below this many chunks to parse, forking workers costs more than it saves.
PARALLEL_MIN_CHUNKS = 40
#: Bump when a change to the parser changes results: old cache entries are then ignored.
CACHE_VERSION = "12"

ChunkCache = MutableMapping[str, ChunkResult]
"""Parsed chunks by the hash of their text and settings (see :func:`chunk_key`)."""


@dataclass(frozen=True)
class _Chunk:
    start: int
    """0-based deck line of the chunk's first line."""
    end: int
    """0-based deck line after its last line (the next break, or the end of the deck)."""


def parse_deck(
    text: str,
    *,
    path: str | None = None,
    resolver: AssetResolver | None = None,
    unsafe_html: bool | None = None,
    notes: bool = True,
    cache: ChunkCache | None = None,
    jobs: int | None = None,
) -> Deck:
    """Parse a deck. ``path`` is how diagnostics name the file; images resolve through
    ``resolver`` (by default, relative to ``path`` when it names a file). ``cache`` keeps
    parsed chunks between calls; ``jobs`` caps the worker processes (default: the cores)."""
    deck, _ = _parse(
        text,
        path=path,
        resolver=resolver,
        unsafe_html=unsafe_html,
        notes=notes,
        cache=cache,
        jobs=jobs,
        keep_tokens=False,
    )
    return deck


def parse_deck_tokens(
    text: str,
    *,
    path: str | None = None,
    resolver: AssetResolver | None = None,
    unsafe_html: bool | None = None,
) -> tuple[Deck, tuple[SlideTokens, ...]]:
    """The deck, and each of its slides' tokens (:class:`SlideTokens`) for an export that
    reads tokens rather than HTML. Parsed afresh in this process: no cache, no workers."""
    deck, groups = _parse(
        text,
        path=path,
        resolver=resolver,
        unsafe_html=unsafe_html,
        notes=True,
        cache=None,
        jobs=1,
        keep_tokens=True,
    )
    tokens = tuple(g.result.tokens for g in groups if g.result.tokens is not None)
    assert len(tokens) == len(deck.slides)  # every group was parsed here, keeping its tokens
    return deck, tokens


def _parse(
    text: str,
    *,
    path: str | None,
    resolver: AssetResolver | None,
    unsafe_html: bool | None,
    notes: bool,
    cache: ChunkCache | None,
    jobs: int | None,
    keep_tokens: bool,
) -> tuple[Deck, list[Group]]:
    display = path or "<string>"
    if resolver is None and path is not None:
        resolver = AssetResolver.for_deck(Path(path))
    lines = normalise_text(text).split("\n")
    if len(lines) > 1 and not lines[-1]:
        lines.pop()  # the empty string after a final newline is not a line
    front = read_front_matter(lines, path=display)
    # Only the person building lowers the guard (the flag, or the course's settings); a
    # deck asking in its front matter gets a warning.
    course = read_course_settings(resolver.project_root) if resolver else CourseSettings()
    unsafe = unsafe_html if unsafe_html is not None else course.unsafe_html
    request = unsafe_html_request(lines, front, allowed=unsafe, path=display)
    source = [""] * (front.end_line + 1) + lines[front.end_line + 1 :]
    settings = SlideSettings(display, resolver, unsafe, notes, _references(source), keep_tokens)
    breaks = candidate_breaks(source)
    bounds = [front.end_line, *breaks, len(source)]
    chunks = [_Chunk(a + 1, b) for a, b in itertools.pairwise(bounds)]
    results = _parse_chunks(source, chunks, settings, cache, jobs)
    groups = [g for chunk, result in zip(chunks, results, strict=True)
              for g in result.moved(chunk.start).groups]  # fmt: skip
    # A break at the very start or end of the deck adds no empty slide.
    if len(groups) > 1 and groups[0].empty:
        groups.pop(0)
    if len(groups) > 1 and groups[-1].empty:
        groups.pop()
    if len(groups) == 1 and groups[0].empty:
        groups.clear()
    diagnostics = [*front.diagnostics, *course.diagnostics, *([request] if request else [])]
    logo_line = _key_lines(lines, front.end_line).get("logo", 2) if "logo" in front.meta else 2
    shown = deck_settings(front.meta, course, resolver, path=display, key_line=logo_line)
    diagnostics.extend(shown.diagnostics)
    for chunk, result in zip(chunks, results, strict=True):
        diagnostics.extend(replace(d, line=d.line + chunk.start) for d in result.diagnostics)
    slides, assets = _slides(groups, source, diagnostics, settings)
    dependencies = _dependencies(groups, resolver)
    assets.update({a.target: a for a in shown.assets})
    if shown.dependencies:
        dependencies = tuple(sorted({*dependencies, *shown.dependencies}))
    if resolver:  # the course's settings ([tool.podium]) change the build too
        settings_file = str(resolver.project_root / "pyproject.toml")
        dependencies = tuple(sorted({*dependencies, settings_file}))
    if not slides:
        diagnostics.append(Diagnostic(display, 1, 1, "warning", "deck-empty", "deck has no slides"))
    deck = Deck(
        path=display,
        slides=tuple(slides),
        meta=MappingProxyType(without_nul(dict(front.meta))),
        aspect=str(front.meta.get("aspect", "16:9")),
        duration_seconds=_duration(front.meta),
        assets=tuple(assets[k] for k in sorted(assets)),
        diagnostics=tuple(sorted(diagnostics, key=Diagnostic.sort_key)),
        dependencies=dependencies,
        unsafe_html=unsafe,
        settings=shown.settings,
    )
    return deck, groups


def _duration(meta: Mapping[str, Any]) -> int | None:
    """Seconds of the front matter's ``duration`` (already checked: it reads as a length)."""
    value = meta.get("duration")
    return None if value is None else parse_duration(value)


def _dependencies(groups: list[Group], resolver: AssetResolver | None) -> tuple[str, ...]:
    if resolver is None:
        return ()
    found: set[str] = set()
    for group in groups:
        for reference, resolved in group.result.images:
            # Every place looked at, found or not: an image refused or missing, or one a
            # new file would shadow, changes the build when those places change.
            found.update(resolver.looked_at(reference))
            if resolved.status == "ok":
                found.add(resolved.source)
    return tuple(sorted(found))


def _references(source: list[str]) -> dict[str, Any]:
    """Link reference definitions of the whole deck: the rare decks with any pay for one
    block-level pass, so a chunk can use a definition made in another."""
    text = "\n".join(source)
    if not has_references(text):
        return {}
    env: dict[str, Any] = {}
    make_splitter().parse(text, env)
    return dict(env.get("references", {}))


def _slides(
    groups: list[Group], source: list[str], diagnostics: list[Diagnostic], settings: SlideSettings
) -> tuple[list[Slide], dict[str, Asset]]:
    slides: list[Slide] = []
    # What shapes a slide besides its text: a slide's hash covers them all, so what is
    # cached by it (rendered parts) can never go stale.
    shaping = repr((CACHE_VERSION, settings.unsafe_html, settings.notes, settings.references_key))
    assets: dict[str, Asset] = {}
    used_ids: set[str] = set()
    diagnostics.extend(_footnote_diagnostics(groups))
    for index, group in enumerate(groups, start=1):
        result = group.result
        diagnostics.extend(result.diagnostics)
        assets.update({a.target: a for a in result.assets})
        slide_id = result.explicit_id or _slug(result.title) or f"slide-{index}"
        if is_reserved_id(slide_id):  # a title such as "Podium data" (explicit ids are done)
            diagnostics.append(_reserved_slide_id(settings.path, group.start + 1, slide_id))
            slide_id = unreserved_id(slide_id)
        if slide_id in used_ids:
            slide_id = f"{slide_id}-{index}"
        used_ids.add(slide_id)
        text = "\n".join(source[group.start : group.end + 1])
        # A slide's line is its first written line (its heading, say), not the blank one
        # after `---`: that is where a slide's warnings (slide-overflow, slide-dense) point.
        first = next(
            (i for i in range(group.start, group.end + 1) if source[i].strip()), group.start
        )
        slides.append(
            Slide(
                index=index,
                line=first + 1,
                end_line=max(group.end, group.start) + 1,
                layout=result.layout,
                id=slide_id,
                classes=result.classes,
                attrs=result.attrs,
                title=result.title,
                html=result.html,
                notes=result.notes,
                steps=result.steps,
                polls=result.polls,
                source_hash=_slide_hash(shaping, result, text),
            )
        )
    return slides, assets


def _footnote_diagnostics(groups: list[Group]) -> list[Diagnostic]:
    """Each slide's footnote warnings, saying which other slide defines the label a slide
    refers to in vain, or refers to the label a slide defines in vain (footnotes are per
    slide: the usual slip is a definition written on the slide after)."""
    defined: dict[str, int] = {}
    referred: dict[str, int] = {}
    for index, group in enumerate(groups, start=1):
        for label in group.result.footnote_labels:
            defined.setdefault(label, index)
        for label, issue in group.result.footnote_issues:
            if issue.code == "footnote-undefined":
                referred.setdefault(label, index)
    found: list[Diagnostic] = []
    for group in groups:
        for label, issue in group.result.footnote_issues:
            if issue.code == "footnote-undefined" and label in defined:
                issue = replace(issue, message=undefined_message(label, defined[label]))
            elif issue.code == "footnote-unused" and label in referred:
                issue = replace(issue, message=unused_message(label, referred[label]))
            found.append(issue)
    return found


def _reserved_slide_id(path: str, line: int, slide_id: str) -> Diagnostic:
    return Diagnostic(
        path,
        line,
        1,
        "warning",
        "id-reserved",
        f"the slide's id {slide_id!r} (from its title) is reserved for the views; "
        f"it is {unreserved_id(slide_id)!r}",
        "give the slide its own id, such as {#my-slide}",
    )


def _slide_hash(shaping: str, result: SlideResult, text: str) -> str:
    digest = hashlib.blake2b(f"{shaping}\0{result.images!r}\0".encode(), digest_size=16)
    digest.update(text.encode())
    return digest.hexdigest()


def chunk_key(
    lines: Sequence[str],
    settings: SlideSettings,
    *,
    next_break: str | None,
    comment_closes_later: bool = False,
) -> str:
    """The cache key of a chunk: its text and every setting that shapes its result."""
    basis = (
        CACHE_VERSION,
        settings.path,
        settings.unsafe_html,
        settings.notes,
        next_break,
        comment_closes_later,
        settings.references_key,
    )
    digest = hashlib.blake2b(repr(basis).encode(), digest_size=16)
    digest.update("\n".join(lines).encode())
    return digest.hexdigest()


def _parse_chunks(
    source: list[str],
    chunks: list[_Chunk],
    settings: SlideSettings,
    cache: ChunkCache | None,
    jobs: int | None,
) -> list[ChunkResult]:
    """Parse every chunk (cached, in parallel), merging chunks that end inside a block."""
    last_close = last_comment_close(source)
    results = _parse_all(source, chunks, settings, cache, jobs, last_close)
    position = 0
    while position < len(chunks) - 1:
        if results[position].open_at_end:
            merged = _Chunk(chunks[position].start, chunks[position + 1].end)
            chunks[position : position + 2] = [merged]
            results[position : position + 2] = _parse_all(
                source, [merged], settings, cache, 1, last_close
            )
        else:
            position += 1
    return results


def _parse_all(
    source: list[str],
    chunks: list[_Chunk],
    settings: SlideSettings,
    cache: ChunkCache | None,
    jobs: int | None,
    last_close: int,
) -> list[ChunkResult]:
    """Parse chunks; ``last_close`` is the deck's last line holding ``-->``."""
    work = [
        (
            source[c.start : c.end],
            source[c.end] if c.end < len(source) else None,
            last_close > c.end,
        )
        for c in chunks
    ]
    keys = [
        chunk_key(lines, settings, next_break=after, comment_closes_later=later)
        for lines, after, later in work
    ]
    results: list[ChunkResult | None] = [None] * len(chunks)
    if cache is not None:
        for position, key in enumerate(keys):
            hit = cache.get(key)
            if hit is not None and _still_valid(hit, settings):
                results[position] = hit
    missing = [position for position, result in enumerate(results) if result is None]
    todo = [work[p] for p in missing]
    workers = worker_count(len(todo), minimum=PARALLEL_MIN_CHUNKS, jobs=jobs)
    computed = run(_parse_work, settings, todo, workers)
    for position, result in zip(missing, computed, strict=True):
        results[position] = result
        if cache is not None:
            cache[keys[position]] = result
    return [r for r in results if r is not None]


def _still_valid(result: ChunkResult, settings: SlideSettings) -> bool:
    return all(still_valid(group.result, settings.resolver) for group in result.groups)


def _parse_work(settings: SlideSettings, work: tuple[list[str], str | None, bool]) -> ChunkResult:
    lines, next_break, closes_later = work
    return parse_chunk(lines, settings, next_break=next_break, comment_closes_later=closes_later)


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")
    return f"s-{slug}" if slug[:1].isdigit() else slug
