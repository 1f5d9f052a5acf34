"""Pure helpers of the views: what the templates call (slide classes and attributes, the
byline, thumbnails for the deck index, JSON for a ``<script>``), and the pages'
Content-Security-Policy. Nothing here reads a file or keeps state."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from typing import Any

from podium.model import Deck, Note, Settings, Slide


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


# ---- content security policy ----------------------------------------------------------------

#: What a page of the site may load and run. Script: only the site's own files (``'self'``;
#: on file:// Chromium and Firefox match any local file with it), plus Podium's own inline
#: code by hash (none today: the ``application/json`` data block is never run). Styles:
#: ``'unsafe-inline'``, as authors' sanitised ``style=`` attributes need it. Frames: web
#: pages over https only. No plugins, no ``<base>``, no form posts.
_POLICY = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self' 'unsafe-inline'"),
    ("img-src", "'self' data: blob: https: http:"),
    ("media-src", "'self' data: blob: https: http:"),
    ("font-src", "'self' data:"),
    ("connect-src", "'self'"),
    ("frame-src", "https:"),
    ("worker-src", "'none'"),
    ("manifest-src", "'none'"),
    ("object-src", "'none'"),
    ("base-uri", "'none'"),
    ("form-action", "'none'"),
)


def script_hash(code: str) -> str:
    """The CSP source that lets exactly this inline ``<script>`` text run."""
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(
    *, unsafe_html: bool = False, inline_scripts: Iterable[str] = (), header: bool = False
) -> str:
    """The policy of a page: in a ``<meta>`` element (what file:// has), or as the dev
    server's HTTP header, which adds ``frame-ancestors`` (a ``<meta>`` cannot carry it).
    ``unsafe_html``: the builder let a deck's raw HTML through, so its inline and web
    script runs (a hash in the list would switch ``'unsafe-inline'`` off: none is added)."""
    directives = dict(_POLICY)
    if unsafe_html:
        directives["script-src"] = "'self' 'unsafe-inline' https:"
    else:
        hashes = [script_hash(code) for code in inline_scripts]
        directives["script-src"] = " ".join(["'self'", *dict.fromkeys(hashes)])
    if header:
        directives["frame-ancestors"] = "'self'"
    return "; ".join(f"{name} {value}" for name, value in directives.items())


# ---- helpers the templates call ------------------------------------------------------------


def slide_class(slide: Slide) -> str:
    """``slide layout-<layout>`` plus the author's classes and size hints: for big points,
    and ``sparse`` for a body slide that holds a line or two of text (a call to action, a
    single link), which the theme sets larger and in the middle instead of alone on top."""
    classes = ["slide", f"layout-{slide.layout}", *slide.classes]
    if slide.layout == "big":
        length = len(slide.title)
        if length <= 32:
            classes.append("big-short")
        elif length > 80:
            classes.append("big-long")
    elif slide.layout == "body" and _is_sparse(slide.html):
        classes.append("sparse")
    return " ".join(dict.fromkeys(classes))


_RICH_CONTENT = re.compile(r"<(?:img|pre|table|ul|ol|div|video|svg|math|blockquote|h[3-6])\b")
_TAG = re.compile(r"<[^>]*>")
_HEADINGS = re.compile(r"<h[12]\b.*?</h[12]>", re.DOTALL)


def _is_sparse(html_text: str) -> bool:
    """A size hint from the rendered body: only short paragraphs under the headings."""
    body = _HEADINGS.sub("", html_text)
    if _RICH_CONTENT.search(body):
        return False
    return 0 < len(_TAG.sub("", body).strip()) <= 90


def slide_attrs(slide: Slide) -> str:
    """The slide's own allowlisted attributes (``data-*``, ``style``), escaped."""
    parts = []
    for name, value in slide.attrs:
        if re.fullmatch(r"(data-[a-z0-9_.:-]+|style)", name) and name not in _RESERVED_DATA:
            parts.append(f' {name}="{html.escape(value, quote=True)}"')
    return "".join(parts)


_RESERVED_DATA = frozenset({"data-index", "data-steps", "data-line", "data-layout"})


def presenter_notes(notes: Iterable[Note]) -> str:
    """A slide's notes for the presenter view, each in a box that says the step it belongs
    to: presenter.js highlights the part of the step shown (already sanitised HTML)."""
    return "".join(
        f'<div class="note" data-note-step="{note.step}">\n{note.html}</div>\n' for note in notes
    )


def format_duration(seconds: int | None) -> str:
    """``2700`` -> ``45 min``; ``5400`` -> ``1 h 30 min``; None -> empty."""
    if not seconds:
        return ""
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{max(minutes, 1)} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def byline(deck: Deck) -> str:
    """``Author · Date`` from the front matter, or empty."""
    parts = [str(deck.meta[key]).strip() for key in ("author", "date") if deck.meta.get(key)]
    return " · ".join(p for p in parts if p)


def deck_data(deck: Deck, slug: str) -> dict[str, Any]:
    """What the views' JavaScript needs to know about the deck (read from a JSON script)."""
    return {
        "slug": slug,
        "title": deck.title,
        "count": len(deck.slides),
        "aspect": deck.aspect,
        "duration": deck.duration_seconds,
        "slides": [
            {"steps": s.steps, "title": s.title or f"Slide {s.index}", "id": s.id}
            for s in deck.slides
        ],
    }


class _Thumbnail(HTMLParser):
    """Re-serialise slide HTML for a page in another folder: prefix relative media URLs,
    drop ids (they would collide across decks), turn links into text and controls inert."""

    _URL_ATTRS = frozenset({"src", "poster", "srcset"})

    def __init__(self, prefix: str) -> None:
        super().__init__(convert_charrefs=True)
        self.prefix = prefix
        self.out: list[str] = []

    def _rewrite(self, value: str) -> str:
        if re.match(r"^([a-z][a-z0-9+.-]*:|/|#)", value, re.IGNORECASE):
            return value
        return self.prefix + value

    def _attrs(self, tag: str, attrs: list[tuple[str, str | None]]) -> str:
        parts = []
        for name, value in attrs:
            if name == "id":
                continue
            if value is not None and name in self._URL_ATTRS:
                value = self._rewrite(value)
            parts.append(f" {name}" if value is None else f' {name}="{html.escape(value)}"')
        if tag in {"button", "input", "select", "textarea", "iframe", "video", "audio"}:
            parts.append(' tabindex="-1"')
        if tag in {"video", "audio"}:
            parts = [p for p in parts if not p.strip().startswith(("autoplay", "controls"))]
            parts.append(' preload="none"')
        return "".join(parts)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":  # a picture holds no links: the card around it is the link
            self.out.append('<span class="link">')
            return
        self.out.append(f"<{tag}{self._attrs(tag, attrs)}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.out.append("</span>" if tag == "a" else f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(data, quote=False))

    def handle_comment(self, data: str) -> None:
        pass


def thumbnail_html(slide: Slide, prefix: str) -> str:
    """The slide's HTML as a static picture for a page in another folder (the deck index)."""
    parser = _Thumbnail(prefix)
    parser.feed(slide.html)
    parser.close()
    return "".join(parser.out)


# ---- a deck's settings in its pages: footer, logo, the project's stylesheet ------------------


def css_string(text: str) -> str:
    """``text`` as a double-quoted CSS string that nothing in it can end, nor the
    ``<style>`` element around it (front matter is a stranger's)."""
    out = []
    for char in text:
        if char in '"\\<>&' or ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def deck_style(
    settings: Settings, *, logo_url: str | None = None, prefix: str = "", scope: str = ""
) -> str:
    """The CSS of a deck's footer and logo, or '' when it has neither: ``--footer`` on
    ``scope`` (``:root`` by default), and the logo as the slides' footer background. The
    logo's ``url()`` is written in the page's own ``<style>``, not in a custom property: a
    relative URL in one resolves against the stylesheet that uses it (``_podium/``).
    ``logo_url`` replaces the logo's path (a data URI in a self-contained page); ``prefix``
    goes before it (the site index, a folder above the deck)."""
    if not (settings.footer or settings.logo):
        return ""
    rules = [f"{scope or ':root'} {{ --footer: {css_string(settings.footer)} }}"]
    if settings.logo:
        url = logo_url if logo_url is not None else prefix + settings.logo
        where = f"{scope} .slide::after" if scope else ".slide::after"
        rules.append(f"{where} {{ background-image: url({css_string(url)}) }}")
    return "\n".join(rules)


def project_stylesheet(settings: Settings) -> bool:
    """Whether the deck's project has a ``templates/theme.css`` (its state was taken)."""
    return any(
        len(state) > 1 and str(state[0]).endswith(f"{os.sep}theme.css")
        for state in settings.templates_state
    )
