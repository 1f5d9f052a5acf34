"""Images: resolved against the deck's folder and the project root, checked, and rendered.

A missing image is a warning and a visible placeholder; an image outside the project, a
hidden file, or a file whose content is not an image is refused (never copied, see
:mod:`podium.parse.assets`); a remote image stays a remote reference, noted. Every image is shown
through ``<img>``, so even an SVG never runs as a document in a page.
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

from podium.model import Asset, Resolved
from podium.syntax.env import ImageResolver, ParseEnv, get_env


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
        if resolved.removed:
            env.report(
                line0,
                col,
                "warning",
                "image-svg-sanitised",
                f"SVG image {src!r} had parts that could run script or load other files; "
                f"the copy leaves out: {_listed(resolved.removed)}",
                "the image may look different; export it again without scripts, styles or "
                "links, or as PNG",
            )
        return
    _report_refusal(env, env.resolver, (line0, col), src, resolved)


def _listed(items: Sequence[str], most: int = 5) -> str:
    unique = list(dict.fromkeys(items))
    more = f" and {len(unique) - most} more" if len(unique) > most else ""
    return ", ".join(unique[:most]) + more


def _report_refusal(
    env: ParseEnv, resolver: ImageResolver, at: tuple[int, int], src: str, resolved: Resolved
) -> None:
    line0, col = at
    if resolved.status == "missing":
        env.report(
            line0,
            col,
            "warning",
            "image-missing",
            f"image {src!r} not found",
            "looked in " + " and ".join(str(root) for root in resolver.roots),
        )
    elif resolved.status == "outside":
        env.report(
            line0,
            col,
            "warning",
            "image-outside",
            f"image {src!r} is outside the project folder; it is not copied",
            f"move it under {resolver.project_root}",
        )
    elif resolved.status == "hidden":
        env.report(
            line0,
            col,
            "warning",
            "image-hidden",
            f"image {src!r} is a hidden file or inside a hidden folder; it is not copied",
            "hidden files (.env, .ssh/, .git/) hold secrets, not slides: move the image "
            "to a folder whose name does not start with a dot",
        )
    elif resolved.status == "not-image":
        env.report(
            line0,
            col,
            "warning",
            "image-not-image",
            f"image {src!r} is not an image ({resolved.detail}); it is not copied",
            "only PNG, JPEG, GIF, WebP, AVIF, ICO, BMP and SVG files are copied, "
            "told by their content, under a name with their extension",
        )
    elif resolved.status == "unreadable":
        env.report(
            line0,
            col,
            "warning",
            "image-unreadable",
            f"image {src!r} cannot be read: {resolved.detail}; it is not copied",
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
        why = f": {resolved.detail}" if resolved.detail else ""
        env.report(
            line0, col, "warning", "image-invalid", f"image {src!r} is not a usable path{why}"
        )


_PLACEHOLDER_REASONS = {
    "missing": "missing",
    "outside": "refused",
    "hidden": "refused",
    "not-image": "refused",
    "unreadable": "unreadable",
}


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
        reason = _PLACEHOLDER_REASONS.get(resolved.status, "invalid")
        label = html.escape(alt or resolved.source)
        # The placeholder takes the image's place in the steps (a missing {.fragment}).
        steps = "".join(
            f' {name}="{html.escape(str(token.attrGet(name)))}"'
            for name in ("data-step", "data-emphasis")
            if token.attrGet(name) is not None
        )
        return (
            f'<span class="image-missing" role="img" aria-label="{label}"{steps}>'
            f"{reason}: {html.escape(resolved.source)}</span>"
        )
    token.attrSet("alt", alt)
    attrs = "".join(f' {name}="{html.escape(str(value))}"' for name, value in token.attrs.items())
    return f"<img{attrs}>"
