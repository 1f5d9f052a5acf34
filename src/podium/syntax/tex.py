"""TeX to MathML at build time: KaTeX's MathML output, run in an embedded QuickJS.

KaTeX (vendored unmodified in ``katex/``, MIT) reads the TeX lecturers write (``\\arg\\min``,
``\\operatorname``, ``aligned``, ``cases``, matrices, ``\\underbrace``, ``\\not``, ``\\pmod``,
...), and says precisely where TeX it cannot read goes wrong; QuickJS (the PyPI package
``quickjs``) runs it in-process with limits on time, memory and stack, so a hostile deck can
neither stall nor crash a build. The page gets plain MathML: no math JavaScript, no fonts.

Each expression is rendered once per process (``tex_to_mathml`` is cached), and the JavaScript
engine starts only when a deck has math.
"""

from __future__ import annotations

import functools
import json
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from importlib import resources
from typing import Any

from podium.syntax.mathml_core import MATHML_NS, adapt

KATEX_VERSION = "0.16.22"
#: Deeper nesting of groups than this is refused before KaTeX sees it: KaTeX parses by
#: recursion, and lecture notes never come near it.
MAX_NESTING = 40
#: An expression longer than this is refused: a formula, not a document (KaTeX takes about
#: 0.05 ms a character, so a deck of huge formulas would hold a build up for minutes; the
#: longest of the corpus is under 200).
MAX_LENGTH = 5_000
#: KaTeX shows a command the deck may not use (``\href``, ``\includegraphics``, ...) in this
#: colour instead of failing; no deck can write it, so it marks exactly those commands.
_REFUSED_COLOR = "#fe0dbe"

# KaTeX's options: MathML only, errors raised (with where they stand), no command that
# links, loads or adds HTML classes (trust false), LaTeX-incompatibility not a warning.
_RENDER = """
(function (tex, display, refusedColor) {
  try {
    return JSON.stringify({mathml: katex.renderToString(tex, {
      displayMode: display, output: "mathml", throwOnError: true, strict: "ignore",
      trust: false, errorColor: refusedColor, maxExpand: 1000, maxSize: 50})});
  } catch (e) {
    if (e instanceof katex.ParseError) {
      return JSON.stringify({error: e.rawMessage, position: e.position, length: e.length});
    }
    throw e;
  }
})
"""


@dataclass(frozen=True)
class TexProblem:
    """Why a TeX expression could not be rendered."""

    offset: int
    """Where in the TeX the problem stands (0-based character offset)."""
    message: str
    """What is wrong, naming the command or brace (``unknown command \\foo``)."""


@dataclass(frozen=True)
class RenderedTex:
    """One TeX expression as MathML, or the problem that kept it from rendering."""

    mathml: str | None
    """``<math>...</math>`` (not sanitised yet); None when the TeX could not be read."""
    problem: TexProblem | None


class _Engine:
    """One QuickJS context with KaTeX loaded; calls are serialised (the dev server's threads)."""

    def __init__(self) -> None:
        import quickjs  # only decks with math start a JavaScript engine

        self.quickjs = quickjs
        source = resources.files("podium.syntax").joinpath("katex/katex.min.js")
        self.context = quickjs.Context()
        self.context.set_memory_limit(256 * 1024 * 1024)
        self.context.set_max_stack_size(4 * 1024 * 1024)
        self.context.eval(source.read_text(encoding="utf-8"))
        self.render = self.context.eval(_RENDER)
        # Set after loading: KaTeX's own start-up is not the deck's doing.
        self.context.set_time_limit(5)
        self.lock = threading.Lock()

    def __call__(self, tex: str, display: bool) -> dict[str, Any] | None:
        """KaTeX's answer, or None when the engine gave up (stack, time or memory)."""
        with self.lock:
            try:
                answer = self.render(tex, display, _REFUSED_COLOR)
            except self.quickjs.JSException:
                return None
        result = json.loads(str(answer))
        return result if isinstance(result, dict) else None


@functools.cache
def _engine() -> _Engine:
    return _Engine()


