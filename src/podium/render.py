"""Deck model to HTML: the Jinja2 environment and one template per view.

``render_deck`` is pure: a :class:`~podium.model.Deck` in, ``{relative path: text}`` out.
The build writes that mapping to disk; the dev server holds it in memory.

The views (docs/views.md describes them):

- ``<slug>/index.html``: the audience view, every slide a ``<section class="slide ...">``;
- ``<slug>/presenter.html``: current slide, next step, notes, clock, timer and pacing;
- ``<slug>/handout.html``: the lesson as a document, each slide a figure beside its notes;
- ``index.html`` at the output root (:func:`render_index`): every deck as a card.

Shared CSS, JavaScript and fonts come from ``templates/static`` (:func:`static_files`), plus
``code.css``, the Pygments colours of code blocks, generated here.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import os
import re
import zlib
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from podium import __version__
from podium.model import Deck, Slide
from podium.workers import run, worker_count

#: The views of one deck: output file name -> template name.
DECK_VIEWS: Mapping[str, str] = {
    "index.html": "audience.html.j2",
    "presenter.html": "presenter.html.j2",
    "handout.html": "handout.html.j2",
}

#: Static front-end files shared by every deck, written once to ``<out>/_podium/``.
STATIC_DIR = "_podium"

#: The Pygments style of code blocks, and the panel it sits on. Every token colour of this
#: style passes WCAG AA (4.5:1) on the panel and on highlighted lines (tests check it).
CODE_STYLE = "lightbulb"
CODE_BACKGROUND = "#161b26"
CODE_HIGHLIGHT = "#263148"
#: Comments in ``lightbulb`` (#7E8AA1) are 4.5:1 on its own panel and fail on highlighted
#: lines; this lifts them for projectors.
CODE_COMMENT = "#9aa6bd"
_STYLE_COMMENT = "#7e8aa1"


#: Where the templates are, and where the shipped Python modules compiled from them are
#: (``scripts/compile_templates.py`` writes those; ``make templates``).
TEMPLATES_DIR = Path(__file__).parent / "templates"
COMPILED_DIR = Path(__file__).parent / "compiled_templates"
_SOURCES_FILE = "SOURCES"
_OPTIONS: Mapping[str, Any] = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True}


@functools.cache
def environment() -> jinja2.Environment:
    """The one Jinja2 environment: templates shipped in the package, autoescape on.

    Compiling the templates costs more than a small deck's whole parse, so the package ships
    them compiled to Python modules. Those are used only while they are exactly what the
    templates compile to now (:func:`templates_digest`); an edited template is read from its
    source (compiled once, then kept in the bytecode cache beside the chunk cache).
    """
    loader: jinja2.BaseLoader
    if _shipped_digest() == templates_digest():
        loader, bytecode_cache = jinja2.ModuleLoader(str(COMPILED_DIR)), None
    else:
        loader, bytecode_cache = jinja2.FileSystemLoader(str(TEMPLATES_DIR)), _bytecode_cache()
    return _environment(loader, bytecode_cache)


def _environment(
    loader: jinja2.BaseLoader, bytecode_cache: jinja2.BytecodeCache | None = None
) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=loader, undefined=jinja2.StrictUndefined, bytecode_cache=bytecode_cache, **_OPTIONS
    )
    env.filters["tojson_script"] = json_for_script
    env.globals.update(
        slide_class=slide_class,
        slide_attrs=slide_attrs,
        thumbnail_html=thumbnail_html,
        deck_data=deck_data,
        format_duration=format_duration,
        byline=byline,
    )
    return env


def templates_digest() -> str:
    """What the compiled templates must have been compiled from: every template's name and
    text, the environment's options, and the format of Jinja2's compiled code."""
    from jinja2.bccache import bc_version

    digest = hashlib.blake2b(f"{sorted(_OPTIONS.items())} {bc_version}".encode(), digest_size=16)
    for path in sorted(TEMPLATES_DIR.glob("*.j2")):
        digest.update(b"\0" + path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _shipped_digest() -> str:
    try:
        return (COMPILED_DIR / _SOURCES_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def compile_templates(target: Path) -> list[str]:
    """Compile every template into ``target`` as Python modules, and record what they were
    compiled from; make the code colours (:func:`code_css`) beside them. Returns the
    template names."""
    names = sorted(path.name for path in TEMPLATES_DIR.glob("*.j2"))
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("tmpl_*.py"):
        old.unlink()
    env = _environment(jinja2.FileSystemLoader(str(TEMPLATES_DIR)))
    env.compile_templates(
        str(target), zip=None, filter_func=names.__contains__, ignore_errors=False
    )
    (target / _SOURCES_FILE).write_text(templates_digest() + "\n", encoding="utf-8")
    css = f"{_code_css_key()}\n{make_code_css()}"
    (target / _CODE_CSS_FILE).write_text(css, encoding="utf-8")
    return names


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept beside the chunk cache. Jinja2 checks each template's source
    time, so an edited template is compiled again. They are code: kept only in a private
    cache folder (see ``private.py``), or not at all."""
    from podium.site.private import cache_dir, private_folder

    folder = cache_dir() / "templates"
    if private_folder(cache_dir()) is not None or private_folder(folder) is not None:
        return None
    return CheckedBytecodeCache(folder)


