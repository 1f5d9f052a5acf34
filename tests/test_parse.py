"""Parse rules, as fixture files (markdown-it's format) and the cases fixtures cannot hold."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from podium.dump import dump_deck
from podium.parse.deck import parse_deck
from podium.parse.markdown import MAX_NESTING
from podium.parse.source import decode_source
from tests.helpers import KERAS_DECK, DeckDir

FIXTURES = Path(__file__).parent / "fixtures"
SNAPSHOTS = Path(__file__).parent / "snapshots"
CASES = [
    pytest.param(text, expected, id=f"{path.stem}:{line}:{title}")
    for path in sorted(FIXTURES.glob("*.md"))
    for line, title, text, expected in read_fixture_file(path)
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_fixture(text: str, expected: str) -> None:
    assert dump_deck(parse_deck(text)) == expected


def keras() -> str:
    return KERAS_DECK.read_text(encoding="utf-8")


def test_keras_deck_layouts_notes_and_single_warning() -> None:
    deck = parse_deck(keras(), path=str(KERAS_DECK))
    assert [s.layout for s in deck.slides] == [
        "section", "big", "big-body", "big-body", "big", "big-body", "big-body", "body",
    ]  # fmt: skip
    assert [s.index for s in deck.slides if s.notes] == [3, 4, 6, 7, 8]
    warnings = [d for d in deck.diagnostics if d.severity != "info"]
    assert [(d.line, d.col, d.severity, d.code) for d in warnings] == [
        (58, 13, "warning", "attrs-malformed")
    ]
    assert deck.title == "Introduction to Keras"
    assert {a.target for a in deck.assets} == {"res/introkeras01.png", "res/introkeras02.png"}


def test_keras_deck_snapshot() -> None:
    """The whole model of the user's deck, reviewed line by line (tests/snapshots/)."""
    deck = parse_deck(keras(), path="slides/intro-keras.md")
    assert dump_deck(deck) == (SNAPSHOTS / "intro-keras.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_line_endings_give_the_same_deck(newline: str) -> None:
    lf = parse_deck(keras())
    other = parse_deck(keras().replace("\n", newline))
    assert dump_deck(other) == dump_deck(lf)


def test_bom_is_stripped_from_text_and_bytes() -> None:
    plain = dump_deck(parse_deck("# Title\n\nText\n"))
    assert dump_deck(parse_deck("\ufeff# Title\n\nText\n")) == plain
    text, problems = decode_source(b"\xef\xbb\xbf# Title\n\nText\n", path="d.md")
    assert problems == []
    assert dump_deck(parse_deck(text)) == plain


def test_bad_bytes_are_an_error_at_their_line_and_column() -> None:
    text, problems = decode_source("# Ok\n\nA dash \x96 here".encode("latin-1"), path="d.md")
    assert [(p.line, p.col, p.severity, p.code) for p in problems] == [(3, 8, "error", "encoding")]
    assert "0x96" in problems[0].message
    assert problems[0].hint is not None and "Windows-1252" in problems[0].hint
    assert "A dash \ufffd here" in text  # the rest of the deck is still read


def test_utf16_is_named() -> None:
    _, problems = decode_source("# Hi\n".encode("utf-16"), path="d.md")
    assert problems[0].code == "encoding" and "UTF-16" in problems[0].message


@pytest.mark.parametrize("depth", [25, MAX_NESTING + 5, 300])
def test_deep_nesting_never_loses_a_later_slide(depth: int) -> None:
    nested = "\n".join("  " * level + "- item" for level in range(depth))
    deck = parse_deck(f"# One\n\n{nested}\n\n---\n\n# Two\n\n---\n\n# Three\n")
    assert [s.title for s in deck.slides] == ["One", "Two", "Three"]
    too_deep = [d for d in deck.diagnostics if d.code == "nesting-too-deep"]
    assert bool(too_deep) == (depth * 2 >= MAX_NESTING)


def test_deeply_nested_quotes_never_lose_a_later_slide() -> None:
    deck = parse_deck("> " * 500 + "deep\n\n---\n\n# After\n")
    assert deck.slides[-1].title == "After"
    assert any(d.code == "nesting-too-deep" for d in deck.diagnostics)


def test_images_resolve_against_deck_folder_then_project_root(deck_dir: DeckDir) -> None:
    root = deck_dir(
        {
            "pyproject.toml": "",
            "res/logo.png": b"\x89PNG\r\n\x1a\n",
            "slides/local.png": b"\x89PNG\r\n\x1a\n",
            "slides/deck.md": "![logo](res/logo.png)\n\n![here](local.png)\n\n![gone](nope.png)\n",
        }
    )
    deck = parse_deck((root / "slides/deck.md").read_text(), path=str(root / "slides/deck.md"))
    assert {(a.target, Path(a.source).name) for a in deck.assets} == {
        ("res/logo.png", "logo.png"),
        ("local.png", "local.png"),
    }
    html = deck.slides[0].html
    assert '<img src="res/logo.png" alt="logo">' in html
    assert 'class="image-missing"' in html and "nope.png" in html
    assert [(d.line, d.code) for d in deck.diagnostics] == [(5, "image-missing")]


def test_each_image_is_reported_where_it_stands(deck_dir: DeckDir) -> None:
    """The second image of a paragraph, and the same image twice on a line, each have their
    own position (they used to share the first one's and then merge into one message)."""
    text = "# A\n\nSee ![a](x.png) and ![b](y.png)\n![c](x.png) ![c](x.png)\n\n<!--\n"
    root = deck_dir({"deck.md": text + "![n](z.png) ![m](z.png)\n-->\n"})
    deck = parse_deck((root / "deck.md").read_text(), path=str(root / "deck.md"))
    missing = [(d.line, d.col, d.message) for d in deck.diagnostics if d.code == "image-missing"]
    assert missing == [
        (3, 5, "image 'x.png' not found"),
        (3, 21, "image 'y.png' not found"),
        (4, 1, "image 'x.png' not found"),
        (4, 13, "image 'x.png' not found"),
        (7, 1, "image 'z.png' not found"),
        (7, 13, "image 'z.png' not found"),
    ]


@pytest.mark.parametrize(
    "reference", ["../secret.png", "/etc/hostname", "%2e%2e/secret.png", "..\\secret.png"]
)
def test_images_outside_the_project_are_refused(deck_dir: DeckDir, reference: str) -> None:
    root = deck_dir({"secret.png": b"x", "proj/pyproject.toml": "", "proj/deck.md": ""})
    deck = parse_deck(f"![s]({reference})\n", path=str(root / "proj/deck.md"))
    assert deck.assets == ()
    assert [d.code for d in deck.diagnostics] == ["image-outside"]
    assert "refused" in deck.slides[0].html


def test_symlinked_image_pointing_outside_is_refused(deck_dir: DeckDir) -> None:
    root = deck_dir({"secret.png": b"x", "proj/pyproject.toml": ""})
    (root / "proj/link.png").symlink_to(root / "secret.png")
    deck = parse_deck("![s](link.png)\n", path=str(root / "proj/deck.md"))
    assert deck.assets == () and deck.diagnostics[0].code == "image-outside"


def test_image_paths_inside_code_stay_inert(deck_dir: DeckDir) -> None:
    root = deck_dir({"pyproject.toml": ""})
    text = '```html\n<img src="missing.png">\n```\n\n`![x](gone.png)`\n'
    deck = parse_deck(text, path=str(root / "deck.md"))
    assert deck.diagnostics == () and deck.assets == ()


def test_notes_can_be_left_out() -> None:
    deck = parse_deck("# A\n\n<!-- secret -->\n", notes=False)
    assert deck.slides[0].notes == ()


def test_unsafe_html_is_the_builders_choice_not_the_decks() -> None:
    text = "---\nhtml: unsafe\n---\n\n<b onclick='x()'>hi</b>\n"
    asked = parse_deck(text)
    assert "onclick" not in asked.slides[0].html
    assert [(d.line, d.code) for d in asked.diagnostics if d.code != "html-unsafe"] == [
        (2, "html-unsafe-ignored")
    ]
    allowed = parse_deck(text, unsafe_html=True)
    assert "onclick" in allowed.slides[0].html
    assert "html-unsafe-ignored" not in {d.code for d in allowed.diagnostics}


def test_notes_html_is_sanitised_too() -> None:
    deck = parse_deck(
        "# A\n\n<!--\nnote <img src=x onerror=alert(1)> [x](javascript:alert(1))\n-->\n"
    )
    note = deck.slides[0].notes[0]
    assert "onerror" not in note.html and 'href="javascript' not in note.html
    assert '<img src="x">' in note.html  # what is safe stays


def test_front_matter_never_runs_code(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f'---\ntitle: !!python/object/apply:os.system ["touch {marker}"]\n---\n\n# A\n'
    deck = parse_deck(text)
    assert not marker.exists()
    assert any(d.code == "meta-invalid" for d in deck.diagnostics)


def test_dense_slide_warns() -> None:
    items = "\n".join(f"* point number {n} with a fair amount of words in it" for n in range(40))
    deck = parse_deck(f"# Too much\n\n{items}\n")
    assert [d.code for d in deck.diagnostics] == ["slide-dense"]


def test_model_json_schema() -> None:
    deck = parse_deck(keras(), path="slides/intro-keras.md")
    data = deck.to_json()
    slide = data["slides"][0]
    assert set(slide) >= {"index", "line", "end_line", "layout", "id", "classes", "title",
                          "notes", "html"}  # fmt: skip
    assert (slide["index"], slide["line"], slide["end_line"]) == (1, 1, 2)
    assert data["slides"][2]["notes"][0].startswith("A collection of high-level APIs")
    assert data["diagnostics"][0] == {
        "path": "slides/intro-keras.md",
        "line": 58,
        "col": 13,
        "severity": "warning",
        "code": "attrs-malformed",
        "message": "malformed attribute block '{.big)': read as {.big}",
        "hint": "write {.big}",
    }


def test_notes_keep_the_line_breaks_their_author_wrote() -> None:
    deck = parse_deck(keras())
    last = deck.slides[7].notes[0].html
    assert "introduced to:<br />\nKeras API<br />\nImage Manipulation with Python" in last
    # ...while slides stay CommonMark: a soft break in a slide paragraph is a space.
    assert "<br" not in parse_deck("one\ntwo\n").slides[0].html


def test_more_than_four_columns_warn() -> None:
    five = "\n\n{.column}\n\n".join(f"col {n}" for n in range(5))
    deck = parse_deck(f"# Many\n\n{five}\n")
    assert deck.slides[0].layout == "columns"
    assert [d.code for d in deck.diagnostics] == ["columns-many"]
    four = "\n\n{.column}\n\n".join(f"col {n}" for n in range(4))
    assert parse_deck(f"# Fine\n\n{four}\n").diagnostics == ()


@pytest.mark.parametrize("text", ["{.a =b}\n\nText\n", "Text {.a =b}\n", "![x](y.png){.a =b}\n"])
def test_an_unreadable_attribute_block_says_the_same_wherever_it_stands(text: str) -> None:
    found = [d for d in parse_deck(text).diagnostics if d.code == "attrs-malformed"]
    assert [(d.message, d.hint) for d in found] == [
        (
            "could not read attribute block '{.a =b}'; it stays as text",
            "write it as {.class}, {#id} or {key=value}",
        )
    ]


def test_identical_problems_on_one_line_are_each_reported() -> None:
    """Two unsafe tags on one line are two messages, each at its own column (they used to
    share a position and merge into one)."""
    deck = parse_deck('# A\n\nx <b onclick="a()">1</b> and <b onclick="a()">2</b>\n', path="d.md")
    assert [(d.line, d.col, d.code) for d in deck.diagnostics] == [
        (3, 3, "html-unsafe"),
        (3, 30, "html-unsafe"),
    ]


def test_unsafe_html_is_reported_at_what_was_removed() -> None:
    """Not at the block's first line: at the tag that lost something."""
    text = '# A\n\n<div class="box">\n<p>fine</p>\n  <img src="x.png" onerror="steal()">\n</div>\n'
    deck = parse_deck(text, path="d.md")
    assert [(d.line, d.col, d.code) for d in deck.diagnostics] == [(5, 3, "html-unsafe")]


def test_a_runaway_note_far_into_the_deck_names_the_right_lines() -> None:
    """The message's lines are counted from the note's '<!--', which stands at its real line:
    they used to be counted from the start of the slide and named the wrong lines."""
    text = (
        "".join(f"# S{n}\n\ntext\n\n---\n\n" for n in range(5))
        + "# T\n\n<!-- open\n\n---\n\n# U -->\n"
    )
    deck = parse_deck(text, path="d.md")
    spans = [d for d in deck.diagnostics if d.code == "comment-spans-slides"]
    assert [(d.line, d.message) for d in spans] == [
        (
            33,
            "speaker note runs on to the '-->' 4 lines below across 1 slide separator "
            "(2 lines below), hiding the slide after it",
        )
    ]
    lines = text.split("\n")
    assert lines[32] == "<!-- open" and lines[34] == "---" and lines[36] == "# U -->"


def test_a_deck_without_code_never_imports_pygments() -> None:
    """Pygments is imported only when a deck has code (the import is slow)."""
    script = (
        "import sys\n"
        "from podium.parse.deck import parse_deck\n"
        "parse_deck('# Title\\n\\nText\\n\\n---\\n\\n# Two\\n')\n"
        "print('pygments' in sys.modules)\n"
        "parse_deck('# Code\\n\\n```python\\nx = 1\\n```\\n')\n"
        "print('pygments' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["False", "True"]


@pytest.mark.parametrize(
    ("front", "aspect", "seconds"),
    [
        ("aspect: 4:3\nduration: 1h30m\n", "4:3", 5400),
        ("duration: 45\n", "16:9", 2700),
        ("aspect: 5:4\nduration: soon\n", "16:9", None),  # both refused with a warning
        ("title: T\n", "16:9", None),
    ],
)
def test_the_front_matter_gives_the_deck_its_aspect_and_duration(
    front: str, aspect: str, seconds: int | None
) -> None:
    deck = parse_deck(f"---\n{front}---\n\n# A\n")
    assert (deck.aspect, deck.duration_seconds) == (aspect, seconds)
