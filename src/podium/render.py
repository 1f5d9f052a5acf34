"""Deck model to HTML: the Jinja2 environment and one template per view.

``render_deck`` is pure: a :class:`~podium.model.Deck` in, ``{relative path: text}`` out.
The build writes that mapping to disk; the dev server holds it in memory.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any

import jinja2

from podium.model import Deck

#: The views of one deck: output file name -> template name.
DECK_VIEWS: Mapping[str, str] = {
    "index.html": "audience.html.j2",
    "presenter.html": "presenter.html.j2",
    "handout.html": "handout.html.j2",
}

#: Static front-end files shared by every deck, written once to ``<out>/_podium/``.
STATIC_DIR = "_podium"


@functools.cache
def environment() -> jinja2.Environment:
    """The one Jinja2 environment: templates shipped in the package, autoescape on."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.files("podium") / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["tojson_script"] = json_for_script
    return env


def json_for_script(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: nothing in it can close the element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def static_files() -> dict[str, bytes]:
    """The shared CSS/JS (and fonts) of the views, keyed by path relative to the output root."""
    root = resources.files("podium") / "templates" / "static"
    files: dict[str, bytes] = {}

    def walk(node: Any, prefix: str) -> None:
        for child in node.iterdir():
            name = f"{prefix}/{child.name}"
            if child.is_dir():
                walk(child, name)
            else:
                files[STATIC_DIR + name] = child.read_bytes()

    if root.is_dir():
        walk(root, "")
    return files


def render_deck(
    deck: Deck, *, slug: str, views: Iterable[str] = tuple(DECK_VIEWS), notes: bool = True
) -> dict[str, str]:
    """Render the views of one deck; keys are paths relative to the output root."""
    env = environment()
    context = {"deck": deck, "slug": slug, "static": f"../{STATIC_DIR}", "with_notes": notes}
    return {
        f"{slug}/{name}": env.get_template(DECK_VIEWS[name]).render(context, view=name)
        for name in views
    }


def render_index(decks: Iterable[tuple[str, Deck]]) -> str:
    """The site's front page: every deck with its title and links to its views."""
    env = environment()
    return env.get_template("site-index.html.j2").render(decks=list(decks), static=STATIC_DIR)
