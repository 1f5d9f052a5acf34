"""Raw HTML blocks and inline tags: sanitised at parse time (with a warning saying what was
removed) unless the deck says ``html: unsafe``."""

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
            _sanitize(env, token, env.locate(token.map, _first_line(token.content)))
        elif token.type == "inline" and token.children:
            # Each tag is reported where it stands: the n-th one at the n-th occurrence.
            position: tuple[int, int] | None = None
            for child in token.children:
                if child.type == "html_inline":
                    position = env.locate(token.map, _first_line(child.content), after=position)
                    _sanitize(env, child, position)


def _first_line(content: str) -> str:
    return content.split("\n", 1)[0][:40]


def _sanitize(env: ParseEnv, token: Token, position: tuple[int, int]) -> None:
    """Sanitise one raw HTML token; ``position`` is where it stands (0-based line, column)."""
    clean, removed = sanitize_html(token.content)
    if removed:
        line0, col = position
        env.report(
            line0,
            col,
            "warning",
            "html-unsafe",
            "raw HTML made safe: removed " + ", ".join(dict.fromkeys(removed)),
            "set `html: unsafe` in the front matter only for decks you trust",
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
