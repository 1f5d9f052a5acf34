"""Themes and course settings: every built-in theme builds and its pages carry it, its colours
pass WCAG (computed from its custom properties), a project's theme.css and templates apply,
the settings' precedence (--theme > front matter > [tool.podium] > default), unknown names
warn, the build and the dev server notice a theme change, and a dark page is dark in Chromium."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from podium.cli.app import cli
from podium.model import THEMES
from podium.parse.deck import parse_deck
from podium.render import BUILT_IN, contrast, pygments_code_css
from podium.render.helpers import css_string
from podium.serve.builder import SiteBuilder
from podium.serve.snapshot import Page
from tests.helpers import KERAS_DECK, Web, tiny_png

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "templates" / "static"
DENSE_DECK = ROOT / "tests" / "decks" / "dense.md"
DECK = "---\ntitle: T\n{front}---\n\n# One\n\n* a point\n\n```python\nx = 1\n```\n"


def deck_text(**front: str) -> str:
    return DECK.format(front="".join(f"{key}: {value}\n" for key, value in front.items()))


def project(tmp_path: Path, front: dict[str, str] | None = None, tool: str = "") -> Path:
    """A project (pyproject.toml with ``[tool.podium]`` lines ``tool``) with slides/t.md."""
    (tmp_path / "pyproject.toml").write_text(f"[tool.podium]\n{tool}", encoding="utf-8")
    deck = tmp_path / "slides" / "t.md"
    deck.parent.mkdir(parents=True, exist_ok=True)
    deck.write_text(deck_text(**(front or {})), encoding="utf-8")
    return deck


def aged(*files: Path) -> None:
    """Date files a minute back: a build records only files older than a second or two as
    settled (``manifest.settled``), and the next build must then say "Up to date"."""
    import os
    import time

    for file in files:
        os.utime(file, (time.time() - 60, time.time() - 60))


def parsed(deck: Path) -> Any:
    return parse_deck(deck.read_text(encoding="utf-8"), path=str(deck))


def build(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["build", *args])
    return result.exit_code, result.output


# ---- the colours, computed from the custom properties ------------------------------------------


def properties(css: str, selector: str) -> dict[str, str]:
    """The custom properties of every ``selector { ... }`` rule of ``css``, in order."""
    found: dict[str, str] = {}
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    for body in re.findall(rf"(?:^|\}})\s*{re.escape(selector)}\s*\{{([^}}]*)\}}", css, re.M):
        for name, value in re.findall(r"(--[\w-]+)\s*:\s*([^;]+);?", body):
            found[name] = value.strip()
    return found


def palette(name: str, selector: str = ":root") -> dict[str, str]:
    """A theme's resolved custom properties: podium.css's (and presenter.css's) defaults
    under the theme's own, ``var(--x)`` resolved."""
    values = properties((STATIC / "podium.css").read_text(), ":root")
    if selector != ":root":
        values.update(properties((STATIC / "presenter.css").read_text(), selector))
    theme_css = (STATIC / "themes" / f"{name}.css").read_text()
    values.update(properties(theme_css, ":root"))
    if selector != ":root":
        values.update(properties(theme_css, selector))

    def resolved(value: str, table: dict[str, str]) -> str:
        return re.sub(r"var\((--[\w-]+)\)", lambda m: table[m[1]], value)

    known = dict(values)
    for _ in range(4):
        known = {key: resolved(value, known) for key, value in known.items()}
    return known


#: (text, ground) pairs every theme must make readable.
TEXT_PAIRS = [
    ("--ink", "--paper"),
    ("--muted", "--paper"),
    ("--accent", "--paper"),  # links, titles
    ("--ink", "--stripe"),
    ("--on-accent", "--accent-ground"),
    ("--accent-soft", "--accent-ground"),
    ("--code-ink", "--code-bg"),
    ("--code-inline-ink", "--code-inline-bg"),
    ("--missing-ink", "--missing-bg"),
    ("--slide-number", "--paper"),
    ("--doc-ink", "--doc-bg"),
    ("--doc-ink", "--doc-surface"),
    ("--doc-muted", "--doc-bg"),
    ("--doc-muted", "--doc-surface"),
    ("--doc-link", "--doc-surface"),
    ("--doc-button-ink", "--doc-button"),
    # podium serve --classroom: a poll's options, "your vote", the live pill and its button
    ("--muted", "--stripe"),
    ("--paper", "--ink"),
]
PRESENTER_PAIRS = [
    ("--p-text", "--p-bg"),
    ("--p-muted", "--p-bg"),
    ("--p-muted", "--p-panel"),
    ("--p-notes-ink", "--p-panel"),
    ("--p-accent", "--p-panel"),
    ("--p-text", "--p-button"),
]


def least(name: str) -> float:
    """WCAG AA for text, AAA (7:1) in the high-contrast theme."""
    return BUILT_IN[name].contrast


@pytest.mark.parametrize("name", THEMES)
def test_every_text_colour_of_a_theme_passes_on_its_ground(name: str) -> None:
    colours = palette(name)
    presenter = palette(name, "body.view-presenter")
    for pairs, values in ((TEXT_PAIRS, colours), (PRESENTER_PAIRS, presenter)):
        for text, ground in pairs:
            ratio = contrast(values[text], values[ground])
            assert ratio >= least(name), (name, text, ground, round(ratio, 2))


@pytest.mark.parametrize("name", THEMES)
def test_every_code_colour_passes_on_the_panel_and_on_highlighted_lines(name: str) -> None:
    theme = BUILT_IN[name]
    css = theme.code_css_file.read_text(encoding="utf-8")
    colours = set(re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})", css))
    assert len(colours) >= 6
    for colour in colours:
        assert contrast(colour, theme.code_background) >= theme.contrast, colour
        assert contrast(colour, theme.code_highlight) >= theme.contrast, colour
    # the panel the slides draw is the one the colours were checked on
    assert palette(name)["--code-bg"].lower() == theme.code_background
    assert css.count(".code .hll") == 1
    assert "pre {" not in css and "td.linenos" not in css  # nothing leaks outside code blocks


