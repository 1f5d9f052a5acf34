"""Math engines measured on the corpus of lecture TeX (tests/fixtures/math_corpus.txt):
how many expressions each renders right, and how long an expression takes.

    .venv/bin/python benchmarks/bench_math.py

"Right" is what the corpus tests check, on the MathML alone: it rendered, shows no TeX command
(``\\arg``, ``\\foo``) and no brace the TeX did not ask for, shows its words (``arg min``,
``softmax``), puts each row of ``aligned``/``cases``/a matrix in a table row, and uses no
``mathvariant`` but ``normal`` (MathML Core browsers, Chromium among them, draw \\mathbb{R} as
an italic R otherwise). Candidates: latex2mathml (if installed: ``pip install latex2mathml``)
and podium's engine (KaTeX in QuickJS, then syntax/mathml_core.py). Then a 1000-slide deck is
parsed with and without math (one expression a slide). Prints figures; asserts nothing.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.helpers import MathCase, math_corpus  # noqa: E402

from podium.parse.deck import parse_deck  # noqa: E402
from podium.syntax.mathml_core import MATHML_NS  # noqa: E402
from podium.syntax.sanitize import sanitize_mathml  # noqa: E402

TOKENS = {f"{{{MATHML_NS}}}{name}" for name in ("mi", "mo", "mn", "mtext", "ms")}
COMMAND = re.compile(r"\\[A-Za-z]+")
INVISIBLE = re.compile("[\u2061-\u2064]")


def wrong(case: MathCase, mathml: str | None) -> str | None:
    """Why the MathML is not right for this case, or None."""
    if mathml is None:
        return "did not render"
    root = ET.fromstring(sanitize_mathml(mathml)[0])  # as a page gets it
    shown = INVISIBLE.sub("", "".join(e.text or "" for e in root.iter() if e.tag in TOKENS))
    shown = "".join(shown.split())
    if COMMAND.search(shown):
        return f"shows {COMMAND.search(shown).group()}"  # type: ignore[union-attr]
    if (shown.count("{"), shown.count("}")) != case.braces:
        return "stray brace"
    for words in case.texts:
        if words.replace(" ", "") not in shown:
            return f"no '{words}'"
    if case.rows > 1 and len(list(root.iter(f"{{{MATHML_NS}}}mtr"))) < case.rows:
        return "rows run onto one line"
    variants = {e.get("mathvariant") or "normal" for e in root.iter()} - {"normal"}
    if variants:
        return f"mathvariant {sorted(variants)[0]} (drawn plain by Chromium)"
    return None


def latex2mathml_engine() -> Callable[[str], str | None] | None:
    try:
        from latex2mathml.converter import convert
    except ImportError:
        return None

    def render(tex: str) -> str | None:
        try:
            return str(convert(tex, display="block"))
        except Exception:
            return None

    return render


def podium_engine() -> Callable[[str], str | None]:
    from podium.syntax.tex import tex_to_mathml

    def render(tex: str) -> str | None:
        tex_to_mathml.cache_clear()  # time the work, not the cache
        return tex_to_mathml(tex, display=True).mathml

    return render


#: TeX with a mistake in it (tests/fixtures/math_invalid.md): an engine that renders it
#: anyway shows the mistake on the slide without a word.
BAD = (
    *(r"\foo x + y", r"\frac{a}{b}}", r"\frac{1}{2", r"a &= \badcmd{d}", r"\left( x"),
    *(r"y \right)", r"\begin{eqnarray} a \end{eqnarray}", r"\href{javascript:alert(1)}{x}"),
)


def measure(name: str, render: Callable[[str], str | None], corpus: list[MathCase]) -> None:
    start = time.perf_counter()
    render("x")
    first = time.perf_counter() - start
    failures: dict[str, list[str]] = {}
    times = []
    for case in corpus:
        start = time.perf_counter()
        mathml = render(case.tex)
        times.append(time.perf_counter() - start)
        why = wrong(case, mathml)
        if why:
            failures.setdefault(why.split(" ")[0] + " " + why.split(" ")[1], []).append(case.title)
    right = len(corpus) - sum(len(v) for v in failures.values())
    print(f"{name}: {right}/{len(corpus)} right; first call {first * 1000:.0f} ms (start-up),")
    print(
        f"  then {statistics.median(times) * 1000:.2f} ms median an expression, "
        f"{max(times) * 1000:.1f} ms the slowest, {sum(times):.2f} s the corpus"
    )
    for why, titles in sorted(failures.items(), key=lambda item: -len(item[1])):
        more = " ..." if len(titles) > 6 else ""
        print(f"  {len(titles):3} {why}...: {', '.join(titles[:6])}{more}")
    reported = sum(render(tex) is None for tex in BAD)
    print(f"  bad TeX refused (so podium can warn): {reported}/{len(BAD)}")


def big_deck(corpus: list[MathCase], slides: int, math: bool) -> str:
    parts = []
    for index in range(slides):
        body = f"$$\n{corpus[index % len(corpus)].tex}\n$$" if math else "Some text, **bold**."
        parts.append(f"## Slide {index}\n\n{body}\n\nA line of text on slide {index}.\n")
    return "\n---\n\n".join(parts)


def main() -> None:
    corpus = math_corpus()
    print(f"corpus: {len(corpus)} expressions (tests/fixtures/math_corpus.txt)\n")
    other = latex2mathml_engine()
    if other is None:
        print("latex2mathml: not installed, skipped\n")
    else:
        measure("latex2mathml", other, corpus)
        print()
    measure("podium (KaTeX 0.16.22 in QuickJS + MathML Core fixes)", podium_engine(), corpus)
    print()
    for math in (False, True):
        text = big_deck(corpus, 1000, math)
        runs = []
        for _ in range(3):
            from podium.syntax.tex import tex_to_mathml

            tex_to_mathml.cache_clear()
            start = time.perf_counter()
            parse_deck(text)
            runs.append(time.perf_counter() - start)
        label = "1000 slides, display math on each" if math else "1000 slides, no math"
        print(f"{label}: parse {statistics.median(runs):.2f} s (median of 3, cold math cache)")


if __name__ == "__main__":
    main()
