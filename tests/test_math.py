"""Math as a lecturer writes it: every expression of the corpus (tests/fixtures/math_corpus.txt)
renders to MathML with no warning, shows no raw TeX command and no stray brace, and draws
what it must (``arg min``, one row per line of ``aligned``). Bad TeX is in
tests/fixtures/math_invalid.md; test_browser_math.py draws the corpus in Chromium."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from podium.parse.deck import parse_deck
from podium.syntax.mathml_core import MATHML_NS
from podium.syntax.tex import tex_to_mathml
from tests.helpers import MathCase, math_corpus, math_deck

CORPUS = math_corpus()
TOKENS = {f"{{{MATHML_NS}}}{name}" for name in ("mi", "mo", "mn", "mtext", "ms")}
INVISIBLE = re.compile("[\u2061-\u2064]")
COMMAND = re.compile(r"\\[A-Za-z]+")


def shown_text(mathml: str) -> str:
    """What a reader sees of the MathML: its token elements' text, invisible operators out."""
    root = ET.fromstring(mathml)
    text = " ".join(el.text or "" for el in root.iter() if el.tag in TOKENS)
    return INVISIBLE.sub("", text)


def test_the_corpus_is_large_and_covers_what_lecturers_write() -> None:
    assert len(CORPUS) >= 150
    texts = " ".join(case.tex for case in CORPUS)
    for command in (
        *(r"\arg\min", r"\operatorname", "{aligned}", "{cases}", "{pmatrix}", "{bmatrix}"),
        *("{vmatrix}", r"\mathbb", r"\mathcal", r"\text", r"\left", r"\underbrace"),
        *(r"\overbrace", r"\hat", r"\bar", r"\vec", r"\tilde", r"\dot", r"\not", r"\,", r"\;"),
        *(r"\quad", r"\!", r"\int_", r"\frac", r"\sqrt", r"\alpha", r"\mathrm", r"\boldsymbol"),
        *(r"\partial", r"\nabla", r"\sum_{i=1}^n", r"\lim_{x\to 0}", r"\binom", r"\pmod"),
        *(r"\ldots", r"\cdots", r"\|", r"\mid", r"\log", r"\hat{y}_i", r"\nabla_\theta"),
    ):
        assert command in texts, command


@pytest.mark.parametrize("case", CORPUS, ids=[f"{c.line}:{c.title}" for c in CORPUS])
def test_each_expression_renders_as_math(case: MathCase) -> None:
    deck = parse_deck(math_deck([case]), path="corpus.md")
    assert [str(d) for d in deck.diagnostics] == []
    html = deck.slides[0].html
    assert '<div class="math"><math ' in html and "math-source" not in html
    mathml = html[html.index("<math ") : html.rindex("</math>") + len("</math>")]
    shown = shown_text(mathml)
    assert not COMMAND.search(shown), shown
    assert (shown.count("{"), shown.count("}")) == case.braces, shown
    for text in case.texts:  # letters of one word may be tokens of their own (\pmod)
        assert text.replace(" ", "") in "".join(shown.split()), shown
    if case.rows > 1:
        rows = ET.fromstring(mathml).iter(f"{{{MATHML_NS}}}mtr")
        assert len(list(rows)) >= case.rows


def test_arg_min_is_an_operator_with_its_limit_below() -> None:
    mathml = tex_to_mathml(r"\arg\min_\theta L", display=True).mathml
    assert mathml is not None
    # a thin space after "arg" and after the limits' "min", as TeX sets them
    assert (
        '<mi>arg</mi><mo rspace="0.1667em">\u2061</mo><munder><mrow><mi>min</mi><mo>\u2061</mo>'
        '</mrow><mi>θ</mi></munder><mspace width="0.1667em"></mspace><mi>L</mi>'
    ) in mathml


