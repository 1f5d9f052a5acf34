"""Every input gives a deck or diagnostics, never an exception (hypothesis)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from podium.dump import dump_deck
from podium.model import LAYOUTS, Deck
from podium.parse.assets import AssetResolver
from podium.parse.deck import parse_deck
from podium.parse.markdown import make_splitter
from podium.parse.source import decode_source
from podium.render import render_deck

# Pieces of the dialect, and of the ways authors get it wrong.
FRAGMENTS = [
    "---", "***", "___", "- - -", "# ", "## ", "### ", "{.big}", "{.big)", "{.a .b", "{",
    "}", "{#id .c key=v}", '{style="color: red}', "{layout=section}", "{.column}",
    "{.incremental}", "{onclick=x}", "<!--", "-->", "<!-- note -->", "<!-->", "```", "```python",
    '```js {hl="1-2"}', "~~~", "    code", "> ", "* ", "1. ", "- [ ] ", "![", "](", ")",
    "![a](res/x.png)", "![](../../etc/passwd)", "[l](javascript:alert(1))", "<script>",
    "</script>", "<img src=x onerror=alert(1)>", "<div>", "</div>", "| a | b |", "|---|---|",
    ". . .", "$$$ math", "$$$", ":heart:", "\\", "`", "**", "_", "&#x6A;", "\t", "\r", "\r\n",
    "\ufeff", "\x00", "\u2028", "é", "---\ntitle: x\n---", "---\n: [\n---", "$$$ svg",
    "$$$ math", "$$", "$x^2$", "<svg>", "@[youtube](abcdefgh)", "<script>", "<pre>", "</pre>",
    "<?php", "?>", "<![CDATA[", "]]>", "<!DOCTYPE", "[ref]: https://e.org", "[ref]", "\n\n",
]  # fmt: skip
dialect = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=60).map(
    lambda parts: "".join(p if p.endswith("\n") else p + st_sep(p) for p in parts)
)


def st_sep(part: str) -> str:
    # Mostly line breaks between fragments, so block syntax actually forms.
    return "\n" if len(part) % 3 else " "


def check(deck: Deck) -> None:
    for slide in deck.slides:
        assert slide.layout in LAYOUTS
        assert 1 <= slide.line <= slide.end_line
    for diagnostic in deck.diagnostics:
        assert diagnostic.line >= 1 and diagnostic.col >= 1
    render_deck(deck, slug="fuzz")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dialect)
def test_dialect_mixes_never_raise(text: str) -> None:
    check(parse_deck(text))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_random_text_never_raises(text: str) -> None:
    check(parse_deck(text))


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(data: bytes) -> None:
    text, _ = decode_source(data, path="fuzz.md")
    check(parse_deck(text, path="fuzz.md"))


# Pieces of YAML, including what stalled or crashed the reader: aliases, deep nesting,
# long numbers, tags on values they cannot read.
YAML_FRAGMENTS = [
    "title: ", "duration: ", "date: ", "aspect: ", "html: ", "author: ", "&a ", "*a", "<<: ",
    "[", "]", "{", "}", ", ", "!!int ", "!!float ", "!!timestamp ", "!!binary ", "!!str ",
    "!!python/object:os.system ", "9" * 30, "9" * 4400, "1.5", "-1", "- ", "? ", ": ", "'",
    '"', "|", ">", "\n", "  ", "# c", "%YAML 1.1", "...", "2024-13-45", "1e999", ".inf", "~",
    "null", "yes", "16:9", "45m", "1h30m", "99999999h", "[" * 50, "\t", "\ufeff", "é",
]  # fmt: skip
front_matter = st.lists(
    st.one_of(st.sampled_from(YAML_FRAGMENTS), st.text(max_size=6)), max_size=30
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matter)
@example("a: &a [x]\nb: *a")
@example("duration: " + "9" * 4400)
@example("title: " + "[" * 3000)
@example("date: !!timestamp 2024-13-45")
@example("title: !!float ")
@example("title: !!timestamp ")
def test_front_matter_never_raises(body: str) -> None:
    deck = parse_deck(f"---\n{body}\n---\n\n# Slide\n")
    check(deck)
    assert all(isinstance(value, str) for value in deck.meta.values())


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(dialect)
def test_with_images_resolved_never_raises(tmp_path: Path, text: str) -> None:
    resolver = AssetResolver(tmp_path, tmp_path)
    check(parse_deck(text, path=str(tmp_path / "deck.md"), resolver=resolver))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dialect)
@example("```\ncode\n\n---\n\nstill code\n```\n\n---\n\n# B\n")
@example("$$$ svg\n<svg>\n\n---\n\n</svg>\n$$$\n\n---\n\nafter\n")
@example("<!--\nnote\n\n---\n\nhidden -->\n\n---\n\n# C\n")
@example("<script>\n\n---\n\n</script>\n\n---\n\nx\n")
@example("- a\n  ```\n  x\n\n---\n\n```\n\n---\n```\n")
@example("[x]\n\n---\n\n[x]: https://e.org\n")
@example("<!-- a\n\n---\n\n<!-- b\n\n---\n\nc\n")  # cut at each break: no --> later
@example("<!-- a\n\n---\n\n<!-- b\n\n---\n\nc -->\n\n---\n\nd\n")  # one note to the -->
@example("- x\n\n  <!-- a\n\n---\n\n<!-- b\n\n---\n\nc\n")  # the first one ends with its item
@example("```\n<!-- a\n```\n\n---\n\n<!-- b\n\n---\n\nc\n")
@example("<!-- a\n\n---\n\n```\n-->\n```\n\n---\n\nd\n")
def test_chunked_parse_equals_whole_deck_parse(text: str) -> None:
    """Cutting the deck into chunks (for caching and parallel parsing) changes nothing."""
    chunked = dump_deck(parse_deck(text))
    with patch("podium.parse.deck.candidate_breaks", return_value=[]):  # one chunk: the whole deck
        whole = dump_deck(parse_deck(text))
    assert chunked == whole


@pytest.mark.parametrize(
    "text",
    [
        "x" + " " * 200_000 + "{",  # was quadratic in the trailing-attributes search
        "x" + "\t" * 200_000 + "{.a)",
        "<!-- a\n" * 5_000,  # was quadratic in the comment scan
        "<!--->x-->" * 20_000,
        "> " * 5_000 + "deep\n\n---\n\n# After\n",
        "x {" * 50_000,
    ],
    ids=["spaces", "tabs", "comments", "empty-comments", "quotes", "braces"],
)
def test_pathological_inputs_parse_in_linear_time(text: str) -> None:
    """Inputs on which earlier versions took seconds to minutes (quadratic scans)."""
    deck = parse_deck(text)
    assert deck.slides or deck.diagnostics


# --- Adversarial inputs: each once crashed the parse or took time growing with the square of
# its size. Sizes are chosen so the old code needed well over the timeout and the fixed code
# a fraction of a second; where an operation count is natural, the test asserts on that.


class _ParsedChars:
    """Counts the characters the block-level splitter is asked to parse."""

    def __init__(self) -> None:
        self.total = 0
        self._parse = make_splitter().parse

    def __call__(self, src: str, env: Any = None) -> Any:
        self.total += len(src)
        return self._parse(src, env)


def _parsed_chars(text: str) -> tuple[Deck, int]:
    counter = _ParsedChars()
    with patch.object(make_splitter(), "parse", counter):
        deck = parse_deck(text, jobs=1)
    return deck, counter.total


@pytest.mark.timeout(20)
def test_unclosed_note_on_every_slide_parses_the_deck_a_bounded_number_of_times() -> None:
    """One ``<!--`` without ``-->`` per slide re-parsed the rest of the deck per comment:
    1,000 slides took 17 s, 10,000 half an hour."""
    slides = 400
    text = "".join(f"# Slide {i}\n\n<!-- note {i}\n\n---\n\n" for i in range(slides))
    deck, parsed = _parsed_chars(text)
    assert len(deck.slides) == slides
    unterminated = [d for d in deck.diagnostics if d.code == "comment-unterminated"]
    assert len(unterminated) == slides
    assert parsed <= 3 * len(text)  # was about slides / 2 times the deck


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    "item", ["- <!--\n", "- a <!--\n", "> <!--\n", "1. <!-- x\n", "- <!-- a\n  - <!-- b\n"]
)
def test_list_items_each_opening_a_comment_are_reported_not_a_crash(item: str) -> None:
    """Each item opening ``<!--`` made the recovery oscillate (closing one reopened the
    last) until "recovery did not converge", after a quadratic loop."""
    text = item * 300 + "\n---\n\n# After\n"
    deck, parsed = _parsed_chars(text)
    assert deck.slides[-1].title == "After"
    assert any(d.code == "comment-unterminated" for d in deck.diagnostics)
    assert parsed <= 3 * len(text)


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("duration: " + "9" * 4301, None),  # int() refuses over 4,300 digits
        ("title: " + "9" * 5000, None),
        ("duration: '" + "9" * 5000 + "'", None),
        ("duration: '" + "9" * 5000 + "s'", None),
        ("duration: " + "9" * 400 + ".5", None),  # float overflows to inf
        ("title: " + "[" * 5000, "nested more than"),  # RecursionError in PyYAML
        ("title: " + "[" * 5000 + "]" * 5000, "nested more than"),
        ("title: " + "{a: " * 3000 + "}" * 3000, "nested more than"),
        ("a: &a [x, x]\nb: &b [*a, *a]\ntitle: *b", "aliases (*a) are not allowed"),
        ("base: &b {title: x}\n<<: *b", "aliases (*b) are not allowed"),
        ("title: !!timestamp 2024-13-45", "cannot be read"),  # out of range: ValueError
        ("title: !!int 12x", "cannot be read"),
        ("title: !!float nope", "cannot be read"),
    ],
)
def test_hostile_front_matter_is_a_diagnostic_not_a_traceback(
    front: str, message: str | None
) -> None:
    deck = parse_deck(f"---\n{front}\n---\n\n# Slide\n")
    assert [s.title for s in deck.slides] == ["Slide"]
    if message is not None:
        errors = [d for d in deck.diagnostics if d.code == "meta-invalid"]
        assert errors and message in errors[0].message


@pytest.mark.timeout(20)
def test_dates_are_kept_as_written_even_when_no_calendar_has_them() -> None:
    deck = parse_deck("---\ndate: 2024-13-45\nauthor: A\n---\n\n# Slide\n")
    assert dict(deck.meta) == {"date": "2024-13-45", "author": "A"}
    assert not deck.diagnostics
    assert parse_deck("---\ndate: 2026-11-29\n---\n\n# S\n").meta["date"] == "2026-11-29"


@pytest.mark.timeout(20)
def test_yaml_alias_bomb_is_refused_before_it_expands() -> None:
    """600 bytes of nested aliases expand to a list of a billion items."""
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for depth in range(1, 9):
        here, below = chr(ord("a") + depth), chr(ord("a") + depth - 1)
        levels.append(f"{here}: &{here} [{', '.join([f'*{below}'] * 9)}]")
    deck = parse_deck("---\n" + "\n".join(levels) + "\n---\n\n# Slide\n")
    (error,) = [d for d in deck.diagnostics if d.severity == "error"]
    assert error.code == "meta-invalid" and "aliases" in error.message
    assert error.line == 3  # the first alias


@pytest.mark.timeout(20)
def test_many_unknown_front_matter_keys_each_warn_at_their_line() -> None:
    """Each key's line was found by a search of the whole front matter: quadratic."""
    keys = 10_000
    deck = parse_deck("---\n" + "".join(f"k{i}: v\n" for i in range(keys)) + "---\n\n# x\n")
    unknown = [d for d in deck.diagnostics if d.code == "meta-unknown"]
    assert len(unknown) == keys
    assert [d.line for d in unknown[:3]] == [2, 3, 4]
    assert unknown[-1].line == keys + 1


