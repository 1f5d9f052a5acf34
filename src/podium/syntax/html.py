"""Raw HTML blocks and inline tags: sanitised at parse time (with a warning saying what was
removed) unless the person building says ``--unsafe-html`` (never the deck)."""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from podium.sanitize import sanitize_html
from podium.syntax.env import ParseEnv, get_env


def html_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("podium_html", html_rule)
    md.add_render_rule("html_block", render_raw)
    md.add_render_rule("html_inline", render_raw)


def html_rule(state: StateCore) -> None:
    env = get_env(state.env)
    if env.unsafe_html:
        return
    for token in state.tokens:
        if token.type == "html_block" and token.content:
            _sanitize(env, token, token.map)
        elif token.type == "inline" and token.children:
            for child in token.children:
                if child.type == "html_inline":
                    _sanitize(env, child, token.map)


def _sanitize(env: ParseEnv, token: Token, block_map: list[int] | None) -> None:
    clean, removed = sanitize_html(token.content)
    if removed:
        line0, col = env.locate(block_map, token.content.split("\n", 1)[0][:40])
        env.report(
            line0,
            col,
            "warning",
            "html-unsafe",
            "raw HTML made safe: removed " + ", ".join(dict.fromkeys(removed)),
            "build with --unsafe-html only for decks you trust",
        )
    token.content = clean


def render_raw(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: MutableMapping[str, Any],
) -> str:
    return tokens[idx].content
