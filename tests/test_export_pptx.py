"""``podium export pptx``: files read back with python-pptx, and opened by a real client
(LibreOffice Impress converts them to PDF, read back with pypdf)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from podium.cli.app import cli
from podium.parse.deck import parse_deck, parse_deck_tokens
from tests.helpers import KERAS_DECK, ROOT, DeckDir, chromium_path

pptx = pytest.importorskip("pptx")
from pptx import Presentation  # noqa: E402
from pptx.enum.shapes import MSO_SHAPE_TYPE  # noqa: E402

GOOGLE_DECK = ROOT / "tests" / "decks" / "md2googleslides" / "md2googleslides-example.md"
#: Each Podium layout's slide layout in the file.
LAYOUT_NAMES = {
    "title": "Title",
    "section": "Section",
    "big": "Big Point",
    "big-body": "Big Point and Body",
    "body": "Title and Body",
    "columns": "Two Columns",
    "image": "Image",
    "blank": "Blank",
}


def export(target: Path, *args: str, ok: bool = True) -> tuple[Any, str]:
    """Run ``podium export pptx``; return the file read with python-pptx and the output."""
    result = CliRunner().invoke(cli, ["export", "pptx", *args, "-o", str(target)])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    if ok:
        assert result.exit_code == 0, result.output
    return Presentation(str(target)), result.output


def texts(slide: Any) -> str:
    """The text of every shape that holds some, shape after shape."""
    found = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
    return "\n".join(text for text in found if text)


def placeholder(slide: Any, idx: int) -> Any:
    return next(p for p in slide.placeholders if p.placeholder_format.idx == idx)


@pytest.fixture(scope="module")
def keras(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    target = tmp_path_factory.mktemp("pptx") / "keras.pptx"
    prs, _ = export(target, str(KERAS_DECK))
    return prs, target


@pytest.fixture(scope="module")
def google(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, str]:
    prs, output = export(tmp_path_factory.mktemp("pptx") / "google.pptx", str(GOOGLE_DECK))
    return prs, output


def test_tokens_parse_gives_the_same_deck() -> None:
    text = GOOGLE_DECK.read_text()
    deck, tokens = parse_deck_tokens(text, path=str(GOOGLE_DECK))
    assert deck == parse_deck(text, path=str(GOOGLE_DECK))
    assert len(tokens) == len(deck.slides)
    columns = tokens[6].columns  # "Two column layout"
    assert len(columns) == 2 and all(len(column) == 1 for column in columns)


def test_keras_slides_have_real_layouts_titles_and_body(keras: tuple[Any, Path]) -> None:
    prs, _ = keras
    deck = parse_deck(KERAS_DECK.read_text(), path=str(KERAS_DECK))
    assert len(prs.slides) == len(deck.slides)
    assert round(prs.slide_width / prs.slide_height, 3) == round(16 / 9, 3)
    for slide, model in zip(prs.slides, deck.slides, strict=True):
        assert slide.slide_layout.name == LAYOUT_NAMES[model.layout]
        # The title (or the big point) is editable text in the title placeholder.
        assert slide.shapes.title is not None
        assert slide.shapes.title.text_frame.text.replace("\xa0", " ") == model.title
    bullets = placeholder(prs.slides[2], 1).text_frame.paragraphs
    assert [p.text for p in bullets][:2] == [
        "Popular high-level API for building & training deep learning models",
        "Implemented in Python (2.7-3.6)",
    ]
    runs = [r for p in placeholder(prs.slides[3], 1).text_frame.paragraphs for r in p.runs]
    links = {r.text: r.hyperlink.address for r in runs if r.hyperlink.address}
    assert links == {"TF 2.0": "https://www.tensorflow.org/community/roadmap"}


def test_big_points_stay_big_and_the_master_has_the_theme(keras: tuple[Any, Path]) -> None:
    prs, target = keras
    big = prs.slides[1]  # "What is Keras?" {.big}
    layout_title = big.slide_layout.placeholders[0]
    size = layout_title.element.find(".//{*}lvl1pPr/{*}defRPr").get("sz")
    assert int(size) >= 5000  # 50 pt and more, the body is 22 pt
    import zipfile

    with zipfile.ZipFile(target) as archive:
        theme = archive.read("ppt/theme/theme1.xml").decode()
    assert '<a:latin typeface="Inter" pitchFamily="34"/>' in theme
    assert '<a:accent1><a:srgbClr val="1746A2"/>' in theme


def test_notes_keep_their_line_breaks(keras: tuple[Any, Path]) -> None:
    prs, _ = keras
    notes = prs.slides[2].notes_slide.notes_text_frame.text.split("\n")
    assert notes[0].startswith("A collection of high-level APIs")
    assert "Microsoft Cognitive Toolkit, previously known as CNTK" in notes
    assert "Theano" in notes
    assert not prs.slides[1].has_notes_slide or not prs.slides[1].notes_slide.notes_text_frame.text


def test_images_keep_their_proportions_and_fill_the_room(keras: tuple[Any, Path]) -> None:
    from PIL import Image

    prs, _ = keras
    pictures = [s for s in prs.slides[5].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1
    with Image.open(ROOT / "res" / "introkeras01.png") as image:
        ratio = image.width / image.height
    picture = pictures[0]
    assert abs(picture.width / picture.height - ratio) < 0.01
    assert picture.width > prs.slide_width * 0.6  # not a thumbnail


def test_google_deck_text_runs_tables_code_columns(google: tuple[Any, str]) -> None:
    prs, _ = google
    slides = list(prs.slides)
    body = placeholder(slides[2], 1).text_frame
    runs = {r.text: r for p in body.paragraphs for r in p.runs}
    assert runs["emphasis"].font.italic and runs["strong emphasis"].font.bold
    assert runs["strikethrough"].font._rPr.get("strike") == "sngStrike"
    assert runs["fixed width code fonts"].font.name == "JetBrains Mono"
    assert runs["links"].hyperlink.address == "https://developers.google.com/slides"
    assert "❤" in body.text  # :heart:
    columns = slides[6]
    assert slides[6].slide_layout.name == "Two Columns"
    assert placeholder(columns, 1).text_frame.text == "This is the left column"
    assert placeholder(columns, 2).text_frame.text == "This is the right column"
    (table,) = [s.table for s in slides[17].shapes if s.has_table]
    assert len(table.rows) == 5 and table.cell(1, 0).text == "Fish"
    code = next(s for s in slides[14].shapes if "function hello()" in texts_of(s))
    code_runs = [r for p in code.text_frame.paragraphs for r in p.runs]
    assert {r.font.name for r in code_runs} == {"JetBrains Mono"}
    assert len({str(r.font.color.rgb) for r in code_runs}) >= 3  # Pygments colours, not one ink
    assert code.text_frame.text.splitlines()[2] == "  console.log('Hello world');"


def texts_of(shape: Any) -> str:
    return str(shape.text_frame.text) if shape.has_text_frame else ""


def test_what_cannot_be_carried_is_a_link_and_a_warning(google: tuple[Any, str]) -> None:
    prs, output = google
    video = texts(prs.slides[13])
    assert "https://www.youtube.com/watch?v=QBcHT0XJRP8" in video
    assert "warning[pptx-media]" in output
    assert output.count("warning[pptx-image-remote]") == 9  # never fetched
    assert "https://picsum.photos/1600/900" in texts(prs.slides[9])


def test_math_and_svg_become_pictures_cached_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if chromium_path() is None:
        pytest.skip("no Chromium to draw with")
    pytest.importorskip("playwright")
    prs, output = export(tmp_path / "a.pptx", str(GOOGLE_DECK))
    assert "pptx-not-drawn" not in output
    for number in (19, 20):  # math, SVG
        kinds = [s.shape_type for s in prs.slides[number].shapes]
        assert MSO_SHAPE_TYPE.PICTURE in kinds
    cached = list(Path(os.environ["PODIUM_CACHE_DIR"]).glob("pptx-pictures/*.png"))
    assert len(cached) == 2
    # Drawn once: with no browser at all, the pictures come from the cache.
    monkeypatch.setenv("PODIUM_CHROMIUM_SEARCH", "0")
    monkeypatch.delenv("PODIUM_CHROMIUM", raising=False)
    prs, output = export(tmp_path / "b.pptx", str(GOOGLE_DECK))
    assert "pptx-not-drawn" not in output
    assert MSO_SHAPE_TYPE.PICTURE in [s.shape_type for s in prs.slides[19].shapes]


def test_without_a_browser_math_shows_its_source(
    tmp_path: Path, deck_dir: DeckDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PODIUM_CHROMIUM_SEARCH", "0")
    monkeypatch.delenv("PODIUM_CHROMIUM", raising=False)
    folder = deck_dir({"m.md": "# Math\n\n$$$ math\n\\frac{a}{b} + 1\n$$$\n"})
    prs, output = export(tmp_path / "m.pptx", str(folder / "m.md"))
    assert "m.md:3:1: warning[pptx-not-drawn]" in output
    assert "\\frac{a}{b} + 1" in texts(prs.slides[0])


def test_steps_show_in_their_final_state(tmp_path: Path, deck_dir: DeckDir) -> None:
    deck = "# Steps\n\n{.incremental}\n- one\n- two\n- three\n\n. . .\n\nLast words\n"
    folder = deck_dir({"s.md": deck})
    prs, _ = export(tmp_path / "s.pptx", str(folder / "s.md"))
    assert len(prs.slides) == 1
    assert texts(prs.slides[0]).split("\n")[1:] == ["one", "two", "three", "Last words"]


def test_a_4_3_deck_and_a_numbered_nested_list(tmp_path: Path, deck_dir: DeckDir) -> None:
    deck = "---\naspect: 4:3\n---\n\n# List\n\n1. first\n   - inner\n2. second\n"
    folder = deck_dir({"l.md": deck})
    prs, _ = export(tmp_path / "l.pptx", str(folder / "l.md"))
    assert round(prs.slide_width / prs.slide_height, 3) == round(4 / 3, 3)
    paragraphs = placeholder(prs.slides[0], 1).text_frame.paragraphs
    assert [(p.text, p.level) for p in paragraphs] == [("first", 0), ("inner", 1), ("second", 0)]
    numbers = [p._p.find(".//{*}buAutoNum") for p in paragraphs]
    assert numbers[0] is not None and numbers[0].get("startAt") == "1"
    assert numbers[1] is None and numbers[2].get("startAt") == "2"


def test_one_file_for_two_decks_is_a_usage_error(deck_dir: DeckDir) -> None:
    folder = deck_dir({"a.md": "# A\n", "b.md": "# B\n"})
    result = CliRunner().invoke(cli, ["export", "pptx", str(folder), "-o", "x.pptx"])
    assert result.exit_code == 2
    assert "one PowerPoint file but 2 decks" in result.output


def test_decks_to_a_folder_and_an_unwritable_file(deck_dir: DeckDir, tmp_path: Path) -> None:
    folder = deck_dir({"a.md": "# A\n", "b.md": "# B\n"})
    result = CliRunner().invoke(cli, ["export", "pptx", str(folder), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.pptx", "b.pptx"]
    (tmp_path / "file").write_text("")
    bad = tmp_path / "file" / "a.pptx"
    result = CliRunner().invoke(cli, ["export", "pptx", str(folder / "a.md"), "-o", str(bad)])
    assert result.exit_code == 1
    assert "error[output-unwritable]" in result.output and "Traceback" not in result.output


def test_without_python_pptx_one_line_and_exit_2(
    deck_dir: DeckDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pptx", None)  # import pptx raises ImportError
    folder = deck_dir({"a.md": "# A\n"})
    result = CliRunner().invoke(cli, ["export", "pptx", str(folder / "a.md"), "-o", str(folder)])
    assert result.exit_code == 2
    assert (
        result.output.strip()
        == "error: PowerPoint export needs python-pptx: pip install 'podium[pptx]'"
    )


@pytest.mark.timeout(180)
def test_libreoffice_opens_it_and_prints_every_slide(
    keras: tuple[Any, Path], tmp_path: Path
) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-impress")
    pypdf = pytest.importorskip("pypdf")
    _, target = keras
    profile = (tmp_path / "profile").as_uri()  # its own profile: no clash with another soffice
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(target)],
        capture_output=True, text=True, timeout=150, check=False,
    )  # fmt: skip
    pdf = tmp_path / "keras.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stderr
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) == 8
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert "Introduction to Keras" in pages[0]
    assert "Popular high-level API for building & training deep learning models" in pages[2]
    assert "Your Turn" in pages[7] and "Image Classification with Keras" in pages[7]


ODD_DECK = """{layout=blank}