class CheckedBytecodeCache(jinja2.BytecodeCache):
    """Jinja2's compiled templates on disk, read only from files of ours that no one else
    may write (what is in them runs), each with a CRC-32 of its bytes: a damaged one is
    compiled again, never run."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _file(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / f"{bucket.key}.checked-cache"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        from podium.site.private import read_private

        data = read_private(self._file(bucket))
        if data is not None and data[:4] == zlib.crc32(data[4:]).to_bytes(4, "big"):
            bucket.bytecode_from_string(data[4:])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        import tempfile

        data = bucket.bytecode_to_string()
        try:
            with tempfile.NamedTemporaryFile(dir=self.folder, delete=False) as handle:
                handle.write(zlib.crc32(data).to_bytes(4, "big") + data)
            os.replace(handle.name, self._file(bucket))
        except OSError:
            pass  # not kept: compiled again next run


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


# ---- static files -----------------------------------------------------------------------------


def code_css() -> str:
    """The Pygments colours of ``<pre class="code">``, scoped to code blocks: shipped made
    (with the compiled templates) while Pygments and the colours are what made them, so a
    deck without code never imports Pygments."""
    try:
        key, _, css = (COMPILED_DIR / _CODE_CSS_FILE).read_text(encoding="utf-8").partition("\n")
    except OSError:
        key, css = "", ""
    return css if key == _code_css_key() else make_code_css()


_CODE_CSS_FILE = "code.css.txt"


def _code_css_key() -> str:
    import pygments

    colours = (CODE_STYLE, CODE_BACKGROUND, CODE_HIGHLIGHT, CODE_COMMENT, _STYLE_COMMENT)
    return f"/* pygments {pygments.__version__} {colours} */"


def make_code_css() -> str:
    """:func:`code_css`, made with Pygments."""
    from pygments.formatters import HtmlFormatter

    defs: str = HtmlFormatter(style=CODE_STYLE).get_style_defs(".code")  # type: ignore[no-untyped-call]
    lines = [line for line in defs.splitlines() if line.startswith(".code")]
    lines = [line for line in lines if not line.startswith((".code .hll", ".code {"))]
    body = re.sub(_STYLE_COMMENT, CODE_COMMENT, "\n".join(lines), flags=re.IGNORECASE)
    return "\n".join(
        [
            f"/* Code colours: Pygments style '{CODE_STYLE}', WCAG AA on {CODE_BACKGROUND}. */",
            f".code {{ background: {CODE_BACKGROUND}; color: #d4d2c8 }}",
            f".code .hll {{ background-color: {CODE_HIGHLIGHT} }}",
            body,
            "",
        ]
    )


def static_files() -> dict[str, bytes]:
    """The shared CSS/JS (and fonts) of the views, keyed by path relative to the output root."""
    root = TEMPLATES_DIR / "static"
    files: dict[str, bytes] = {}

    def walk(node: Path, prefix: str) -> None:
        for child in node.iterdir():
            name = f"{prefix}/{child.name}"
            if child.is_dir():
                walk(child, name)
            else:
                files[STATIC_DIR + name] = _shipped(child.name, child.read_bytes())

    if root.is_dir():
        walk(root, "")
    files[f"{STATIC_DIR}/code.css"] = _shipped("code.css", code_css().encode())
    return files


# Our own CSS and JS are written to be read, with comments on their own lines; the pages
# ship without them (a fifth of their weight). A comment starts a line and ends one.
_OWN_LINE_COMMENT = re.compile(rb"^[ \t]*/\*.*?\*/[ \t]*\n", re.DOTALL | re.MULTILINE)
_CSS_COMMENT = re.compile(rb"/\*.*?\*/", re.DOTALL)


def _shipped(name: str, data: bytes) -> bytes:
    """A static file as the views load it: our CSS and JS without their comments."""
    if name.endswith(".js"):
        return _OWN_LINE_COMMENT.sub(b"", data)
    if name.endswith(".css"):
        return _CSS_COMMENT.sub(b"", data)
    return data


# ---- pages ------------------------------------------------------------------------------------


#: The parts of one slide, in the order the ``parts`` macro of ``_slides.html.j2`` writes them.
PART_KINDS = ("audience", "presenter", "handout_toc", "handout")
#: The parts each view joins.
VIEW_PARTS: Mapping[str, tuple[str, ...]] = {
    "index.html": ("audience",),
    "presenter.html": ("presenter",),
    "handout.html": ("handout_toc", "handout"),
}
#: Rendered slide parts, kept across builds in one process (the dev server): an edit
#: re-renders only what it changed. Keyed by everything a part shows, so never stale.
_PART_CACHE: dict[tuple[Any, ...], tuple[str, ...]] = {}
_PART_CACHE_LIMIT = 50_000


def templates_token() -> str:
    """The state of the template files (sizes and times): rendered parts are cached under it,
    so an edited template (the dev server watches them) never serves an old part."""
    from podium.site.manifest import templates_state

    global _LAST_TOKEN
    token = hashlib.blake2b(repr(templates_state()).encode(), digest_size=8).hexdigest()
    if token != _LAST_TOKEN:
        # Jinja2 reloads a changed template, but not the macros another template imported
        # from a changed one: start from a fresh environment.
        if _LAST_TOKEN:
            environment.cache_clear()
        _LAST_TOKEN = token
    return token


_LAST_TOKEN = ""


def slide_parts(
    slide: Slide, deck: Deck, *, notes: bool, macros: Any = None, token: str = ""
) -> tuple[str, ...]:
    """Every part of one slide (:data:`PART_KINDS`), cached in the process. ``macros`` is the
    loaded ``_slides.html.j2`` module (looked up once per deck: looking a template up checks
    its file on disk); ``token`` is the templates' state (:func:`templates_token`)."""
    first_byline = byline(deck) if slide.index == 1 else ""
    key = (slide, len(deck.slides), first_byline, notes, token or templates_token())
    parts = _PART_CACHE.get(key)
    if parts is None:
        module = macros or environment().get_template("_slides.html.j2").module
        parts = _rendered_parts(module, slide, deck, notes)
        if len(_PART_CACHE) >= _PART_CACHE_LIMIT:
            _PART_CACHE.clear()
        _PART_CACHE[key] = parts
    return parts


