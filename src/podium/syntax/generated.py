"""Math and md2googleslides' generated images, rendered at build time (no JavaScript).

- ``$x^2$`` and ``$$ ... $$`` (mdit-py-plugins' dollarmath, strict about spaces and digits
  so ``$5 and $10`` stay prices), and md2googleslides' ``$$$ math`` block: TeX to MathML
  with latex2mathml. Bad TeX is a warning (``math-invalid``) and shows its source.
- ``$$$ svg``: inline SVG, sanitised (``sanitize.sanitize_svg``).

latex2mathml is slow to import: it is imported on first use, so only decks with math pay
for it.
"""

from __future__ import annotations

import html
import re
from collections.abc import MutableMapping, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import OptionsDict
from mdit_py_plugins.dollarmath import dollarmath_plugin

from podium.syntax.attributes.plugin import report_reserved_id
from podium.syntax.env import ParseEnv, get_env
from podium.syntax.sanitize import sanitize_mathml, sanitize_svg

_OPENER = re.compile(r"^\$\$\$[ \t]*([A-Za-z]*)[ \t]*$")
MATH_TYPES = frozenset({"math_inline", "math_inline_double", "math_block", "math_block_label"})


def block_plugin(md: MarkdownIt) -> None:
    """The block rules (shared by the chunk splitter, so both see the same structure)."""
    dollarmath_plugin(md, allow_space=False, allow_digits=False, double_inline=True)
    md.block.ruler.before(
        "math_block", "generated_fence", generated_fence, {"alt": ["paragraph", "blockquote"]}
    )


def generated_plugin(md: MarkdownIt) -> None:
    block_plugin(md)
    md.core.ruler.push("podium_generated", generated_rule)
    for name in (*MATH_TYPES, "generated_fence"):
        md.add_render_rule(name, render_generated)


def generated_fence(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """md2googleslides' ``$$$ kind`` ... ``$$$`` block."""
    if state.is_code_block(start):
        return False
    first = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]]
    opened = _OPENER.match(first)
    if opened is None:
        return False
    if silent:
        return True
    line = start + 1
    closed = False
    while line < end:
        text = state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]
        if state.sCount[line] < state.blkIndent and text:
            break
        if text.strip() == "$$$":
            closed = True
            break
        line += 1
    token = state.push("generated_fence", "div", 0)
    token.info = opened.group(1).lower()
    token.content = state.getLines(start + 1, line, state.sCount[start], True)
    token.markup = "$$$"
    token.map = [start, line + 1 if closed else line]
    state.line = line + 1 if closed else line
    return True


def generated_rule(state: StateCore) -> None:
    env = get_env(state.env)
    for token in state.tokens:
        if token.type == "generated_fence":
            _generated(env, token)
        elif token.type in MATH_TYPES:
            _math(env, token, token.map)
        elif token.type == "inline":
            for child in token.children or ():
                if child.type in MATH_TYPES:
                    _math(env, child, token.map)


def _generated(env: ParseEnv, token: Token) -> None:
    line0 = token.map[0] if token.map else 0
    if token.info == "math":
        _math(env, token, token.map, display=True)
    elif token.info == "svg":
        renamed: list[str] = []
        clean, removed = sanitize_svg(token.content, renamed=renamed)
        for ident in renamed:
            report_reserved_id(env, line0, 1, ident)
        if removed:
            env.report(
                line0, 1, "warning", "html-unsafe",
                "SVG made safe: removed " + ", ".join(dict.fromkeys(removed)),
            )  # fmt: skip
        token.meta["html"] = f'<div class="generated svg">{clean}</div>\n'
    else:
        env.report(
            line0,
            1,
            "warning",
            "generated-kind",
            f"unknown generated block '$$$ {token.info}'; shown as code",
            "md2googleslides knows $$$ math and $$$ svg",
        )
        token.meta["html"] = f'<pre class="code"><code>{html.escape(token.content)}</code></pre>\n'


def _math(
    env: ParseEnv, token: Token, block_map: list[int] | None, *, display: bool = False
) -> None:
    from latex2mathml.converter import convert  # slow to import: only for decks with math

    display = display or token.type.startswith("math_block") or token.type == "math_inline_double"
    tex = token.content.strip()
    try:
        mathml, removed = sanitize_mathml(convert(tex, display="block" if display else "inline"))
    except Exception as exc:  # latex2mathml raises many kinds for bad TeX
        line0, col = env.locate(block_map, tex.split("\n", 1)[0][:30])
        reason = str(exc) or type(exc).__name__
        env.report(line0, col, "warning", "math-invalid", f"could not read TeX `{tex}`: {reason}")
        source = html.escape(tex)
        token.meta["html"] = (
            f'<pre class="code math-source"><code>{source}</code></pre>\n'
            if display
            else f'<code class="math-source">{source}</code>'
        )
        return
    if removed:
        line0, col = env.locate(block_map, tex.split("\n", 1)[0][:30])
        env.report(
            line0, col, "warning", "html-unsafe",
            "math made safe: removed " + ", ".join(dict.fromkeys(removed)),
        )  # fmt: skip
    token.meta["html"] = f'<div class="math">{mathml}</div>\n' if display else mathml


def render_generated(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: MutableMapping[str, Any],
) -> str:
    token = tokens[idx]
    rendered = str(token.meta.get("html", ""))
    if token.attrs and token.block:
        # `{.fragment}` and the like before a math or SVG block: on a box around it.
        return f"<div{self.renderAttrs(token)}>\n{rendered}</div>\n"
    return rendered