@pytest.mark.parametrize("name", THEMES)
def test_the_shipped_code_colours_are_the_ones_pygments_makes(name: str) -> None:
    """Each theme's code colours are an ordinary static file, made once from its Pygments
    style: after a change to a style or its colours (or a new Pygments), make them again."""
    fix = (
        ".venv/bin/python -c 'from podium.render.themes import BUILT_IN, pygments_code_css as c\n"
        "for n, t in BUILT_IN.items(): t.code_css_file.write_text(c(n))'"
    )
    assert BUILT_IN[name].code_css_file.read_text(encoding="utf-8") == pygments_code_css(name), (
        f"run: {fix}"
    )


# ---- every theme builds, and its pages carry it ------------------------------------------------


@pytest.mark.parametrize("name", THEMES)
def test_each_theme_builds_and_every_page_carries_its_stylesheets(
    runner: CliRunner, tmp_path: Path, name: str
) -> None:
    out = tmp_path / "site"
    status, output = build(
        runner, str(KERAS_DECK), str(DENSE_DECK), "-o", str(out), "--theme", name
    )
    assert status == 0, output
    pages = [out / "index.html"] + [
        out / slug / view
        for slug in ("intro-keras", "dense")
        for view in ("index.html", "presenter.html", "handout.html")
    ]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        links = re.findall(r'<link rel="stylesheet" href="[./]*_podium/([^"]+)">', html)
        assert f"themes/{name}.css" in links and f"themes/{name}-code.css" in links, page
        assert links[-1] == f"themes/{name}.css", page  # after the views' own styles
        assert f'data-theme="{name}"' in html
        other = [t for t in THEMES if t != name]
        assert not any(f"themes/{t}.css" in html for t in other)
    for file in (f"themes/{name}.css", f"themes/{name}-code.css"):
        assert (out / "_podium" / file).is_file()


