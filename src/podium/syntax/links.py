"""Links that leave the deck open in a new tab, so a click never navigates the talk away.

A link to another page or site gets ``target="_blank" rel="noopener noreferrer"`` (the new
page cannot reach back into the deck, nor learn where it came from). Links inside the deck
(``#3``, ``#a-slide-id``) stay in place; ``mailto:`` and ``tel:`` hand over to another program
and open no page. Raw HTML ``<a>`` is left as the author wrote it.
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

_STAYS = ("#", "mailto:", "tel:")


def links_plugin(md: MarkdownIt) -> None:
    md.add_render_rule("link_open", render_link_open)


def opens_elsewhere(href: str) -> bool:
    """True for a link that would take the page away from the deck."""
    return bool(href) and not href.strip().lower().startswith(_STAYS)


def render_link_open(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: MutableMapping[str, Any],
) -> str:
    token = tokens[idx]
    if opens_elsewhere(str(token.attrGet("href") or "")):
        token.attrSet("target", "_blank")
        token.attrSet("rel", "noopener noreferrer")
    return self.renderToken(tokens, idx, options, env)
