"""The static files every site ships in ``_podium/``: the views' CSS, JavaScript and fonts,
read from ``templates/static`` (the themes and their code colours included: ``themes/``)."""

from __future__ import annotations

import re
from pathlib import Path

from podium.render.themes import BUILT_IN
from podium.template_files import TEMPLATES_DIR

#: Static front-end files shared by every deck, written once to ``<out>/_podium/``.
STATIC_DIR = "_podium"

#: The light theme's code colours (``themes.py`` has every theme's), kept under their old
#: names for the tests and tools that read them.
CODE_STYLE = BUILT_IN["light"].code_style
CODE_BACKGROUND = BUILT_IN["light"].code_background
CODE_HIGHLIGHT = BUILT_IN["light"].code_highlight
CODE_COMMENT = BUILT_IN["light"].replaced["#7e8aa1"]
CODE_CSS = BUILT_IN["light"].code_css_file


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
        # and without the indentation and blank lines (a CSS string cannot span lines)
        lines = (line.strip() for line in _CSS_COMMENT.sub(b"", data).splitlines())
        return b"\n".join(line for line in lines if line) + b"\n"
    return data