def test_a_self_contained_page_carries_its_theme(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "site"
    status, output = build(
        runner, str(KERAS_DECK), "-o", str(out), "--theme", "dark", "--self-contained"
    )
    assert status == 0, output
    page = (out / "intro-keras.html").read_text(encoding="utf-8")
    assert "_podium" not in page
    assert "--paper: #151a23" in page  # the dark theme's properties, inlined
    assert ".code { background: #0d1117" in page


# ---- settings: where they come from -----------------------------------------------------------


def test_the_theme_comes_from_the_front_matter_over_the_course_over_the_default(
    tmp_path: Path,
) -> None:
    deck = project(tmp_path)
    assert parsed(deck).settings.theme == "light"
    deck = project(tmp_path, tool='theme = "dark"\n')
    assert parsed(deck).settings.theme == "dark"
    deck = project(tmp_path, {"theme": "high-contrast"}, tool='theme = "dark"\n')
    assert parsed(deck).settings.theme == "high-contrast"


def test_the_command_line_theme_wins_over_both(runner: CliRunner, tmp_path: Path) -> None:
    deck = project(tmp_path, {"theme": "high-contrast"}, tool='theme = "dark"\n')
    out = tmp_path / "site"
    status, output = build(runner, str(deck), "-o", str(out), "--theme", "light")
    assert status == 0, output
    assert "themes/light.css" in (out / "t" / "index.html").read_text()
    status, output = build(runner, str(deck), "-o", str(out))
    assert status == 0 and "Up to date" not in output  # another theme: built again
    assert "themes/high-contrast.css" in (out / "t" / "index.html").read_text()


def test_course_settings_reach_every_page(runner: CliRunner, tmp_path: Path) -> None:
    deck = project(
        tmp_path,
        tool='title = "Deep Learning 101"\nlang = "fr"\n'
        'footer = "DL101 · Week 3"\npaper = "letter"\n',
    )
    out = tmp_path / "site"
    status, output = build(runner, str(deck), "-o", str(out))
    assert status == 0 and "warning[" not in output, output
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<title>Deep Learning 101</title>" in index and "<h1>Deep Learning 101</h1>" in index
    for view in ("index.html", "presenter.html", "handout.html"):
        page = (out / "t" / view).read_text(encoding="utf-8")
        assert '<html lang="fr"' in page
        assert '--footer: "DL101 · Week 3"' in page
    assert "size: Letter" in (out / "t" / "handout.html").read_text(encoding="utf-8")


def test_the_front_matter_overrides_the_course_defaults(tmp_path: Path) -> None:
    deck = project(
        tmp_path,
        {"lang": "de", "footer": "Mine", "paper": "a4"},
        'lang = "fr"\nfooter = "Course"\npaper = "letter"\n',
    )
    settings = parsed(deck).settings
    assert (settings.lang, settings.footer, settings.paper) == ("de", "Mine", "a4")


def test_html_stays_the_builders_alone(tmp_path: Path) -> None:
    """The guard is not a course default a deck may override: the front matter's ``html``
    never lowers it, and the course's other settings do not touch it."""
    deck = project(tmp_path, {"html": "unsafe", "theme": "dark"}, tool='theme = "light"\n')
    model = parsed(deck)
    assert model.unsafe_html is False
    assert "html-unsafe-ignored" in {d.code for d in model.diagnostics}


def test_an_unknown_theme_warns_with_the_names_and_keeps_the_default(tmp_path: Path) -> None:
    deck = project(tmp_path, {"theme": "solarized"})
    model = parsed(deck)
    (problem,) = [d for d in model.diagnostics if d.code == "theme-unknown"]
    assert problem.severity == "warning" and problem.line == 3
    assert "solarized" in problem.message
    assert all(name in (problem.hint or "") for name in THEMES)
    assert model.settings.theme == "light"


def test_an_unknown_course_theme_or_key_warns_in_the_pyproject(tmp_path: Path) -> None:
    deck = project(tmp_path, tool='theme = "neon"\nfont = "Comic Sans"\npaper = "A5"\n')
    model = parsed(deck)
    found = {d.code: d for d in model.diagnostics}
    assert (
        found["theme-unknown"].path.endswith("pyproject.toml") and found["theme-unknown"].line == 2
    )
    assert all(name in (found["theme-unknown"].hint or "") for name in THEMES)
    assert "theme" in (found["config-unknown"].hint or "")  # the known keys, named
    assert found["config-invalid"].line == 4
    assert model.settings.theme == "light" and model.settings.paper == "a4"


def test_an_unknown_theme_on_the_command_line_is_a_usage_error(
    runner: CliRunner, tmp_path: Path
) -> None:
    deck = project(tmp_path)
    result = runner.invoke(cli, ["build", str(deck), "-o", str(tmp_path / "s"), "--theme", "neon"])
    assert result.exit_code == 2
    assert "'light', 'dark', 'high-contrast'" in result.output


# ---- footer and logo ---------------------------------------------------------------------------


def test_the_course_logo_is_checked_copied_and_shown(runner: CliRunner, tmp_path: Path) -> None:
    deck = project(tmp_path, tool='logo = "res/logo.png"\n')
    (tmp_path / "res").mkdir()
    (tmp_path / "res" / "logo.png").write_bytes(tiny_png())
    out = tmp_path / "site"
    status, output = build(runner, str(deck), "-o", str(out))
    assert status == 0 and "warning[" not in output, output
    assert (out / "t" / "res" / "logo.png").read_bytes() == tiny_png()
    page = (out / "t" / "index.html").read_text()
    # in the page's own style: a url() in a custom property resolves against _podium/
    assert '.slide::after { background-image: url("res/logo.png") }' in page
    index = (out / "index.html").read_text()
    card = '.cards > li:nth-child(1) .slide::after { background-image: url("t/res/logo.png") }'
    assert card in index
    single = tmp_path / "single"
    status, output = build(runner, str(deck), "-o", str(single), "--self-contained")
    assert status == 0, output
    inlined = 'background-image: url("data:image/png;base64,'
    assert inlined in (single / "t-handout.html").read_text()


@pytest.mark.parametrize(
    ("logo", "why"),
    [
        ("res/none.png", "not found"),
        ("../outside.png", "outside the project"),
        (".secret/logo.png", "hidden"),
        ("res/page.png", "not an image"),
    ],
)
def test_a_logo_that_is_no_image_of_the_project_is_refused(
    tmp_path: Path, logo: str, why: str
) -> None:
    root = tmp_path / "p"
    (root / "res").mkdir(parents=True)
    (root / "res" / "page.png").write_text("<html><script>x()</script></html>")
    (root / ".secret").mkdir()
    (root / ".secret" / "logo.png").write_bytes(tiny_png())
    (tmp_path / "outside.png").write_bytes(tiny_png())
    deck = project(root, {"logo": logo})
    model = parsed(deck)
    (problem,) = [d for d in model.diagnostics if d.code == "logo-refused"]
    assert why in problem.message and problem.line == 3 and problem.path == str(deck)
    assert model.settings.logo == "" and not model.assets


def test_a_footer_cannot_leave_its_css_string() -> None:
    hostile = 'x"; } body { display: none } </style><script>alert(1)</script>\\'
    quoted = css_string(hostile)
    assert quoted.startswith('"') and quoted.endswith('"')
    inner = quoted[1:-1]
    assert '"' not in inner and "<" not in inner and ">" not in inner
    assert not re.search(r"(?<!\\)\\(?![0-9a-f])", inner)  # every backslash starts an escape


# ---- the project's own theme.css and templates -----------------------------------------------


def test_a_project_theme_css_is_published_and_loaded_after_the_theme(
    runner: CliRunner, tmp_path: Path
) -> None:
    deck = project(tmp_path, tool='theme = "dark"\n')
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "theme.css").write_text(":root { --accent: #ff7a00; }\n")
    aged(tmp_path / "pyproject.toml", tmp_path / "templates" / "theme.css")
    out = tmp_path / "site"
    status, output = build(runner, str(deck), "-o", str(out))
    assert status == 0, output
    assert "Up to date" in build(runner, str(deck), "-o", str(out))[1]
    assert (out / "t" / "theme.css").read_text() == ":root { --accent: #ff7a00; }\n"
    for view in ("index.html", "presenter.html", "handout.html"):
        html = (out / "t" / view).read_text()
        links = re.findall(r'<link rel="stylesheet" href="([^"]+)">', html)
        assert links[-2:] == ["../_podium/themes/dark.css", "theme.css"], links
    assert '<link rel="stylesheet" href="t/theme.css">' in (out / "index.html").read_text()
    # an edit to it is a change: the next build publishes it
    (tmp_path / "templates" / "theme.css").write_text(":root { --accent: #00a86b; }\n")
    aged(tmp_path / "templates" / "theme.css")
    status, output = build(runner, str(deck), "-o", str(out))
    assert status == 0 and "Up to date" not in output
    assert "#00a86b" in (out / "t" / "theme.css").read_text()
    # self-contained: inlined, after the theme
    single = tmp_path / "single"
    status, output = build(runner, str(deck), "-o", str(single), "--self-contained")
    assert status == 0, output
    page = (single / "t.html").read_text()
    assert page.index("--paper: #151a23") < page.index("--accent: #00a86b")


