"""Fenced and indented code: language and ``{hl=... style=...}`` read from the info string,
highlighted by Pygments at build time. Unknown languages are a warning and plain code."""

from __future__ import annotations

import html
from collections.abc import MutableMapping, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from podium.syntax.attributes import grammar
from podium.syntax.attributes.plugin import report_dropped
from podium.syntax.env import ParseEnv, get_env
from podium.syntax.highlight import highlight, is_known_language, parse_line_ranges


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
