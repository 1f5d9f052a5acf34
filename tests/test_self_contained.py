"""``podium build --self-contained``: each view one HTML file that presents, syncs with its
presenter file and prints when opened alone, and loads nothing but itself."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from podium.render import script_hash
from tests.helpers import GOOGLE_DECK, KERAS_DECK

NAMES = ("intro-keras.html", "intro-keras-presenter.html", "intro-keras-handout.html")


@pytest.fixture(scope="module")
def packed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Keras deck built self-contained (the browser tests only read it)."""
    from podium.cli.app import cli

    out = tmp_path_factory.mktemp("packed") / "out"
    result = CliRunner().invoke(cli, ["build", str(KERAS_DECK), "-o", str(out), "--self-contained"])
    assert result.exit_code == 0, result.output
    assert str(out / "intro-keras.html") in result.output
    return out


def test_each_view_is_one_file_and_nothing_else_is_written(packed: Path) -> None:
    written = sorted(p.name for p in packed.iterdir() if not p.name.startswith("."))
    assert written == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_a_page_refers_to_no_other_file(name: str, packed: Path) -> None:
    page = (packed / name).read_text(encoding="utf-8")
    assert "_podium" not in page
    # links go to the other views beside it (followed on a click, never loaded)
    local = re.findall(r'\b(src|href|poster)="(?!data:|#|https?:|mailto:)([^"]*)"', page)
    assert {target for attribute, target in local if attribute == "href"} <= set(NAMES)
    assert [target for attribute, target in local if attribute != "href"] == []
    assert 'url("fonts/' not in page and "font/woff2;base64," in page


@pytest.mark.parametrize("name", NAMES)
def test_inline_scripts_run_by_hash_never_unsafe_inline(name: str, packed: Path) -> None:
    page = (packed / name).read_text(encoding="utf-8")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert policy is not None
    assert "self" not in policy[1]  # on file://, 'self' would be any file on the disk
    assert "default-src &#x27;none&#x27;" in policy[1]
    script_src = re.search(r"script-src ([^;]*)", policy[1].replace("&#x27;", "'"))
    assert script_src is not None and "unsafe-inline" not in script_src[1]
    scripts = re.findall(r'<script type="module">(.*?)</script>', page, re.DOTALL)
    assert scripts, "the views' code is inlined"
    assert sorted(re.findall(r"'sha256-[^']+'", script_src[1])) == sorted(
        script_hash(code) for code in scripts
    )


def test_a_second_build_changes_nothing_and_a_plain_build_replaces_it(
    packed: Path, tmp_path: Path
) -> None:
    from podium.cli.app import cli

    out = tmp_path / "out"
    shutil.copytree(packed, out)
    again = CliRunner().invoke(cli, ["build", str(KERAS_DECK), "-o", str(out), "--self-contained"])
    assert again.exit_code == 0 and "0 written" in again.output, again.output
    plain = CliRunner().invoke(cli, ["build", str(KERAS_DECK), "-o", str(out)])
    assert plain.exit_code == 0, plain.output
    assert (out / "intro-keras" / "index.html").is_file()
    assert not (out / "intro-keras.html").exists()  # podium's own, so replaced


def test_a_file_of_someone_else_is_never_overwritten(tmp_path: Path) -> None:
    from podium.cli.app import cli

    out = tmp_path / "out"
    out.mkdir()
    (out / "intro-keras.html").write_text("mine")
    result = CliRunner().invoke(cli, ["build", str(KERAS_DECK), "-o", str(out), "--self-contained"])
    assert result.exit_code != 0
    assert (out / "intro-keras.html").read_text() == "mine"


# ---- in Chromium: the `web` fixture fails on console errors (a CSP violation is one) and on
# any request outside file:// ---------------------------------------------------------------


def _at(page: Any, slide: int) -> None:
    page.wait_for_function(
        "n => window.podium && podium.state && podium.state.slide === n", arg=slide, timeout=5000
    )


@pytest.mark.timeout(60)
def test_the_audience_file_alone_presents_and_loads_nothing_else(
    web: Any, packed: Path, tmp_path: Path
) -> None:
    alone = tmp_path / "inbox" / "intro-keras.html"
    alone.parent.mkdir()
    shutil.copy(packed / "intro-keras.html", alone)
    requests: list[str] = []
    web.context.on("request", lambda r: requests.append(r.url))
    page = web.page()
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => __violations.push(e.violatedDirective));"
    )
    page.goto(alone.as_uri() + "#1")
    _at(page, 1)
    for key, slide in (("ArrowRight", 2), ("ArrowRight", 3), ("End", 8), ("Home", 1)):
        page.keyboard.press(key)
        _at(page, slide)
    page.wait_for_function("() => document.fonts.status === 'loaded'")
    assert page.evaluate("document.fonts.check('16px Inter')")
    images = page.locator("img")
    assert images.count() >= 1
    for i in range(images.count()):
        image = images.nth(i)
        assert (image.get_attribute("src") or "").startswith("data:image/png;base64,")
    decoded = page.evaluate(
        "Promise.all([...document.images].map(i => i.decode().then(() => i.naturalWidth)))"
    )
    assert all(width > 0 for width in decoded)
    assert page.evaluate("__violations") == []
    assert [url.split("#")[0] for url in requests] == [alone.as_uri()]


