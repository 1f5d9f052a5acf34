"""One slide's source to its rendered parts: the unit of caching and of parallel work.

The chunk parse (:mod:`podium.parse.chunks`) finds where each slide starts on the block
level; each slide is then finished alone, so a result depends only on the slide's text and
the settings: it can be cached by their hash and computed on any core. Lines in a result
are relative to the slide's first line; :mod:`podium.parse.deck` moves them to the deck's.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from podium.model import Asset, Diagnostic, Note, Poll, Resolved
from podium.parse.assets import AssetResolver
from podium.parse.layout import SlideContent, infer_layout, normalise_layout
from podium.parse.markdown import make_markdown
from podium.parse.steps import FRAGMENT, number_steps
from podium.syntax.attributes.grammar import Attrs
from podium.syntax.attributes.plugin import apply_attrs
from podium.syntax.env import ENV_KEY, ParseEnv
from podium.syntax.notes import RawNote

_PAUSE = re.compile(r"^\.[ \t]+\.[ \t]+\.$")
# Rough capacity of a slide at the smallest type the theme shrinks to (body 28 canvas px).
DENSE_LINES = 24
MAX_COLUMNS = 4
CHARS_PER_LINE = 90


@dataclass(frozen=True)
class SlideSettings:
    """Everything besides its text that shapes a slide's result (part of the cache key)."""

    path: str
    resolver: AssetResolver | None
    unsafe_html: bool
    notes: bool
    references: Mapping[str, Any] = field(default_factory=dict)
    """Link reference definitions of the whole deck (``[x]: url`` may sit on another slide)."""
    keep_tokens: bool = False
    """Keep each slide's tokens in its result (:class:`SlideTokens`) for an export that
    reads them; never set with a chunk cache (the cache key does not cover it)."""

    @functools.cached_property
    def references_key(self) -> str:
        """A digest of :attr:`references` for cache keys: computed once per deck, not once
        per chunk or slide (a deck with thousands of definitions made that quadratic)."""
        digest = hashlib.blake2b(digest_size=16)
        for label, value in sorted(self.references.items()):
            digest.update(repr((label, str(value))).encode())
        return digest.hexdigest()


@dataclass(frozen=True)
class SlideTokens:
    """A slide's tokens after its inline parse and the dialect's rules, sorted the way the
    views lay them out: what an export that is not HTML (``podium export pptx``) reads."""

    title: Token | None
    """The inline token of the slide's h1."""
    title_is_big: bool
    """The h1 carries ``{.big}``."""
    subtitle: Token | None
    """The inline token of the first h2."""
    big_points: tuple[Token, ...]
    """Inline tokens of the paragraphs and headings marked ``{.big}`` (not the h1)."""
    columns: tuple[tuple[tuple[Token, ...], ...], ...]
    """The body's top-level blocks (each its tokens, open to close), column by column; one
    column when the slide has no ``{.column}`` break. Pauses (``. . .``) are left out."""
    backgrounds: tuple[Token, ...]
    """The image tokens marked ``{.background}``."""


@dataclass(frozen=True)
class SlideResult:
    """A parsed slide, lines relative to its first line (0-based offsets)."""

    layout: str
    title: str
    html: str
    notes: tuple[Note, ...]
    steps: int
    explicit_id: str | None
    classes: tuple[str, ...]
    attrs: tuple[tuple[str, str], ...]
    diagnostics: tuple[Diagnostic, ...]
    assets: tuple[Asset, ...]
    images: tuple[tuple[str, Resolved], ...]
    """Every image reference and how it resolved: a cached result is valid only while these
    still resolve the same way (a missing image may appear, a present one may go)."""
    polls: tuple[Poll, ...] = ()
    footnote_labels: tuple[str, ...] = ()
    """The footnote labels the slide defines."""
    footnote_issues: tuple[tuple[str, Diagnostic], ...] = ()
    """Footnote warnings by label, which the deck words (another slide may hold the label)."""
    tokens: SlideTokens | None = field(default=None, compare=False, repr=False)
    """The slide's tokens, only when :attr:`SlideSettings.keep_tokens` asked for them."""

    def moved(self, offset: int) -> SlideResult:
        """The result with its lines moved down by ``offset``."""
        if not offset:
            return self
        return replace(
            self,
            notes=tuple(replace(n, line=n.line + offset) for n in self.notes),
            diagnostics=tuple(replace(d, line=d.line + offset) for d in self.diagnostics),
            footnote_issues=tuple(
                (label, replace(d, line=d.line + offset)) for label, d in self.footnote_issues
            ),
        )


