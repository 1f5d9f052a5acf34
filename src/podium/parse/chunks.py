"""Cutting a deck into chunks that parse alone exactly as they parse in the whole deck.

A line of ``---`` (or ``***``, ``___``) at column 0, after a blank line, outside a top-level
fenced code block or HTML block, is a top-level thematic break: nothing that could be open
before it survives a blank line followed by an unindented line, except a fenced code block or
an HTML block of CommonMark's kinds 1-5 (comments, ``<script>``, ...), which the scanner
follows. Text between such breaks therefore parses alone to the same tokens as in the whole
deck, so chunks are the unit of caching and of parallel work. The scanner only proposes: a
chunk is parsed together with the break line that follows it: when that line does not come
out as a top-level break (the chunk ends inside an unclosed fence or HTML block), the caller
merges the chunk with the next one, so a wrong guess costs time, never correctness.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from markdown_it.token import Token

from podium.model import Diagnostic
from podium.parse.markdown import MAX_NESTING, make_splitter
from podium.parse.slide import SlideResult, SlideSettings, process_slide
from podium.syntax.env import ParseEnv
from podium.syntax.notes import SEPARATOR_LINE, find_comments

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_SETEXT_DASHES = re.compile(r"^ {0,3}-{3,}[ \t]*$")
# CommonMark's HTML blocks that blank lines do not end (kinds 1-5), and what ends each.
_HTML_KIND_1 = re.compile(r"^ {0,3}<(script|pre|style|textarea)(?:\s|>|$)", re.IGNORECASE)
_HTML_KIND_1_END = re.compile(r"</(?:script|pre|style|textarea)>", re.IGNORECASE)
_COMMENT_END = "-->"
_HTML_OTHER = (("<!--", _COMMENT_END), ("<?", "?>"), ("<![CDATA[", "]]>"))
_HTML_DECLARATION = re.compile(r"^ {0,3}<![A-Za-z]")
# First characters of lines that can break, or open a fence or an HTML block ("" is blank).
_MAY_MATTER = frozenset("-*_`~<")
_REFERENCE = re.compile(r"^ {0,3}\[(?:[^\]\\]|\\.)+\]:", re.MULTILINE)


def has_references(text: str) -> bool:
    """Whether the deck may define link references (``[x]: url``), which cross chunks."""
    return bool(_REFERENCE.search(text))


def candidate_breaks(lines: Sequence[str]) -> list[int]:
    """0-based lines that are top-level slide breaks (see the module docstring).

    A ``<!--`` that no later line closes is cut at the next break: the parse closes it
    there (``comment-unterminated``), so each such comment costs one chunk, not a re-parse
    of the rest of the deck (one re-parse per such comment is quadratic in the slides).
    """
    found: list[int] = []
    fence: tuple[str, int] | None = None
    html_end: re.Pattern[str] | str | None = None
    last_close = last_comment_close(lines)
    for index, line in enumerate(lines):
        if fence is not None:
            stripped = line.strip(" \t")
            char, length = fence
            if (
                stripped.startswith(char * length)
                and not stripped.strip(char)
                and len(line) - len(line.lstrip(" ")) < 4
            ):
                fence = None
            continue
        if html_end is not None:
            if html_end == _COMMENT_END and index > last_close and _is_break(lines, index):
                html_end = None
                found.append(index)
                continue
            ended = html_end.search(line) if isinstance(html_end, re.Pattern) else html_end in line
            if ended:
                html_end = None
            continue
        if line[:4].lstrip(" ")[:1] not in _MAY_MATTER:
            continue  # most lines: text, lists, headings; nothing here opens or breaks
        if _is_break(lines, index):
            found.append(index)
            continue
        opened = _FENCE.match(line)
        if opened and not (opened.group(1)[0] == "`" and "`" in opened.group(2)):
            fence = (opened.group(1)[0], len(opened.group(1)))
            continue
        html_end = _html_block_end(line)
    return found


def last_comment_close(lines: Sequence[str]) -> int:
    """0-based index of the last line holding ``-->`` (-1 when none does)."""
    for index in range(len(lines) - 1, -1, -1):
        if _COMMENT_END in lines[index]:
            return index
    return -1


def _is_break(lines: Sequence[str], index: int) -> bool:
    """A separator line at column 0 after a blank line: a slide break at the top level."""
    line = lines[index]
    return bool(
        index
        and not line.startswith((" ", "\t"))
        and SEPARATOR_LINE.match(line)
        and not lines[index - 1].strip(" \t")
    )


def _html_block_end(line: str) -> re.Pattern[str] | str | None:
    """What ends an HTML block of kinds 1-5 opening on this line (None: no such block)."""
    if len(line) - len(line.lstrip(" ")) > 3:
        return None
    stripped = line.lstrip(" ")
    if _HTML_KIND_1.match(line):
        return None if _HTML_KIND_1_END.search(stripped) else _HTML_KIND_1_END
    for opener, closer in _HTML_OTHER:
        if stripped.startswith(opener):
            return None if closer in stripped[len(opener) :] else closer
    if _HTML_DECLARATION.match(line):
        return None if ">" in stripped else ">"
    return None


@dataclass(frozen=True)
class Group:
    """One slide found in a chunk: its lines (relative to the chunk) and its result."""

    start: int
    end: int
    """Last line; ``end < start`` for the empty slide between two breaks in a row."""
    empty: bool
    """Nothing but blank lines: dropped when it leads or trails the deck."""
    result: SlideResult


@dataclass(frozen=True)
class ChunkResult:
    """A parsed chunk, lines relative to its first line."""

    groups: tuple[Group, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    open_at_end: bool = False
    """The chunk ends inside an unclosed fence or HTML block: merge it with the next."""
    references: dict[str, Any] = field(default_factory=dict)

    def moved(self, offset: int) -> ChunkResult:
        return replace(
            self,
            groups=tuple(
                replace(
                    g, start=g.start + offset, end=g.end + offset, result=g.result.moved(offset)
                )
                for g in self.groups
            ),
            diagnostics=tuple(replace(d, line=d.line + offset) for d in self.diagnostics),
        )


def parse_chunk(
    lines: list[str],
    settings: SlideSettings,
    *,
    next_break: str | None,
    comment_closes_later: bool = False,
) -> ChunkResult:
    """Parse one chunk: block structure (recovering from runaway comments and nesting), then
    every slide in it. ``next_break`` is the break line after the chunk (None for the last):
    it is parsed with the chunk, and must come out as a top-level break, or the chunk ends
    inside something still open (a fence, an HTML block) and must be merged with the next.
    ``comment_closes_later``: a line after the chunk holds ``-->``, so a comment open at its
    end runs on into the next chunk (merge) instead of being closed here.

    Each pass of the recovery fixes one problem further down than the last (it only ever
    closes a top-level comment that runs to the end, or blanks lines nested too deep), so
    the passes are fewer than its lines; the chunker keeps them to about one.
    """
    source = list(lines)
    diagnostics: list[Diagnostic] = []
    md = make_splitter()
    for _ in range(2 * len(source) + 2):
        env: dict[str, Any] = {}  # the chunk's own link references; the deck's are settings
        text = "\n".join(source if next_break is None else [*source, next_break])
        tokens = md.parse(text, env)
        opener = _runaway_comment(tokens)
        if opener is not None and opener < len(source):
            if next_break is not None and comment_closes_later:
                return ChunkResult(open_at_end=True)
            diagnostics.append(_unterminated(settings.path, opener))
            _close_comment(source, opener)
            continue
        if next_break is not None:
            if not _ends_with_break(tokens, len(source)):
                return ChunkResult(open_at_end=True)
            tokens.pop()
        deep = next((t for t in tokens if t.level >= MAX_NESTING - 1 and t.map), None)
        if deep is not None and deep.map is not None:
            start = deep.map[0]
            end = _next_break(source, start)
            diagnostics.append(_too_deep(settings.path, start, end))
            source[start:end] = [""] * (end - start)
            continue
        diagnostics.extend(_setext_warnings(tokens, lines, settings.path))
        diagnostics.extend(_unclosed_fences(tokens, source, settings.path))
        diagnostics.extend(_unclosed_html(tokens, source, settings.path))
        groups = tuple(_groups(tokens, source, settings))
        return ChunkResult(groups, tuple(diagnostics), references=env.get("references", {}))
    raise AssertionError("recovery did not converge")  # pragma: no cover: see the docstring


def _ends_with_break(tokens: Sequence[Token], line: int) -> bool:
    last = tokens[-1] if tokens else None
    return bool(last and last.type == "hr" and last.level == 0 and last.map and last.map[0] == line)


def _groups(tokens: list[Token], source: list[str], settings: SlideSettings) -> Iterator[Group]:
    bounds: list[tuple[int, int, list[Token]]] = []
    before, current = -1, list[Token]()
    for token in tokens:
        if token.type == "hr" and token.level == 0 and token.map:
            bounds.append((before, token.map[0], current))
            before, current = token.map[0], []
        else:
            current.append(token)
    bounds.append((before, len(source), current))
    for before, after, group_tokens in bounds:
        env = ParseEnv(
            path=settings.path,
            lines=source,
            resolver=settings.resolver,
            unsafe_html=settings.unsafe_html,
        )
        start, end = before + 1, after - 1
        result = process_slide(group_tokens, env, settings, start=start)
        yield Group(start, end, not group_tokens, result)


def _runaway_comment(tokens: Sequence[Token]) -> int | None:
    """0-based line of a top-level ``<!--`` that is never closed, so runs to the end.

    Only a block that opens with the comment runs away: an HTML block of another kind ends
    at a blank line, and one in a list item or a quote ends with it; the notes rule reports
    a comment left open in those, and it hides nothing beyond its block.
    """
    for token in tokens:
        if (
            token.type != "html_block"
            or token.level
            or not token.content.lstrip(" ").startswith("<!--")
        ):
            continue
        first = next(find_comments(token.content), None)
        if first is not None and first.end < 0:
            return token.map[0] if token.map else 0
    return None


def _close_comment(source: list[str], opener: int) -> None:
    """Close a runaway ``<!--`` just before the next slide break (or at the end)."""
    end = _next_break(source, opener)
    target = end - 1
    while target > opener and not source[target]:
        target -= 1
    source[target] += " -->"


def _next_break(source: list[str], after: int) -> int:
    for index in range(after + 1, len(source)):
        if _is_break(source, index):
            return index
    return len(source)


def _unterminated(path: str, opener: int) -> Diagnostic:
    return Diagnostic(
        path,
        opener + 1,
        1,
        "error",
        "comment-unterminated",
        "speaker note '<!--' is never closed; it would hide the rest of the deck",
        "close it with --> (read here as ending at the next slide separator)",
    )


def _too_deep(path: str, start: int, end: int) -> Diagnostic:
    return Diagnostic(
        path,
        start + 1,
        1,
        "error",
        "nesting-too-deep",
        f"content nested more than {MAX_NESTING} levels deep; "
        f"lines {start + 1}-{end} were left out",
        "flatten the nested lists or quotes",
    )


def _unclosed_fences(tokens: Sequence[Token], source: list[str], path: str) -> Iterator[Diagnostic]:
    """CommonMark runs an unclosed fence to the end of the document: say so, loudly."""
    for token in tokens:
        if token.type != "fence" or token.level != 0 or not token.map:
            continue
        start, end = token.map
        closer = source[end - 1].strip(" \t") if start < end - 1 < len(source) else ""
        marker = token.markup
        if not (closer.startswith(marker) and not closer.strip(marker[0])):
            yield Diagnostic(
                path,
                start + 1,
                1,
                "warning",
                "fence-unclosed",
                f"code block opened with {marker} is never closed: the rest of the deck is code",
                f"close it with a line of {marker}",
            )


def _unclosed_html(tokens: Sequence[Token], source: list[str], path: str) -> Iterator[Diagnostic]:
    """A raw HTML block of the kinds that run to their closing tag (``<pre>``, ``<script>``,
    ``<style>``, ``<textarea>``, ``<?``, ``<![CDATA[``, ``<!X``) swallows every slide up to it,
    or the rest of the deck: say so (comments are speaker notes, handled apart)."""
    for token in tokens:
        if token.type != "html_block" or token.level != 0 or not token.map:
            continue
        start, end = token.map
        if token.content.lstrip(" ").startswith("<!--"):
            continue
        hidden = [
            index - start
            for index in range(start + 1, min(end, len(source)))
            if _is_break(source, index)
        ]
        if not hidden:
            continue
        count = len(hidden)
        plural = "s" if count > 1 else ""
        where = ", ".join(str(n) for n in hidden[:5]) + (", ..." if count > 5 else "")
        opening = source[start].strip()[:30]
        # Lines are said relative to the block's first: a chunk's diagnostics move with it.
        yield Diagnostic(
            path,
            start + 1,
            1,
            "warning",
            "html-unclosed",
            f"raw HTML {opening!r} is never closed before the next slide: it runs across "
            f"{count} slide separator{plural} ({where} line{'' if where == '1' else 's'} "
            f"below), hiding the slide{plural} after {'them' if count > 1 else 'it'}",
            "close the element (</pre>, </script>, ?>, ]]>, ...) where it ends",
        )


def _setext_warnings(tokens: Sequence[Token], lines: list[str], path: str) -> Iterator[Diagnostic]:
    for token in tokens:
        if token.type == "heading_open" and token.markup == "-" and token.map:
            underline = token.map[1] - 1
            if 0 <= underline < len(lines) and _SETEXT_DASHES.match(lines[underline]):
                yield Diagnostic(
                    path,
                    underline + 1,
                    1,
                    "warning",
                    "setext-separator",
                    "this '---' turns the line above into a heading, not a slide break",
                    "add a blank line above '---' to start a new slide",
                )