def _rendered_parts(macros: Any, slide: Slide, deck: Deck, notes: bool) -> tuple[str, ...]:
    """The ``parts`` macro's output, split. Its separator is NUL, which markdown-it turns
    into U+FFFD in everything a deck writes; should any still come through (a front matter
    value, say), the parts are rendered again around a separator no deck holds."""
    separator = "\x00"
    text = str(macros.parts(slide, deck, notes, Markup(separator)))
    if text.count(separator) != len(PART_KINDS) - 1:
        separator = f"\x00{os.urandom(16).hex()}\x00"
        text = str(macros.parts(slide, deck, notes, Markup(separator)))
    return tuple(text.split(separator))


def part_digest(slide: Slide, deck: Deck, *, notes: bool, token: str) -> str:
    """Everything a slide's parts show, hashed: the key of the parts kept between runs.
    ``source_hash`` covers the slide's content; the rest is where it stands in the deck.
    Source lines are left out on purpose: a line added above moves a slide, not its parts."""
    first_byline = byline(deck) if slide.index == 1 else ""
    # (a deck made by hand, not by the parser, has no source hash: hash what it shows)
    shown = slide.source_hash or repr(replace(slide, line=0, end_line=0))
    place = (slide.index, slide.id, len(deck.slides), first_byline)
    basis = repr((__version__, token, shown, place, notes))
    return hashlib.blake2b(basis.encode(), digest_size=16).hexdigest()


