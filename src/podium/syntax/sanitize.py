"""Raw HTML in decks, made inert: an allowlist of tags, attributes and URL schemes.

Authors are trusted, decks are not always theirs: a shared or downloaded deck must not run
script in a student's browser. markdown-it-py passes raw HTML through untouched when
``html=True`` (which speaker notes need), so every ``html_block``/``html_inline`` token goes
through :func:`sanitize_html` unless the builder opts out (``--unsafe-html``, ``[tool.podium]``).
Entities are decoded by the parser before any check, so ``java&#115;cript:`` is caught.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from types import MappingProxyType

#: The views' own ids (``podium-data``, ``podium-help``, ...) all start with this; an author's
#: id or a slide's id never may, so a deck cannot break the page around it.
RESERVED_ID_PREFIX = "podium-"


def is_reserved_id(ident: str) -> bool:
    return ident.startswith(RESERVED_ID_PREFIX)


def unreserved_id(ident: str) -> str:
    """The id an author's ``podium-...`` id becomes: ``s-podium-...``."""
    return f"s-{ident}" if is_reserved_id(ident) else ident


#: CSS properties an author's ``style`` may set (in attribute blocks and raw HTML).
STYLE_PROPERTIES = frozenset(
    {
        "color",
        "background-color",
        "font-weight",
        "font-style",
        "font-family",
        "font-variant",
        "font-size",
        "text-decoration",
        "text-align",
    }
)
#: A value that could load or run something: scripts, expressions, URLs, markup.
UNSAFE_VALUE = re.compile(r"(?i)(javascript|vbscript|data)\s*:|expression\s*\(|url\s*\(|[<>\\]")


def sanitize_style(style: str) -> tuple[str, list[str]]:
    """Keep declarations whose property is allowlisted and whose value is inert."""
    kept: list[str] = []
    dropped: list[str] = []
    for declaration in style.split(";"):
        if not declaration.strip():
            continue
        prop, sep, value = declaration.partition(":")
        prop = prop.strip().lower()
        value = value.strip()
        if not sep or prop not in STYLE_PROPERTIES or not value or UNSAFE_VALUE.search(value):
            dropped.append(f"style {declaration.strip()!r}")
            continue
        kept.append(f"{prop}: {value}")
    return "; ".join(kept), dropped


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
VOID_TAGS = frozenset(["br", "col", "embed", "hr", "img", "source", "track", "wbr"])
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
#: Attributes whose URL the browser loads as the page opens (``href`` and ``cite`` it does not).
LOADED_ATTRS = frozenset({"src", "poster"})
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_DATA_IMAGE = re.compile(r"^data:image/(png|jpe?g|gif|webp|avif);", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]+")
#: A web page a frame may show: ``https://host...`` and nothing a browser would read
#: differently (no whitespace or control character anywhere, no backslash).
_HTTPS_PAGE = re.compile(
    r"https://[^\x00-\x20\x7f-\x9f\\/?#@][^\x00-\x20\x7f-\x9f\\]*", re.IGNORECASE
)
#: ``//host/x`` (or with backslashes): on a page opened from disk it names a network share.
_NETWORK_PATH = re.compile(r"^[/\\]{2}")
_ASCII_SPACE = " \t\n\r\f"
#: Link targets that stay in the same window; any other opens one, which must not get
#: a handle on this page (``window.opener``) or learn its address.
_SAME_WINDOW = frozenset({"", "_self", "_parent", "_top"})


def safe_url(url: str, *, image: bool = False) -> bool:
    """True for relative URLs, fragments and http(s)/mailto/tel (``data:image/*`` for images);
    never ``//host/...``, which on a page opened from disk reaches out to a network share."""
    cleaned = _CONTROL.sub("", html.unescape(url))
    if _NETWORK_PATH.match(cleaned):
        return False
    scheme, sep, _ = cleaned.partition(":")
    if not sep or re.search(r"[/?#]", scheme):
        return True  # no scheme: relative
    if image and _DATA_IMAGE.match(cleaned):
        return True
    return scheme.lower() in SAFE_SCHEMES


def https_page(url: str) -> bool:
    """True for an absolute ``https://`` URL a browser reads as written: the only thing a
    frame may show (never a file of the build: an SVG or HTML file opened in a frame is a
    document of the site's own origin, and runs its script)."""
    return bool(_HTTPS_PAGE.fullmatch(url.strip(_ASCII_SPACE)))


def is_remote(url: str) -> bool:
    """True for a URL that needs the network: ``http(s)://...`` (after the decoding and
    stripping a browser does)."""
    cleaned = _CONTROL.sub("", html.unescape(url)).lower()
    return cleaned.startswith(("http:", "https:"))


