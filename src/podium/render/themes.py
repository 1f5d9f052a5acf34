"""The built-in themes: each a stylesheet of custom properties (``themes/<name>.css``, written
by hand) and the code colours of its Pygments style (``themes/<name>-code.css``, made by
:func:`pygments_code_css` and committed: builds never need Pygments to make it, and a test
checks that the committed file is what Pygments makes).

A token colour that falls short of the theme's contrast on its code panel (or on a
highlighted line) is lifted towards the panel's opposite until it passes: WCAG AA (4.5:1)
for ``light`` and ``dark``, AAA (7:1) for ``high-contrast``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from podium.model import THEMES
from podium.template_files import TEMPLATES_DIR

#: Where the themes' stylesheets are, under the static files (``_podium/themes/``).
THEMES_FOLDER = "themes"


@dataclass(frozen=True)
class Theme:
    """One built-in theme: its stylesheets and the code colours they hold."""

    name: str
    code_style: str
    """The Pygments style of code blocks."""
    code_background: str
    """The code panel."""
    code_highlight: str
    """A highlighted line (``hl=``) on the panel."""
    code_text: str
    """Plain code text."""
    contrast: float
    """The least contrast of every token colour on the panel and on a highlighted line."""
    replaced: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Colours of the style chosen by hand instead of lifted (lower-case ``#rrggbb``)."""

    @property
    def stylesheet(self) -> str:
        """The theme's custom properties, relative to the static folder."""
        return f"{THEMES_FOLDER}/{self.name}.css"

    @property
    def code_stylesheet(self) -> str:
        """The theme's code colours, relative to the static folder."""
        return f"{THEMES_FOLDER}/{self.name}-code.css"

    @property
    def code_css_file(self) -> Path:
        """The committed code colours (what :func:`pygments_code_css` makes)."""
        return TEMPLATES_DIR / "static" / self.code_stylesheet

    @property
    def css_file(self) -> Path:
        return TEMPLATES_DIR / "static" / self.stylesheet


BUILT_IN: Mapping[str, Theme] = MappingProxyType(
    {
        "light": Theme(
            "light",
            code_style="lightbulb",
            code_background="#161b26",
            code_highlight="#263148",
            code_text="#d4d2c8",
            contrast=4.5,
            # lightbulb's comments (#7E8AA1) are 4.5:1 on its own panel and fail on
            # highlighted lines; this lifts them for projectors.
            replaced=MappingProxyType({"#7e8aa1": "#9aa6bd"}),
        ),
        "dark": Theme(
            "dark",
            code_style="github-dark",
            code_background="#0d1117",
            code_highlight="#1f2a3d",
            code_text="#e6edf3",
            contrast=4.5,
        ),
        "high-contrast": Theme(
            "high-contrast",
            code_style="one-dark",
            code_background="#000000",
            code_highlight="#1c2433",
            code_text="#ffffff",
            contrast=7.0,
        ),
    }
)
assert tuple(BUILT_IN) == THEMES  # the model's names are these themes'


def theme(name: str) -> Theme:
    """The built-in theme ``name`` (the default for a name that is none: parsing warned)."""
    return BUILT_IN.get(name) or BUILT_IN[THEMES[0]]


# ---- the custom properties -----------------------------------------------------------------------

_RULE = re.compile(r"(?:^|\})\s*:root\s*\{([^}]*)\}", re.MULTILINE)
_PROPERTY = re.compile(r"(--[\w-]+)\s*:\s*([^;]+);?")
_VAR = re.compile(r"var\((--[\w-]+)\)")


def _root_properties(css: str) -> dict[str, str]:
    """The custom properties of every ``:root { ... }`` rule of ``css``, the last one winning."""
    found: dict[str, str] = {}
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    for body in _RULE.findall(css):
        found.update((name, value.strip()) for name, value in _PROPERTY.findall(body))
    return found


def custom_properties(name: str) -> dict[str, str]:
    """The theme's custom properties as a page sees them: podium.css's ``:root`` under the
    theme's own, each ``var(--x)`` resolved. The stylesheets are the one source of a theme's
    look; the exports read it here rather than keep copies of the values."""
    static = TEMPLATES_DIR / "static"
    values = _root_properties((static / "podium.css").read_text(encoding="utf-8"))
    values.update(_root_properties(theme(name).css_file.read_text(encoding="utf-8")))
    for _ in range(4):  # var() nests at most a few deep
        values = {key: _resolved(value, values) for key, value in values.items()}
    return values


def _resolved(value: str, table: Mapping[str, str]) -> str:
    return _VAR.sub(lambda found: table.get(found[1], found[0]), value)


# ---- colours ----------------------------------------------------------------------------------


def _channels(colour: str) -> tuple[int, int, int]:
    text = colour.lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rgb`` or ``#rrggbb``."""
    linear = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        for c in (v / 255 for v in _channels(colour))
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def lifted(colour: str, grounds: tuple[str, ...], least: float) -> str:
    """``colour``, or the nearest mix of it with white (on dark grounds) or black (on light
    ones) that has at least ``least`` contrast on every one of ``grounds``."""
    target = 255 if luminance(grounds[0]) < 0.18 else 0
    channels = _channels(colour)
    for step in range(0, 101):
        share = step / 100
        mixed = tuple(round(c + (target - c) * share) for c in channels)
        candidate = "#{:02x}{:02x}{:02x}".format(*mixed)
        if all(contrast(candidate, ground) >= least for ground in grounds):
            return candidate if step else colour
    return "#ffffff" if target else "#000000"


_COLOUR = re.compile(r"(?<![-\w])color: (#[0-9a-fA-F]{3,6})")


def pygments_code_css(name: str = THEMES[0]) -> str:
    """What the theme's code stylesheet must hold: the Pygments colours of
    ``<pre class="code">`` in its style, scoped to code blocks, on its panel, each colour
    passing its contrast. Builds never call this (a deck without code never imports
    Pygments)."""
    from pygments.formatters import HtmlFormatter

    chosen = BUILT_IN[name]
    formatter = HtmlFormatter(style=chosen.code_style)
    defs: str = formatter.get_style_defs(".code")  # type: ignore[no-untyped-call]
    lines = [line for line in defs.splitlines() if line.startswith(".code")]
    lines = [line for line in lines if not line.startswith((".code .hll", ".code {"))]
    # A token in the panel's own text colour and nothing else needs no rule of its own.
    plain = re.compile(rf"^\.code \.\w+ \{{ color: {chosen.code_text} \}}", re.IGNORECASE)
    lines = [line for line in lines if not plain.match(line)]
    grounds = (chosen.code_background, chosen.code_highlight)

    def fix(match: re.Match[str]) -> str:
        colour = match[1]
        by_hand = chosen.replaced.get(colour.lower())
        if by_hand is not None:
            return f"color: {by_hand}"
        return f"color: {lifted(colour, grounds, chosen.contrast)}"

    body = _COLOUR.sub(fix, "\n".join(lines))
    ratio = "AAA" if chosen.contrast >= 7 else "AA"
    return "\n".join(
        [
            f"/* Code colours of the {name} theme: Pygments style '{chosen.code_style}', "
            f"WCAG {ratio} on {chosen.code_background}. */",
            f".code {{ background: {chosen.code_background}; color: {chosen.code_text} }}",
            f".code .hll {{ background-color: {chosen.code_highlight} }}",
            body,
            "",
        ]
    )
