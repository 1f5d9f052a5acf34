"""Deck text to :class:`~podium.model.Deck`: parse once on markdown-it tokens, then split.

The whole deck is parsed in one pass (token maps keep source lines), recovered from the
two ways markdown-it silently loses content (an unclosed ``<!--`` and nesting past
``maxNesting`` both swallow the rest of the file), then split into slides on top-level
thematic breaks. Nothing here reads files, except image look-ups through the resolver.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from markdown_it import MarkdownIt
from markdown_it.token import Token

from podium.assets import AssetResolver
from podium.config import read_front_matter
from podium.layout import SlideContent, infer_layout, normalise_layout
from podium.model import Deck, Diagnostic, Note, Slide
from podium.syntax.attributes import apply_attrs, attributes_plugin
from podium.syntax.attrs import Attrs
from podium.syntax.code import code_plugin
from podium.syntax.env import ENV_KEY, ParseEnv
from podium.syntax.html import html_plugin
from podium.syntax.media import media_plugin
from podium.syntax.notes import SEPARATOR_LINE, RawNote, notes_plugin

#: markdown-it's commonmark preset stops at 20 and then silently drops the rest of the
#: document; real decks never nest this deep, and the parse reports it when one does.
MAX_NESTING = 100
_SETEXT_DASHES = re.compile(r"^ {0,3}-{3,}[ \t]*$")
_PAUSE = re.compile(r"^\.[ \t]+\.[ \t]+\.$")
# Rough capacity of a slide at the smallest type the theme shrinks to (body 28 canvas px).
DENSE_LINES = 24
CHARS_PER_LINE = 90


@functools.cache
def make_markdown() -> MarkdownIt:
    """The one markdown-it configuration: CommonMark + tables + strikethrough + the dialect."""
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough"])
    notes_plugin(md)
    attributes_plugin(md)
    media_plugin(md)
    code_plugin(md)
    html_plugin(md)
    return md


def decode_source(data: bytes, *, path: str) -> tuple[str, list[Diagnostic]]:
    """Bytes of a deck file to text; bytes that are not UTF-8 are an error at their position.

    The text is still returned (with U+FFFD for bad bytes) so every other problem shows too.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
        return text, [
            Diagnostic(
                path, 1, 1, "error", "encoding", "file is UTF-16, not UTF-8", "re-save it as UTF-8"
            )
        ]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        start = exc.start
        line_start = data.rfind(b"\n", 0, start) + 1
        line = data.count(b"\n", 0, start) + 1
        col = len(data[line_start:start].decode("utf-8", errors="replace")) + 1
        byte = data[start]
        hint = "re-save the file as UTF-8"
        if 0x80 <= byte <= 0x9F:
            hint = "it looks like Windows-1252; " + hint
        elif byte >= 0xA0:
            hint = "it looks like Latin-1; " + hint
        bad = sum(1 for _ in _bad_positions(data))
        more = f" (and {bad - 1} more)" if bad > 1 else ""
        diagnostic = Diagnostic(
            path, line, col, "error", "encoding", f"not valid UTF-8: byte 0x{byte:02X}{more}", hint
        )
        return data.decode("utf-8", errors="replace"), [diagnostic]


def _bad_positions(data: bytes) -> Iterator[int]:
    position = 0
    while position < len(data):
        try:
            data[position:].decode("utf-8")
            return
        except UnicodeDecodeError as exc:
            yield position + exc.start
            position += exc.end


