"""The static files every site ships in ``_podium/``: the views' CSS, JavaScript and fonts,
read from ``templates/static`` (code colours included: ``code.css``)."""

from __future__ import annotations

import re
from pathlib import Path

from podium.template_files import TEMPLATES_DIR

#: Static front-end files shared by every deck, written once to ``<out>/_podium/``.
STATIC_DIR = "_podium"

#: The Pygments style of code blocks, and the panel it sits on. Every token colour of this
#: style passes WCAG AA (4.5:1) on the panel and on highlighted lines (tests check it).
CODE_STYLE = "lightbulb"
CODE_BACKGROUND = "#161b26"
CODE_HIGHLIGHT = "#263148"
#: Comments in ``lightbulb`` (#7E8AA1) are 4.5:1 on its own panel and fail on highlighted
#: lines; this lifts them for projectors.
CODE_COMMENT = "#9aa6bd"
_STYLE_COMMENT = "#7e8aa1"

#: The code colours, an ordinary static file: what :func:`pygments_code_css` makes (a test
#: checks it), committed so that no build needs Pygments to make it.
CODE_CSS = TEMPLATES_DIR / "static" / "code.css"


def pygments_code_css() -> str:
    """What :data:`CODE_CSS` must hold: the Pygments colours of ``<pre class="code">`` in
    :data:`CODE_STYLE`, scoped to code blocks, on the panel's colours. Builds never call
    this (a deck without code never imports Pygments)."""
    from pygments.formatters import HtmlFormatter

    defs: str = HtmlFormatter(style=CODE_STYLE).get_style_defs(".code")  # type: ignore[no-untyped-call]
    lines = [line for line in defs.splitlines() if line.startswith(".code")]
    lines = [line for line in lines if not line.startswith((".code .hll", ".code {"))]
    body = re.sub(_STYLE_COMMENT, CODE_COMMENT, "\n".join(lines), flags=re.IGNORECASE)
    return "\n".join(
        [
            f"/* Code colours: Pygments style '{CODE_STYLE}', WCAG AA on {CODE_BACKGROUND}. */",
            f".code {{ background: {CODE_BACKGROUND}; color: #d4d2c8 }}",
            f".code .hll {{ background-color: {CODE_HIGHLIGHT} }}",
            body,
            "",
        ]
    )


def static_files() -> dict[str, bytes]:
    """The shared CSS/JS (and fonts) of the views, keyed by path relative to the output root."""
    root = TEMPLATES_DIR / "static"
    files: dict[str, bytes] = {}

    def walk(node: Path, prefix: str) -> None:
        for child in node.iterdir():
            name = f"{prefix}/{child.name}"
            if child.is_dir():
                walk(child, name)
            else:
                files[STATIC_DIR + name] = _shipped(child.name, child.read_bytes())

    if root.is_dir():
        walk(root, "")
    return files


# Our own CSS and JS are written to be read, with comments on their own lines; the pages
# ship without them (a fifth of their weight). A comment starts a line and ends one.
_OWN_LINE_COMMENT = re.compile(rb"^[ \t]*/\*.*?\*/[ \t]*\n", re.DOTALL | re.MULTILINE)
_CSS_COMMENT = re.compile(rb"/\*.*?\*/", re.DOTALL)


def _shipped(name: str, data: bytes) -> bytes:
    """A static file as the views load it: our CSS and JS without their comments."""
    if name.endswith(".js"):
        return _OWN_LINE_COMMENT.sub(b"", data)
    if name.endswith(".css"):
        return _CSS_COMMENT.sub(b"", data)
    return data
