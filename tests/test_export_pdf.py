"""``podium export pdf``: real PDFs printed by Debian's Chromium, read back with pypdf."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from podium.cli.app import cli
from podium.site.build import discover_decks, load_deck
from tests.helpers import (
    FEATURES_DECK,
    KERAS_DECK,
    ROOT,
    DeckDir,
    chromium_path,
    engine_missing,
)

pypdf = pytest.importorskip("pypdf")

REMOTE_DECK = """---
title: Far away
author: Grace Hopper
---

# A remote picture

![cat](https://example.com/cat.png)

[the docs](https://example.org/docs)

---

# Second
"""


def export(out: Path, *args: str) -> Any:
    """Run ``podium export pdf`` and return the PDF it wrote, read with pypdf."""
    if chromium_path() is None:
        engine_missing("no Debian Chromium found")
    result = CliRunner().invoke(cli, ["export", "pdf", *args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return pypdf.PdfReader(out)


def outline_titles(outline: list[Any]) -> list[str]:
    titles: list[str] = []
    for entry in outline:
        titles.extend(outline_titles(entry) if isinstance(entry, list) else [entry.title])
    return titles


@pytest.fixture(scope="session")
def keras_pdf(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return export(tmp_path_factory.mktemp("pdf") / "keras.pdf", str(KERAS_DECK))


@pytest.mark.timeout(60)
def test_one_page_per_slide_at_16_9_with_outline_and_title(keras_pdf: Any) -> None:
    deck = load_deck(discover_decks([str(KERAS_DECK)])[0])
    assert len(keras_pdf.pages) == len(deck.slides)
    box = keras_pdf.pages[0].mediabox
    assert round(float(box.width) / float(box.height), 3) == round(16 / 9, 3)
    assert keras_pdf.metadata.title == deck.title
    titles = [s.title for s in deck.slides if s.title]
    assert outline_titles(keras_pdf.outline) == titles
    assert titles[1] in keras_pdf.pages[1].extract_text()  # selectable text


@pytest.mark.timeout(60)
def test_steps_give_a_page_per_step(tmp_path: Path) -> None:
    reader = export(tmp_path / "steps.pdf", "--steps", str(FEATURES_DECK))
    texts = [page.extract_text() for page in reader.pages]
    steps = [t for t in texts if t.startswith("Steps")]
    # Nothing shown yet, then one more point per step, the last with all three.
    assert [t.count("Point") for t in steps] == [0, 1, 2, 3]
    # Each slide is one bookmark, not one per step.
    assert outline_titles(reader.outline).count("Steps") == 1


@pytest.mark.timeout(60)
def test_handout_on_letter_numbers_its_pages(tmp_path: Path) -> None:
    reader = export(tmp_path / "h.pdf", "--handout", "--paper", "letter", str(KERAS_DECK))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    total = len(reader.pages)
    assert total > 1
    assert f"2 / {total}" in reader.pages[1].extract_text()


@pytest.mark.timeout(60)
def test_handout_has_contents_notes_and_whole_slides(tmp_path: Path, deck_dir: DeckDir) -> None:
    slides = "\n\n---\n\n".join(
        f"# Topic {n}\n\n- point {n}\n\n<!-- Say this about topic {n}. -->" for n in range(1, 8)
    )
    folder = deck_dir({"talk.md": f"---\ntitle: Talk\n---\n\n{slides}\n"})
    reader = export(tmp_path / "talk.pdf", "--handout", str(folder / "talk.md"))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (596, 843)  # A4
    texts = [page.extract_text() for page in reader.pages]
    assert "Topic 7" in texts[0]  # the contents come first
    body = "\n".join(texts[1:])
    assert "Say this about topic 4." in body
    for n in range(1, 8):  # each slide on one page, its caption and its content together
        pages = [text for text in texts[1:] if f"Slide {n} " in text]
        assert len(pages) == 1 and f"point {n}" in pages[0]


@pytest.mark.timeout(60)
def test_a_4_3_deck_prints_at_4_3(tmp_path: Path, deck_dir: DeckDir) -> None:
    folder = deck_dir({"square.md": "---\naspect: 4:3\n---\n\n# One\n\n---\n\n# Two\n"})
    reader = export(tmp_path / "sq.pdf", str(folder / "square.md"))
    box = reader.pages[0].mediabox
    assert len(reader.pages) == 2
    assert round(float(box.width) / float(box.height), 3) == round(4 / 3, 3)


@pytest.mark.timeout(60)
def test_nothing_is_fetched_and_links_stay_clickable(tmp_path: Path, deck_dir: DeckDir) -> None:
    if chromium_path() is None:
        engine_missing("no Debian Chromium found")
    folder = deck_dir({"far.md": REMOTE_DECK})
    target = tmp_path / "far.pdf"
    result = CliRunner().invoke(cli, ["export", "pdf", str(folder / "far.md"), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "1 request outside the deck refused" in result.output
    assert "Printing" not in result.output  # no progress line in a pipe
    reader = pypdf.PdfReader(target)
    assert reader.metadata.author == "Grace Hopper"
    links = [a.get_object()["/A"]["/URI"] for a in reader.pages[0]["/Annots"]]
    assert links == ["https://example.org/docs"]


def test_no_browser_is_one_line_exit_2(deck_dir: DeckDir, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = deck_dir({"a.md": "# One\n"})
    monkeypatch.setenv("PODIUM_CHROMIUM", str(folder / "no-such-chromium"))
    monkeypatch.setenv("PODIUM_CHROMIUM_SEARCH", "0")
    result = CliRunner().invoke(cli, ["export", "pdf", str(folder / "a.md"), "-o", str(folder)])
    assert result.exit_code == 2
    assert "no Chromium found" in result.output and "PODIUM_CHROMIUM" in result.output
    assert "Traceback" not in result.output
    assert not list(folder.glob("*.pdf"))


def test_a_program_that_is_not_chromium_is_one_line_exit_1(
    deck_dir: DeckDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = deck_dir({"a.md": "# One\n"})
    monkeypatch.setenv("PODIUM_CHROMIUM", "/bin/true")
    result = CliRunner().invoke(cli, ["export", "pdf", str(folder / "a.md"), "-o", str(folder)])
    assert result.exit_code == 1
    assert "could not print" in result.output and "Traceback" not in result.output


def test_one_file_for_two_decks_is_a_usage_error(deck_dir: DeckDir) -> None:
    folder = deck_dir({"a.md": "# One\n", "b.md": "# Two\n"})
    result = CliRunner().invoke(cli, ["export", "pdf", str(folder), "-o", "both.pdf"])
    assert result.exit_code == 2
    assert "give a folder" in result.output


@pytest.mark.timeout(60)
def test_the_printed_page_loads_nothing_outside_the_built_site(
    tmp_path: Path, browser: Any
) -> None:
    """Defence beneath the sanitiser: even a page that asks for a file beside the site, or a
    remote one, gets neither."""
    from podium.export.pdf import Job, print_pdf

    secret = tmp_path / "secret.png"
    secret.write_bytes((Path(__file__).parent.parent / "docs" / "pipeline.svg").read_bytes())
    site = tmp_path / "site"
    site.mkdir()
    (site / "inside.svg").write_bytes(secret.read_bytes())
    page = site / "index.html"
    page.write_text(
        '<title>t</title><img src="inside.svg"><img src="../secret.png">'
        '<img src="https://example.com/x.png"><p>text</p>',
        encoding="utf-8",
    )
    refused = print_pdf(browser, Job(page, tmp_path / "out.pdf", site, titles=("t",)))
    assert refused == 2
    assert "text" in pypdf.PdfReader(tmp_path / "out.pdf").pages[0].extract_text()


@pytest.mark.timeout(60)
def test_an_unwritable_pdf_is_one_line_exit_1(deck_dir: DeckDir) -> None:
    if chromium_path() is None:
        engine_missing("no Debian Chromium found")
    folder = deck_dir({"a.md": "# One\n"})
    blocked = folder / "a.md" / "out.pdf"  # under a file: no folder can be made there
    result = CliRunner().invoke(cli, ["export", "pdf", str(folder / "a.md"), "-o", str(blocked)])
    assert result.exit_code == 1
    assert "error[output-unwritable]" in result.output and "Traceback" not in result.output


@pytest.mark.timeout(60)
def test_steps_give_a_page_per_fragment_and_code_range(tmp_path: Path) -> None:
    deck = ROOT / "tests" / "decks" / "steps.md"
    reader = export(tmp_path / "steps.pdf", "--steps", str(deck))
    texts = [page.extract_text() for page in reader.pages]
    # Slide 1: 3 steps, slide 2: 4, slide 3 (the walkthrough): 3, slide 4: none.
    assert len(texts) == 4 + 5 + 4 + 1
    fragments = [t for t in texts if t.startswith("Fragments")]
    assert ["Fades in" in t for t in fragments] == [False, False, True, True]
    assert ["Appears at once" in t for t in fragments] == [False, True, True, True]
    assert sum(t.startswith("Code walkthrough") for t in texts) == 4
