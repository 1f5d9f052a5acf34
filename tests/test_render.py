"""podium.render without a browser: what each view holds, what it leaves out, the static files,
thumbnails for the deck index, and the page-weight budget (the themes: tests/test_themes.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from podium.model import Deck, Note, Slide
from podium.parse.deck import parse_deck
from podium.parse.front_matter import parse_duration
from podium.render import (
    Renderer,
    render_deck,
    render_index,
    slide_class,
    static_files,
    thumbnail_html,
)

ROOT = Path(__file__).resolve().parent.parent


def keras() -> Deck:
    path = ROOT / "slides" / "intro-keras.md"
    return parse_deck(path.read_text(encoding="utf-8"), path=str(path))


def slide(index: int, html: str, *, layout: str = "body", title: str = "T", **kw: object) -> Slide:
    return Slide(
        index=index,
        line=1,
        end_line=2,
        layout=layout,
        id=f"s{index}",
        classes=(),
        attrs=(),
        title=title,
        html=html,
        notes=kw.get("notes", ()),  # type: ignore[arg-type]
        steps=0,
    )


def test_every_view_of_a_deck_is_rendered_under_its_slug() -> None:
    pages = render_deck(keras(), slug="intro-keras")
    assert sorted(pages) == [
        "intro-keras/handout.html",
        "intro-keras/index.html",
        "intro-keras/presenter.html",
    ]
    audience = pages["intro-keras/index.html"]
    sections = re.findall(r'<section class="(slide [^"]*)"', audience)
    layouts = [c.split()[1] for c in sections]
    assert layouts == [
        "layout-section",
        "layout-big",
        "layout-big-body",
        "layout-big-body",
        "layout-big",
        "layout-big-body",
        "layout-big-body",
        "layout-body",
    ]
    assert 'href="../_podium/audience.js"' not in audience  # scripts, not links
    assert 'src="../_podium/audience.js" defer' in audience or "defer src" in audience


def test_notes_stay_out_of_the_audience_view_and_out_of_everything_with_no_notes() -> None:
    deck = keras()
    note = "Lego blocks"
    pages = render_deck(deck, slug="k")
    assert note not in pages["k/index.html"]
    assert note in pages["k/presenter.html"] and note in pages["k/handout.html"]
    quiet = render_deck(deck, slug="k", notes=False)
    assert all(note not in html for html in quiet.values())


def test_big_points_are_sized_by_their_length() -> None:
    pages = render_deck(keras(), slug="k", views=["index.html"])
    classes = re.findall(r'<section class="slide layout-big(?: ([^"]*))?"', pages["k/index.html"])
    assert classes == ["big-short", "big-long"]  # "What is Keras?" and the long Goal


def test_title_and_deck_data_cannot_break_out_of_their_elements() -> None:
    evil = "</script><script>alert(1)</script>"
    deck = Deck(path="x.md", slides=(slide(1, "<p>x</p>", title=evil),), meta={"title": evil})
    pages = render_deck(deck, slug="x")
    for html in pages.values():
        assert "<script>alert(1)" not in html
    assert "\\u003c/script\\u003e" in pages["x/index.html"]


def test_byline_and_duration_come_from_the_front_matter() -> None:
    front = "---\ntitle: Hello\nauthor: Ada\ndate: 2026-01-05\nduration: 1h30m\n---\n\n"
    deck = parse_deck(front + "# Hello\n\n## World\n")
    pages = render_deck(deck, slug="x")
    assert '<p class="byline">Ada · 2026-01-05</p>' in pages["x/index.html"]
    assert "1 h 30 min" in pages["x/handout.html"]
    assert "Remaining of 1 h 30 min" in pages["x/presenter.html"]
    assert '"duration":5400' in pages["x/presenter.html"]


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("45m", 2700), ("1h30m", 5400), ("90s", 90), ("1:30:00", 5400), ("45", 2700), (20, 1200)],
)
def test_durations(value: object, seconds: int) -> None:
    assert parse_duration(value) == seconds


@pytest.mark.parametrize("value", ["soon", "", None, True, "-5m", 0])
def test_unreadable_durations_are_none(value: object) -> None:
    assert parse_duration(value) is None


def test_deck_index_cards_carry_a_thumbnail_with_paths_from_the_root() -> None:
    deck = Deck(
        path="x.md",
        slides=(
            slide(
                1,
                '<h1 id="t">A &amp; B</h1>\n<p><img src="res/a.png" alt="a"></p>\n'
                '<p><a href="https://example.org">link</a> <img src="/abs.png" alt=""></p>',
            ),
        ),
    )
    html = render_index([("lesson-1", deck)])
    thumb = thumbnail_html(deck.slides[0], "lesson-1/")
    assert 'src="lesson-1/res/a.png"' in thumb and 'src="/abs.png"' in thumb
    assert "id=" not in thumb and "<a" not in thumb and '<span class="link">link</span>' in thumb
    assert "A &amp; B" in thumb
    assert thumb in html
    assert 'href="lesson-1/presenter.html"' in html and 'href="lesson-1/handout.html"' in html


def test_static_files_hold_the_views_code_and_fonts() -> None:
    files = static_files()
    shipped = ("podium.css", "themes/light.css", "themes/light-code.css", "audience.js")
    for name in (*shipped, "presenter.js", "podium.js", "doc.js"):
        assert f"_podium/{name}" in files
    fonts = [n for n in files if n.endswith(".woff2")]
    assert len(fonts) >= 4
    assert any(n.startswith("_podium/fonts/LICENSE") for n in files)
    # nothing in the shipped CSS or JS reaches outside the site
    for name, data in files.items():
        if name.endswith((".css", ".js")):
            assert not re.search(rb"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", data), name


def test_keras_audience_view_stays_under_77_kb_of_html_css_and_js() -> None:
    # 60 KB until issue 12 and 13: presenting tools (tools.js: laser, zoom, wake lock) and
    # footnotes (5.7 KB), fragments and code walkthroughs (0.7 KB), fitting wide code alone
    # and the readable floor (3.5 KB; the code that measures the fit is not in pages), math's
    # CSS for what MathML Core lacks (1 KB), themes (0.9 KB: the custom properties every
    # theme sets, the footer and logo rule).
    page = render_deck(keras(), slug="intro-keras", views=["index.html"])["intro-keras/index.html"]
    files = static_files()
    linked = re.findall(r'(?:href|src)="\.\./(_podium/[^"]+\.(?:css|js))"', page)
    assert len(linked) >= 5
    weight = len(page.encode()) + sum(len(files[name]) for name in linked)
    assert weight < 77_000, weight


def test_notes_render_as_html_in_presenter_templates() -> None:
    deck = Deck(
        path="x.md",
        slides=(
            slide(1, "<p>x</p>", notes=(Note(markdown="*a*", html="<p><em>a</em></p>", line=3),)),
        ),
    )
    presenter = render_deck(deck, slug="x", views=["presenter.html"])["x/presenter.html"]
    assert (
        '<template id="podium-notes-1"><div class="note" data-note-step="0">\n<p><em>a</em></p>'
        in presenter
    )


def test_a_body_slide_with_one_short_line_is_marked_sparse() -> None:
    """The Keras deck's last slide (a title and one link) is set large and mid-slide."""
    deck = parse_deck("# Your Turn\n\n[Image Classification with Keras](https://e.org)\n")
    assert slide_class(deck.slides[0]) == "slide layout-body sparse"
    full = parse_deck("# Title\n\n* one\n* two\n")
    assert "sparse" not in slide_class(full.slides[0])
    long_text = parse_deck("# Title\n\n" + "A sentence that goes on for a while. " * 4 + "\n")
    assert "sparse" not in slide_class(long_text.slides[0])


