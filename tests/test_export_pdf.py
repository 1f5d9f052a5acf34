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
    GOOGLE_DECK,
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
    catalog = keras_pdf.trailer["/Root"]  # tagged: structure for screen readers
    assert catalog["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in catalog


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
    assert (round(float(box.width)), round(float(box.height))) == (
        596,
        842,
    )  # A4 (Chromium rounds 595.3 up)
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
    assert "printing" not in result.output  # no progress line in a pipe
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
def test_the_printed_page_loads_nothing_outside_the_built_site(tmp_path: Path) -> None:
    """Defence beneath the sanitiser: even a page that asks for a file beside the site, or a
    remote one, gets neither."""
    from podium.export.pdf import Job, chromium, print_pdf

    path = chromium_path()
    if path is None:
        engine_missing("no Debian Chromium found")

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
    with chromium(path) as browser:
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


@pytest.mark.timeout(90)
def test_the_md2googleslides_deck_prints_every_slide(tmp_path: Path) -> None:
    deck = load_deck(discover_decks([str(GOOGLE_DECK)])[0])
    reader = export(tmp_path / "google.pdf", str(GOOGLE_DECK))
    texts = [page.extract_text() for page in reader.pages]
    assert len(texts) == len(deck.slides) == 22
    assert outline_titles(reader.outline) == [s.title for s in deck.slides]
    assert reader.metadata.title == "This is a title slide"
    by_title = {s.title: text for s, text in zip(deck.slides, texts, strict=True)}
    assert "console.log('Hello world');" in by_title["Slides can have code"]
    assert "142 million" in by_title["Slides can have tables"]
    assert "Video on YouTube" in by_title["Slides can have videos"]  # a link, never a player
    assert "cos" in by_title["How about some math?"]
    local = reader.pages[12]  # "Slides can have local images": the picture beside the deck
    images = [x for x in local["/Resources"]["/XObject"].values() if x["/Subtype"] == "/Image"]
    assert len(images) == 1
    links = [a.get_object()["/A"]["/URI"] for a in reader.pages[2]["/Annots"]]
    assert links == ["https://developers.google.com/slides"]


@pytest.mark.timeout(90)
def test_the_md2googleslides_handout_keeps_each_slide_whole(tmp_path: Path) -> None:
    reader = export(tmp_path / "google-handout.pdf", "--handout", str(GOOGLE_DECK))
    texts = [page.extract_text() for page in reader.pages]
    assert "Slides can use custom master slides" in texts[0]  # the contents
    assert "This only appears as a speaker note." in "\n".join(texts[1:])
    for n in range(1, 23):  # each slide's caption on exactly one page, with its title
        pages = [text for text in texts[1:] if f"Slide {n} " in text]
        assert len(pages) == 1, n
    code = [text for text in texts if "Slide 15 " in text]
    assert "console.log('Hello world');" in code[0]  # the figure beside its caption
    assert f"{len(texts)} / {len(texts)}" in texts[-1]


def test_a_slow_export_shows_its_progress_on_a_terminal_and_wipes_it() -> None:
    import io
    import time

    from podium.cli.export import progress
    from podium.cli.output import exporting

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    label = exporting(3, 4, Path("talk.pdf"))  # two PDFs of four written
    assert label == "[##########..........] 3/4 printing talk.pdf"
    with progress(label, screen, delay=0, every=0.01):
        for _ in range(500):  # until the line is drawn (a thread draws it)
            if label in screen.getvalue():
                break
            time.sleep(0.01)
    assert screen.getvalue().startswith(f"\r{label} 0 s")
    assert screen.getvalue().endswith("\r\033[K")  # nothing left on the line afterwards


def blank_pdf(pages: int) -> bytes:
    import io

    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=160, height=90)
    writer.add_metadata({"/Producer": "a (test) producer"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("damaged", [False, True])
def test_the_outline_and_author_are_appended_or_rewritten(damaged: bool) -> None:
    """An incremental update on a PDF laid out as Chromium writes it; a damaged one (its
    startxref points nowhere) goes through pypdf, which repairs it: the same result."""
    import io
    import re

    from podium.export.finish import finished

    data = blank_pdf(3)
    if damaged:
        data = re.sub(rb"startxref\s+\d+", b"startxref\n7", data)
    titles = [("Intro (één)", 0), ("Σ results", 2), ("beyond the end", 9)]
    out = finished(data, {"title": "Talk", "author": "Grace Hopper"}, titles)
    assert out.startswith(data) != damaged  # appended after the bytes, or rewritten
    reader = pypdf.PdfReader(io.BytesIO(out), strict=not damaged)
    assert len(reader.pages) == 3
    assert (reader.metadata.title, reader.metadata.author) == ("Talk", "Grace Hopper")
    assert reader.metadata.producer == "a (test) producer"
    assert outline_titles(reader.outline) == ["Intro (één)", "Σ results"]
    assert [reader.get_destination_page_number(o) for o in reader.outline] == [0, 2]


FAKE_CHROMIUM = """
import json, os
pending = b""
while chunk := os.read(3, 65536):
    pending += chunk
    while b"\\0" in pending:
        raw, _, pending = pending.partition(b"\\0")
        message = json.loads(raw)
        if message["method"] == "Browser.close":
            raise SystemExit
        os.write(4, json.dumps({"method": "Page.somethingHappened"}).encode() + b"\\0")
        if message["method"] == "Bad.command":
            answer = {"id": message["id"], "error": {"message": "no such command"}}
        else:
            answer = {"id": message["id"], "result": {"data": "A" * 3_000_000}}
        data = json.dumps(answer).encode() + b"\\0"
        for at in range(0, len(data), 7000):  # many small writes, as a pipe delivers them
            os.write(4, data[at : at + 7000])
"""


def test_the_devtools_pipe_joins_long_answers_and_hands_events_over(tmp_path: Path) -> None:
    import sys

    from podium.export.cdp import Chromium, DevToolsError

    fake = tmp_path / "fake-chromium"
    fake.write_text(f"#!{sys.executable}\n{FAKE_CHROMIUM}", encoding="utf-8")
    fake.chmod(0o755)
    browser = Chromium(str(fake), [])
    events: list[str] = []
    browser.on_event = lambda message: events.append(message["method"])
    try:
        assert len(browser.call("Page.printToPDF")["data"]) == 3_000_000
        assert len(browser.call("Page.printToPDF")["data"]) == 3_000_000
        with pytest.raises(DevToolsError, match="no such command"):
            browser.call("Bad.command")
        assert events == ["Page.somethingHappened"] * 3
    finally:
        browser.close()
    assert browser.process.returncode == 0
