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
from dataclasses import dataclass
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
        elif extra := rest.strip():
            # Another tool's info string (`python hl="5-6"`, `js title="app.js"`): read only
            # inside braces, so say that it did nothing rather than drop it silently.
            line, col = _on_opening_line(env, token, extra, line0)
            env.report(
                line,
                col,
                "warning",
                "code-info-ignored",
                f"{extra!r} after the code language is ignored",
                f"attributes go in braces: ```{language} {{{extra}}}",
            )
        if language and not is_known_language(language):
            env.report(
                line0,
                1,
                "warning",
                "code-lang",
                f"unknown code language {language!r}; shown as plain code",
                "use a Pygments language name such as python, bash, javascript or text",
            )


def _on_opening_line(env: ParseEnv, token: Token, needle: str, line0: int) -> tuple[int, int]:
    """Where ``needle`` stands on the fence's opening line (0-based line, 1-based column); the
    line's start when it is not there (it was found in the code instead)."""
    where, col = env.locate(token.map, needle)
    return (where, col) if where == line0 else (line0, 1)


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
        _line_marks(env, token, spec, line0)


def _line_marks(env: ParseEnv, token: Token, spec: str, line0: int) -> None:
    """``hl="2,4-5"`` marks lines; ``hl="1-2|4|all"`` is a walkthrough, one range a step.
    A bad part is left out with a warning that names it; the rest still works."""
    line_count = len(token.content.splitlines())
    walk = parse_walkthrough(spec, line_count)
    if walk.problems:
        line, col = _on_opening_line(env, token, "hl=", line0)
        for problem in walk.problems:
            env.report(
                line,
                col,
                "warning",
                "code-hl",
                f"hl={spec!r}: {problem}; it is left out",
                "write lines and ranges like 2,4-5; a walkthrough separates its steps "
                "with | (1-2|4|all)",
            )
    token.meta["hl"] = walk.marked
    if len(walk.parts) > 1:
        token.meta["hl_walk"] = walk.parts


def render_code(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: MutableMapping[str, Any],
) -> str:
    token = tokens[idx]
    language: str = token.meta.get("language", "")
    walk: tuple[Part, ...] | None = token.meta.get("hl_walk")
    marked: tuple[int, ...] = token.meta.get("hl", ())
    if walk:
        body = walkthrough_lines(highlight(token.content, language), marked)
    else:
        body = highlight(token.content, language, hl_lines=marked)
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
    for name in ("data-step", "data-emphasis"):
        step = token.attrGet(name)
        if step is not None:
            extra += f' {name}="{html.escape(str(step))}"'
    if walk:
        # The ranges, and the step each range after the first begins at; podium.js dims
        # the lines outside the range of the step shown (the HTML itself is the final state).
        starts = " ".join(str(s) for s in token.meta.get("hl_steps", ()))
        extra += f' data-hl="{html.escape(format_walkthrough(walk))}" data-hl-steps="{starts}"'
    return f'<pre class="{" ".join(classes)}"{extra}><code{code_class}>{body}</code></pre>\n'


# --- line ranges and walkthroughs ---------------------------------------------------------

#: One step of a walkthrough: its ranges of lines (first, last), or () for ``all``.
Part = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Walkthrough:
    """An ``hl=`` value read: its parts (one for plain marks), the lines any part marks,
    and what was wrong with the parts left out."""

    parts: tuple[Part, ...]
    marked: tuple[int, ...]
    problems: tuple[str, ...]


_RANGE = re.compile(r"(\d+)(?:-(\d+))?")


def parse_walkthrough(spec: str, line_count: int) -> Walkthrough:
    """``"1-2|4|all"`` -> parts ``((1, 2),), ((4, 4),), ()``. Ranges are clipped to the
    code; the marked lines are every line some part names (``all`` names none).
    Linear in the spec and the code, however long the ranges."""
    parts: list[Part] = []
    problems: list[str] = []
    marks = [0] * (line_count + 2)  # a difference array: +1 where a range starts, -1 after
    pieces = spec.split("|")
    for piece in pieces:
        text = piece.strip()
        if text.lower() == "all":
            parts.append(())
            continue
        if not text:
            if len(pieces) > 1:
                problems.append("an empty step between two |")
            continue
        ranges: list[tuple[int, int]] = []
        for item in text.replace(" ", "").split(","):
            found = _range(item, line_count)
            if isinstance(found, str):
                problems.append(found)
                continue
            ranges.append(found)
            marks[found[0]] += 1
            marks[found[1] + 1] -= 1
        if ranges:
            parts.append(tuple(ranges))
    marked, depth = [], 0
    for line in range(1, line_count + 1):
        depth += marks[line]
        if depth:
            marked.append(line)
    return Walkthrough(tuple(parts), tuple(marked), tuple(problems))


def _range(item: str, line_count: int) -> tuple[int, int] | str:
    """One ``4`` or ``6-8`` of an ``hl=`` value, clipped to the code; or what is wrong."""
    match = _RANGE.fullmatch(item)
    if not match:
        return f"{item!r} is not a line or a range of lines like 4-6"
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if first == 0:
        return f"{item!r}: lines count from 1"
    if last < first:
        return f"{item!r} runs backwards"
    if first > line_count:
        return f"{item!r} is past the end of the code ({line_count} lines)"
    return first, min(last, line_count)


def format_walkthrough(parts: tuple[Part, ...]) -> str:
    """The parts as podium.js reads them: ``1-2|4|all``."""
    return "|".join(
        ",".join(f"{a}-{b}" if b != a else str(a) for a, b in part) if part else "all"
        for part in parts
    )


def walkthrough_lines(body: str, marked: tuple[int, ...]) -> str:
    """Each line of highlighted code in ``<span class="line">`` (``hl-mark`` on the marked
    ones), the newline inside, as Pygments marks lines. Pygments closes every span at the
    end of a line, so the lines split cleanly at newlines."""
    marks = set(marked)
    lines = body.split("\n")
    trailing = lines.pop() if lines and lines[-1] == "" else None
    out = [
        f'<span class="line{" hl-mark" if n in marks else ""}">{line}\n</span>'
        for n, line in enumerate(lines, start=1)
    ]
    if trailing is None and out:
        out[-1] = out[-1].replace("\n</span>", "</span>")  # the code had no final newline
    return "".join(out)


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