# Blank with a title

![one](res/a.png) ![two](res/a.png)

---

# Frame

<iframe src="https://example.com/x"></iframe>

<div>Hello <b>there</b></div>

---

# Control \x0b characters

---

# Long code

```python
x = LONG
```
""".replace("LONG", "1 + " * 300 + "1")


def test_odd_decks_export_whole(tmp_path: Path, deck_dir: DeckDir) -> None:
    png = (ROOT / "res" / "introkeras01.png").read_bytes()
    folder = deck_dir({"odd.md": ODD_DECK, "res/a.png": png})
    prs, output = export(tmp_path / "odd.pptx", str(folder / "odd.md"))
    blank, frame, control, code = prs.slides
    assert "Blank with a title" in texts(blank)  # a blank layout has no title holder
    assert len([s for s in blank.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]) == 2
    assert "Web page: https://example.com/x" in texts(frame) and "Hello there" in texts(frame)
    assert "odd.md:11:14: warning[pptx-media]" in output
    assert texts(control).split("\n")[0] == "Control   characters"
    (panel,) = [s for s in code.shapes if "1 + 1 + 1" in texts_of(s)]
    assert panel.text_frame.word_wrap  # too long even at the smallest size: it wraps


def test_a_code_walkthrough_marks_its_lines_in_the_final_state(
    tmp_path: Path, deck_dir: DeckDir
) -> None:
    code = "import keras\nfrom keras import layers\n\nx = 1\ny = 2\n"
    deck = f'# Walk\n\n```python {{hl="1-2|4"}}\n{code}```\n'
    folder = deck_dir({"walk.md": deck})
    prs, _ = export(tmp_path / "walk.pptx", str(folder / "walk.md"))
    (panel,) = [s for s in prs.slides[0].shapes if "import keras" in texts_of(s)]
    marked = [bool(p._p.findall(".//{*}highlight")) for p in panel.text_frame.paragraphs]
    assert marked == [True, True, False, True, False]


THEMED_DECK = (
    "---\ntitle: Themed\n{front}---\n\n# Table\n\n| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n\n"
    "---\n\n# A section {{.section}}\n\n---\n\n# Code\n\n```python\ndef f(x):\n    return x\n```\n"
)


def grounds(prs: Any) -> dict[str, str]:
    """The master's ground, the section layout's, a table's head and body rows (``RRGGBB``)."""
    section = next(layout for layout in prs.slide_layouts if layout.name == "Section")
    table = next(s for s in prs.slides[0].shapes if s.has_table).table
    return {
        "master": str(prs.slide_master.background.fill.fore_color.rgb),
        "section": str(section.background.fill.fore_color.rgb),
        "head": str(table.cell(0, 0).fill.fore_color.rgb),
        "row": str(table.cell(1, 0).fill.fore_color.rgb),
        "stripe": str(table.cell(2, 0).fill.fore_color.rgb),
        "head-text": str(table.cell(0, 0).text_frame.paragraphs[0].runs[0].font.color.rgb),
    }


