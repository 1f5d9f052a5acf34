"""KaTeX's MathML made right for browsers that draw MathML Core (Chromium), on the tree.

KaTeX writes full MathML; MathML Core, which Chromium implements, leaves out what it leans
on, and the math came out wrong without a word (seen in headless Chromium):

- ``mathvariant``: ``\\mathbb{R}`` drew as an italic R. The letters become the Unicode
  letters themselves (``alphabets``).
- table attributes: an ``aligned`` block had its columns centred, its ``=`` signs out of line
  and gaps between its columns. Each cell gets its column's ``columnalign`` and the rule
  beside it as a class (``rule-after``, ``rule-below``); podium.css draws them, and the
  spacing from the table's ``columnspacing``.
- ``menclose`` (``\\boxed``, ``\\cancel``): nothing was drawn around or across. It becomes
  an ``mrow`` with a class per notation (``enclose-box``), which podium.css draws.
- operator names: ``\\arg\\min`` ran together as "argmin" and ``\\sin x`` as "sinx". TeX puts
  a thin space after an operator name unless an opening delimiter follows; so does the
  function application operator after one (``rspace``), or a space after a name that has
  limits.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from podium.syntax.alphabets import styled

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
_APPLY = "\u2061"
_OPENING = frozenset("([{|\u2016\u27e8\u2308\u230a\u2223\u2225")
_CLOSING = frozenset(")]}|\u2016\u27e9\u2309\u230b")
_THIN = "0.1667em"


def _tag(name: str) -> str:
    return f"{{{MATHML_NS}}}{name}"


_SCRIPTED = frozenset(_tag(name) for name in ("msub", "msup", "msubsup", "munder", "munderover"))


def adapt(math: ET.Element) -> None:
    """Rewrite ``math`` in place so a MathML Core browser draws what KaTeX meant."""
    for element in math.iter():
        variant = element.get("mathvariant")
        if variant and element.text and (text := styled(element.text, variant)) is not None:
            element.text = text
            del element.attrib["mathvariant"]
        if element.tag == _tag("mtable"):
            _table(element)
        elif element.tag == _tag("menclose"):
            # Drawn by podium.css for every browser (Firefox would draw a menclose twice).
            notation = element.attrib.pop("notation", "")
            element.tag = _tag("mrow")
            element.set("class", " ".join(f"enclose-{n}" for n in notation.split()))
        element.attrib.pop("style", None)  # \fcolorbox's border: the page's policy has none
    for parent in list(math.iter()):
        _operator_spacing(parent)


def _table(table: ET.Element) -> None:
    aligns = table.get("columnalign", "").split()
    lines = table.get("columnlines", "").split()
    row_lines = table.get("rowlines", "").split()
    rows = [row for row in table if row.tag == _tag("mtr")]
    for row_index, row in enumerate(rows):
        if row_index < len(rows) - 1 and _nth(row_lines, row_index) in {"solid", "dashed"}:
            row.set("class", "rule-below")
        cells = [cell for cell in row if cell.tag == _tag("mtd")]
        for index, cell in enumerate(cells):
            align = _nth(aligns, index)
            if align in {"left", "right"} and "columnalign" not in cell.attrib:
                cell.set("columnalign", align)
            if index < len(cells) - 1 and _nth(lines, index) in {"solid", "dashed"}:
                cell.set("class", "rule-after")


def _nth(values: list[str], index: int) -> str:
    """MathML's list attributes: the last value stands for every column after it."""
    if not values:
        return ""
    return values[min(index, len(values) - 1)]


def _operator_spacing(parent: ET.Element) -> None:
    children = list(parent)
    spaced: list[ET.Element] = []
    for index, child in enumerate(children):
        before = children[index - 1] if index else None
        after = children[index + 1] if index + 1 < len(children) else None
        if before is not None and _names_operator(child, after) and _ordinary(before):
            spaced.append(_thin_space())  # x \log y: a thin space on each side of "log"
        spaced.append(child)
        if after is None or _opens(after):
            continue
        if child.tag == _tag("mo") and child.text == _APPLY:
            child.set("rspace", _THIN)
        elif child.tag in _SCRIPTED and len(child) and _ends_with_apply(child[0]):
            spaced.append(_thin_space())
    if len(spaced) != len(children):
        parent[:] = spaced


def _thin_space() -> ET.Element:
    return ET.Element(_tag("mspace"), {"width": _THIN})


def _names_operator(element: ET.Element, after: ET.Element | None) -> bool:
    """``log`` in ``<mi>log</mi><mo>&#x2061;</mo>``, or a name with limits (``\\min_x``)."""
    if element.tag == _tag("mi"):
        return after is not None and after.tag == _tag("mo") and after.text == _APPLY
    return element.tag in _SCRIPTED and len(element) > 0 and _ends_with_apply(element[0])


def _ordinary(element: ET.Element) -> bool:
    """What TeX sets a thin space between and an operator name: a letter, a number, a
    closing delimiter; not an operator (``=``, ``+``, ``(``), which spaces itself."""
    if element.tag == _tag("mspace"):
        return False
    if element.tag == _tag("mo"):
        return (element.text or "").strip() in _CLOSING
    return True


def _ends_with_apply(base: ET.Element) -> bool:
    """An operator name with limits: KaTeX's ``<mrow><mi>min</mi><mo>&#x2061;</mo></mrow>``."""
    return len(base) > 0 and base[-1].tag == _tag("mo") and base[-1].text == _APPLY


def _opens(element: ET.Element) -> bool:
    """An opening delimiter follows (``\\log(x)``, ``\\exp\\left(``): TeX adds no space."""
    while element.tag == _tag("mrow") and len(element):
        element = element[0]
    return element.tag == _tag("mo") and (element.text or "").strip() in _OPENING