def process_slide(
    tokens: list[Token], env: ParseEnv, settings: SlideSettings, *, start: int = 0
) -> SlideResult:
    """Finish one slide whose block tokens the chunk parse made: run the inline and dialect
    rules on them, then read its layout, title, steps, HTML and notes."""
    md = make_markdown()
    # The inline rules only read the definitions: no copy (a copy per slide was quadratic).
    state = StateCore("", md, {ENV_KEY: env, "references": settings.references}, tokens)
    for rule in _after_block_rules():
        rule(state)
    builder = _SlideBuilder(tokens, env, md, start)
    notes = (
        tuple(_render_note(raw, env, step) for raw, step in builder.notes) if settings.notes else ()
    )
    return SlideResult(
        layout=builder.layout,
        title=builder.title,
        html=builder.html,
        notes=notes,
        steps=builder.steps,
        explicit_id=builder.attrs.id,
        classes=builder.attrs.classes,
        attrs=tuple((k, v) for k, v in builder.attrs.pairs if k != "layout"),
        diagnostics=tuple(env.diagnostics),
        assets=tuple(env.assets[k] for k in sorted(env.assets)),
        images=tuple(sorted(env.resolutions.items())),
        polls=tuple(env.polls),
        footnote_labels=tuple(env.footnote_labels),
        footnote_issues=tuple(env.footnote_issues),
        tokens=builder.sorted_tokens() if settings.keep_tokens else None,
    )


@functools.cache
def _after_block_rules() -> tuple[Callable[[StateCore], None], ...]:
    md = make_markdown()
    names = md.core.ruler.get_active_rules()
    rules = md.core.ruler.getRules("")
    return tuple(rule for name, rule in zip(names, rules, strict=True) if name not in _BLOCK_RULES)


_BLOCK_RULES = frozenset({"normalize", "block"})


def still_valid(result: SlideResult, resolver: AssetResolver | None) -> bool:
    """A cached result holds while each of its images resolves as it did."""
    if resolver is None:
        return True
    return all(resolver.resolve(ref) == resolved for ref, resolved in result.images)


def _render_note(raw: RawNote, env: ParseEnv, step: int) -> Note:
    note_env = ParseEnv(
        path=env.path,
        lines=env.lines,
        resolver=env.resolver,
        unsafe_html=env.unsafe_html,
        line_offset=raw.text_line0,
        in_note=True,
    )
    notes_md = make_markdown(breaks=True)
    tokens = notes_md.parse(raw.markdown, {ENV_KEY: note_env})
    env.diagnostics.extend(note_env.diagnostics)
    env.assets.update(note_env.assets)
    env.resolutions.update(note_env.resolutions)
    html = str(notes_md.renderer.render(tokens, notes_md.options, {}))
    return Note(markdown=raw.markdown, html=html, line=raw.line0 + 1, step=step)


@dataclass
class _Block:
    """A top-level block: tokens[start:end] of its slide."""

    start: int
    end: int

    def opening(self, tokens: list[Token]) -> Token:
        return tokens[self.start]


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