def normalise_text(text: str) -> str:
    """One newline convention: CRLF, CR and LF files give the same deck."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass
class _Parsed:
    tokens: list[Token]
    env: ParseEnv
    extra: list[Diagnostic] = field(default_factory=list)


def parse_deck(
    text: str,
    *,
    path: str | None = None,
    resolver: AssetResolver | None = None,
    unsafe_html: bool | None = None,
    notes: bool = True,
) -> Deck:
    """Parse a deck. ``path`` is how diagnostics name the file; images resolve through
    ``resolver`` (by default, relative to ``path`` when it names a file)."""
    display = path or "<string>"
    if resolver is None and path is not None:
        resolver = AssetResolver.for_deck(Path(path))
    text = normalise_text(text)
    lines = text.split("\n")
    front = read_front_matter(lines, path=display)
    body_lines = [""] * (front.end_line + 1) + lines[front.end_line + 1 :]
    unsafe = unsafe_html if unsafe_html is not None else front.meta.get("html") == "unsafe"
    parsed = _parse_recovering(body_lines, lines, display, resolver, unsafe)
    diagnostics = [*front.diagnostics, *parsed.extra]
    _check_setext(parsed, lines)
    slides = list(_assemble_slides(parsed, lines, front.end_line + 1, unsafe, notes))
    diagnostics.extend(parsed.env.diagnostics)
    if not slides:
        diagnostics.append(Diagnostic(display, 1, 1, "warning", "deck-empty", "deck has no slides"))
    unique = sorted(set(diagnostics), key=Diagnostic.sort_key)
    assets = tuple(parsed.env.assets[k] for k in sorted(parsed.env.assets))
    return Deck(
        path=display,
        slides=tuple(slides),
        meta=MappingProxyType(dict(front.meta)),
        assets=assets,
        diagnostics=tuple(unique),
    )


def _parse_recovering(
    body_lines: list[str],
    lines: list[str],
    display: str,
    resolver: AssetResolver | None,
    unsafe: bool,
) -> _Parsed:
    """Parse, and re-parse around the two ways markdown-it drops the rest of a file."""
    md = make_markdown()
    source = list(body_lines)
    extra: list[Diagnostic] = []
    for _ in range(len(source) + 1):
        env = ParseEnv(path=display, lines=lines, resolver=resolver, unsafe_html=unsafe)
        tokens = md.parse("\n".join(source), {ENV_KEY: env})
        if env.unclosed_comments:
            opener = env.unclosed_comments[0]
            extra.append(
                Diagnostic(
                    display,
                    opener + 1,
                    1,
                    "error",
                    "comment-unterminated",
                    "speaker note '<!--' is never closed; it would hide the rest of the deck",
                    "close it with --> (read here as ending at the next slide separator)",
                )
            )
            _close_comment(source, opener)
            continue
        deep = next((t for t in tokens if t.level >= MAX_NESTING - 1 and t.map), None)
        if deep is not None and deep.map is not None:
            start = deep.map[0]
            end = next(
                (
                    i
                    for i in range(start + 1, len(source))
                    if SEPARATOR_LINE.match(source[i])
                    and not source[i].startswith(" ")
                    and not source[i - 1].strip()
                ),
                len(source),
            )
            extra.append(
                Diagnostic(
                    display,
                    start + 1,
                    1,
                    "error",
                    "nesting-too-deep",
                    f"content nested more than {MAX_NESTING} levels deep; lines "
                    f"{start + 1}-{end} were left out",
                    "flatten the nested lists or quotes",
                )
            )
            source[start:end] = [""] * (end - start)
            continue
        return _Parsed(tokens, env, extra)
    raise AssertionError("recovery did not converge")  # pragma: no cover: each pass fixes one


def _close_comment(source: list[str], opener: int) -> None:
    """Close a runaway ``<!--`` just before the next slide separator (or at the end)."""
    for index in range(opener + 1, len(source)):
        if SEPARATOR_LINE.match(source[index]) and not source[index - 1].strip():
            source[index - 1] += " -->"
            return
    source[-1] += " -->"


def _check_setext(parsed: _Parsed, lines: list[str]) -> None:
    for token in parsed.tokens:
        if token.type == "heading_open" and token.markup == "-" and token.map:
            underline = token.map[1] - 1
            if 0 <= underline < len(lines) and _SETEXT_DASHES.match(lines[underline]):
                parsed.env.report(
                    underline,
                    1,
                    "warning",
                    "setext-separator",
                    "this '---' turns the line above into a heading, not a slide break",
                    "add a blank line above '---' to start a new slide",
                )


# --- splitting and assembling slides -------------------------------------------------------


@dataclass
class _Block:
    """A top-level block: tokens[start:end] of its slide."""

    start: int
    end: int

    def opening(self, tokens: list[Token]) -> Token:
        return tokens[self.start]


def _split(tokens: list[Token]) -> list[tuple[list[Token], int | None, int | None]]:
    """Tokens between top-level breaks, with the 0-based lines of the breaks around them."""
    groups: list[tuple[list[Token], int | None, int | None]] = []
    current: list[Token] = []
    before: int | None = None
    for token in tokens:
        if token.type == "hr" and token.level == 0:
            line = token.map[0] if token.map else None
            groups.append((current, before, line))
            current, before = [], line
        else:
            current.append(token)
    groups.append((current, before, None))
    # A leading break is not an empty first slide; a trailing one is not an empty last slide.
    if len(groups) > 1 and not groups[0][0]:
        groups.pop(0)
    if len(groups) > 1 and not groups[-1][0]:
        groups.pop()
    if len(groups) == 1 and not groups[0][0]:
        return []
    return groups


def _top_blocks(tokens: list[Token]) -> list[_Block]:
    blocks: list[_Block] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.nesting == 1:
            depth, end = 0, index
            for end in range(index, len(tokens)):
                depth += tokens[end].nesting
                if depth == 0:
                    break
            blocks.append(_Block(index, end + 1))
            index = end + 1
        else:
            blocks.append(_Block(index, index + 1))
            index += 1
    return blocks


def _inline_text(token: Token | None) -> str:
    if token is None or not token.children:
        return token.content.strip() if token is not None else ""
    parts: list[str] = []
    for child in token.children:
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _classes(token: Token) -> tuple[str, ...]:
    attrs: Attrs | None = token.meta.get("attrs")
    return attrs.classes if attrs else ()


def _is_images_only(tokens: list[Token], block: _Block) -> bool:
    if tokens[block.start].type != "paragraph_open":
        return False
    inline = tokens[block.start + 1]
    children = inline.children or []
    has_image = any(c.type == "image" for c in children)
    return has_image and all(
        c.type in {"image", "softbreak", "podium_note"}
        or (c.type == "text" and not c.content.strip())
        for c in children
    )


def _is_background(tokens: list[Token], block: _Block) -> bool:
    if not _is_images_only(tokens, block):
        return False
    images = [c for c in tokens[block.start + 1].children or [] if c.type == "image"]
    return all("background" in _classes(image) for image in images)


def _collect_notes(tokens: list[Token]) -> list[RawNote]:
    found: list[RawNote] = []
    for token in tokens:
        found.extend(token.meta.get("notes", ()))
        for child in token.children or ():
            note = child.meta.get("note") if child.type == "podium_note" else None
            if note is not None:
                found.append(note)
    return found


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")
    return f"s-{slug}" if slug[:1].isdigit() else slug


def _assemble_slides(
    parsed: _Parsed, lines: list[str], first_line: int, unsafe: bool, with_notes: bool
) -> Iterator[Slide]:
    env = parsed.env
    md = make_markdown()
    used_ids: set[str] = set()
    last_line = max(len(lines) - 1, 0)
    if lines and lines[-1] == "" and last_line > 0:
        last_line -= 1  # the empty string after a final newline is not a line
    for index, (tokens, before, after) in enumerate(_split(parsed.tokens), start=1):
        start = first_line if before is None else before + 1
        end = last_line if after is None else after - 1
        end = max(end, start)
        slide = _SlideBuilder(tokens, env, md, index, start, end)
        source = "\n".join(lines[start : end + 1])
        slide_id = slide.attrs.id or _slug(slide.title) or f"slide-{index}"
        if slide_id in used_ids:
            slide_id = f"{slide_id}-{index}"
        used_ids.add(slide_id)
        notes = tuple(_render_note(raw, env, md) for raw in slide.notes) if with_notes else ()
        digest = hashlib.sha256(f"{unsafe}\0{source}".encode()).hexdigest()[:16]
        yield Slide(
            index=index,
            line=start + 1,
            end_line=end + 1,
            layout=slide.layout,
            id=slide_id,
            classes=slide.attrs.classes,
            attrs=tuple((k, v) for k, v in slide.attrs.pairs if k != "layout"),
            title=slide.title,
            html=slide.html,
            notes=notes,
            steps=slide.steps,
            source_hash=digest,
        )


def _render_note(raw: RawNote, env: ParseEnv, md: MarkdownIt) -> Note:
    note_env = ParseEnv(
        path=env.path,
        lines=env.lines,
        resolver=env.resolver,
        unsafe_html=env.unsafe_html,
        line_offset=raw.text_line0,
        in_note=True,
    )
    tokens = md.parse(raw.markdown, {ENV_KEY: note_env})
    env.diagnostics.extend(note_env.diagnostics)
    env.assets.update(note_env.assets)
    html = md.renderer.render(tokens, md.options, {})
    return Note(markdown=raw.markdown, html=html, line=raw.line0 + 1)


class _SlideBuilder:
    """Reads one slide's tokens: attributes, title, layout, steps, columns, HTML."""

    def __init__(
        self, tokens: list[Token], env: ParseEnv, md: MarkdownIt, index: int, start: int, end: int
    ) -> None:
        self.tokens = tokens
        self.env = env
        self.index = index
        self.start = start
        self.attrs = Attrs()
        self.notes = _collect_notes(tokens)
        blocks = _top_blocks(tokens)
        content = self._attach_attribute_paragraphs(blocks)
        self.title, layout_facts = self._read_headings(content)
        self.steps = self._number_steps(content)
        self.layout = self._layout(layout_facts)
        self.html = self._render(md, content)
        self._check_density(content)

    def _attach_attribute_paragraphs(self, blocks: list[_Block]) -> list[_Block]:
        """Slide attributes, ``{.column}`` breaks and next-block attributes; returns the rest."""
        tokens = self.tokens
        content: list[_Block] = []
        pending: Attrs | None = None
        for block in blocks:
            opening = block.opening(tokens)
            if opening.type == "html_block" and not opening.content:
                continue  # notes only
            attrs: Attrs | None = opening.meta.get("attrs_only")
            if attrs is not None:
                if "column" in attrs.classes:
                    if content:
                        content[-1].opening(tokens).meta["column_after"] = True
                    continue
                if not content and pending is None:
                    self.attrs = self.attrs.merged(attrs)
                else:
                    pending = pending.merged(attrs) if pending else attrs
                continue
            if pending is not None:
                apply_attrs(opening, pending)
                pending = None
            content.append(block)
        if pending is not None:
            self.attrs = self.attrs.merged(pending)
        return content

    def _read_headings(self, content: list[_Block]) -> tuple[str, SlideContent]:
        tokens = self.tokens
        h1 = h2 = big = None
        title_is_big = False
        body = 0
        image_only = True
        self.body_blocks: list[_Block] = []
        for block in content:
            opening = block.opening(tokens)
            inline = tokens[block.start + 1] if block.end - block.start > 2 else None
            is_big = "big" in _classes(opening)
            if opening.type == "heading_open" and opening.tag == "h1" and h1 is None:
                h1 = inline
                title_is_big = is_big
                continue
            if opening.type == "heading_open" and opening.tag == "h2" and h2 is None:
                h2 = inline
                continue
            if is_big and opening.type in {"paragraph_open", "heading_open"}:
                big = big or inline
                continue
            if _is_background(tokens, block) or self._is_pause(block):
                continue
            body += 1
            image_only = image_only and _is_images_only(tokens, block)
            self.body_blocks.append(block)
        columns = 1 + sum(
            1 for b in self.body_blocks[:-1] if b.opening(tokens).meta.get("column_after")
        )
        facts = SlideContent(
            has_title=h1 is not None,
            has_subtitle=h2 is not None,
            title_is_big=title_is_big,
            has_big_point=big is not None,
            body_blocks=body,
            image_only_body=image_only,
            columns=columns,
        )
        title = _inline_text(h1) or _inline_text(big) or _inline_text(h2)
        return title, facts

    def _is_pause(self, block: _Block) -> bool:
        opening = self.tokens[block.start]
        return opening.type == "paragraph_open" and bool(
            _PAUSE.match(self.tokens[block.start + 1].content.strip())
        )

    def _layout(self, facts: SlideContent) -> str:
        inferred = infer_layout(facts)
        wanted = self.attrs.get("layout")
        if wanted is None:
            return inferred
        layout = normalise_layout(wanted)
        if layout is None:
            self.env.report(
                self.start,
                1,
                "warning",
                "layout-unknown",
                f"unknown layout {wanted!r}; using {inferred!r}",
                "layouts: title, section, big, big-body, columns, image, body, blank",
            )
            return inferred
        return layout

    def _number_steps(self, content: list[_Block]) -> int:
        """Mark what appears step by step: blocks after ``. . .``, items of incremental lists."""
        step = 0
        revealed = 0
        for block in content:
            opening = block.opening(self.tokens)
            if self._is_pause(block):
                step += 1
                revealed = step
                continue
            if revealed:
                opening.attrSet("data-step", str(revealed))
            if opening.type in {"bullet_list_open", "ordered_list_open"} and (
                "incremental" in _classes(opening)
            ):
                for token in self.tokens[block.start : block.end]:
                    if token.type == "list_item_open" and token.level == opening.level + 1:
                        step += 1
                        token.attrSet("data-step", str(step))
                revealed = step if revealed else 0
        return step

    def _render(self, md: MarkdownIt, content: list[_Block]) -> str:
        tokens = self.tokens
        visible = [b for b in content if not self._is_pause(b)]
        columns: list[list[_Block]] = [[]]
        header: list[_Block] = []
        body_ids = {id(b) for b in self.body_blocks}
        for block in visible:
            if not columns[0] and id(block) not in body_ids and len(columns) == 1:
                header.append(block)
                continue
            columns[-1].append(block)
            if block.opening(tokens).meta.get("column_after") and block is not visible[-1]:
                columns.append([])

        def render(blocks: list[_Block]) -> str:
            selected = [t for b in blocks for t in tokens[b.start : b.end]]
            return str(md.renderer.render(selected, md.options, {}))

        if len(columns) < 2:
            return render(visible)
        inner = "".join(f'<div class="column">\n{render(c)}</div>\n' for c in columns)
        return f'{render(header)}<div class="columns">\n{inner}</div>\n'

    def _check_density(self, content: list[_Block]) -> None:
        lines = 0.0
        for token in (t for b in content for t in self.tokens[b.start : b.end]):
            if token.type == "inline":
                text = _inline_text(token)
                lines += max(1, -(-len(text) // CHARS_PER_LINE))
                lines += 2 * sum(1 for c in token.children or () if c.type == "image")
            elif token.type in {"fence", "code_block"}:
                lines += 0.8 * token.content.count("\n")
        if lines > DENSE_LINES:
            self.env.report(
                self.start,
                1,
                "warning",
                "slide-dense",
                f"slide {self.index} holds about {int(lines)} lines of content; it is shrunk "
                f"to fit and may be hard to read",
                "split it into two slides, or move detail into the speaker notes",
            )
