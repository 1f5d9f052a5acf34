"""The look of an exported PowerPoint file, in one place: fonts, colours and sizes of a Podium
theme, and which PowerPoint layout each Podium layout becomes.

Values are those of the light theme in ``templates/static/podium.css`` (its ``:root``
variables and the layouts' type sizes, in canvas pixels of the 1920x1080 slide). A future
theme adds a :class:`Theme` here; the export reads nothing else about the look.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

#: One canvas pixel in EMU: a 1920-pixel-wide slide is 13.333 in (PowerPoint's 16:9).
EMU_PER_PX = 6350


@dataclass(frozen=True)
class LayoutSpec:
    """A PowerPoint slide layout made for one Podium layout."""

    name: str
    """The layout's name as PowerPoint shows it."""
    base: int
    """The layout of python-pptx's default template it is made from (its placeholders)."""
    keep: tuple[int, ...]
    """The placeholder indices it keeps (0 is the title)."""
    dark: bool = False
    """On the accent ground, text in white."""


#: Podium layout -> PowerPoint layout. ``base`` numbers the default template's layouts:
#: 0 Title Slide, 1 Title and Content, 2 Section Header, 3 Two Content, 5 Title Only,
#: 6 Blank, 7 Content with Caption, 8 Picture with Caption.
LAYOUTS: Mapping[str, LayoutSpec] = MappingProxyType(
    {
        "title": LayoutSpec("Title", 0, (0, 1)),
        "section": LayoutSpec("Section", 2, (0, 1), dark=True),
        "big": LayoutSpec("Big Point", 5, (0,), dark=True),
        "big-body": LayoutSpec("Big Point and Body", 7, (0, 1)),
        "body": LayoutSpec("Title and Body", 1, (0, 1)),
        "columns": LayoutSpec("Two Columns", 3, (0, 1, 2)),
        "image": LayoutSpec("Image", 8, (0, 1)),
        "blank": LayoutSpec("Blank", 6, ()),
    }
)


@dataclass(frozen=True)
class Theme:
    """Fonts, colours (``RRGGBB``) and sizes (canvas pixels) of a Podium theme."""

    name: str
    font: str
    mono: str
    ink: str
    """Body text on the paper."""
    muted: str
    """Secondary text: subtitles, quotes."""
    accent: str
    """Titles' rule, bullets, links; the ground of section and big-point slides."""
    accent_soft: str
    """Emphasis on the accent ground."""
    paper: str
    rule: str
    """Table lines."""
    stripe: str
    """Every other table row."""
    inline_code: str
    inline_code_ground: str
    code_ground: str
    code_text: str
    code_highlight: str
    sizes: Mapping[str, int] = field(default_factory=dict)
    """Type sizes in canvas pixels, by what they set (``body``, ``title``, ``big``...)."""
    padding: tuple[int, int, int, int] = (82, 115, 90, 115)
    """The slide's padding: top, right, bottom, left (canvas pixels)."""
    gap: int = 40
    """Room between blocks (canvas pixels)."""


def _light() -> Theme:
    from podium.render.static import CODE_BACKGROUND, CODE_HIGHLIGHT

    return Theme(
        name="light",
        font="Inter",
        mono="JetBrains Mono",
        ink="1B2230",
        muted="556070",
        accent="1746A2",
        accent_soft="A9D1FF",
        paper="FFFFFF",
        rule="D5DBE5",
        stripe="F5F7FB",
        inline_code="24324A",
        inline_code_ground="EEF1F6",
        code_ground=CODE_BACKGROUND.lstrip("#").upper(),
        code_text="D4D2C8",
        code_highlight=CODE_HIGHLIGHT.lstrip("#").upper(),
        sizes=MappingProxyType(
            {
                "body": 44,
                "title": 72,
                "subtitle": 52,
                "h3": 48,
                "title-slide": 100,
                "title-slide-subtitle": 56,
                "section": 110,
                "section-subtitle": 56,
                "big": 104,
                "big-body": 80,
                "code": 34,
                "table": 36,
                "math": 56,
            }
        ),
    )


LIGHT = _light()


def points(px: float) -> float:
    """Canvas pixels to typographic points (a canvas pixel is half a point)."""
    return px * EMU_PER_PX / 12700


@dataclass(frozen=True)
class CodeColour:
    """How one Pygments token type looks."""

    colour: str
    bold: bool = False
    italic: bool = False


def code_colours() -> dict[object, CodeColour]:
    """The code blocks' Pygments style (as ``code.css`` has it), by token type."""
    from pygments.styles import get_style_by_name

    from podium.render.static import CODE_COMMENT, CODE_STYLE

    style = get_style_by_name(CODE_STYLE)
    colours: dict[object, CodeColour] = {}
    for token_type, spec in style:
        colour = spec["color"] or LIGHT.code_text
        if str(token_type).startswith("Token.Comment") and colour.lower() == "7e8aa1":
            colour = CODE_COMMENT.lstrip("#")
        colours[token_type] = CodeColour(colour.upper(), bool(spec["bold"]), bool(spec["italic"]))
    return colours
