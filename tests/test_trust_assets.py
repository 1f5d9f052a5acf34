"""What a deck can read and copy: only real images, from inside its own project.

A deck is untrusted input (docs/security.md, "What a deck can read and copy"): each test
here is a way a deck from someone else tried to publish a file it should not, or to make
the build run script in the site's origin, crash or stall.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from podium.cli.app import cli
from podium.parse import assets
from podium.parse.assets import AssetResolver
from podium.parse.deck import parse_deck
from podium.syntax import sanitize
from tests.helpers import (
    EVIL_SVG,
    LIVE_DECK,
    PLOT_SVG,
    PNG,
    DeckDir,
    Live,
    build,
    serve_live,
    wait_until,
)

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
GIF = b"GIF89a\x01\x00\x01\x00"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8 "
AVIF = b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf"
HTML = b"<!doctype html><script>fetch('../other/presenter.html')</script>"
CLEAN_SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4">'
    b'<linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient>'
    b'<rect width="4" height="4" fill="url(#g)"/></svg>\n'
)


def codes(output: str) -> list[tuple[int, int, str]]:
    """``(line, col, code)`` of every diagnostic the build printed."""
    found = re.findall(r":(\d+):(\d+): \w+\[([\w-]+)\]", output)
    return [(int(line), int(col), code) for line, col, code in found]


def published(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in out.rglob("*")
        if p.is_file() and p.name != ".podium-build.json"
    }


# --- 1. only real images are copied -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("evil.svg", HTML, "it is HTML"),
        ("evil.png", HTML, "it is HTML"),
        ("notes.png", b"just some text\n", "its content is not"),
        ("archive.png", b"PK\x03\x04" + bytes(30), "zip archive"),
        ("page.svg", b'<?xml version="1.0"?><html><script>x()</script></html>', "not <svg>"),
        ("broken.svg", b"<svg><script>x()</script>", "not well-formed"),
        ("polyglot.html", PNG + b"<script>alert(1)</script>", "does not end in .png"),
        ("drawing.png", CLEAN_SVG, "does not end in .svg"),
        ("bomb.svg", b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg>&a;</svg>', "declares entities"),
    ],
)
def test_a_file_that_is_not_an_image_is_refused_not_copied(
    runner: CliRunner, deck_dir: DeckDir, name: str, content: bytes, why: str
) -> None:
    root = deck_dir(
        {
            "talk.md": f"# A\n\nText ![x](res/{name})\n\n<!--\nnote ![y](res/{name})\n-->\n",
            f"res/{name}": content,
        }
    )
    code, output = build(runner, str(root / "talk.md"), "-o", str(root / "out"))
    assert code == 0, output
    assert codes(output) == [(3, 6, "image-not-image"), (6, 6, "image-not-image")]
    assert why in output
    files = published(root / "out")
    assert not any(name.startswith("talk/res") for name in files)
    for page in ("talk/index.html", "talk/presenter.html", "talk/handout.html"):
        assert f"refused: res/{name}" in files[page].decode()
        assert f'src="res/{name}"' not in files[page].decode()


def test_a_symlink_cannot_publish_an_image_under_a_page_name(
    runner: CliRunner, deck_dir: DeckDir
) -> None:
    polyglot = PNG + b"<script>alert(1)</script>"
    root = deck_dir({"pyproject.toml": "", "slides/talk.md": "# A\n\n![x](../pic.png)\n"})
    (root / "data").mkdir()
    (root / "data/pic.html").write_bytes(polyglot)
    (root / "pic.png").symlink_to(root / "data/pic.html")
    code, output = build(runner, str(root / "slides/talk.md"), "-o", str(root / "out"))
    assert code == 0 and codes(output) == [], output
    copied = [name for name in published(root / "out") if name.startswith("talk/_assets/")]
    assert len(copied) == 1 and copied[0].endswith("/pic.png")


def test_each_refused_image_is_reported_at_its_own_column(deck_dir: DeckDir) -> None:
    root = deck_dir({"ok.png": PNG, "a.png": HTML, "b.png": HTML})
    deck = parse_deck(
        "# A\n\n![ok](ok.png) and ![a](a.png)\nthen ![b](b.png)\n", path=str(root / "t.md")
    )
    assert [(d.line, d.col, d.code) for d in deck.diagnostics] == [
        (3, 19, "image-not-image"),
        (4, 6, "image-not-image"),
    ]


def test_strict_turns_a_refused_image_into_a_failure(runner: CliRunner, deck_dir: DeckDir) -> None:
    root = deck_dir({"talk.md": "# A\n\n![x](evil.svg)\n", "evil.svg": HTML})
    code, _ = build(runner, str(root / "talk.md"), "-o", str(root / "out"), "--strict")
    assert code == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.png", PNG),
        ("b.jpg", JPEG),
        ("c.gif", GIF),
        ("d.webp", WEBP),
        ("e.avif", AVIF),
        ("f.png", JPEG),  # a JPEG under a .png name still shows, and is served as an image
    ],
)
def test_real_images_are_copied_as_they_are(
    runner: CliRunner, deck_dir: DeckDir, name: str, content: bytes
) -> None:
    root = deck_dir({"talk.md": f"# A\n\n![x]({name})\n", name: content})
    code, output = build(runner, str(root / "talk.md"), "-o", str(root / "out"))
    assert code == 0 and codes(output) == [], output
    assert (root / "out/talk" / name).read_bytes() == content


def test_an_svg_is_copied_only_sanitised_and_the_author_is_told(
    runner: CliRunner, deck_dir: DeckDir
) -> None:
    root = deck_dir({"talk.md": "# A\n\n![x](res/evil.svg)\n", "res/evil.svg": EVIL_SVG})
    code, output = build(runner, str(root / "talk.md"), "-o", str(root / "out"))
    assert code == 0
    assert codes(output) == [(3, 1, "image-svg-sanitised")]
    copy = (root / "out/talk/res/evil.svg").read_text()
    for banned in ("script", "onload", "onclick", "foreignObject", "javascript", "evil.example"):
        assert banned.lower() not in copy.lower()
    assert "id_rsa" not in copy and "<image" not in copy
    assert '<circle r="1" fill="blue">' in copy  # what is safe stays
    assert 'style="stroke: red"' in copy
    assert 'viewBox="0 0 4 4"' in copy  # XML's case, or the image would not scale


def test_a_clean_svg_keeps_its_drawing_and_raises_no_warning(
    runner: CliRunner, deck_dir: DeckDir
) -> None:
    import xml.etree.ElementTree as ET

    root = deck_dir({"talk.md": "# A\n\n![x](chart.svg)\n", "chart.svg": CLEAN_SVG})
    code, output = build(runner, str(root / "talk.md"), "-o", str(root / "out"))
    assert code == 0 and codes(output) == [], output
    copy = ET.fromstring((root / "out/talk/chart.svg").read_bytes())  # well-formed XML
    original = ET.fromstring(CLEAN_SVG)
    assert [(e.tag, e.attrib) for e in copy.iter()] == [(e.tag, e.attrib) for e in original.iter()]


def test_a_plot_keeps_its_styles_and_drawing_programs_metadata_goes_quietly(
    runner: CliRunner, deck_dir: DeckDir
) -> None:
    root = deck_dir({"talk.md": "# A\n\n![x](plot.svg)\n", "plot.svg": PLOT_SVG})
    code, output = build(runner, str(root / "talk.md"), "-o", str(root / "out"))
    assert code == 0 and codes(output) == [], output
    copy = (root / "out/talk/plot.svg").read_text()
    assert 'style="fill: none; stroke: #1f77b4; stroke-width: 1.5; stroke-linecap: square"' in copy
    assert '<clipPath id="p1">' in copy and 'clip-path="url(#p1)"' in copy
    assert "metadata" not in copy and "inkscape" not in copy and "DOCTYPE" not in copy


def test_every_page_shows_an_svg_only_through_img(runner: CliRunner, deck_dir: DeckDir) -> None:
    deck = (
        "# A\n\n![x](res/d.svg)\n\n<!--\n![in a note](res/d.svg)\n-->\n\n---\n\n"
        "# Two\n\n{.column}\n\n![left](res/d.svg)\n\n{.column}\n\nright\n\n---\n\n"
        "![bg](res/d.svg){.background}\n"
    )
    root = deck_dir({"talk.md": deck, "res/d.svg": CLEAN_SVG})
    code, output = build(runner, str(root / "talk.md"), "-o", str(root / "out"))
    assert code == 0, output
    pages = {k: v.decode() for k, v in published(root / "out").items() if k.endswith(".html")}
    assert set(pages) >= {"index.html", "talk/index.html", "talk/presenter.html"}
    seen = 0
    for page, text in pages.items():
        for match in re.finditer(r"res/d\.svg", text):
            tag = text[text.rfind("<", 0, match.start()) : match.start()]
            assert re.fullmatch(r'<img src="(talk/)?', tag), (page, tag)
            seen += 1
        assert not re.search(r"<(object|embed|iframe)\b", text), page
    assert seen >= 4


def test_an_image_turned_into_a_page_is_taken_out_of_the_next_build(
    runner: CliRunner, deck_dir: DeckDir
) -> None:
    root = deck_dir({"talk.md": "# A\n\n![x](fig.png)\n", "fig.png": PNG})
    args = (str(root / "talk.md"), "-o", str(root / "out"))
    build(runner, *args)
    assert (root / "out/talk/fig.png").read_bytes() == PNG
    (root / "fig.png").write_bytes(HTML + b" " * 40)  # other size: the build sees a change
    code, output = build(runner, *args)  # the parse cache and the fast path both in play
    assert code == 0
    assert codes(output) == [(3, 1, "image-not-image")]
    assert not (root / "out/talk/fig.png").exists()
    assert "refused: fig.png" in (root / "out/talk/index.html").read_text()


def test_a_file_changed_after_the_parse_is_checked_again_before_copying(tmp_path: Path) -> None:
    image = tmp_path / "a.svg"
    image.write_bytes(EVIL_SVG)
    clean = assets.copy_content(str(image))
    assert isinstance(clean, bytes) and b"script" not in clean
    image.write_bytes(HTML)
    assert assets.copy_content(str(image)) is None
    image.write_bytes(PNG)
    assert assets.copy_content(str(image)) == image


@pytest.mark.timeout(20)
def test_sanitising_an_svg_file_stays_linear_on_hostile_markup() -> None:
    # HTMLParser (Python 3.11) takes minutes on this; expat refuses it at once.
    with pytest.raises(sanitize.NotSvg):
        sanitize.sanitize_svg_file(b"<svg>" + b"<a" * 200_000)
    deep = b"<svg>" + b"<g>" * 100_000 + b"</g>" * 100_000 + b"</svg>"
    clean, removed = sanitize.sanitize_svg_file(deep)
    assert clean.count("<g>") == 100_000 and removed == []


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Callable[..., Live]]:
    yield from serve_live(tmp_path)


@pytest.mark.timeout(30)
def test_the_dev_server_never_serves_an_image_turned_into_a_page(
    live: Callable[..., Live],
) -> None:
    served = live(LIVE_DECK + "\n---\n\n![drawing](res/d.svg)\n")
    figure = served.folder / "res/fig.png"
    assert served.get("/live/res/fig.png").body == figure.read_bytes()
    figure.write_bytes(HTML)  # edited in place: the server sends images fresh from disk
    assert served.get("/live/res/fig.png").status == 404
    (served.folder / "res/d.svg").write_bytes(EVIL_SVG)  # appears: the deck is rebuilt
    wait_until(lambda: served.get("/live/res/d.svg").status == 200, what="for the SVG")
    body = served.get("/live/res/d.svg").body
    assert body.startswith(b"<?xml") and b"<circle" in body
    assert b"script" not in body and b"onload" not in body


# --- 2. nothing outside the deck's project is read ---------------------------------------------


def test_a_deck_built_from_the_home_folder_cannot_reach_its_secrets(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh/id_rsa").write_text("-----BEGIN PRIVATE KEY-----\n")
    (home / ".env").write_text("TOKEN=secret\n")
    (home / "holiday.png").write_bytes(PNG + b"private photo")
    talk = home / "Downloads/talk"
    talk.mkdir(parents=True)
    (talk / "talk.md").write_text(
        "# A\n\n![k](../../.ssh/id_rsa)\n\n![e](../../.env)\n\n![p](../../holiday.png)\n"
    )
    monkeypatch.chdir(home)
    code, output = build(runner, "Downloads/talk/talk.md", "-o", "site")
    assert code == 0, output
    assert [c for _, _, c in codes(output)] == ["image-hidden", "image-hidden", "image-outside"]
    for name, data in published(home / "site").items():
        assert b"PRIVATE KEY" not in data and b"TOKEN" not in data, name
        assert b"private photo" not in data, name


def test_the_project_root_is_found_from_the_deck_never_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "course/.git").mkdir(parents=True)
    (tmp_path / "course/slides").mkdir()
    (tmp_path / "loose").mkdir()
    monkeypatch.chdir(tmp_path)
    assert AssetResolver.for_deck(Path("course/slides/a.md")).project_root == tmp_path / "course"
    assert AssetResolver.for_deck(Path("loose/b.md")).project_root == tmp_path / "loose"


def test_the_dev_server_watches_the_projects_found_from_the_decks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from podium.serve import SiteBuilder

    (tmp_path / "talk").mkdir()
    (tmp_path / "talk/talk.md").write_text("# A\n")
    monkeypatch.chdir(tmp_path)
    builder = SiteBuilder(["talk/talk.md"])
    builder.rebuild()
    assert builder.project_roots() == {tmp_path / "talk"}


# --- 3. hidden files are refused ----------------------------------------------------------------


@pytest.mark.parametrize(
    "reference", [".env", ".git/config.png", "res/.hidden.png", ".ssh/id_rsa", "res/link.png"]
)
def test_hidden_files_and_folders_are_refused(
    runner: CliRunner, deck_dir: DeckDir, reference: str
) -> None:
    root = deck_dir(
        {
            "pyproject.toml": "",
            "talk.md": f"# A\n\n![x]({reference})\n",
            ".env": PNG,
            ".git/config.png": PNG,
            "res/.hidden.png": PNG,
            ".ssh/id_rsa": PNG,
        }
    )
    (root / "res/link.png").symlink_to(root / ".ssh/id_rsa")  # a link into a hidden folder
    code, output = build(runner, str(root / "talk.md"), "-o", str(root / "out"))
    assert code == 0
    assert codes(output) == [(3, 1, "image-hidden")]
    copied = [name for name in published(root / "out") if not name.endswith(".html")]
    assert not any(name.startswith("talk/") for name in copied)


# --- 4. a path the system cannot use is a diagnostic, never a traceback or a stall --------------


@pytest.mark.timeout(20)
def test_unusable_paths_are_diagnostics(runner: CliRunner, deck_dir: DeckDir) -> None:
    long_name = "a" * 300 + ".png"
    deep = "/".join(["abcdefgh"] * 600) + ".png"
    root = deck_dir(
        {
            "talk.md": (
                f"# A\n\n![long]({long_name})\n\n![deep]({deep})\n\n![dir](folder.png)\n\n"
                "![fifo](pipe.png)\n\n![loop](loop.png)\n\n![fine](ok.png)\n"
            ),
            "folder.png/inside.txt": "x",
            "ok.png": PNG,
        }
    )
    os.mkfifo(root / "pipe.png")  # reading it would block the build for good
    (root / "loop.png").symlink_to(root / "loop.png")
    code, output = build(runner, str(root / "talk.md"), "-o", str(root / "out"))
    assert code == 0, output
    assert codes(output) == [
        (3, 1, "image-invalid"),
        (5, 1, "image-invalid"),
        (7, 1, "image-not-image"),
        (9, 1, "image-not-image"),
        (11, 1, "image-unreadable"),
    ]
    assert "longer than 255 bytes" in output and "a folder" in output and "loop" in output
    assert (root / "out/talk/ok.png").read_bytes() == PNG


@pytest.mark.timeout(20)
def test_a_fifo_where_the_course_settings_would_be_does_not_stall_the_build(
    runner: CliRunner, deck_dir: DeckDir
) -> None:
    root = deck_dir({".git/HEAD": "ref: refs/heads/main\n", "talk.md": "# A\n"})
    os.mkfifo(root / "pyproject.toml")
    code, output = build(runner, str(root / "talk.md"), "-o", str(root / "out"))
    assert code == 0 and (root / "out/talk/index.html").is_file(), output


def test_an_image_without_read_permission_is_a_diagnostic(
    runner: CliRunner, deck_dir: DeckDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = deck_dir({"talk.md": "# A\n\n![x](locked.png)\n", "locked.png": PNG})
    (root / "locked.png").chmod(0)
    if os.access(root / "locked.png", os.R_OK):  # root reads anything: refuse as the OS would
        real_open = os.open

        def denied(path: str | os.PathLike[str], *args: int) -> int:
            if Path(path).name == "locked.png":
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return real_open(path, *args)

        monkeypatch.setattr(os, "open", denied)
    code, output = build(runner, str(root / "talk.md"), "-o", str(root / "out"))
    assert code == 0 and codes(output) == [(3, 1, "image-unreadable")]
    assert "permission denied" in output


# --- 5. only the person building lets raw HTML through ------------------------------------------

UNSAFE_DECK = "---\ntitle: T\nhtml: unsafe\n---\n\n# A\n\n<b onclick='steal()'>hi</b>\n"


def test_front_matter_cannot_switch_off_the_sanitiser(runner: CliRunner, deck_dir: DeckDir) -> None:
    root = deck_dir({"talk.md": UNSAFE_DECK})
    code, output = build(runner, str(root / "talk.md"), "-o", str(root / "out"))
    assert code == 0
    assert (3, 1, "html-unsafe-ignored") in codes(output)
    assert "--unsafe-html" in output and "[tool.podium]" in output
    assert "steal()" not in (root / "out/talk/index.html").read_text()


def test_the_builder_allows_unsafe_html_with_the_flag(runner: CliRunner, deck_dir: DeckDir) -> None:
    root = deck_dir({"talk.md": UNSAFE_DECK})
    code, output = build(runner, str(root / "talk.md"), "-o", str(root / "out"), "--unsafe-html")
    assert code == 0 and "html-unsafe-ignored" not in output
    assert 'onclick="steal()"' in (root / "out/talk/index.html").read_text().replace("'", '"')


def test_the_course_allows_unsafe_html_in_pyproject(runner: CliRunner, deck_dir: DeckDir) -> None:
    settings = '[project]\nname = "c"\n\n[tool.podium]\nhtml = "unsafe"\ncolour = "red"\n'
    root = deck_dir({"pyproject.toml": settings, "a.md": UNSAFE_DECK, "b.md": "# B\n"})
    code, output = build(runner, str(root / "a.md"), str(root / "b.md"), "-o", str(root / "out"))
    assert code == 0 and "html-unsafe-ignored" not in output
    assert "steal()" in (root / "out/a/index.html").read_text()
    assert codes(output).count((6, 1, "config-unknown")) == 1  # once, not once per deck
    # Taking the setting back is a change the next build sees (no stale "up to date").
    (root / "pyproject.toml").write_text('[tool.podium]\nhtml = "safe"\n')
    code, output = build(runner, str(root / "a.md"), str(root / "b.md"), "-o", str(root / "out"))
    assert "html-unsafe-ignored" in output
    assert "steal()" not in (root / "out/a/index.html").read_text()


def test_podium_check_names_a_bad_course_setting_once(runner: CliRunner, deck_dir: DeckDir) -> None:
    settings = '[tool.podium]\nhtml = "unsafe"\ncolour = "red"\n'
    root = deck_dir({"pyproject.toml": settings, "a.md": "# A\n", "b.md": "# B\n"})
    result = runner.invoke(cli, ["check", str(root)])
    assert codes(result.output) == [(3, 1, "config-unknown")]


def test_a_bad_course_setting_is_a_warning_and_keeps_html_safe(deck_dir: DeckDir) -> None:
    root = deck_dir({"pyproject.toml": '[tool.podium]\nhtml = "maybe"\n', "a.md": ""})
    deck = parse_deck(UNSAFE_DECK, path=str(root / "a.md"))
    assert "steal()" not in deck.slides[0].html
    found = {(Path(d.path).name, d.line, d.code) for d in deck.diagnostics}
    assert {("pyproject.toml", 2, "config-invalid"), ("a.md", 3, "html-unsafe-ignored")} <= found