def test_shipped_css_and_js_leave_their_comments_behind() -> None:
    files = static_files()
    source = (ROOT / "templates" / "static" / "podium.js").read_text()
    shipped = files["_podium/podium.js"].decode()
    assert "/* Podium core" in source and "/* Podium core" not in shipped
    assert "P.clamp = " in shipped  # the code itself is all there
    assert "/*" not in files["_podium/podium.css"].decode()
    assert "/*" not in files["_podium/themes/light-code.css"].decode()


def test_built_pages_carry_no_code_only_podium_serve_uses() -> None:
    """The serve error overlay and warnings badge are the live-reload client's own: it
    draws them, and no built page's CSS or JS carries them."""
    files = static_files()
    live = (ROOT / "templates" / "serve" / "live.js").read_text()
    for marker in ("podium-error", "podium-warnings", "/__podium/"):
        assert marker in live
        for name, data in files.items():
            assert marker.encode() not in data, (name, marker)


def test_an_edited_template_is_never_served_from_the_parts_cache() -> None:
    """Rendered parts are cached (in the process, and on disk for builds) under the state of
    the template files, so a part made by an older template is never reused."""
    from types import SimpleNamespace

    from podium.render import part_digest

    slide_parts = Renderer().slide_parts
    deck = parse_deck("# Hello\n")
    slide = deck.slides[0]

    def template(word: str) -> SimpleNamespace:
        return SimpleNamespace(parts=lambda *args: args[-1].join([word] * 4))

    old, new = template("old"), template("new")
    assert slide_parts(slide, deck, notes=True, macros=old, token="a") == ("old",) * 4
    # same templates: the cached parts
    assert slide_parts(slide, deck, notes=True, macros=new, token="a") == ("old",) * 4
    # templates changed: rendered again
    assert slide_parts(slide, deck, notes=True, macros=new, token="b") == ("new",) * 4
    assert part_digest(slide, deck, notes=True, token="a") != part_digest(
        slide, deck, notes=True, token="b"
    )


