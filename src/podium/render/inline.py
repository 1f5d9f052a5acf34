"""A view as one self-contained HTML file (``podium build --self-contained``): its CSS, fonts,
JavaScript and images inlined, so that the file presents, syncs with its presenter file and
prints when it is opened alone (from an e-mail, a USB stick), and loads nothing else.

The page is the ordinary view with its ``<head>`` links swapped for their content: only the
head is rewritten (the deck's slides are in the body, and never taken for one of our links).
Inline scripts run by hash (:func:`~podium.render.helpers.script_hash`): the policy keeps
refusing every other inline script. They are ``type="module"``: deferred like the ``defer``
scripts they replace (they run after the document is parsed, in order).
"""

from __future__ import annotations

import base64
import html
import mimetypes
import re
from collections.abc import Mapping

from podium.render.helpers import content_security_policy
from podium.render.static import STATIC_DIR

#: File names of a deck's self-contained views, beside each other in one folder, by view.
SELF_CONTAINED_NAMES: Mapping[str, str] = {
    "index.html": "{slug}.html",
    "presenter.html": "{slug}-presenter.html",
    "handout.html": "{slug}-handout.html",
}

_PREFIX = re.escape(f"../{STATIC_DIR}/")
_STYLESHEET = re.compile(rf'<link rel="stylesheet" href="{_PREFIX}(?P<name>(?:themes/)?[\w.-]+)">')
#: The project's own stylesheet, beside the page (``templates/theme.css``).
_PROJECT_STYLESHEET = re.compile(r'<link rel="stylesheet" href="(?P<name>theme\.css)">')
_SCRIPT = re.compile(rf'<script defer src="{_PREFIX}(?P<name>[\w.-]+)"></script>')
_POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')
_FONT_URL = re.compile(r'url\("(?P<name>fonts/[\w.-]+)"\)')

#: The MIME types of what a page may inline (``mimetypes`` knows the rest from the suffix).
_TYPES = {".woff2": "font/woff2", ".svg": "image/svg+xml", ".webp": "image/webp"}


def self_contained_name(view: str, slug: str) -> str:
    """The file name of a deck's view when self-contained: ``keras.html``,
    ``keras-presenter.html``, ``keras-handout.html`` (the slug's last part)."""
    return SELF_CONTAINED_NAMES[view].format(slug=slug.rpartition("/")[2])


def data_uri(name: str, data: bytes) -> str:
    """``data:<type>;base64,...`` of a file, its type from its name's suffix."""
    suffix = "." + name.rpartition(".")[2].lower()
    kind = _TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def _css(name: str, static: Mapping[str, bytes]) -> str:
    """A stylesheet with its fonts inlined. ``</style`` cannot close it: our CSS has none."""
    text = static[f"{STATIC_DIR}/{name}"].decode("utf-8")

    def font(match: re.Match[str]) -> str:
        path = match["name"]
        return f'url("{data_uri(path, static[f"{STATIC_DIR}/{path}"])}")'

    text = _FONT_URL.sub(font, text)
    if "</style" in text.lower():
        raise ValueError(f"{name} cannot be inlined: it holds </style")
    return text


def _project_css(data: bytes | None) -> str:
    """The project's stylesheet as an inline one: the builder's own, but still never able to
    end the ``<style>`` element (``<`` is escaped: CSS reads ``\3c`` as the same character)."""
    text = (data or b"").decode("utf-8", "replace")
    return text.replace("<", "\\3c ")


def _js(name: str, static: Mapping[str, bytes]) -> str:
    text = static[f"{STATIC_DIR}/{name}"].decode("utf-8")
    if "</script" in text.lower() or "<!--" in text:
        raise ValueError(f"{name} cannot be inlined: it holds </script or <!--")
    return text


_NONE = "'none'"


def _without_self(policy: str) -> str:
    """The policy with ``'self'`` taken out: a file that needs no other may load none (on
    file:// Chromium and Firefox take any local file for ``'self'``). A directive left with
    nothing allows nothing: ``'none'``."""
    directives = []
    for directive in policy.split("; "):
        name, _, sources = directive.partition(" ")
        kept = " ".join(source for source in sources.split() if source != "'self'")
        directives.append(f"{name} {kept or _NONE}")
    return "; ".join(directives)


def self_contained_page(
    page: str,
    *,
    static: Mapping[str, bytes],
    images: Mapping[str, bytes],
    unsafe_html: bool = False,
    styles: Mapping[str, bytes] | None = None,
) -> str:
    """The view ``page`` (rendered with links to ``../_podium/``) as one file: ``static`` is
    the site's static files (:func:`~podium.render.static.static_files`), ``images`` the
    deck's images by their path in the page (``res/a.png``: what a slide's ``src`` holds);
    ``styles`` the project's stylesheets by their link (``theme.css``)."""
    head, marker, body = page.partition("</head>")
    if not marker:
        raise ValueError("not a view: no </head>")
    head = _STYLESHEET.sub(lambda m: f"<style>{_css(m['name'], static)}</style>", head)
    own = styles or {}
    head = _PROJECT_STYLESHEET.sub(
        lambda m: f"<style>{_project_css(own.get(m['name']))}</style>", head
    )
    scripts: list[str] = []

    def script(match: re.Match[str]) -> str:
        code = _js(match["name"], static)
        scripts.append(code)
        return f'<script type="module">{code}</script>'

    head = _SCRIPT.sub(script, head)
    policy = _without_self(content_security_policy(unsafe_html=unsafe_html, inline_scripts=scripts))
    meta = f'<meta http-equiv="Content-Security-Policy" content="{html.escape(policy)}">'
    head, found = _POLICY.subn(lambda _: meta, head, count=1)
    if not found:
        raise ValueError("not a view: no Content-Security-Policy")
    for target, data in images.items():
        uri = data_uri(target, data)
        for attribute in ("src", "poster"):
            body = body.replace(f'{attribute}="{html.escape(target)}"', f'{attribute}="{uri}"')
    return head + marker + body