def _gist(text: str, most: int = 30) -> str:
    """The start of what was removed, on one line, for a message."""
    line = " ".join(text.split())
    return line if len(line) <= most else line[: most - 3].rstrip() + "..."


def _opens_window(attrs: list[tuple[str, str | None]]) -> bool:
    target = dict(attrs).get("target")
    return target is not None and target.strip().lower() not in _SAME_WINDOW


def _rel_noopener(attrs: list[tuple[str, str | None]]) -> str:
    """The link's ``rel`` words plus ``noopener noreferrer``."""
    words = (dict(attrs).get("rel") or "").split()
    return " ".join(dict.fromkeys([*words, "noopener", "noreferrer"]))


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.removed: list[str] = []
        self.remote: list[str] = []
        """URLs the kept markup loads from the web (``src``, ``poster``)."""
        self.renamed: list[str] = []
        """Ids in the views' namespace (``podium-...``), as written; renamed in the output."""
        self._dropping: list[str] = []
        self.first_removed: tuple[int, int] | None = None
        """Where the first removal stands in the fragment: 0-based line, 0-based column."""

    def _remove(self, *what: str) -> None:
        if what and self.first_removed is None:
            line, col = self.getpos()
            self.first_removed = (line - 1, col)
        self.removed.extend(what)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, self_closing=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, self_closing=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], *, self_closing: bool) -> None:
        if self._dropping:
            return
        if tag in DROP_WITH_CONTENT:
            self._remove(f"<{tag}>")
            if not self_closing and tag not in VOID_TAGS:
                self._dropping.append(tag)
            return
        if tag not in ALLOWED_TAGS:
            self._remove(f"<{tag}>")
            return
        # A browser keeps the first of two attributes of one name: so do we, and check that one.
        attrs = list({name: (name, value) for name, value in reversed(attrs)}.values())[::-1]
        if tag == "iframe" and not self._frame_allowed(attrs, self_closing=self_closing):
            return
        kept: list[str] = []
        for name, value in attrs:
            if not self._attr_allowed(tag, name, value):
                continue
            if name == "id" and value and is_reserved_id(value):
                self.renamed.append(value)
                value = unreserved_id(value)
            if name == "style":
                value, dropped = sanitize_style(value or "")
                self._remove(*dropped)
                if not value:
                    continue
            if name in LOADED_ATTRS and value and is_remote(value):
                self.remote.append(value.strip(_ASCII_SPACE))
            if name == "rel" and _opens_window(attrs):
                continue  # written again below, with noopener
            if value is None:
                kept.append(f" {name}")
            else:
                kept.append(f' {name}="{html.escape(value, quote=True)}"')
        if _opens_window(attrs):
            kept.append(f' rel="{html.escape(_rel_noopener(attrs), quote=True)}"')
        self.out.append(f"<{tag}{''.join(kept)}{' /' if self_closing else ''}>")

    def _frame_allowed(self, attrs: list[tuple[str, str | None]], *, self_closing: bool) -> bool:
        """A frame shows a web page (``https://``) or is removed, with what it holds."""
        src = dict(attrs).get("src") or ""
        if https_page(src):
            return True
        self._remove(f"<iframe src={src!r}> (a frame may show only an https:// web page)")
        if not self_closing:
            self._dropping.append("iframe")
        return False

    def _attr_allowed(self, tag: str, name: str, value: str | None) -> bool:
        if name.startswith("on"):
            self._remove(f"{name}= on <{tag}>")
            return False
        if not (name in ALLOWED_ATTRS or name.startswith(("data-", "aria-"))):
            self._remove(f"{name}= on <{tag}>")
            return False
        if name in URL_ATTRS and not safe_url(value or "", image=tag in {"img", "source"}):
            self._remove(f"{name}={value!r} on <{tag}>")
            return False
        if name == "srcset":
            self._remove(f"srcset on <{tag}>")
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
        self._remove(f"<!{_gist(decl)}>")

    def handle_pi(self, data: str) -> None:
        self._remove(f"<?{_gist(data)}>")

    def unknown_decl(self, data: str) -> None:
        self._remove(f"<![{_gist(data)}]>")


@dataclass(frozen=True)
class SanitizedHTML:
    """A raw HTML fragment made safe, and what that took."""

    html: str
    """The fragment with only allowlisted HTML left."""
    removed: list[str]
    """What was removed, in the words a diagnostic uses."""
    remote: list[str]
    """The web URLs the kept markup loads (``src``, ``poster``)."""
    renamed: list[str]
    """Ids in the views' namespace as written (renamed in ``html``)."""
    first_removed: tuple[int, int] | None
    """Where the first removal stands in the fragment (0-based line and column)."""


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


