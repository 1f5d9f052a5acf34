"""The look of an exported PowerPoint file, in one place: fonts, colours and sizes of a Podium
theme, and which PowerPoint layout each Podium layout becomes.

The colours, fonts and main type sizes are read from the built-in theme's stylesheets (the
custom properties of ``templates/static/podium.css`` under ``themes/<name>.css``), the code
colours from its Pygments style as ``render.themes`` lifts them: the pages and the export
share one source. The layouts' other type sizes (canvas pixels of the 1920x1080 slide) are
podium.css's rules, written here. The export reads nothing else about the look.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
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
    """Titles' rule, bullets, links."""
    accent_ground: str
    """The ground of section and big-point slides, and of a table's head row."""
    on_accent: str
    """Text on the accent ground."""
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


def _hex(colour: str) -> str:
    """``#rgb`` or ``#rrggbb`` as PowerPoint's ``RRGGBB``."""
    text = colour.strip().lstrip("#")
    return ("".join(c * 2 for c in text) if len(text) == 3 else text).upper()


def _family(stack: str) -> str:
    """The first family of a CSS font stack (``"Inter", system-ui`` -> ``Inter``)."""
    return stack.split(",")[0].strip().strip("\"'")


@cache
def theme_named(name: str) -> Theme:
    """The built-in theme ``name`` (the default for a name that is none: parsing warned), as
    its stylesheets have it."""
    from podium.render.themes import custom_properties, theme

    chosen = theme(name)
    css = custom_properties(chosen.name)
    return Theme(
        name=chosen.name,
        font=_family(css["--font"]),
        mono=_family(css["--mono"]),
        ink=_hex(css["--ink"]),
        muted=_hex(css["--muted"]),
        accent=_hex(css["--accent"]),
        accent_ground=_hex(css["--accent-ground"]),
        on_accent=_hex(css["--on-accent"]),
        accent_soft=_hex(css["--accent-soft"]),
        paper=_hex(css["--paper"]),
        rule=_hex(css["--rule"]),
        stripe=_hex(css["--stripe"]),
        inline_code=_hex(css["--code-inline-ink"]),
        inline_code_ground=_hex(css["--code-inline-bg"]),
        code_ground=_hex(css["--code-bg"]),
        code_text=_hex(css["--code-ink"]),
        code_highlight=_hex(chosen.code_highlight),
        sizes=MappingProxyType(
            {
                "body": int(css["--size-body"]),
                "title": int(css["--size-title"]),
                "subtitle": 52,
                "h3": 48,
                "title-slide": 100,
                "title-slide-subtitle": 56,
                "section": 110,
                "section-subtitle": 56,
                "big": 104,
                "big-body": 80,
                "code": int(css["--size-code"]),
                "table": 36,
                "math": 56,
            }
        ),
    )


LIGHT = theme_named("light")


def points(px: float) -> float:
    """Canvas pixels to typographic points (a canvas pixel is half a point)."""
    return px * EMU_PER_PX / 12700


@dataclass(frozen=True)
class CodeColour:
    """How one Pygments token type looks."""

    colour: str
    bold: bool = False
    italic: bool = False


@cache
def code_colours(name: str = "light") -> dict[object, CodeColour]:
    """The code blocks' colours in theme ``name`` (as its ``-code.css`` has them: its Pygments
    style, each colour lifted to the theme's contrast on the panel), by token type."""
    from pygments.styles import get_style_by_name

    from podium.render.themes import BUILT_IN, lifted, theme

    chosen = theme(name)
    plain = BUILT_IN[chosen.name].code_text.lstrip("#")
    grounds = (chosen.code_background, chosen.code_highlight)
    colours: dict[object, CodeColour] = {}
    for token_type, spec in get_style_by_name(chosen.code_style):
        colour = plain
        if spec["color"]:
            own = "#" + str(spec["color"]).lower()
            colour = chosen.replaced.get(own) or lifted(own, grounds, chosen.contrast)
        colours[token_type] = CodeColour(_hex(colour), bool(spec["bold"]), bool(spec["italic"]))
    return colours