def css_colours(name: str) -> dict[str, str]:
    """The theme's stylesheet colours as python-pptx writes them."""
    from podium.render import custom_properties

    found = custom_properties(name)
    wanted = {"master": "--paper", "section": "--accent-ground", "head": "--accent-ground"}
    wanted |= {"row": "--paper", "stripe": "--stripe", "head-text": "--on-accent"}
    return {key: found[prop].lstrip("#").upper() for key, prop in wanted.items()}


@pytest.mark.parametrize(
    "front, option, shown",
    [
        ("", (), "light"),
        ("theme: dark\n", (), "dark"),
        ("", ("--theme", "dark"), "dark"),
        ("theme: dark\n", ("--theme", "high-contrast"), "high-contrast"),
    ],
)
def test_the_master_and_slides_take_the_decks_theme_or_the_command_lines(
    tmp_path: Path, deck_dir: DeckDir, front: str, option: tuple[str, ...], shown: str
) -> None:
    from podium.render import contrast, custom_properties

    folder = deck_dir({"t.md": THEMED_DECK.format(front=front)})
    prs, _ = export(tmp_path / "t.pptx", str(folder / "t.md"), *option)
    assert grounds(prs) == css_colours(shown)
    master = prs.slide_master.background.fill.fore_color.rgb
    dark = contrast(f"#{master}", "#ffffff") > contrast(f"#{master}", "#000000")
    assert dark == (shown == "dark")  # a dark deck is a dark file, with light body text
    import zipfile

    with zipfile.ZipFile(tmp_path / "t.pptx") as archive:
        theme = archive.read("ppt/theme/theme1.xml").decode()
    ink = custom_properties(shown)["--ink"].lstrip("#").upper()
    assert f'<a:dk1><a:srgbClr val="{ink}"/>' in theme