@pytest.mark.timeout(20)
def test_a_megabyte_of_invalid_utf8_is_one_diagnostic() -> None:
    """Each bad byte re-decoded the rest of the file: over two minutes for 1 MB."""
    text, diagnostics = decode_source(b"ok\n" + b"\xff" * 1_000_000, path="bad.md")
    (diagnostic,) = diagnostics
    assert (diagnostic.line, diagnostic.col) == (2, 1)
    assert "(and 999999 more)" in diagnostic.message
    assert text.count("\ufffd") == 1_000_000


def test_invalid_utf8_count_ignores_replacement_characters_written_in_the_file() -> None:
    _, diagnostics = decode_source("\ufffd ok ".encode() + b"\xc3", path="bad.md")
    assert diagnostics[0].message == "not valid UTF-8: byte 0xC3"


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    "text",
    [
        "# Title {" + " ".join(f".c{i}" for i in range(100_000)) + "}\n",
        "{" + " ".join(f".c{i}" for i in range(100_000)) + "}\n\n# Title\n",
        "# Title {" + " ".join(f"data-k{i}=v" for i in range(50_000)) + "}\n",
        "# Title\n\n" + "<!--" * 100_000 + "\n",  # HTMLParser searched to the end per <!--
        "# Title\n\nx " + "<!--" * 50_000 + "\n",
        "# Title\n\n<div>\n" + "<a" * 100_000 + "\n</div>\n",
        "# Title\n\n<!-- note\n" + "<?" * 100_000 + "\n-->\n",
        "".join(f"[r{i}]: https://e.org/{i}\n\n---\n\n" for i in range(4_000)) + "[r1]\n",
        "# Title\n\n<pre>\n" + "line\n" * 200_000,  # each line checked once for a break
    ],
    ids=[
        *("classes", "slide-classes", "pairs", "comments", "inline-comments", "tags", "pis"),
        *("refs", "unclosed-pre"),
    ],
)
def test_many_of_one_thing_parse_in_linear_time(text: str) -> None:
    deck = parse_deck(text, jobs=1)
    assert deck.slides
    render_deck(deck, slug="big")


def test_classes_keep_their_order_once_each() -> None:
    (slide,) = parse_deck("# T {.b .a .b .c .a}\n").slides
    assert 'class="b a c"' in slide.html