def _sanitized(fragment: str) -> _Sanitizer:
    parser = _Sanitizer()
    parser.feed(_unopenable(fragment))
    parser.close()
    return parser


def sanitize_html(fragment: str, *, renamed: list[str] | None = None) -> tuple[str, list[str]]:
    """Return the fragment with only allowlisted HTML left, and what was removed.

    An id in the views' namespace is renamed (``podium-x`` to ``s-podium-x``); the ids as
    written are added to ``renamed`` when given, else listed with what was removed."""
    parser = _sanitized(fragment)
    return "".join(parser.out), _renamed_into(parser, renamed)


def sanitize_html_report(fragment: str) -> SanitizedHTML:
    """:func:`sanitize_html`, with the remote URLs, the renamed ids and where the first
    removal stands."""
    parser = _sanitized(fragment)
    return SanitizedHTML(
        "".join(parser.out), parser.removed, parser.remote, parser.renamed, parser.first_removed
    )


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
# What KaTeX's MathML output uses (tests/test_math.py checks the corpus needs nothing more):
# colours are KaTeX-checked names or #hex, lengths are numbers with units.
_MATHML_ATTR = re.compile(
    r"^(?:xmlns|display|stretchy|fence|separator|mathvariant|accent|accentunder|movablelimits"
    r"|lspace|rspace|width|height|depth|voffset|columnalign|rowalign|rowspacing|columnspacing"
    r"|columnlines|rowlines|notation|linethickness|displaystyle|scriptlevel|minsize|maxsize"
    r"|symmetric|largeop|form|mathcolor|mathbackground|class|encoding)$"
)


#: The parser lowers every name; an SVG file is XML, where ``viewbox`` is not ``viewBox``.
SVG_NAME_CASE = {
    name.lower(): name
    for name in (
        *("textPath", "clipPath", "linearGradient", "radialGradient", "viewBox"),
        *("gradientUnits", "gradientTransform", "patternUnits", "preserveAspectRatio"),
        *("markerWidth", "markerHeight", "refX", "refY"),
    )
}


#: Presentation properties an SVG file may set in ``style=`` (matplotlib, Inkscape and
#: Illustrator draw with them); values are colours, lengths, names and ``url(#own-id)``.
SVG_STYLE_PROPERTIES = frozenset(
    {
        *("fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity"),
        *("stroke-linecap", "stroke-linejoin", "stroke-dasharray", "stroke-dashoffset"),
        *("stroke-miterlimit", "opacity", "clip-path", "clip-rule", "mask", "stop-color"),
        *("stop-opacity", "font-size", "font-family", "font-weight", "font-style", "color"),
        *("text-anchor", "dominant-baseline", "display", "visibility", "marker-start"),
        *("marker-mid", "marker-end", "letter-spacing", "paint-order"),
    }
)
# No backslash (CSS escapes), no `/` (comments), no `:;{}<>@`; functions checked below.
_SVG_STYLE_VALUE = re.compile(r"^[\w\s#%.,()'\"+-]*$")
_CSS_FUNCTION = re.compile(r"([\w-]*)\s*\(")


def _svg_style(value: str, tag: str) -> tuple[str, list[str]]:
    """``style=`` of an SVG file with only presentation properties and safe values."""
    kept: list[str] = []
    dropped: list[str] = []
    for declaration in value.split(";"):
        prop, colon, text = (part.strip() for part in declaration.partition(":"))
        prop = prop.lower()
        if not (colon or prop):
            continue
        functions = {name.lower() for name in _CSS_FUNCTION.findall(text)}
        if (
            prop not in SVG_STYLE_PROPERTIES
            or not _SVG_STYLE_VALUE.match(text)
            or not functions <= {"rgb", "rgba", "hsl", "hsla", "url"}
            or ("url" in functions and not _local_reference(text))
        ):
            dropped.append(f"style {prop or declaration.strip()!r} on <{tag}>")
            continue
        kept.append(f"{prop}: {text}")
    return "; ".join(kept), dropped