def test_an_expression_is_rendered_once_however_often_it_appears() -> None:
    tex = r"\frac{\partial \mathcal{L}}{\partial w_{42}}"
    first = tex_to_mathml(tex, display=True)
    assert tex_to_mathml(tex, display=True) is first
    assert tex_to_mathml(tex, display=False) is not first


def test_inline_math_is_inline_and_display_math_is_a_block() -> None:
    deck = parse_deck("Loss $\\ell(y, \\hat{y})$ here.\n\n$$\n\\ell(y, \\hat{y})\n$$\n")
    html = deck.slides[0].html
    assert '<p>Loss <math xmlns="http://www.w3.org/1998/Math/MathML"><mrow>' in html
    assert (
        '<div class="math"><math xmlns="http://www.w3.org/1998/Math/MathML" display="block">'
        in html
    )


def test_text_in_math_stays_text() -> None:
    deck = parse_deck('$\\text{<img src=x onerror="alert(1)">}$\n')
    html = deck.slides[0].html
    assert "<img" not in html.replace("&lt;img", "") and "&lt;img\xa0src=x" in html
    assert not deck.diagnostics


@pytest.mark.parametrize(
    ("tex", "letters"),
    [
        (r"\mathbb{R}^n \times \mathbb{N} \times \mathbb{E}", "ℝ ℕ 𝔼"),
        (r"\mathbf{x} + \mathbf{W}", "𝐱 𝐖"),
        (r"\boldsymbol{\theta} \cdot \boldsymbol{\mu}", "𝜽 𝝁"),
        (r"\mathcal{L} + \mathcal{N} + \mathcal{O}", "ℒ 𝒩 𝒪"),
        (r"\mathfrak{g}", "𝔤"),
        (r"\mathsf{T}", "𝖳"),
        (r"\mathtt{fit}", "𝚏𝚒𝚝"),
    ],
)
def test_styled_letters_are_the_unicode_letters_every_browser_draws(tex: str, letters: str) -> None:
    """Chromium ignores mathvariant (MathML Core): \\mathbb{R} must be ℝ itself."""
    mathml = tex_to_mathml(tex, display=False).mathml
    assert mathml is not None and "mathvariant" not in mathml.replace('"normal"', "")
    for letter in letters.split():
        assert letter in shown_text(mathml).replace(" ", "")


def test_a_formula_longer_than_a_formula_is_refused_at_once() -> None:
    deck = parse_deck("$$\n" + "x + " * 2000 + "y\n$$\n")
    assert [(d.line, d.col, d.code, d.message) for d in deck.diagnostics] == [
        (2, 1, "math-invalid", "longer than 5000 characters; shown as TeX source")
    ]


TEX_PIECES = [
    *("\\frac", "\\sqrt", "\\left(", "\\right)", "\\begin{aligned}", "\\end{aligned}", "&", "\\\\"),
    *("{", "}", "[", "]", "^", "_", "\\", "x", " ", "\\def\\a{\\a}", "\\a", "\\text{", "$", "%"),
    *(
        "\\href{javascript:x}{y}",
        "\\mathbb{R}",
        "\\arg\\min",
        "\\sum_{i=1}^n",
        "#1",
        "\\foo",
        "<b>",
    ),
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TEX_PIECES), max_size=30), st.booleans())
def test_any_tex_renders_or_says_why_never_raises(pieces: list[str], display: bool) -> None:
    rendered = tex_to_mathml("".join(pieces), display=display)
    assert (rendered.mathml is None) != (rendered.problem is None)
    if rendered.mathml is not None:
        assert rendered.mathml.startswith("<math ") and "<b>" not in rendered.mathml


def test_threads_share_the_engine_safely() -> None:
    """The dev server builds in threads: each gets its own expression's MathML."""
    cases = CORPUS[:40]
    tex_to_mathml.cache_clear()
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda case: tex_to_mathml(case.tex, display=True), cases))
    tex_to_mathml.cache_clear()
    assert together == [tex_to_mathml(case.tex, display=True) for case in cases]