def test_a_project_template_overrides_podiums(runner: CliRunner, tmp_path: Path) -> None:
    deck = project(tmp_path)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "handout.html.j2").write_text(
        '{% extends "podium/handout.html.j2" %}'
        "{% block title %}Course notes: {{ deck.title }}{% endblock %}"
    )
    aged(tmp_path / "pyproject.toml", tmp_path / "templates" / "handout.html.j2")
    out = tmp_path / "site"
    status, output = build(runner, str(deck), "-o", str(out))
    assert status == 0, output
    assert "Up to date" in build(runner, str(deck), "-o", str(out))[1]
    assert "<title>Course notes: T</title>" in (out / "t" / "handout.html").read_text()
    assert "<title>T</title>" in (out / "t" / "index.html").read_text()  # the others: podium's
    (tmp_path / "templates" / "handout.html.j2").write_text(
        '{% extends "podium/handout.html.j2" %}{% block title %}Week 1{% endblock %}'
    )
    aged(tmp_path / "templates" / "handout.html.j2")
    status, output = build(runner, str(deck), "-o", str(out))
    assert status == 0 and "Up to date" not in output
    assert "<title>Week 1</title>" in (out / "t" / "handout.html").read_text()


def test_podiums_own_repository_is_no_project_with_templates() -> None:
    """The repository's templates/ is podium's: its decks use them as podium's own."""
    model = parse_deck(KERAS_DECK.read_text(encoding="utf-8"), path=str(KERAS_DECK))
    assert model.settings.templates == ""