class _ForeignSanitizer(_Sanitizer):
    """SVG or MathML made by or for a deck: an allowlist of elements and attributes, links
    only to the fragment's own ``#ids``; no script, handlers or outside references."""

    def __init__(
        self,
        tags: frozenset[str],
        attributes: re.Pattern[str],
        names: Mapping[str, str] = MappingProxyType({}),
        *,
        styles: bool = False,
    ) -> None:
        super().__init__()
        self.tags = tags
        self.attributes = attributes
        self.names = names
        """How to spell a (lowered) name in the output: an SVG file needs XML's case."""
        self.styles = styles
        """Keep ``style=`` presentation properties (SVG files)."""

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
            if name == "style" and self.styles:
                text, dropped = _svg_style(text, tag)
                self.removed.extend(dropped)
                if text:
                    kept.append(f' style="{html.escape(text, quote=True)}"')
                continue
            local_only = name in {"href", "xlink:href"} or "url(" in text.lower()
            if not self.attributes.match(name) or (local_only and not _local_reference(text)):
                self.removed.append(f"{name}= on <{tag}>")
                continue
            if name == "id" and is_reserved_id(text):
                self.renamed.append(text)
                text = unreserved_id(text)
            elif local_only:  # a reference to a renamed id follows it
                text = re.sub(r"#(?=" + re.escape(RESERVED_ID_PREFIX) + ")", "#s-", text)
            name = self.names.get(name, name)
            kept.append(f' {name}="{html.escape(text, quote=True)}"')
        tag = self.names.get(tag, tag)
        self.out.append(f"<{tag}{''.join(kept)}{' /' if self_closing else ''}>")

    def handle_endtag(self, tag: str) -> None:
        if self._dropping:
            if tag == self._dropping[-1]:
                self._dropping.pop()
            return
        if tag in self.tags:
            self.out.append(f"</{self.names.get(tag, tag)}>")


def _local_reference(value: str) -> bool:
    """``#id`` or ``url(#id)``: a reference inside the same SVG."""
    text = value.strip()
    return bool(re.fullmatch(r"#[\w:.-]+|url\(\s*#[\w:.-]+\s*\)", text, re.IGNORECASE))


def sanitize_svg(fragment: str, *, renamed: list[str] | None = None) -> tuple[str, list[str]]:
    """Return the SVG with only allowlisted elements and attributes, and what was removed
    (ids in the views' namespace are renamed, as :func:`sanitize_html` does)."""
    return _sanitize_foreign(fragment, SVG_TAGS, _SVG_ATTR, renamed)


def sanitize_mathml(fragment: str) -> tuple[str, list[str]]:
    """MathML with only allowlisted elements and attributes (a second guard under KaTeX,
    which escapes ``\\text{...}`` itself)."""
    return _sanitize_foreign(fragment, MATHML_TAGS, _MATHML_ATTR)


def _sanitize_foreign(
    fragment: str,
    tags: frozenset[str],
    attributes: re.Pattern[str],
    renamed: list[str] | None = None,
    names: Mapping[str, str] = MappingProxyType({}),
) -> tuple[str, list[str]]:
    parser = _ForeignSanitizer(tags, attributes, names)
    parser.feed(_unopenable(fragment))
    parser.close()
    return "".join(parser.out), _renamed_into(parser, renamed)


def _renamed_into(parser: _Sanitizer, renamed: list[str] | None) -> list[str]:
    """What was removed; the renamed ids go to ``renamed`` when given, else join the list."""
    if renamed is not None:
        renamed.extend(parser.renamed)
        return parser.removed
    notes = [f"id {i!r} (reserved for the views: now {unreserved_id(i)!r})" for i in parser.renamed]
    return parser.removed + notes


class NotSvg(ValueError):
    """An SVG file that is not a well-formed SVG document (browsers would not show it)."""


def sanitize_svg_file(data: bytes) -> tuple[str, list[str]]:
    """An SVG file (XML) re-serialised through the same allowlist as ``$$$ svg`` blocks,
    names in XML's case, and what was removed. Read with expat, not the HTML parser: it is
    linear in the file's size whatever the bytes, and an SVG image must be well-formed XML
    to show anyway. Entity declarations are refused (no "billion laughs"), so nothing the
    file declares is expanded. Raises :class:`NotSvg`."""
    from xml.parsers import expat

    sanitizer = _ForeignSanitizer(SVG_TAGS, _SVG_ATTR, SVG_NAME_CASE, styles=True)
    root: list[str] = []

    def start(name: str, attributes: list[str]) -> None:
        if not root:
            root.append(name)
        pairs = list(zip(attributes[::2], attributes[1::2], strict=True))
        sanitizer.handle_starttag(name.lower(), [(k.lower(), v) for k, v in pairs])

    def refuse(*_: object) -> None:
        raise NotSvg("it declares entities")

    parser = expat.ParserCreate()
    parser.ordered_attributes = True
    parser.StartElementHandler = start
    parser.EndElementHandler = lambda name: sanitizer.handle_endtag(name.lower())
    parser.CharacterDataHandler = sanitizer.handle_data
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise NotSvg(f"it is not well-formed XML ({expat.errors.messages[exc.code]})") from None
    if root != ["svg"]:
        raise NotSvg("its root element is not <svg>")
    return "".join(sanitizer.out), sanitizer.removed