def test_a_separator_in_a_slide_never_splits_its_parts() -> None:
    """The parts are joined by NUL, which the parser replaces in all a deck writes (front
    matter too); a deck made by hand that still holds one (a byline) makes podium pick
    another separator."""
    from dataclasses import replace
    from types import MappingProxyType

    from podium.render import PART_KINDS

    parsed = parse_deck('---\nauthor: "A\\0B"\n---\n\n# Title\n\n---\n\nText \x00 here\n')
    assert parsed.meta["author"] == "A\ufffdB"
    deck = replace(parsed, meta=MappingProxyType({"author": "A\x00B"}))
    renderer = Renderer()
    title, text = (renderer.slide_parts(slide, deck, notes=True) for slide in deck.slides)
    assert len(title) == len(text) == len(PART_KINDS)
    assert "A\x00B" in title[0] and "Text \ufffd here" in text[0]
    assert title[0].startswith("<section") and title[2].startswith("<li>")


def test_templates_compiled_into_the_cache_render_the_same_pages(tmp_path: Path) -> None:
    """Compiled templates come back from the private cache in the next process: what they
    render is what the templates compiled afresh render."""
    from podium.render import CheckedBytecodeCache

    deck = keras()
    fresh = Renderer().render_deck(deck, slug="intro-keras")
    first = Renderer(bytecode_cache=CheckedBytecodeCache(tmp_path)).render_deck(
        deck, slug="intro-keras"
    )
    kept = sorted(path.name for path in tmp_path.iterdir())
    assert len(kept) >= 4  # every view's template and the slides' macros
    cached = Renderer(bytecode_cache=CheckedBytecodeCache(tmp_path))
    assert cached.render_deck(deck, slug="intro-keras") == first == fresh
    assert sorted(path.name for path in tmp_path.iterdir()) == kept  # read, not compiled again


def test_a_deck_without_code_never_imports_pygments() -> None:
    """Pygments is the heaviest import of all: only a deck with code pays for it."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from podium.parse.deck import parse_deck\n"
        "from podium.render import render_deck, render_index, static_files\n"
        "deck = parse_deck('# Hello\\n\\n* a `point`\\n\\n---\\n\\nText\\n')\n"
        "render_deck(deck, slug='x'); render_index([('x', deck)]); static_files()\n"
        "print(sorted(m for m in sys.modules if m.startswith('pygments')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


def test_links_that_leave_the_deck_open_a_new_tab_and_in_deck_links_stay() -> None:
    deck = parse_deck(
        "# Links\n\n[site](https://example.org) [page](other.html) [three](#3)"
        " [mail](mailto:a@b.c) <https://example.org/auto>\n\n"
        "<!-- [in the notes](https://example.org/n) -->\n"
    )
    html = deck.slides[0].html
    new_tab = 'target="_blank" rel="noopener noreferrer"'
    assert f'<a href="https://example.org" {new_tab}>site</a>' in html
    assert f'<a href="other.html" {new_tab}>page</a>' in html
    assert f'<a href="https://example.org/auto" {new_tab}>' in html
    assert '<a href="#3">three</a>' in html
    assert '<a href="mailto:a@b.c">mail</a>' in html
    assert (
        f'<a href="https://example.org/n" {new_tab}>in the notes</a>'
        in deck.slides[0].notes[0].html
    )


def test_ids_in_the_views_namespace_are_renamed_with_a_warning() -> None:
    deck = parse_deck(
        "# Podium data\n\n---\n\n{#podium-help}\n\n# Mine\n\nText {#podium-deck}\n\n"
        '<p id="podium-overview">raw</p>\n\n---\n\n# Overview\n'
    )
    assert [s.id for s in deck.slides] == ["s-podium-data", "s-podium-help", "overview"]
    reserved = [(d.line, d.message) for d in deck.diagnostics if d.code == "id-reserved"]
    assert [line for line, _ in reserved] == [1, 5, 9, 11]
    assert "'podium-deck' is reserved for the views; it is 's-podium-deck'" in reserved[2][1]
    html = deck.slides[1].html
    assert 'id="s-podium-deck"' in html and 'id="s-podium-overview"' in html
    page = render_deck(deck, slug="x", views=["index.html"])["x/index.html"]
    for view_id in ("podium-data", "podium-help", "podium-deck", "podium-overview"):
        assert page.count(f'id="{view_id}"') == 1, view_id


def test_svg_ids_in_the_views_namespace_are_renamed_with_their_references() -> None:
    deck = parse_deck(
        '# S\n\n$$$ svg\n<svg><defs><linearGradient id="podium-data"/></defs>'
        '<rect fill="url(#podium-data)"/><use href="#podium-data"/></svg>\n$$$\n'
    )
    html = deck.slides[0].html
    assert 'id="podium-data"' not in html and "#podium-data" not in html
    assert 'id="s-podium-data"' in html and 'fill="url(#s-podium-data)"' in html
    assert 'href="#s-podium-data"' in html
    assert [(d.code, d.line) for d in deck.diagnostics] == [("id-reserved", 3)]


def test_a_4_3_deck_says_so_on_its_pages_and_in_the_index() -> None:
    deck = parse_deck("---\naspect: 4:3\n---\n\n# A\n")
    for page in render_deck(deck, slug="x").values():
        assert 'data-aspect="4:3"' in page
    assert 'data-aspect="4:3"' in render_index([("x", deck)])
