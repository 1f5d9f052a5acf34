"""Images: resolved against the deck's folder and the project root, checked, and rendered.

A missing image is a warning and a visible placeholder; an image outside the project is
refused (never copied); a remote image stays a remote reference, noted.
"""

from __future__ import annotations

import html
from collections.abc import MutableMapping, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from podium.assets import Resolved
from podium.model import Asset
from podium.syntax.env import ParseEnv, get_env


def media_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("podium_media", media_rule)
    md.add_render_rule("image", render_image)


def media_rule(state: StateCore) -> None:
    env = get_env(state.env)
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        # Each image is reported where it stands: the n-th image at the n-th "![".
        position: tuple[int, int] | None = None
        for child in token.children:
            if child.type == "image":
                position = env.locate(token.map, "![", after=position)
                _check_image(env, position, child)


def _check_image(env: ParseEnv, position: tuple[int, int], image: Token) -> None:
    src = str(image.attrGet("src") or "")
    line0, col = position
    if not image.children and not image.content:
        env.report(
            line0,
            col,
            "info",
            "image-alt",
            f"image {src!r} has no alt text",
            "describe it between the brackets: ![what it shows](...)",
        )
    if env.resolver is None:
        return
    resolved = env.resolver.resolve(src)
    env.resolutions[src] = resolved
    image.meta["resolved"] = resolved
    if resolved.status == "ok":
        image.attrSet("src", resolved.target)
        env.assets[resolved.target] = Asset(resolved.source, resolved.target)
    elif resolved.status == "missing":
        env.report(
            line0,
            col,
            "warning",
            "image-missing",
            f"image {src!r} not found",
            "looked in " + " and ".join(str(root) for root in env.resolver.roots),
        )
    elif resolved.status == "outside":
        env.report(
            line0,
            col,
            "warning",
            "image-outside",
            f"image {src!r} is outside the project folder; it is not copied",
            f"move it under {env.resolver.project_root}",
        )
    elif resolved.status == "remote":
        env.report(
            line0,
            col,
            "info",
            "image-remote",
            f"image {src!r} is remote: showing it needs the network",
        )
    else:
        env.report(line0, col, "warning", "image-invalid", f"image {src!r} is not a usable path")


def render_image(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: MutableMapping[str, Any],
) -> str:
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    resolved: Resolved | None = token.meta.get("resolved")
    if resolved is not None and resolved.status not in {"ok", "remote"}:
        reason = {"missing": "missing", "outside": "refused"}.get(resolved.status, "invalid")
        label = html.escape(alt or resolved.source)
        return (
            f'<span class="image-missing" role="img" aria-label="{label}">'
            f"{reason}: {html.escape(resolved.source)}</span>"
        )
    token.attrSet("alt", alt)
    attrs = "".join(f' {name}="{html.escape(str(value))}"' for name, value in token.attrs.items())
    return f"<img{attrs}>"
