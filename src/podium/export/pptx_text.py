"""Text into PowerPoint text frames: paragraphs with their list level and bullet, and runs
that keep bold, italic, strikethrough, inline code and links; code as monospace runs in the
Pygments colours."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lxml import etree
from pptx.oxml.ns import qn
from pptx.text.text import _Run

from podium.export.pptx_blocks import Para
from podium.export.pptx_theme import CodeColour, Theme, code_colours, points
from podium.syntax.shortcodes import video_url

if TYPE_CHECKING:
    from markdown_it.token import Token
    from pptx.text.text import TextFrame, _Paragraph

#: A fixed-pitch font of the modern family: where the theme's monospace font is missing, the
#: reader substitutes another monospace font rather than its default sans.
MONO_PITCH_FAMILY = "49"
#: Control characters (not tab) as spaces.
_CONTROLS = {c: " " for c in [*range(0, 9), *range(11, 32), 127]}
#: Reports what a run cannot carry: (label, url) of a video.
Media = Callable[[str, str], None]


@dataclass
class Look:
    """How the text of one frame is set."""

    theme: Theme
    size: float | None = None
    """Body type size in canvas pixels; None: the placeholder's own (the master's)."""
    colour: str | None = None
    """All text in this colour (``RRGGBB``, on a dark ground); None: the theme's."""
    media: Media = field(default=lambda label, url: None)
    scale: float = 1.0
    """Shrink-to-fit factor, applied to every size."""


_STYLE_SIZE = {"h1": "title", "h2": "subtitle", "h3": "h3", "big": "big-body"}


def write_paragraphs(frame: TextFrame, paras: Sequence[Para], look: Look) -> None:
    """``paras`` into ``frame``, replacing what it held."""
    frame.clear()
    for number, para in enumerate(paras):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        _paragraph_format(paragraph, para, look, first=number == 0)
        size = _size(para, look)
        colour = None if para.style == "sub" else look.colour  # the layout's own
        if para.style in {"quote", "h2"} and colour is None:
            colour = look.theme.muted
        if para.style == "big" and colour is None:
            colour = look.theme.accent
        state = _Runs(paragraph, look, size, colour)
        state.bold = para.style in {"h1", "h3", "h4", "h5", "h6", "big"}
        state.italic = para.style == "quote"
        if para.inline is not None:
            state.inline(para.inline.children or [])
        elif para.style == "code":
            state.run(para.text, mono=True)
        else:
            state.run(para.text)


def _size(para: Para, look: Look) -> float | None:
    key = _STYLE_SIZE.get(para.style)
    if para.style in {"sub", "title"}:
        return None  # the placeholder's, set by the layout
    base = look.theme.sizes[key] if key else look.size
    if para.style == "code":
        base = look.theme.sizes["code"]
    if base is None:
        return None if look.scale == 1 else look.theme.sizes["body"] * look.scale
    if para.level > 1:
        base *= 0.88 ** (para.level - 1)
    return base * look.scale


def _paragraph_format(paragraph: _Paragraph, para: Para, look: Look, *, first: bool) -> None:
    """Indent and bullet set on the paragraph itself, so a text box looks like a body
    placeholder (which would give every paragraph a bullet)."""
    p_pr = paragraph._p.get_or_add_pPr()
    size = (look.size or look.theme.sizes["body"]) * look.scale
    em = points(size) * 12700  # EMU
    if para.level:
        paragraph.level = min(para.level - 1, 8)
        p_pr.set("marL", str(round(em * 1.15 * para.level)))
        p_pr.set("indent", str(round(-em * 1.05)) if para.bullet else "0")
    else:
        p_pr.set("marL", "0")
        p_pr.set("indent", "0")
    if not first:
        before = etree.SubElement(p_pr, qn("a:spcBef"))
        gap = 0.6 if para.level else 0.9
        etree.SubElement(before, qn("a:spcPts")).set("val", str(round(points(size) * gap * 100)))
    if para.bullet:
        colour = etree.SubElement(p_pr, qn("a:buClr"))
        etree.SubElement(colour, qn("a:srgbClr")).set("val", look.colour or look.theme.accent)
        if para.bullet == "•":
            etree.SubElement(p_pr, qn("a:buFont")).set("typeface", "Arial")
            etree.SubElement(p_pr, qn("a:buChar")).set("char", "•" if para.level < 2 else "◦")
        else:
            number = etree.SubElement(p_pr, qn("a:buAutoNum"))
            number.set("type", "arabicPeriod")
            number.set("startAt", para.bullet)
    else:
        etree.SubElement(p_pr, qn("a:buNone"))