def test_a_course_theme_change_rebuilds(runner: CliRunner, tmp_path: Path) -> None:
    deck = project(tmp_path)
    aged(tmp_path / "pyproject.toml")
    out = tmp_path / "site"
    assert build(runner, str(deck), "-o", str(out))[0] == 0
    assert "Up to date" in build(runner, str(deck), "-o", str(out))[1]
    (tmp_path / "pyproject.toml").write_text('[tool.podium]\ntheme = "high-contrast"\n')
    aged(tmp_path / "pyproject.toml")
    status, output = build(runner, str(deck), "-o", str(out))
    assert status == 0 and "Up to date" not in output
    assert "themes/high-contrast.css" in (out / "t" / "index.html").read_text()


def test_the_dev_server_reloads_the_pages_when_theme_css_changes(tmp_path: Path) -> None:
    deck = project(tmp_path)
    (tmp_path / "templates").mkdir()
    stylesheet = tmp_path / "templates" / "theme.css"
    stylesheet.write_text(":root { --accent: #aa0000; }\n")
    builder = SiteBuilder([str(deck)])
    try:
        first = builder.rebuild()
        assert first is not None and first.ok
        assert first.snapshot.files["t/theme.css"] == stylesheet.read_bytes()
        stylesheet.write_text(":root { --accent: #0000aa; }\n")
        update = builder.rebuild([str(stylesheet)])
    finally:
        builder.close()
    assert update is not None and update.ok and update.rebuilt == ("t",)
    assert "t/theme.css" in update.changed
    assert update.decks["t"].slides is None  # the open pages reload
    assert update.snapshot.files["t/theme.css"] == b":root { --accent: #0000aa; }\n"


# ---- in a browser -----------------------------------------------------------------------------

DARK_BACKGROUND = """() => {
  const luminance = (colour) => {
    const [r, g, b] = colour.match(/[\\d.]+/g).slice(0, 3).map((v) => +v / 255)
      .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const shown = (selector) => {
    const el = document.querySelector(selector);
    return el ? luminance(getComputedStyle(el).backgroundColor) : null;
  };
  return {
    body: shown("body"),
    slide: shown([".deck > .slide.current", "#podium-current .slide", ".card-thumb .slide",
      ".item-figure .slide:not(.layout-section):not(.layout-big)"].join(", ")),
    card: shown(".item, .card"),
  };
}"""


