"""What a deck from someone else can put in the pages, without a browser: the content security
policy every page carries, frames that show only web pages, links that open a tab without a
handle on the deck, warnings for what loads from the web, no note text in an attribute and no
NUL in any built file. docs/security.md says which test guards which promise; the
browser proves the policy holds in tests/test_browser_csp.py."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from podium.cli.app import cli
from podium.parse.deck import parse_deck
from podium.render import render_deck, render_index
from podium.syntax.sanitize import sanitize_html

META_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def build(tmp_path: Path, text: str, *args: str) -> Path:
    deck = tmp_path / "talk.md"
    deck.write_text(text, encoding="utf-8")
    out = tmp_path / "_site"
    result = CliRunner().invoke(cli, ["build", str(deck), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return out


def policy_of(page: str) -> dict[str, str]:
    match = META_CSP.search(page)
    assert match, "the page has no content security policy"
    text = match.group(1).replace("&#39;", "'")
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] for d in text.split("; ")}


# ---- the policy ------------------------------------------------------------------------------


def test_every_page_carries_the_policy_before_anything_it_loads(tmp_path: Path) -> None:
    out = build(tmp_path, "# One\n\nText\n")
    pages = ["index.html", "talk/index.html", "talk/presenter.html", "talk/handout.html"]
    for name in pages:
        page = (out / name).read_text(encoding="utf-8")
        policy = policy_of(page)
        assert policy["script-src"] == "'self'", name
        assert policy["object-src"] == "'none'" and policy["base-uri"] == "'none'", name
        assert policy["form-action"] == "'none'" and policy["frame-src"] == "https:", name
        # A <meta> policy governs only what comes after it: it must precede every load.
        head = page[: page.index("</head>")]
        first_load = min(head.index(tag) for tag in ('<link rel="stylesheet"', "<script"))
        assert META_CSP.search(head[:first_load]), name
        # Podium's own pages run no inline script (a JSON data block is never run).
        for script in re.findall(r"<script([^>]*)>", page):
            assert "src=" in script or 'type="application/json"' in script, (name, script)


def test_unsafe_html_lets_the_decks_inline_script_run_but_not_on_the_site_index(
    tmp_path: Path,
) -> None:
    out = build(tmp_path, "# One\n\n<script>document.title = 'ran'</script>\n", "--unsafe-html")
    deck_policy = policy_of((out / "talk" / "index.html").read_text(encoding="utf-8"))
    assert "'unsafe-inline'" in deck_policy["script-src"]
    assert "sha256" not in deck_policy["script-src"]  # a hash would switch 'unsafe-inline' off
    assert deck_policy["object-src"] == "'none'"
    index_policy = policy_of((out / "index.html").read_text(encoding="utf-8"))
    assert index_policy["script-src"] == "'self'"


def test_the_policy_names_podiums_own_inline_code_by_hash() -> None:
    from podium.render import content_security_policy, script_hash

    code = "document.body.dataset.ok = 1"
    policy = content_security_policy(inline_scripts=[code])
    # The hash of the script's exact text, as a browser computes it (sha256, base64).
    assert "'sha256-" in policy and script_hash(code) in policy
    assert script_hash(code) != script_hash(code + " ")
    header = content_security_policy(header=True)
    assert "frame-ancestors 'self'" in header
    assert "frame-ancestors" not in content_security_policy()  # a <meta> cannot carry it


# ---- frames, plugins, links ------------------------------------------------------------------


@pytest.mark.parametrize(
    "src",
    [
        "res/evil.svg",
        "evil.html",
        "/etc/passwd",
        "../index.html",
        "data:text/html,<script>alert(1)</script>",
        "javascript:alert(1)",
        "java&#115;cript:alert(1)",
        "&#x6A;avascript:alert(1)",
        "//evil.example/page",
        "\\\\evil.example\\share",
        "https:evil.svg",
        "https:/evil.example",
        "https:\\\\evil.example",
        "http://example.com/",
        " res/evil.svg ",
        "file:///etc/passwd",
        "https://exa\tmple.com/",
        "&#104;ttps&#58;//example.com/&#x0a;x",
        "",
    ],
)
def test_a_frame_never_shows_anything_but_a_web_page(src: str) -> None:
    clean, removed = sanitize_html(f'<iframe src="{src}"><p>inside</p></iframe><p>after</p>')
    assert "<iframe" not in clean and "inside" not in clean
    assert clean == "<p>after</p>"
    assert any("iframe" in r for r in removed)


@pytest.mark.parametrize(
    "src",
    [
        "https://www.youtube-nocookie.com/embed/abc",
        "HTTPS://player.vimeo.com/video/1",
        "  https://example.com/a?b=c#d  ",
        "&#104;ttps://example.com/",
    ],
)
def test_a_frame_of_a_web_page_is_kept(src: str) -> None:
    clean, removed = sanitize_html(f'<iframe src="{src}" allowfullscreen></iframe>')
    assert clean.startswith("<iframe src=") and removed == []


def test_a_second_src_cannot_sneak_a_file_past_the_first() -> None:
    clean, _ = sanitize_html('<iframe src="https://example.com/" src="res/evil.svg"></iframe>')
    assert clean == '<iframe src="https://example.com/"></iframe>'
    clean, _ = sanitize_html('<iframe src="res/evil.svg" src="https://example.com/"></iframe>x')
    assert clean == "x"


@pytest.mark.parametrize(
    "markup",
    [
        '<object data="res/evil.svg" type="image/svg+xml">fallback</object>',
        '<embed src="res/evil.svg">',
        '<EMBED SRC="res/evil.svg" type="image/svg+xml"/>',
        '<applet code="x.class"></applet>',
        '<frameset><frame src="res/evil.svg"></frameset>',
    ],
)
def test_plugins_never_pass_and_take_nothing_after_them(markup: str) -> None:
    clean, removed = sanitize_html(markup + "<p>after</p>")
    assert clean == "<p>after</p>" and removed


def test_protocol_relative_urls_are_refused_they_name_network_shares_on_disk() -> None:
    clean, removed = sanitize_html('<img src="//host/share/x.png"><video poster="\\\\h\\s">')
    assert "host" not in clean and "\\\\h" not in clean and len(removed) == 2


@pytest.mark.parametrize(
    ("link", "rel"),
    [
        ('<a href="https://x.org" target="_blank">x</a>', "noopener noreferrer"),
        ('<a href="https://x.org" target="_BLANK" rel="me">x</a>', "me noopener noreferrer"),
        ('<a href="https://x.org" target="other" rel="noopener">x</a>', "noopener noreferrer"),
    ],
)
def test_a_link_to_a_new_tab_gets_noopener_noreferrer(link: str, rel: str) -> None:
    clean, _ = sanitize_html(link)
    assert re.findall(r'rel="([^"]*)"', clean) == [rel]


def test_a_link_in_the_same_tab_is_left_alone() -> None:
    clean, _ = sanitize_html('<a href="#s2" target="_self">x</a>')
    assert clean == '<a href="#s2" target="_self">x</a>'


# ---- what loads from the web ------------------------------------------------------------------


def test_raw_html_that_loads_from_the_web_is_a_warning_where_it_is() -> None:
    text = (
        "# One\n"
        "\n"
        'Inline <img src="https://e.example/a.png" alt="a"> here\n'
        "\n"
        "<div>\n"
        '<video src="https://e.example/v.mp4" poster="http://e.example/p.png"></video>\n'
        '<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>\n'
        '<audio controls><source src="https://e.example/s.ogg"></audio>\n'
        '<img src="res/local.png" alt="local"> <a href="https://e.example/">a link</a>\n'
        "</div>\n"
    )
    deck = parse_deck(text)
    remote = [(d.line, d.col, d.severity) for d in deck.diagnostics if d.code == "html-remote"]
    assert remote == [
        (3, 18, "warning"),
        (6, 13, "warning"),
        (6, 46, "warning"),
        (7, 14, "warning"),
        (8, 30, "warning"),
    ]
    messages = [d.message for d in deck.diagnostics if d.code == "html-remote"]
    assert "'https://e.example/a.png'" in messages[0]


# ---- notes, NUL ------------------------------------------------------------------------------


def test_a_note_in_an_images_description_is_a_note_not_alt_text(tmp_path: Path) -> None:
    (tmp_path / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    text = (
        "# One <!-- say it slowly -->\n\n"
        "![a chart <!-- the numbers are made up --> of sales](pic.png)\n\n"
        "![missing <!-- made up too -->](gone.png)\n"
    )
    deck = parse_deck(text, path=str(tmp_path / "talk.md"))
    assert deck.slides[0].notes_markdown == (
        "say it slowly",
        "the numbers are made up",
        "made up too",
    )
    assert deck.slides[0].title == "One"
    assert "made up" not in deck.slides[0].html
    out = build(tmp_path, text, "--no-notes")
    for page in out.rglob("*.html"):
        shown = page.read_text(encoding="utf-8")
        assert "made up" not in shown and "slowly" not in shown, page


NUL_DECK = (
    '---\ntitle: "Ti\\0tle"\nauthor: "A\\0B"\nlang: "e\\0n"\n---\n\n'
    '# Head\x00ing {data-k="v\x00"}\n\nText \x00 with `co\x00de` and *em\x00*\n\n'
    '<div title="t\x00" data-x="\x00">raw \x00 html</div> <span>in\x00line</span>\n\n'
    "```python\nx = '\x00'\n```\n\n"
    '![al\x00t](pic.png "ti\x00tle")\n\n'
    "<!-- note \x00 one -->\n\n---\n\n"
    "## Two\x00\n\n- item \x00\n\n<!--\nnote\x00 two\n-->\n"
)


def test_nul_never_reaches_a_built_file(tmp_path: Path) -> None:
    (tmp_path / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    out = build(tmp_path, NUL_DECK)
    pages = sorted(out.rglob("*.html"))
    assert len(pages) == 4
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "\x00" not in text, page
    handout = (out / "talk" / "handout.html").read_text(encoding="utf-8")
    assert "Ti\ufffdtle" in handout and "note \ufffd one" in handout
    assert "raw \ufffd html" in handout and "\ufffd" in handout.split("<pre", 1)[1]


@pytest.mark.parametrize(
    "front", ['title: "Ti\\0tle"', "title: Ti\x00tle", 'title: "Ti\\x00tle"', "title: [Ti\x00tle]"]
)
def test_nul_in_the_front_matter_is_replaced_not_an_error(front: str) -> None:
    deck = parse_deck(f"---\n{front}\nauthor: A\x00B\n---\n\n# One\n")
    assert [d.code for d in deck.diagnostics if d.severity == "error"] == []
    assert "\x00" not in render_index([("talk", deck)])
    for name, page in render_deck(deck, slug="talk").items():
        assert "\x00" not in page, name
        assert "A\ufffdB" in page, name


# ---- podium serve ----------------------------------------------------------------------------


@pytest.mark.timeout(30)
def test_serve_sends_the_policy_as_a_header_with_frame_ancestors(live: Any) -> None:
    served = live()
    for path in ("/", "/live/", "/live/presenter.html", "/live/handout.html"):
        response = served.get(path)
        assert response.status == 200, path
        header = response.headers["content-security-policy"]
        assert "frame-ancestors 'self'" in header and "script-src 'self';" in header, path
        assert "object-src 'none'" in header, path
        assert response.headers["x-content-type-options"] == "nosniff"
        # The page's own <meta> policy says the same (less what only a header can say).
        meta = policy_of(response.body.decode("utf-8"))
        assert meta["script-src"] == "'self'" and "frame-ancestors" not in meta
    image = served.get("/live/res/fig.png")
    assert image.status == 200
    assert image.headers["content-security-policy"].startswith("default-src 'none'")


def test_serves_an_unsafe_decks_pages_with_its_relaxed_policy_and_the_index_strict() -> None:
    """The header must not undo what the builder allowed (two policies both apply)."""
    from podium.serve import DeckBuild, Snapshot
    from podium.serve.http import page_policy
    from podium.site.sources import DeckSource

    def built(slug: str, *, unsafe: bool) -> DeckBuild:
        deck = parse_deck("# One\n\n<script>x()</script>\n", unsafe_html=unsafe)
        return DeckBuild(DeckSource(Path(f"{slug}.md"), f"{slug}.md", slug), deck, {})

    snapshot = Snapshot(1, {}, (built("trusted", unsafe=True), built("shared", unsafe=False)), ())
    assert "'unsafe-inline'" in page_policy(snapshot, "trusted/index.html").split("style-src")[0]
    for key in ("shared/presenter.html", "index.html", "trusted"):
        assert "script-src 'self';" in page_policy(snapshot, key), key
