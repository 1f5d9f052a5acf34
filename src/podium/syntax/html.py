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

from podium.syntax.attributes.plugin import report_reserved_id
from podium.syntax.env import ParseEnv, get_env
from podium.syntax.sanitize import sanitize_html_report


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
            _sanitize(env, token, token.map, env.locate(token.map, _first_line(token.content)))
        elif token.type == "inline" and token.children:
            # Each tag is reported where it stands: the n-th one at the n-th occurrence.
            position: tuple[int, int] | None = None
            for child in token.children:
                if child.type == "html_inline":
                    position = env.locate(token.map, _first_line(child.content), after=position)
                    _sanitize(env, child, token.map, position)


def _first_line(content: str) -> str:
    return content.split("\n", 1)[0][:40]


def _sanitize(
    env: ParseEnv, token: Token, block_map: list[int] | None, position: tuple[int, int]
) -> None:
    """Sanitise one raw HTML token of the block at ``block_map``; ``position`` is where the
    token stands (0-based line, column)."""
    result = sanitize_html_report(token.content)
    for url in dict.fromkeys(result.remote):
        line0, col = env.locate(block_map, url)
        env.report(
            line0,
            col,
            "warning",
            "html-remote",
            f"raw HTML loads {url!r} from the web: the built pages need the network to show it",
            "save the file beside the deck and use its relative path, to present offline",
        )
    for ident in result.renamed:
        report_reserved_id(env, position[0], position[1], ident)
    if result.removed and result.first_removed is not None:
        # Point at the first thing removed: a line below the token's first, or further right.
        lines_down, column = result.first_removed
        line0 = position[0] + lines_down
        col = column + 1 if lines_down else position[1] + column
        env.report(
            line0,
            col,
            "warning",
            "html-unsafe",
            "raw HTML made safe: removed " + ", ".join(dict.fromkeys(result.removed)),
            "build with --unsafe-html only for decks you trust",
        )
    token.content = result.html


def render_raw(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: MutableMapping[str, Any],
) -> str:
    token = tokens[idx]
    if token.type == "html_block" and token.attrs and token.content:
        # `{.fragment}` (or any attribute block) above raw HTML: on a box around it.
        return f"<div{self.renderAttrs(token)}>\n{token.content.rstrip()}\n</div>\n"
    return token.content
