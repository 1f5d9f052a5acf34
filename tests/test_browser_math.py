"""The math corpus drawn by real headless Chromium and Firefox (MathML, no math JavaScript): every
expression is drawn with a size, shows no TeX command and no stray brace, ``aligned`` and its
kin take one line per row, ``arg min`` is one upright operator word."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.helpers import DeckDir, Web, build, math_corpus, math_deck

CORPUS = math_corpus()
INVISIBLE = re.compile("[\u2061-\u2064]")  # function application and its kin

# For each drawn expression: its slide's title, what it shows (the text a reader sees), how
# many distinct lines its table rows stand on, and its box.
MEASURE = """() => [...document.querySelectorAll(".slide[data-index]")].map(slide => {
  const math = slide.querySelector(".math math");
  const title = slide.querySelector("h2");
  if (!math || !title) return null;
  const tops = new Set();
  for (const table of math.querySelectorAll("mtable")) {
    for (const row of table.children) {
      const box = row.getBoundingClientRect();
      if (box.height > 0) tops.add(Math.round(box.top));
    }
  }
  const box = math.getBoundingClientRect();
  return {title: title.textContent, text: math.textContent, lines: tops.size,
          width: box.width, height: box.height};
}).filter(Boolean)"""


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("math")
    (root / "corpus.md").write_text(math_deck(CORPUS), encoding="utf-8")
    status, output = build(CliRunner(), str(root / "corpus.md"), "-o", str(root / "site"))
    assert status == 0 and "0 errors, 0 warnings" in output, output
    return root / "site" / "corpus"


@pytest.mark.parametrize("engine", ["browser", "firefox"])
def test_every_corpus_expression_is_drawn_right(
    request: pytest.FixtureRequest, engine: str, corpus_site: Path
) -> None:
    """In Chromium (MathML Core, with podium's fixes) and Firefox (its own MathML)."""
    web = Web(request.getfixturevalue(engine), viewport={"width": 1280, "height": 720})
    request.addfinalizer(web.close)
    page = web.page((corpus_site / "handout.html").as_uri())
    page.wait_for_function("() => document.fonts.status === 'loaded'")
    drawn = {item["title"]: item for item in page.evaluate(MEASURE)}
    assert len(drawn) == len(CORPUS)
    for case in CORPUS:
        item = drawn[f"{case.line} {case.title}"]
        text = INVISIBLE.sub("", "".join(item["text"].split()))
        assert item["width"] > 4 and item["height"] > 4, case
        assert "\\" not in text, (case, text)
        assert (text.count("{"), text.count("}")) == case.braces, (case, text)
        for words in case.texts:
            assert words.replace(" ", "") in text, (case, text)
        if case.rows > 1:
            assert item["lines"] >= case.rows, (case, item)
    assert web.errors == [] and web.outside == []


def test_arg_min_is_an_upright_operator_word_with_its_limit_below(
    web: Any, deck_dir: DeckDir, runner: CliRunner
) -> None:
    root = deck_dir({"argmin.md": "# Fit\n\n$$\n\\arg\\min_\\theta \\mathcal{L}(\\theta)\n$$\n"})
    status, output = build(runner, str(root / "argmin.md"), "-o", str(root / "site"))
    assert status == 0, output
    page = web.page((root / "site" / "argmin" / "index.html").as_uri())
    boxes = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll(".math mi")].reverse()
             .map(mi => [mi.textContent, mi.getBoundingClientRect().toJSON()]))"""
    )
    arg, minimum, theta = boxes["arg"], boxes["min"], boxes["θ"]  # the first θ: the limit
    # "arg" then a space then "min" on one line, θ centred under "min".
    assert minimum["left"] - arg["right"] >= 2
    assert abs(arg["top"] - minimum["top"]) < arg["height"] / 2
    assert theta["top"] > minimum["top"] + minimum["height"] / 2
    centre = (theta["left"] + theta["right"]) / 2
    assert minimum["left"] < centre < minimum["right"]


def test_boxed_and_cancel_are_drawn(web: Any, deck_dir: DeckDir, runner: CliRunner) -> None:
    """menclose is not in MathML Core: podium's classes and CSS draw the box and the strike."""
    deck = "# Boxes\n\n$\\boxed{E = mc^2}$ and $\\cancel{x}$ and $\\fcolorbox{red}{blue}{x}$\n"
    root = deck_dir({"boxes.md": deck})
    status, output = build(runner, str(root / "boxes.md"), "-o", str(root / "site"))
    assert status == 0 and "0 errors, 0 warnings" in output, output
    page = web.page((root / "site" / "boxes" / "index.html").as_uri())
    drawn = page.evaluate(
        """() => [".enclose-box", ".enclose-updiagonalstrike"].map(selector => {
             const style = getComputedStyle(document.querySelector(selector));
             return [style.borderTopWidth, style.backgroundImage]; })"""
    )
    assert drawn[0][0] != "0px"
    assert drawn[1][1].startswith("linear-gradient")