#: Below this many slides, forking workers to render parts costs more than it saves.
PARALLEL_MIN_SLIDES = 300


@dataclass(frozen=True)
class _PartsJob:
    deck: Deck
    notes: bool
    macros: Any
    token: str


def _parts_of(job: _PartsJob, position: int) -> tuple[str, ...]:
    slide = job.deck.slides[position]
    return slide_parts(slide, job.deck, notes=job.notes, macros=job.macros, token=job.token)


def render_parts(
    deck: Deck,
    kinds: Iterable[str],
    *,
    notes: bool,
    store: MutableMapping[str, str] | None = None,
    jobs: int | None = None,
) -> dict[str, list[str]]:
    """Every slide's part of each kind. Parts found in ``store`` (kept between runs) are
    reused; the rest are rendered, on every core for many slides, and stored."""
    token = templates_token()
    kinds = tuple(kinds)
    picked = [PART_KINDS.index(kind) for kind in kinds]
    digests = [
        part_digest(s, deck, notes=notes, token=token) if store is not None else ""
        for s in deck.slides
    ]
    found: list[tuple[str, ...] | None] = []
    for digest in digests:
        kept = [store.get(f"{kind}:{digest}") for kind in kinds] if store is not None else []
        found.append(
            tuple(p for p in kept if p is not None) if store and None not in kept else None
        )
    missing = [position for position, parts in enumerate(found) if parts is None]
    workers = worker_count(len(missing), minimum=PARALLEL_MIN_SLIDES, jobs=jobs)
    macros = environment().get_template("_slides.html.j2").module  # before any fork
    job = _PartsJob(deck, notes, macros, token)
    for position, parts in zip(missing, run(_parts_of, job, missing, workers), strict=True):
        chosen = tuple(parts[index] for index in picked)
        found[position] = chosen
        if store is not None:
            for kind, part in zip(kinds, chosen, strict=True):
                store[f"{kind}:{digests[position]}"] = part
    by_kind: dict[str, list[str]] = {kind: [] for kind in kinds}
    for slide_parts_found in found:
        assert slide_parts_found is not None  # every miss was rendered above
        for kind, part in zip(kinds, slide_parts_found, strict=True):
            by_kind[kind].append(part)
    return by_kind


def render_deck(
    deck: Deck,
    *,
    slug: str,
    views: Iterable[str] = tuple(DECK_VIEWS),
    notes: bool = True,
    parts: MutableMapping[str, str] | None = None,
) -> dict[str, str]:
    """Render the views of one deck; keys are paths relative to the output root. ``parts``
    keeps rendered slide parts between runs (the build's disk cache)."""
    env = environment()
    context = {
        "deck": deck,
        "slug": slug,
        "static": f"../{STATIC_DIR}",
        "with_notes": notes,
        "data": deck_data(deck, slug),
        "duration": deck.duration_seconds,
        "csp": content_security_policy(unsafe_html=deck.unsafe_html),
    }
    views = tuple(views)
    kinds = [kind for name in views for kind in VIEW_PARTS[name]]
    rendered = render_parts(deck, kinds, notes=notes, store=parts)
    pages = {}
    for name in views:
        joined = {kind: Markup("\n".join(rendered[kind])) for kind in VIEW_PARTS[name]}
        template = env.get_template(DECK_VIEWS[name])
        pages[f"{slug}/{name}"] = template.render(context, view=name, parts=joined)
    return pages


def render_index(decks: Iterable[tuple[str, Deck]]) -> str:
    """The site's front page: every deck as a card with its first slide and its views."""
    env = environment()
    # Always the strict policy: the cards' first slides are pictures, never running code.
    csp = content_security_policy()
    return env.get_template("site-index.html.j2").render(
        decks=list(decks), static=STATIC_DIR, csp=csp
    )
