"""Every input gives a deck or diagnostics, never an exception (hypothesis)."""

from __future__ import annotations

from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from podium.assets import AssetResolver
from podium.dump import dump_deck
from podium.model import LAYOUTS, Deck
from podium.parse import decode_source, parse_deck
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
def test_chunked_parse_equals_whole_deck_parse(text: str) -> None:
    """Cutting the deck into chunks (for caching and parallel parsing) changes nothing."""
    chunked = dump_deck(parse_deck(text))
    with patch("podium.parse.candidate_breaks", return_value=[]):  # one chunk: the whole deck
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
