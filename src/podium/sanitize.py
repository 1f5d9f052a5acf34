"""Raw HTML in decks, made inert: an allowlist of tags, attributes and URL schemes.

Authors are trusted, decks are not always theirs: a shared or downloaded deck must not run
script in a student's browser. markdown-it-py passes raw HTML through untouched when
``html=True`` (which speaker notes need), so every ``html_block``/``html_inline`` token goes
through :func:`sanitize_html` unless the deck opts out with ``html: unsafe``.
Entities are decoded by the parser before any check, so ``java&#115;cript:`` is caught.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from podium.syntax.attrs import sanitize_style

ALLOWED_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "blockquote",
        "br",
        "caption",
        "center",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "details",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "font",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "iframe",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "picture",
        "pre",
        "q",
        "rp",
        "rt",
        "ruby",
        "s",
        "samp",
        "small",
        "source",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "track",
        "u",
        "ul",
        "var",
        "video",
        "audio",
        "wbr",
    ]
)
VOID_TAGS = frozenset(["br", "col", "hr", "img", "source", "track", "wbr"])
# Dropped together with everything inside them.
DROP_WITH_CONTENT = frozenset(
    [
        "script",
        "style",
        "template",
        "noscript",
        "title",
        "textarea",
        "select",
        "object",
        "embed",
        "applet",
        "frameset",
    ]
)
ALLOWED_ATTRS = frozenset(
    [
        "class",
        "id",
        "title",
        "lang",
        "dir",
        "style",
        "role",
        "alt",
        "width",
        "height",
        "href",
        "src",
        "srcset",
        "poster",
        "colspan",
        "rowspan",
        "controls",
        "muted",
        "loop",
        "playsinline",
        "start",
        "type",
        "datetime",
        "cite",
        "allow",
        "allowfullscreen",
        "frameborder",
        "loading",
        "color",
        "face",
        "size",
        "align",
        "valign",
        "span",
        "reversed",
        "open",
        "kind",
        "srclang",
        "label",
        "target",
        "rel",
    ]
)
URL_ATTRS = frozenset({"href", "src", "poster", "cite"})
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_DATA_IMAGE = re.compile(r"^data:image/(png|jpe?g|gif|webp|avif);", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]+")


def safe_url(url: str, *, image: bool = False) -> bool:
    """True for relative URLs, fragments and http(s)/mailto/tel (``data:image/*`` for images)."""
    cleaned = _CONTROL.sub("", html.unescape(url))
    scheme, sep, _ = cleaned.partition(":")
    if not sep or re.search(r"[/?#]", scheme):
        return True  # no scheme: relative
    if image and _DATA_IMAGE.match(cleaned):
        return True
    return scheme.lower() in SAFE_SCHEMES


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.removed: list[str] = []
        self._dropping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, self_closing=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, self_closing=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], *, self_closing: bool) -> None:
        if self._dropping:
            return
        if tag in DROP_WITH_CONTENT:
            self.removed.append(f"<{tag}>")
            if not self_closing and tag not in VOID_TAGS:
                self._dropping.append(tag)
            return
        if tag not in ALLOWED_TAGS:
            self.removed.append(f"<{tag}>")
            return
        kept: list[str] = []
        for name, value in attrs:
            if not self._attr_allowed(tag, name, value):
                continue
            if name == "style":
                value, dropped = sanitize_style(value or "")
                self.removed.extend(dropped)
                if not value:
                    continue
            if value is None:
                kept.append(f" {name}")
            else:
                kept.append(f' {name}="{html.escape(value, quote=True)}"')
        self.out.append(f"<{tag}{''.join(kept)}{' /' if self_closing else ''}>")

    def _attr_allowed(self, tag: str, name: str, value: str | None) -> bool:
        if name.startswith("on"):
            self.removed.append(f"{name}= on <{tag}>")
            return False
        if not (name in ALLOWED_ATTRS or name.startswith(("data-", "aria-"))):
            self.removed.append(f"{name}= on <{tag}>")
            return False
        if name in URL_ATTRS and not safe_url(value or "", image=tag in {"img", "source"}):
            self.removed.append(f"{name}={value!r} on <{tag}>")
            return False
        if name == "srcset":
            self.removed.append(f"srcset on <{tag}>")
            return False
        return True

    def handle_endtag(self, tag: str) -> None:
        if self._dropping:
            if tag == self._dropping[-1]:
                self._dropping.pop()
            return
        if tag in ALLOWED_TAGS and tag not in VOID_TAGS:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self._dropping:
            self.out.append(html.escape(data, quote=False))

    def handle_comment(self, data: str) -> None:
        pass  # comments are speaker notes, taken out before this point

    def handle_decl(self, decl: str) -> None:
        self.removed.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.removed.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.removed.append(f"<![{data}]>")


def _unopenable(fragment: str) -> str:
    """``<`` that can open nothing escaped up front, with the same result: HTMLParser searches
    to the end for the close of every ``<!--``, ``<?`` or ``<tag`` that never closes, so
    thousands of them on a line took quadratic time. No ``-->`` after a ``<!--``, no ``>``
    after a ``<``: each would come out as the text it is."""
    last_comment_close = fragment.rfind("-->")
    if fragment.find("<!--", max(last_comment_close, 0)) >= 0:
        head, tail = fragment[: last_comment_close + 1], fragment[last_comment_close + 1 :]
        fragment = head + tail.replace("<!--", "&lt;!--")
    last_close = fragment.rfind(">")
    if fragment.find("<", last_close + 1) >= 0:
        fragment = fragment[: last_close + 1] + fragment[last_close + 1 :].replace("<", "&lt;")
    return fragment


def sanitize_html(fragment: str) -> tuple[str, list[str]]:
    """Return the fragment with only allowlisted HTML left, and what was removed."""
    parser = _Sanitizer()
    parser.feed(_unopenable(fragment))
    parser.close()
    return "".join(parser.out), parser.removed


SVG_TAGS = frozenset(
    {
        *("svg", "g", "path", "circle", "ellipse", "line", "polyline", "polygon", "rect"),
        *("text", "tspan", "textpath", "defs", "clippath", "mask", "pattern", "symbol", "use"),
        *("lineargradient", "radialgradient", "stop", "title", "desc", "marker"),
    }
)
_SVG_ATTR = re.compile(
    r"^(?:xmlns(?::xlink)?|id|class|viewbox|width|height|x|y|x1|x2|y1|y2|cx|cy|r|rx|ry|d|points"
    r"|transform|fill|fill-opacity|fill-rule|stroke|stroke-width|stroke-opacity|stroke-linecap"
    r"|stroke-linejoin|stroke-dasharray|opacity|clip-path|clip-rule|mask|offset|stop-color"
    r"|stop-opacity|gradientunits|gradienttransform|patternunits|preserveaspectratio|overflow"
    r"|font-size|font-family|font-weight|text-anchor|dominant-baseline|href|xlink:href|role"
    r"|aria-label|aria-hidden|marker-start|marker-end|markerwidth|markerheight|refx|refy|orient"
    r"|dx|dy)$"
)


MATHML_TAGS = frozenset(
    {
        *("math", "mrow", "mi", "mo", "mn", "ms", "mtext", "msup", "msub", "msubsup", "mfrac"),
        *("msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd", "mspace"),
        *("mstyle", "mpadded", "mphantom", "menclose", "semantics", "annotation", "merror"),
        *("mmultiscripts", "mprescripts", "none"),
    }
)
_MATHML_ATTR = re.compile(
    r"^(?:xmlns|display|stretchy|fence|separator|mathvariant|accent|accentunder|movablelimits"
    r"|lspace|rspace|width|height|depth|columnalign|rowalign|rowspacing|columnspacing|notation"
    r"|linethickness|displaystyle|scriptlevel|minsize|maxsize|symmetric|largeop|form|class"
    r"|encoding)$"
)


class _ForeignSanitizer(_Sanitizer):
    """SVG or MathML made by or for a deck: an allowlist of elements and attributes, links
    only to the fragment's own ``#ids``; no script, handlers or outside references."""

    def __init__(self, tags: frozenset[str], attributes: re.Pattern[str]) -> None:
        super().__init__()
        self.tags = tags
        self.attributes = attributes

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], *, self_closing: bool) -> None:
        if self._dropping:
            return
        if tag not in self.tags:
            self.removed.append(f"<{tag}>")
            if not self_closing:
                self._dropping.append(tag)
            return
        kept = []
        for name, value in attrs:
            text = value or ""
            local_only = name in {"href", "xlink:href"} or "url(" in text.lower()
            if not self.attributes.match(name) or (local_only and not _local_reference(text)):
                self.removed.append(f"{name}= on <{tag}>")
                continue
            kept.append(f' {name}="{html.escape(text, quote=True)}"')
        self.out.append(f"<{tag}{''.join(kept)}{' /' if self_closing else ''}>")

    def handle_endtag(self, tag: str) -> None:
        if self._dropping:
            if tag == self._dropping[-1]:
                self._dropping.pop()
            return
        if tag in self.tags:
            self.out.append(f"</{tag}>")


def _local_reference(value: str) -> bool:
    """``#id`` or ``url(#id)``: a reference inside the same SVG."""
    text = value.strip()
    return bool(re.fullmatch(r"#[\w:.-]+|url\(\s*#[\w:.-]+\s*\)", text, re.IGNORECASE))


def sanitize_svg(fragment: str) -> tuple[str, list[str]]:
    """Return the SVG with only allowlisted elements and attributes, and what was removed."""
    return _sanitize_foreign(fragment, SVG_TAGS, _SVG_ATTR)


def sanitize_mathml(fragment: str) -> tuple[str, list[str]]:
    """MathML with only allowlisted elements: latex2mathml copies ``\\text{...}`` verbatim."""
    return _sanitize_foreign(fragment, MATHML_TAGS, _MATHML_ATTR)


def _sanitize_foreign(
    fragment: str, tags: frozenset[str], attributes: re.Pattern[str]
) -> tuple[str, list[str]]:
    parser = _ForeignSanitizer(tags, attributes)
    parser.feed(_unopenable(fragment))
    parser.close()
    return "".join(parser.out), parser.removed