class _Runs:
    """Adds the runs of inline tokens to one paragraph, tracking bold, italic, links."""

    def __init__(self, paragraph: _Paragraph, look: Look, size: float | None, colour: str | None):
        self.paragraph = paragraph
        self.look = look
        self.size = size
        self.colour = colour
        self.bold = False
        self.italic = False
        self.strike = False
        self.link: str | None = None
        self.highlight: str | None = None
        """A background colour behind the text (a marked line of code)."""

    def inline(self, children: Sequence[Token]) -> None:
        for child in children:
            kind = child.type
            if kind == "text":
                self.run(child.content)
            elif kind == "softbreak":
                self.run(" ")
            elif kind == "hardbreak":
                self.paragraph.add_line_break()
            elif kind == "strong_open":
                self.bold = True
            elif kind == "strong_close":
                self.bold = False
            elif kind == "em_open":
                self.italic = True
            elif kind == "em_close":
                self.italic = False
            elif kind == "s_open":
                self.strike = True
            elif kind == "s_close":
                self.strike = False
            elif kind == "link_open":
                href = str(child.attrGet("href") or "")
                self.link = href if href.startswith(("http://", "https://", "mailto:")) else None
            elif kind == "link_close":
                self.link = None
            elif kind == "code_inline":
                self.run(child.content, mono=True)
            elif kind in {"math_inline", "math_inline_double"}:
                self.run(child.content.strip(), italic=True)
            elif kind == "image":
                alt = "".join(c.content for c in child.children or [])
                self.run(f"[{alt or 'image'}]")
            elif kind == "video":
                self._video(child)

    def _video(self, token: Token) -> None:
        url = video_url(token.info, token.content)
        label = f"Video on {'YouTube' if token.info == 'youtube' else 'Vimeo'}"
        self.look.media(label, url or token.content)
        saved, self.link = self.link, url or None
        self.run(f"▶ {label}: {url or token.content}")
        self.link = saved

    def run(
        self,
        text: str,
        *,
        mono: bool = False,
        italic: bool = False,
        colour: str | None = None,
        bold: bool | None = None,
    ) -> None:
        if not text:
            return
        # The run's XML is written directly: through python-pptx's font properties each
        # run cost about a millisecond, and code has hundreds of runs.
        r = self.paragraph._p.add_r()
        r.text = text.translate(_CONTROLS)  # XML cannot hold them; python-pptx would show _x000B_
        properties = r.get_or_add_rPr()
        if self.size is not None:
            properties.set("sz", str(round(points(self.size) * 2) * 50))
        if self.bold or bold:
            properties.set("b", "1")
        if self.italic or italic:
            properties.set("i", "1")
        if self.strike:
            properties.set("strike", "sngStrike")
        shade = colour or self.colour
        if mono and colour is None and self.look.colour is None:
            shade = self.look.theme.inline_code
        if self.link:
            shade = shade or self.look.theme.accent
        if shade:
            fill = etree.SubElement(properties, qn("a:solidFill"))
            etree.SubElement(fill, qn("a:srgbClr")).set("val", shade)
        if self.highlight:
            behind = etree.SubElement(properties, qn("a:highlight"))
            etree.SubElement(behind, qn("a:srgbClr")).set("val", self.highlight)
        if mono:
            latin = etree.SubElement(properties, qn("a:latin"))
            latin.set("typeface", self.look.theme.mono)
            latin.set("pitchFamily", MONO_PITCH_FAMILY)
        if self.link:
            _Run(r, self.paragraph).hyperlink.address = self.link


def write_code(
    frame: TextFrame,
    content: str,
    language: str,
    look: Look,
    px: float,
    marked: tuple[int, ...] = (),
) -> None:
    """Code as monospace lines, each token in its Pygments colour; the ``marked`` lines
    (1-based: a walkthrough's lines, in their final state) on the highlight colour."""
    from podium.syntax.code import lexer_for

    frame.clear()
    frame.word_wrap = False
    lexer = lexer_for(language) if language else None
    colours = code_colours(look.theme.name) if lexer is not None else {}
    lines: list[list[tuple[str, object]]] = [[]]
    pieces: Iterable[tuple[object, str]] = (
        lexer.get_tokens(content) if lexer is not None else [(None, content)]
    )
    for token_type, value in pieces:
        for number, part in enumerate(value.split("\n")):
            if number:
                lines.append([])
            if not part:
                continue
            line = lines[-1]
            # One run per stretch of one colour: spaces join the run before them.
            if line and (
                not part.strip()
                or _colour_of(colours, line[-1][1]) == _colour_of(colours, token_type)
            ):
                line[-1] = (line[-1][0] + part, line[-1][1])
            else:
                line.append((part, token_type))
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    for number, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        p_pr = paragraph._p.get_or_add_pPr()
        p_pr.set("marL", "0")
        p_pr.set("indent", "0")
        p_pr.set("algn", "l")  # a shape's text is centred by default
        etree.SubElement(p_pr, qn("a:buNone"))
        state = _Runs(paragraph, look, px, look.theme.code_text)
        if number + 1 in marked:
            state.highlight = look.theme.code_highlight
        if not line:
            state.run(" ", mono=True, colour=look.theme.code_text)
        for text, token_type in line:
            found = _colour_of(colours, token_type)
            state.run(
                text,
                mono=True,
                colour=found.colour if found else look.theme.code_text,
                bold=bool(found and found.bold),
            )


def _colour_of(colours: dict[object, CodeColour], token_type: object) -> CodeColour | None:
    """The style of ``token_type``, or of its nearest parent type that has one."""
    while token_type is not None:
        found = colours.get(token_type)
        if found is not None:
            return found
        token_type = getattr(token_type, "parent", None)
    return None
