"""A slide's body blocks (markdown-it tokens, see :class:`~podium.parse.slide.SlideTokens`)
read as what a PowerPoint slide holds: runs of text paragraphs, code, tables, pictures,
drawn math or SVG, and placeholders for what a slide file cannot carry."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser

from markdown_it.token import Token


@dataclass
class Para:
    """One paragraph of text."""

    inline: Token | None
    """The inline token whose children are the runs (None: ``text`` instead)."""
    level: int = 0
    """List depth: 0 outside lists, 1 for a top-level item..."""
    bullet: str = ""
    """``•`` for a bullet item, ``1`` (its number) for an ordered one, empty for none."""
    style: str = "p"
    """``p``, ``h2``..``h6``, ``quote``, ``big`` or ``code``."""
    text: str = ""
    """Plain text when there is no inline token (a code block inside a list, raw HTML)."""


@dataclass
class Text:
    paras: list[Para] = field(default_factory=list)


@dataclass
class Code:
    content: str
    language: str
    hl: tuple[int, ...] = ()


@dataclass
class Table:
    rows: list[list[Token | None]]
    """Each row's cells (inline tokens); the first row is the header."""
    aligns: list[str]


@dataclass
class Pictures:
    images: list[Token]
    """Image tokens of one paragraph that holds only images."""


@dataclass
class Generated:
    """Display math or a ``$$$ svg`` block: drawn as a picture."""

    kind: str
    """``math`` or ``svg``."""
    html: str
    """Its sanitised markup (``<math>`` or ``<svg>``), or empty when it has none."""
    source: str
    """What the author wrote: shown when it cannot be drawn."""
    line: int = 0


@dataclass
class Link:
    """Something a slide file cannot carry (a video, a frame): a box with its address."""

    label: str
    url: str
    code: str = "pptx-media"


Item = Text | Code | Table | Pictures | Generated | Link


def read_blocks(blocks: Sequence[Sequence[Token]]) -> list[Item]:
    """The items of one column, in order; consecutive text blocks share one :class:`Text`."""
    items: list[Item] = []
    for block in blocks:
        for item in _block(list(block)):
            if isinstance(item, Para):
                if not items or not isinstance(items[-1], Text):
                    items.append(Text())
                last = items[-1]
                assert isinstance(last, Text)
                last.paras.append(item)
            else:
                items.append(item)
    return items


def images_only(inline: Token) -> bool:
    children = inline.children or []
    return any(c.type == "image" for c in children) and all(
        c.type in {"image", "softbreak", "podium_note"}
        or (c.type == "text" and not c.content.strip())
        for c in children
    )


def _block(tokens: list[Token]) -> Iterator[Item | Para]:
    opening = tokens[0]
    kind = opening.type
    if kind == "paragraph_open":
        inline = tokens[1]
        if images_only(inline):
            yield Pictures([c for c in inline.children or [] if c.type == "image"])
        else:
            yield Para(inline, style="big" if "big" in _classes(opening) else "p")
    elif kind == "heading_open":
        yield Para(tokens[1], style=opening.tag)
    elif kind in {"bullet_list_open", "ordered_list_open"}:
        yield from _list(tokens)
    elif kind == "blockquote_open":
        for token in tokens:
            if token.type == "inline":
                yield Para(token, style="quote")
    elif kind in {"fence", "code_block"}:
        attrs = opening.meta.get("hl", ())
        yield Code(opening.content.rstrip("\n"), opening.meta.get("language", ""), tuple(attrs))
    elif kind == "table_open":
        yield _table(tokens)
    elif kind == "generated_fence" and opening.info not in {"math", "svg"}:
        yield Code(opening.content.rstrip("\n"), "")  # an unknown kind shows as code
    elif kind == "generated_fence" or kind.startswith("math_block"):
        html = str(opening.meta.get("html", ""))
        failed = "math-source" in html  # bad TeX: shown as its source, as the views do
        kind_drawn = "svg" if opening.info == "svg" else "math"
        yield Generated(kind_drawn, "" if failed else html, opening.content.strip())
    elif kind == "html_block":
        yield from _html(opening.content)


def _classes(token: Token) -> tuple[str, ...]:
    attrs = token.meta.get("attrs")
    return tuple(attrs.classes) if attrs is not None else ()


def _list(tokens: list[Token]) -> Iterator[Item | Para]:
    """Every paragraph of a (nested) list, at its depth; an item's first paragraph gets the
    bullet or number, later ones only its indent."""
    numbers: list[int | None] = []
    first_in_item: list[bool] = []
    for token in tokens:
        if token.type == "bullet_list_open":
            numbers.append(None)
        elif token.type == "ordered_list_open":
            numbers.append(int(token.attrGet("start") or 1) - 1)
        elif token.type in {"bullet_list_close", "ordered_list_close"}:
            numbers.pop()
        elif token.type == "list_item_open":
            if numbers[-1] is not None:
                numbers[-1] = (numbers[-1] or 0) + 1
            first_in_item.append(True)
        elif token.type == "list_item_close":
            first_in_item.pop()
        elif token.type == "inline" and first_in_item:
            number = numbers[-1]
            bullet = "" if not first_in_item[-1] else ("•" if number is None else str(number))
            first_in_item[-1] = False
            yield Para(token, level=len(numbers), bullet=bullet)
        elif token.type in {"fence", "code_block"} and first_in_item:
            yield Para(None, level=len(numbers), style="code", text=token.content.rstrip("\n"))


def _table(tokens: list[Token]) -> Table:
    rows: list[list[Token | None]] = []
    aligns: list[str] = []
    for index, token in enumerate(tokens):
        if token.type == "tr_open":
            rows.append([])
        elif token.type in {"th_open", "td_open"}:
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            cell = following if following is not None and following.type == "inline" else None
            rows[-1].append(cell)
            if len(rows) == 1:
                style = str(token.attrGet("style") or "")
                aligns.append(style.removeprefix("text-align:") if "text-align" in style else "")
    return Table(rows, aligns)


class _HtmlText(HTMLParser):
    """The text of a sanitised raw HTML block, and the frames and media it holds."""

    MEDIA = frozenset({"iframe", "video", "audio", "source"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.media: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.MEDIA:
            src = dict(attrs).get("src") or ""
            if src:
                self.media.append((tag, src))
        if tag in {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}:
            self.lines.append("")

    def handle_data(self, data: str) -> None:
        self.lines[-1] += re.sub(r"\s+", " ", data)


def _html(content: str) -> Iterator[Item | Para]:
    reader = _HtmlText()
    reader.feed(content)
    reader.close()
    for line in reader.lines:
        if line.strip():
            yield Para(None, text=line.strip())
    for tag, src in reader.media:
        label = "Video" if tag in {"video", "source"} else "Audio" if tag == "audio" else "Web page"
        yield Link(label, src)
