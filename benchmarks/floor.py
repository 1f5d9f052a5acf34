"""The floor: the least a markdown-to-HTML deck tool must do, written the plain way.

``python benchmarks/floor.py DECK.md -o OUT.html`` reads the file, parses and renders the
whole deck with markdown-it-py (CommonMark + tables), highlights fenced code with Pygments
through markdown-it's ``highlight`` option, and writes one Jinja2 page holding the HTML.
No notes, no attributes, no views, no slide splitting: ``---`` lines render as ``<hr>``.
This is the baseline every Podium figure is divided by.
"""

# Pygments ships no type hints; types-Pygments may or may not be installed.
# mypy: disable-error-code="import-untyped, no-untyped-call, unused-ignore"
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jinja2
from markdown_it import MarkdownIt
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
<style>{{ css }}</style>
</head>
<body>
<main class="deck">
{{ body | safe }}
</main>
</body>
</html>
"""

_FORMATTER = HtmlFormatter(nowrap=True)
_LEXERS: dict[str, Lexer | None] = {}


def highlight(code: str, lang: str, _attrs: str) -> str:
    """markdown-it's ``highlight`` hook: Pygments HTML, or "" to let markdown-it escape."""
    if not lang:
        return ""
    if lang not in _LEXERS:
        try:
            _LEXERS[lang] = get_lexer_by_name(lang)
        except ClassNotFound:
            _LEXERS[lang] = None
    lexer = _LEXERS[lang]
    if lexer is None:
        return ""
    return str(pygments_highlight(code, lexer, _FORMATTER))


def render(text: str, title: str) -> str:
    md = MarkdownIt("commonmark", {"highlight": highlight}).enable("table")
    body = md.render(text)
    env = jinja2.Environment(autoescape=True)
    page = env.from_string(PAGE)
    return page.render(title=title, css=_FORMATTER.get_style_defs(".deck"), body=body)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Floor renderer for the benchmarks.")
    parser.add_argument("deck", type=Path)
    parser.add_argument("-o", "--out", type=Path, required=True, help="output HTML file")
    args = parser.parse_args(argv)
    text = args.deck.read_text(encoding="utf-8")
    html = render(text, args.deck.stem)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(html, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