@functools.lru_cache(maxsize=8192)
def tex_to_mathml(tex: str, *, display: bool) -> RenderedTex:
    """Render one expression; the same TeX in the same mode is rendered once per process."""
    if len(tex) > MAX_LENGTH:
        return _problem(0, f"longer than {MAX_LENGTH} characters")
    nesting = _too_deep(tex)
    if nesting is not None:
        return _problem(nesting, f"groups nested more than {MAX_NESTING} deep")
    answer = _engine()(tex, display)
    if answer is None:
        return _problem(0, "too complex to render")
    if "error" in answer:
        position = answer.get("position")
        offset, message = _explain(
            str(answer["error"]), tex, position if isinstance(position, int) else len(tex)
        )
        return _problem(offset, message)
    math, refused = _math_element(str(answer["mathml"]))
    if refused:
        offset = max(tex.find(refused), 0)
        return _problem(offset, f"command {refused} is not allowed in a deck")
    return RenderedTex(math, None)


def _problem(offset: int, message: str) -> RenderedTex:
    return RenderedTex(None, TexProblem(offset, message))


def _too_deep(tex: str) -> int | None:
    """Where groups first nest deeper than MAX_NESTING (``{``, ``\\left``, ``\\begin``)."""
    depth = 0
    index = 0
    while index < len(tex):
        char = tex[index]
        if char == "\\":
            if tex.startswith(("\\left", "\\begin"), index):
                depth += 1
            elif tex.startswith(("\\right", "\\end"), index):
                depth -= 1
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        if depth > MAX_NESTING:
            return index
        index += 1
    return None


def _unclosed_brace(tex: str) -> int:
    """Where the first ``{`` that is never closed stands (``\\{`` is a brace shown, not a group)."""
    opened: list[int] = []
    index = 0
    while index < len(tex):
        if tex[index] == "\\":
            index += 2
            continue
        if tex[index] == "{":
            opened.append(index)
        elif tex[index] == "}" and opened:
            opened.pop()
        index += 1
    return opened[0] if opened else len(tex)


def _explain(raw: str, tex: str, position: int) -> tuple[int, str]:
    """KaTeX's message in a lecturer's words, naming the command or brace at fault, and
    where that stands (KaTeX finds some problems only at the end of the expression)."""
    if raw.startswith("Undefined control sequence: "):
        return position, "unknown command " + raw.removeprefix("Undefined control sequence: ")
    if raw.startswith("No such environment: "):
        name = raw.removeprefix("No such environment: ")
        return max(tex.find("\\begin{" + name), 0), f"unknown environment {name}"
    if raw == "Expected 'EOF', got '}'":
        return position, "unbalanced brace: this } closes no {"
    if raw.startswith("Expected '}', got 'EOF'") or "expected '}'" in raw:
        return _unclosed_brace(tex), "unbalanced brace: this { is never closed"
    if raw.startswith("Expected '\\right', got 'EOF'"):
        return max(tex.rfind("\\left"), 0), "\\left without \\right"
    if raw.startswith("Expected 'EOF', got '\\right'"):
        return position, "\\right without \\left"
    if raw.endswith("can be used only in display mode."):
        name = raw.split("}", 1)[0].lstrip("{")
        return max(tex.find("\\begin"), 0), f"{name} needs display math ($$ ... $$)"
    if raw.startswith("Too many expansions"):
        return 0, "macros expand more than 1000 times (a macro that calls itself?)"
    return position, raw[:1].lower() + raw[1:].rstrip(".")


def _math_element(answer: str) -> tuple[str, str | None]:
    """The ``<math>`` element alone (KaTeX wraps it in a span and adds the TeX as an
    annotation, which pages do not need) made right for MathML Core (``mathml_core``), and
    the first refused command, if any."""
    root = ET.fromstring(answer)
    math = root.find(f"{{{MATHML_NS}}}math")
    if math is None:  # KaTeX always makes one; keep the type checker honest
        return "", None
    semantics = math.find(f"{{{MATHML_NS}}}semantics")
    if semantics is not None and len(semantics):
        math.remove(semantics)
        math.insert(0, semantics[0])
    for style in math.iter(f"{{{MATHML_NS}}}mstyle"):
        if style.get("mathcolor") == _REFUSED_COLOR:
            return "", "".join(style.itertext()).strip()
    adapt(math)
    ET.register_namespace("", MATHML_NS)
    return ET.tostring(math, encoding="unicode", short_empty_elements=False), None
