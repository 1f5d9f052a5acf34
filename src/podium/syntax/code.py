"""Fenced and indented code: language and ``{hl=... style=...}`` read from the info string,
highlighted by Pygments at build time (no JavaScript).

An unknown language is never an exception: it is a warning (``code-lang``), and the code
is shown plain and escaped.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import MutableMapping, Sequence
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from podium.syntax.attributes import grammar
from podium.syntax.attributes.plugin import report_dropped
from podium.syntax.env import ParseEnv, get_env

# Pygments is imported when a deck first has code: a deck without any does not pay for
# importing it (the functions below import it inside).
if TYPE_CHECKING:
    from pygments.formatters import HtmlFormatter
    from pygments.lexer import Lexer


def code_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("podium_code", code_rule)
    md.add_render_rule("fence", render_code)
    md.add_render_rule("code_block", render_code)


def code_rule(state: StateCore) -> None:
    env = get_env(state.env)
    for token in state.tokens:
        if token.type != "fence":
            continue
        info = token.info.strip()
        language, _, rest = info.partition(" ")
        if language.startswith("{"):
            language, rest = "", info
        token.meta["language"] = language
        line0 = token.map[0] if token.map else 0
        if rest.strip().startswith("{"):
            _fence_attrs(env, token, rest.strip(), line0)
        if language and not is_known_language(language):
            env.report(
                line0,
                1,
                "warning",
                "code-lang",
                f"unknown code language {language!r}; shown as plain code",
                "use a Pygments language name such as python, bash, javascript or text",
            )


def _fence_attrs(env: ParseEnv, token: Token, written: str, line0: int) -> None:
    """``{hl="2-3" style="..."}`` after the language; an unclosed brace is read as meant
    (md2googleslides' own example writes ``{style="font-size: 8pt}``)."""
    closed = written.endswith("}")
    parsed = grammar.parse_body(written[1:-1] if closed else written[1:])
    if parsed.attrs is None:
        env.report(
            line0,
            1,
            "warning",
            "attrs-malformed",
            f"could not read the code block's attributes {written!r}",
        )
        return
    if parsed.recovered or not closed:
        env.report(
            line0,
            1,
            "warning",
            "attrs-malformed",
            f"malformed attribute block {written!r}: read as {grammar.describe(parsed.attrs)}",
        )
    report_dropped(env, line0, 1, parsed.attrs)
    token.meta["attrs"] = parsed.attrs
    spec = parsed.attrs.get("hl")
    if spec is not None:
        lines = parse_line_ranges(spec)
        if lines is None:
            env.report(
                line0, 1, "warning", "code-hl", f"hl={spec!r} is not a list of lines like 2,4-5"
            )
        token.meta["hl"] = lines or ()


def render_code(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: MutableMapping[str, Any],
) -> str:
    token = tokens[idx]
    language: str = token.meta.get("language", "")
    body = highlight(token.content, language, hl_lines=token.meta.get("hl", ()))
    attrs = token.meta.get("attrs")
    classes = ["code", *(attrs.classes if attrs else ())]
    extra = ""
    if attrs is not None:
        if attrs.id:
            extra += f' id="{html.escape(attrs.id)}"'
        for key, value in attrs.pairs:
            if key == "style" or key.startswith("data-"):
                extra += f' {key}="{html.escape(value)}"'
    code_class = f' class="language-{html.escape(language)}"' if language else ""
    step = token.attrGet("data-step")
    if step is not None:
        extra += f' data-step="{html.escape(str(step))}"'
    return f'<pre class="{" ".join(classes)}"{extra}><code{code_class}>{body}</code></pre>\n'


# --- the Pygments bridge ------------------------------------------------------------------

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


def lexer_for(language: str) -> Lexer | None:
    """The Pygments lexer of a fence's language; None for plain text or an unknown one."""
    return None if language.lower() in _PLAIN else _lexer(language.lower())


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