class _SlideBuilder:
    """Reads one slide's tokens: attributes, title, layout, steps, columns, HTML."""

    def __init__(self, tokens: list[Token], env: ParseEnv, md: MarkdownIt, start: int) -> None:
        self.tokens = tokens
        self.env = env
        self.start = start
        """0-based line of the slide's first line, in the lines ``env`` reports against."""
        self.attrs = Attrs()
        blocks = _top_blocks(tokens)
        # The footnotes (syntax.footnotes put them last) sit at the slide's foot, below any
        # columns, and are no part of its layout.
        footnotes = [b for b in blocks if b.opening(tokens).type == "footnote_block_open"]
        blocks = [b for b in blocks if b not in footnotes]
        content = self._attach_attribute_paragraphs(blocks)
        self.title, layout_facts = self._read_headings(content)
        self._place_column_attrs(layout_facts.columns)
        shown = {id(b) for b in content}
        steps = number_steps(
            tokens,
            ((b.start, b.end, id(b) in shown) for b in blocks),
            lambda start: self._is_pause(_Block(start, start + 1)),
        )
        self.steps = steps.count
        self.notes: list[tuple[RawNote, int]] = steps.notes
        self.layout = self._layout(layout_facts)
        self.html = self._render(md, content) + self._render_blocks(md, footnotes)
        self._check_density(content + footnotes)

    def _attach_attribute_paragraphs(self, blocks: list[_Block]) -> list[_Block]:
        """Slide attributes, ``{.column}`` breaks and next-block attributes; returns the rest."""
        tokens = self.tokens
        content: list[_Block] = []
        pending: Attrs | None = None
        column: Attrs | None = None
        for position, block in enumerate(blocks):
            opening = block.opening(tokens)
            if opening.type == "html_block" and not opening.content:
                continue  # notes only
            attrs: Attrs | None = opening.meta.get("attrs_only")
            if attrs is not None:
                if "column" in attrs.classes:
                    if content:
                        content[-1].opening(tokens).meta["column_after"] = True
                    # `{.column .fragment}`: the rest styles the column it starts.
                    column = attrs.without(classes=("column",)) or None
                    continue
                # A slide is never a fragment: `{.fragment}` at its start is its first block's.
                if not content and pending is None and FRAGMENT not in attrs.classes:
                    if "incremental" in attrs.classes and self._list_right_below(
                        opening, blocks[position + 1 : position + 2]
                    ):
                        # `{.incremental}` on the line above a list means that list, even
                        # at the top of a slide (the rest of the block is the slide's).
                        pending = Attrs(classes=("incremental",))
                        attrs = attrs.without(classes=("incremental",))
                    self.attrs = self.attrs.merged(attrs)
                else:
                    pending = pending.merged(attrs) if pending else attrs
                continue
            if pending is not None:
                apply_attrs(opening, pending)
                pending = None
            if column is not None:
                opening.meta["column_attrs"] = column
                column = None
            content.append(block)
        if pending is not None:
            self.attrs = self.attrs.merged(pending)
        return content

    def _list_right_below(self, paragraph: Token, following: list[_Block]) -> bool:
        """Whether the next block is a list that starts on the line after ``paragraph``."""
        if not following or paragraph.map is None:
            return False
        nxt = following[0].opening(self.tokens)
        return (
            nxt.type in {"bullet_list_open", "ordered_list_open"}
            and nxt.map is not None
            and nxt.map[0] == paragraph.map[1]
        )

    def _read_headings(self, content: list[_Block]) -> tuple[str, SlideContent]:
        tokens = self.tokens
        h1 = h2 = big = None
        self.big_points: list[Token] = []
        self.backgrounds: list[Token] = []
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
                if inline is not None:
                    self.big_points.append(inline)
                continue
            if _is_background(tokens, block):
                children = tokens[block.start + 1].children or []
                self.backgrounds.extend(c for c in children if c.type == "image")
                continue
            if self._is_pause(block):
                continue
            body += 1
            image_only = image_only and _is_images_only(tokens, block)
            self.body_blocks.append(block)
        columns = 1 + sum(
            1 for b in self.body_blocks[:-1] if b.opening(tokens).meta.get("column_after")
        )
        if columns > MAX_COLUMNS:
            self.env.report(
                self.start,
                1,
                "warning",
                "columns-many",
                f"{columns} columns are too narrow to read on a slide",
                f"use at most {MAX_COLUMNS}, or split the slide",
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
        self.h1, self.h2, self.title_is_big = h1, h2, title_is_big
        return title, facts

    def sorted_tokens(self) -> SlideTokens:
        tokens = self.tokens
        columns: list[list[tuple[Token, ...]]] = [[]]
        for number, block in enumerate(self.body_blocks):
            columns[-1].append(tuple(tokens[block.start : block.end]))
            last = number == len(self.body_blocks) - 1
            if block.opening(tokens).meta.get("column_after") and not last:
                columns.append([])
        return SlideTokens(
            title=self.h1,
            title_is_big=self.title_is_big,
            subtitle=self.h2,
            big_points=tuple(self.big_points),
            columns=tuple(tuple(column) for column in columns),
            backgrounds=tuple(self.backgrounds),
        )

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

    def _place_column_attrs(self, columns: int) -> None:
        """Attributes of a ``{.column ...}`` break style its column; on a slide that ends up
        with one column they style the block after the break instead."""
        if columns > 1:
            return
        for token in self.tokens:
            attrs: Attrs | None = token.meta.pop("column_attrs", None)
            if attrs is not None:
                apply_attrs(token, attrs)

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
            return self._render_blocks(md, blocks)

        if len(columns) < 2:
            return render(visible)
        inner = "".join(
            f"<div{_column_attrs(c[0].opening(tokens) if c else None)}>\n{render(c)}</div>\n"
            for c in columns
        )
        return f'{render(header)}<div class="columns">\n{inner}</div>\n'

    def _render_blocks(self, md: MarkdownIt, blocks: list[_Block]) -> str:
        selected = [t for b in blocks for t in self.tokens[b.start : b.end]]
        return str(md.renderer.render(selected, md.options, {}))

    def _check_density(self, content: list[_Block]) -> None:
        lines = 0.0
        in_cell = False
        for token in (t for b in content for t in self.tokens[b.start : b.end]):
            if token.type == "tr_open":
                lines += 1  # a table row is one line, however many cells it has
            elif token.type in {"td_open", "th_open"}:
                in_cell = True
            elif token.type in {"td_close", "th_close"}:
                in_cell = False
            elif token.type == "inline" and not in_cell:
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
                f"this slide holds about {int(lines)} lines of content (an estimate from its "
                "text length); it may shrink below a readable size",
                "split it into two slides, or move detail into the speaker notes;"
                " `podium check --layout` measures it in a browser",
            )


def _column_attrs(first: Token | None) -> str:
    """A column's ``<div>`` attributes: ``column``, and what its ``{.column ...}`` break
    added (``.fragment``, an id, ``data-*``), with the step the fragment appears at."""
    attrs: Attrs = (first.meta.get("column_attrs") if first else None) or Attrs()
    out = ' class="' + html.escape(" ".join(("column", *attrs.classes))) + '"'
    if attrs.id:
        out += f' id="{html.escape(attrs.id)}"'
    for key, value in attrs.pairs:
        if key == "style" or key.startswith("data-"):
            out += f' {key}="{html.escape(value)}"'
    step = first.meta.get("column_step") if first else None
    if step is not None:
        out += f' {step[0]}="{step[1]}"'
    return out
