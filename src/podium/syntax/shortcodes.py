"""md2googleslides' inline extras: ``:emoji:`` shortcodes and ``@[youtube](id)`` videos.

Emoji use GitHub's names (the ``emoji`` package's aliases); a name it does not know stays
text. A video becomes a link to it with a play mark: the built deck works offline and loads
nothing from outside, so it never embeds a frame that would be broken there.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, MutableMapping, Sequence
from typing import Any
from urllib.parse import parse_qs, urlsplit

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

_SHORTCODE = re.compile(r":([a-z0-9_+-]+):")
_VIDEO = re.compile(r"@\[(youtube|vimeo)\]\(([^()\s]+)\)")
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")


def shortcodes_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", "video", video)
    md.core.ruler.push("podium_emoji", emoji_rule)
    md.add_render_rule("video", render_video)


def video(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "@":
        return False
    match = _VIDEO.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("video", "a", 0)
        token.info = match.group(1)
        token.content = match.group(2)
    state.pos = match.end()
    return True


def video_url(service: str, reference: str) -> str:
    if re.match(r"^https?://", reference):
        parts = urlsplit(reference)
        found = parse_qs(parts.query).get("v", [parts.path.rsplit("/", 1)[-1]])[0]
        reference = found
    if service == "youtube" and _YOUTUBE_ID.match(reference):
        return f"https://www.youtube.com/watch?v={reference}"
    if service == "vimeo" and reference.isdigit():
        return f"https://vimeo.com/{reference}"
    return ""


def render_video(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: MutableMapping[str, Any],
) -> str:
    token = tokens[idx]
    url = video_url(token.info, token.content)
    label = f"Video on {'YouTube' if token.info == 'youtube' else 'Vimeo'}"
    if not url:
        return f'<span class="video">{html.escape(label)}: {html.escape(token.content)}</span>'
    return (
        f'<a class="video" href="{html.escape(url)}" target="_blank" rel="noopener noreferrer">'
        f'<span class="video-play" aria-hidden="true">&#9654;</span> {html.escape(label)}</a>'
    )


@functools.cache
def _emojize() -> Callable[[str], str]:
    import emoji  # slow to import: only decks with shortcodes pay for it

    return functools.partial(emoji.emojize, language="alias")


def emoji_rule(state: StateCore) -> None:
    for token in state.tokens:
        if token.type != "inline":
            continue
        for child in token.children or ():
            if child.type == "text" and ":" in child.content and _SHORTCODE.search(child.content):
                child.content = _emojize()(child.content)