def test_the_dark_theme_is_dark_in_every_view(runner: CliRunner, tmp_path: Path, web: Web) -> None:
    out = tmp_path / "site"
    status, output = build(runner, str(DENSE_DECK), "-o", str(out), "--theme", "dark")
    assert status == 0, output
    for page, where in (
        ("dense/index.html#2", "audience"),
        ("dense/presenter.html#2", "presenter"),
        ("dense/handout.html", "handout"),
        ("index.html", "index"),
    ):
        path, _, fragment = page.partition("#")
        tab = web.page((out / path).as_uri() + (f"#{fragment}" if fragment else ""))
        tab.wait_for_function("() => document.fonts.status === 'loaded'")
        if where == "presenter":
            tab.wait_for_function("() => !!document.querySelector('#podium-current .slide')")
        seen = tab.evaluate(DARK_BACKGROUND)
        tab.close()
        assert seen["body"] is not None and seen["body"] < 0.05, (where, seen)
        assert seen["slide"] is not None and seen["slide"] < 0.05, (where, seen)
        if where in ("handout", "index"):
            assert seen["card"] is not None and seen["card"] < 0.05, (where, seen)


def test_the_logo_and_footer_are_drawn_on_the_slides(
    runner: CliRunner, tmp_path: Path, web: Web
) -> None:
    deck = project(tmp_path, {"footer": "Week 4"}, tool='logo = "res/logo.png"\n')
    (tmp_path / "res").mkdir()
    (tmp_path / "res" / "logo.png").write_bytes(tiny_png())
    out = tmp_path / "site"
    assert build(runner, str(deck), "-o", str(out))[0] == 0
    for page in ("t/index.html", "t/handout.html", "index.html"):
        tab = web.page((out / page).as_uri())
        drawn = tab.evaluate(
            """() => {
              const slide = document.querySelector(".slide");
              const after = getComputedStyle(slide, "::after");
              return { image: after.backgroundImage, text: after.content };
            }"""
        )
        tab.close()
        # the image the deck published, not a path under _podium/
        assert drawn["image"] == f'url("{(out / "t" / "res" / "logo.png").as_uri()}")', page
        assert drawn["text"] == '"Week 4"', page


def exported(tmp_path: Path, *args: str) -> Any:
    """``podium export pdf ARGS -o tmp_path/out.pdf``, read back with pypdf."""
    pypdf = pytest.importorskip("pypdf")
    from tests.helpers import chromium_path, engine_missing

    if chromium_path() is None:
        engine_missing("no Debian Chromium found")
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(cli, ["export", "pdf", *args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return pypdf.PdfReader(out)


def drawn(page: Any) -> bytes:
    """Every drawing operator of a PDF page: its content, and the forms it draws (Chromium
    may paint a slide inside one)."""
    found = [page.get_contents().get_data()]
    forms = list((page.get("/Resources") or {}).get("/XObject", {}).values())
    seen: set[int] = set()
    while forms:
        form = forms.pop().get_object()
        if id(form) in seen or form.get("/Subtype") != "/Form":
            continue
        seen.add(id(form))
        found.append(form.get_data())
        forms.extend((form.get("/Resources") or {}).get("/XObject", {}).values())
    return b"\n".join(found)


@pytest.mark.timeout(90)
def test_the_pdf_is_printed_in_the_theme_and_on_the_courses_paper(tmp_path: Path) -> None:
    deck = project(tmp_path, tool='paper = "letter"\n')
    slides = exported(tmp_path, "--theme", "dark", str(deck))
    fills = re.findall(rb"([\d.]+) ([\d.]+) ([\d.]+) (?:rg|sc)", drawn(slides.pages[0]))
    dark_paper = (0x15 / 255, 0x1A / 255, 0x23 / 255)  # the dark theme's --paper
    assert any(
        all(abs(float(v) - c) < 0.003 for v, c in zip(fill, dark_paper, strict=True))
        for fill in fills
    ), fills[:10]
    handout = exported(tmp_path, "--handout", str(deck))
    box = handout.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # US Letter


def test_podium_serve_theme_shows_every_deck_in_it(tmp_path: Path) -> None:
    deck = project(tmp_path, {"theme": "light"})
    builder = SiteBuilder([str(deck)], theme="high-contrast")
    try:
        update = builder.rebuild()
    finally:
        builder.close()
    assert update is not None and update.ok
    page = update.snapshot.files["t/index.html"]
    assert isinstance(page, Page)  # rendered when first asked for
    html = page.content().decode()
    assert "themes/high-contrast.css" in html and "themes/light.css" not in html
