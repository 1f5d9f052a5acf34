"""The Pygments bridge: code in, highlighted HTML out, at build time (no JavaScript).

An unknown language is never an exception: the caller gets plain, escaped code and says so.
"""

from __future__ import annotations

import functools
import html
import re

# Pygments is imported when a deck first has code: a deck without any (the Keras deck)
# does not pay the 20 ms its import costs.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pygments.formatters import HtmlFormatter
    from pygments.lexer import Lexer

# md2googleslides/highlight.js names that Pygments spells differently.
_ALIASES = {"shell": "bash", "sh": "bash", "console": "console", "js": "javascript", "py": "python"}
_PLAIN = frozenset({"", "text", "plain", "plaintext", "txt", "none", "output"})


@functools.cache
def _lexer(language: str) -> Lexer | None:
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(_ALIASES.get(language, language), stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def parse_line_ranges(spec: str) -> tuple[int, ...] | None:
    """``"2,4-5"`` -> ``(2, 4, 5)``; None when the spec is not of that form."""
    lines: list[int] = []
    for part in spec.replace(" ", "").split(","):
        match = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not match:
            return None
        start = int(match.group(1))
        end = int(match.group(2) or start)
        if end < start or end - start > 10_000:
            return None
        lines.extend(range(start, end + 1))
    return tuple(lines)


def is_known_language(language: str) -> bool:
    return language.lower() in _PLAIN or _lexer(language.lower()) is not None


def highlight(code: str, language: str, *, hl_lines: tuple[int, ...] = ()) -> str:
    """The inner HTML of ``<code>``: Pygments token spans, or escaped text for unknown languages.

    Highlighted lines (``hl="2-3"``) are wrapped in ``<span class="hll">``.
    """
    lexer = None if language.lower() in _PLAIN else _lexer(language.lower())
    if lexer is None:
        body = html.escape(code, quote=False)
        if not hl_lines:
            return body
        lines = body.split("\n")
        return "\n".join(
            f'<span class="hll">{line}</span>' if n in hl_lines else line
            for n, line in enumerate(lines, start=1)
        )
    from pygments import highlight as pygments_highlight

    return str(pygments_highlight(code, lexer, _formatter(hl_lines)))


@functools.lru_cache(maxsize=64)
def _formatter(hl_lines: tuple[int, ...]) -> HtmlFormatter:  # type: ignore[type-arg]
    """Formatters are reused: building one (its style sheet) cost more than small code."""
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(nowrap=True, hl_lines=list(hl_lines))