@pytest.mark.timeout(60)
def test_p_opens_the_presenter_file_beside_it_and_they_sync_both_ways(
    web: Any, packed: Path
) -> None:
    audience = web.page((packed / "intro-keras.html").as_uri() + "#2")
    _at(audience, 2)
    with web.context.expect_page() as popup:
        audience.keyboard.press("p")
    presenter = popup.value
    presenter.wait_for_load_state()
    assert presenter.url.split("#")[0] == (packed / "intro-keras-presenter.html").as_uri()
    _at(presenter, 2)
    presenter.keyboard.press("ArrowRight")
    _at(audience, 3)
    audience.keyboard.press("ArrowRight")
    _at(presenter, 4)
    presenter.keyboard.press("End")
    _at(audience, 8)


@pytest.mark.timeout(60)
def test_the_audience_file_prints_one_slide_per_page(web: Any, packed: Path) -> None:
    page = web.page((packed / "intro-keras.html").as_uri() + "#4")
    _at(page, 4)
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 8


def test_the_handout_file_links_to_its_views_beside_it(web: Any, packed: Path) -> None:
    page = web.page((packed / "intro-keras-handout.html").as_uri())
    links = page.locator(".doc-nav a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert links == ["intro-keras.html", "intro-keras-presenter.html"]


@pytest.mark.timeout(60)
def test_two_decks_in_one_folder_never_drive_each_other(web: Any, tmp_path: Path) -> None:
    from podium.cli.app import cli
    from tests.helpers import FEATURES_DECK

    out = tmp_path / "share"
    decks = [str(KERAS_DECK), str(FEATURES_DECK), "-o", str(out), "--self-contained"]
    result = CliRunner().invoke(cli, ["build", *decks])
    assert result.exit_code == 0, result.output
    other = web.page((out / "every-feature.html").as_uri() + "#1")
    _at(other, 1)
    audience = web.page((out / "intro-keras.html").as_uri() + "#1")
    presenter = web.page((out / "intro-keras-presenter.html").as_uri())
    _at(presenter, 1)
    audience.bring_to_front()
    audience.keyboard.press("End")
    _at(presenter, 8)  # by the time the deck's own presenter follows, the other deck heard it
    assert other.evaluate("podium.state.slide") == 1


def test_images_are_inlined_with_their_type_and_an_svg_as_its_sanitised_copy(
    deck_dir: Any,
) -> None:
    import base64

    from podium.cli.app import cli
    from tests.helpers import tiny_png

    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4" onload="alert(1)">'
        b'<script>alert(2)</script><rect width="4" height="4"/></svg>'
    )
    deck = "# Pictures\n\n![a dot](img/dot.png)\n\n---\n\n# Drawing\n\n![a square](img/sq.svg)\n"
    root = deck_dir({"talk.md": deck, "img/dot.png": tiny_png(), "img/sq.svg": svg})
    out = root / "share"
    result = CliRunner().invoke(
        cli, ["build", str(root / "talk.md"), "-o", str(out), "--self-contained"]
    )
    assert result.exit_code == 0, result.output
    page = (out / "talk.html").read_text(encoding="utf-8")
    png = re.search(r'<img src="data:image/png;base64,([^"]+)" alt="a dot"', page)
    assert png is not None and base64.b64decode(png[1]) == tiny_png()
    drawing = re.search(r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="a square"', page)
    assert drawing is not None
    inlined = base64.b64decode(drawing[1])
    assert b"<rect" in inlined and b"script" not in inlined and b"onload" not in inlined
    assert not (out / "img").exists()


def test_the_md2googleslides_deck_packs_into_three_files(tmp_path: Path) -> None:
    from podium.cli.app import cli

    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["build", str(GOOGLE_DECK), "-o", str(out), "--self-contained"]
    )
    assert result.exit_code == 0, result.output
    slug = "md2googleslides-example"
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert names == sorted(f"{slug}{suffix}.html" for suffix in ("", "-presenter", "-handout"))
    page = (out / f"{slug}.html").read_text(encoding="utf-8")
    assert page.count('<section class="slide') == 22
    assert page.count('src="data:image/png;base64,') == 1  # the local picture, inlined
    assert "Slides can have tables" in page and "<math" in page and "<svg" in page
    handout = (out / f"{slug}-handout.html").read_text(encoding="utf-8")
    assert "This only appears as a speaker note." in handout
