"""Render the two figures of ``slides/intro-keras.md`` into ``res/``.

* ``res/introkeras01.png``: the Keras workflow (slide "Using Keras"), five steps left to right:
  Load data -> Define the model -> Compile -> Fit -> Evaluate, each with the API it uses; two
  dotted lanes below show the training set feeding Fit and the test set feeding Evaluate.
* ``res/introkeras02.png``: the sample code (slide "Sample Code"), syntax-highlighted with
  Pygments, with the same five numbered steps marked beside the lines that perform them.

Each figure is an HTML/CSS page (inline SVG for the icons and arrows) that Playwright screenshots
with Debian's headless Chromium at device scale 2. Both are laid out for the area a 16:9 slide
(logical canvas 1920x1080) leaves below a large heading, about 1700 x 720 canvas px.

Before writing, the script checks that every text colour (each Pygments token colour used
included) meets WCAG AA contrast, that no text pokes out of its box, and that the sample code
parses; after writing, that each PNG stays under 250 KB. The output is byte-for-byte
reproducible on the same machine.

Run from the repository root::

    .venv/bin/python scripts/make_images.py

Requirements (nothing is fetched from the network; the page may only read local files):

* Debian's Chromium headless shell at ``/usr/lib/chromium/chromium-headless-shell``
  (or the path in ``$CHROMIUM``); never ``playwright install``.
* The fonts, from Debian packages (this machine otherwise has only DejaVu)::

      apt-get install -y fonts-inter fonts-jetbrains-mono

  Inter (sans-serif, for labels) and JetBrains Mono (for code). The script loads the font files
  by path and stops with this hint if they are missing, rather than silently falling back to
  another font and producing different images.
"""

from __future__ import annotations

import ast
import html
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Route, sync_playwright

# Pygments ships no type information (types-Pygments is not a project dependency).
from pygments import highlight, lex  # type: ignore[import-untyped, unused-ignore]
from pygments.formatters import HtmlFormatter  # type: ignore[import-untyped, unused-ignore]
from pygments.lexers import PythonLexer  # type: ignore[import-untyped, unused-ignore]
from pygments.styles import get_style_by_name  # type: ignore[import-untyped, unused-ignore]

ROOT = Path(__file__).resolve().parent.parent
RES = ROOT / "res"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/lib/chromium/chromium-headless-shell")
# Keep every hostname from resolving: the pages must render from local files only.
NO_NETWORK = "--host-resolver-rules=MAP * ~NOTFOUND"
SCALE = 2  # device pixels per CSS px
MAX_BYTES = 250_000  # per PNG

# Palette: one accent (a deep blue), near-black ink, white ground.
ACCENT = "#1a56db"
ACCENT_TINT = "#eaf1fe"
INK = "#111827"
MUTED = "#4b5563"
LINE = "#d8e0ec"
GROUND = "#ffffff"
API_BG = "#f2f4f8"

CODE_STYLE = "night-owl"  # deep navy panel; every token colour passes WCAG AA on it (checked)
WCAG_AA = 4.5

FONT_DIRS = (
    Path("/usr/share/fonts/opentype/inter"),
    Path("/usr/share/fonts/truetype/jetbrains-mono"),
)
# (css family, weight, style, file name)
FONT_FACES = (
    ("FigSans", 400, "normal", "Inter-Regular.otf"),
    ("FigSans", 500, "normal", "Inter-Medium.otf"),
    ("FigSans", 600, "normal", "Inter-SemiBold.otf"),
    ("FigSans", 700, "normal", "Inter-Bold.otf"),
    ("FigMono", 400, "normal", "JetBrainsMono-Regular.ttf"),
    ("FigMono", 400, "italic", "JetBrainsMono-Italic.ttf"),
    ("FigMono", 500, "normal", "JetBrainsMono-Medium.ttf"),
)
FONT_HINT = "apt-get install -y fonts-inter fonts-jetbrains-mono"


@dataclass(frozen=True)
class Step:
    title: str
    api: str
    icon: str  # inner SVG markup for a 24x24 viewBox, stroked


STEPS = (
    Step(
        "Load data",
        "keras.datasets",
        '<ellipse cx="12" cy="5.5" rx="7.5" ry="2.8"/>'
        '<path d="M4.5 5.5v13c0 1.55 3.36 2.8 7.5 2.8s7.5-1.25 7.5-2.8v-13"/>'
        '<path d="M4.5 12c0 1.55 3.36 2.8 7.5 2.8s7.5-1.25 7.5-2.8"/>',
    ),
    Step(
        "Define the model",
        "Sequential([...])",
        '<path d="M12 3 3 7.5 12 12l9-4.5z"/>'
        '<path d="m3 12 9 4.5 9-4.5"/>'
        '<path d="m3 16.5 9 4.5 9-4.5"/>',
    ),
    Step(
        "Compile",
        "model.compile(...)",
        '<path d="M4 6h16M4 12h16M4 18h16"/>'
        '<circle cx="9" cy="6" r="2.2" fill="#fff"/>'
        '<circle cx="15.5" cy="12" r="2.2" fill="#fff"/>'
        '<circle cx="7.5" cy="18" r="2.2" fill="#fff"/>',
    ),
    Step(
        "Fit",
        "model.fit(...)",
        '<path d="M20 12a8 8 0 1 1-2.6-5.9"/><path d="M20.2 3.6v4.6h-4.6"/>',
    ),
    Step(
        "Evaluate",
        "model.evaluate(...)",
        '<circle cx="12" cy="12" r="8.5"/><path d="m8 12.3 2.8 2.8 5.4-5.6"/>',
    ),
)

# The sample code: at most ~15 lines so that it stays legible at the back of the room.
CODE = """\
from tensorflow import keras

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0

model = keras.Sequential([
    keras.layers.Flatten(input_shape=(28, 28)),
    keras.layers.Dense(128, activation="relu"),
    keras.layers.Dense(10, activation="softmax"),
])

model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])
model.fit(x_train, y_train, epochs=5)
model.evaluate(x_test, y_test)
"""
CODE_FILENAME = "mnist_keras.py"
# (first line, number of lines) of the code for each step, 1-based, in STEPS order.
CODE_SPANS = ((3, 2), (6, 5), (12, 2), (14, 1), (15, 1))


# --------------------------------------------------------------------------- helpers


def font_css() -> str:
    """@font-face rules that load the font files by path (unique family names: no fallback)."""
    rules = []
    for family, weight, style, name in FONT_FACES:
        path = next((d / name for d in FONT_DIRS if (d / name).is_file()), None)
        if path is None:
            raise SystemExit(f"font file {name} not found; install the fonts with: {FONT_HINT}")
        rules.append(
            f"@font-face {{ font-family: {family}; font-weight: {weight}; font-style: {style};"
            f' src: url("{path.as_uri()}"); }}'
        )
    return "\n".join(rules)


def relative_luminance(colour: str) -> float:
    hexa = colour.lstrip("#")
    if len(hexa) == 3:
        hexa = "".join(c * 2 for c in hexa)
    channels = [int(hexa[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = relative_luminance(a), relative_luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def document(body: str, css: str) -> str:
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><style>
{font_css()}
* {{ box-sizing: border-box; margin: 0; padding: 0; }}
html, body {{ background: {GROUND}; }}
body {{ font-family: FigSans; color: {INK}; -webkit-font-smoothing: antialiased; }}
{css}
</style></head><body>{body}</body></html>"""


# --------------------------------------------------------------------------- figure 1: workflow

FLOW_W, FLOW_H = 1640, 700  # CSS px; 2.34:1, shown at ~1690 x 720 canvas px
CARD_W, CARD_H, CARD_GAP, CARD_TOP = 278, 368, 46, 52
LANE_TRAIN_Y, LANE_TEST_Y, LANE_R = 524, 610, 18  # the two data lanes under the cards


def card_x(index: int) -> float:
    """Left edge of card ``index`` (0-based); the row is centred horizontally."""
    row = len(STEPS) * CARD_W + (len(STEPS) - 1) * CARD_GAP
    return (FLOW_W - row) / 2 + index * (CARD_W + CARD_GAP)


def lane_path(x_from: float, x_to: float, y: float) -> str:
    """Down from a card bottom to ``y``, across to ``x_to`` and up into that card's bottom."""
    top, r = CARD_TOP + CARD_H, LANE_R
    return f"M{x_from} {top + 6}V{y - r}q0 {r} {r} {r}H{x_to - r}q{r} 0 {r} {-r}V{top + 8}"


def workflow_html() -> str:
    cards, arrows = [], []
    for number, step in enumerate(STEPS, start=1):
        cards.append(
            f"""<div class="card" style="left: {card_x(number - 1)}px">
  <div class="icon"><svg viewBox="0 0 24 24">{step.icon}</svg></div>
  <div class="num fit">Step {number}</div>
  <div class="title fit">{html.escape(step.title)}</div>
  <div class="api fit">{html.escape(step.api)}</div>
</div>"""
        )
    mid_y = CARD_TOP + 206  # level with the step titles
    for index in range(len(STEPS) - 1):
        x0 = card_x(index) + CARD_W + 8
        x1 = card_x(index + 1) - 8
        arrows.append(
            f'<path class="step" d="M{x0} {mid_y}H{x1 - 1}M{x1 - 9} {mid_y - 8}l9 8-9 8"/>'
        )
    centre = [card_x(i) + CARD_W / 2 for i in range(len(STEPS))]
    top = CARD_TOP + CARD_H
    train = lane_path(centre[0] + 22, centre[3], LANE_TRAIN_Y)
    test = lane_path(centre[0] - 22, centre[4], LANE_TEST_Y)
    heads = "".join(
        f'<path class="head" d="M{x - 8} {top + 17}l8-9 8 9"/>' for x in (centre[3], centre[4])
    )
    dots = "".join(
        f'<circle class="dot" cx="{x}" cy="{top + 6}" r="5"/>'
        for x in (centre[0] - 22, centre[0] + 22)
    )
    pills = (
        f'<div class="pill" style="left: {(centre[0] + centre[3]) / 2 + 11}px; '
        f'top: {LANE_TRAIN_Y}px"><b>Training set</b><code>x_train, y_train</code></div>'
        f'<div class="pill" style="left: {(centre[0] + centre[4]) / 2 - 11}px; '
        f'top: {LANE_TEST_Y}px"><b>Test set</b><code>x_test, y_test</code></div>'
    )
    body = f"""<main id="figure">
<svg class="wires" viewBox="0 0 {FLOW_W} {FLOW_H}" aria-hidden="true">
  {"".join(arrows)}<path class="lane" d="{train}"/><path class="lane" d="{test}"/>{heads}{dots}
</svg>
{"".join(cards)}{pills}
</main>"""
    css = f"""
#figure {{ position: relative; width: {FLOW_W}px; height: {FLOW_H}px; overflow: hidden; }}
.wires {{ position: absolute; inset: 0; width: {FLOW_W}px; height: {FLOW_H}px; fill: none;
         stroke: {ACCENT}; stroke-linecap: round; stroke-linejoin: round; }}
.step {{ stroke-width: 3.5; }}
.lane {{ stroke-width: 2.5; stroke-dasharray: 1 8; }}
.head {{ stroke-width: 2.5; }}
.dot {{ fill: {ACCENT}; stroke: none; }}
.card {{ position: absolute; top: {CARD_TOP}px; width: {CARD_W}px; height: {CARD_H}px;
        display: flex; flex-direction: column; align-items: center; justify-content: center;
        text-align: center; padding: 0 14px; border: 2px solid {LINE}; border-radius: 24px;
        background: #fff;
        box-shadow: 0 1px 2px rgba(17, 24, 39, .05), 0 10px 20px -12px rgba(26, 86, 219, .22); }}
.icon {{ width: 104px; height: 104px; border-radius: 28px; background: {ACCENT_TINT};
        display: flex; align-items: center; justify-content: center; }}
.icon svg {{ width: 56px; height: 56px; fill: none; stroke: {ACCENT}; stroke-width: 1.7;
            stroke-linecap: round; stroke-linejoin: round; }}
.num {{ margin-top: 30px; font-size: 19px; font-weight: 600; letter-spacing: .12em;
       text-transform: uppercase; color: {ACCENT}; }}
.title {{ margin-top: 8px; font-size: 29px; font-weight: 700; letter-spacing: -.015em;
         line-height: 1.2; white-space: nowrap; }}
.api {{ margin-top: 22px; font-family: FigMono; font-size: 18px; font-weight: 500;
       color: {MUTED}; background: {API_BG}; border-radius: 10px; padding: 8px 9px;
       white-space: nowrap; }}
.pill {{ position: absolute; transform: translate(-50%, -50%); display: flex; gap: 12px;
        align-items: baseline; padding: 6px 16px; background: {GROUND}; white-space: nowrap;
        font-size: 20px; color: {MUTED}; }}
.pill b {{ font-weight: 600; color: {INK}; }}
.pill code {{ font-family: FigMono; font-size: 18px; }}
"""
    return document(body, css)


# --------------------------------------------------------------------------- figure 2: code

LINE_H = 42  # CSS px per code line
CODE_PT = 27  # CSS px monospace size
TITLEBAR_H, CODE_PAD_TOP = 52, 22
GUTTER, TITLEBAR, FILENAME = "#8397ad", "#0b2942", "#a9bbcf"


def code_html() -> str:
    style = get_style_by_name(CODE_STYLE)
    panel = style.background_color
    formatter = HtmlFormatter(style=CODE_STYLE, nowrap=True)
    lines = highlight(CODE, PythonLexer(), formatter).rstrip("\n").split("\n")
    check_contrast(style, panel)

    rows = "".join(
        f'<div class="ln"><span class="no">{i}</span><span class="tx">{text or " "}</span></div>'
        for i, text in enumerate(lines, start=1)
    )
    notes = "".join(
        f'<div class="note" style="top: {(first - 1) * LINE_H}px; height: {count * LINE_H}px">'
        f'<span class="bar"></span><span class="badge">{n}</span>'
        f'<span class="label fit">{html.escape(step.title)}</span></div>'
        for n, (step, (first, count)) in enumerate(zip(STEPS, CODE_SPANS, strict=True), start=1)
    )
    body = f"""<main id="figure">
  <div class="window">
    <div class="titlebar"><span class="dots"><i></i><i></i><i></i></span>
      <span class="filename">{CODE_FILENAME}</span></div>
    <div class="code">{rows}</div>
  </div>
  <div class="notes"><div class="track" style="height: {len(lines) * LINE_H}px">{notes}</div></div>
</main>"""
    token_css: str = formatter.get_style_defs(".tx")  # type: ignore[no-untyped-call, unused-ignore]
    css = f"""
{token_css}
#figure {{ display: inline-flex; align-items: flex-start; gap: 32px; padding: 12px 16px 20px; }}
.window {{ background: {panel}; border-radius: 22px; overflow: hidden;
          box-shadow: 0 10px 22px -12px rgba(1, 22, 39, .45); }}
.titlebar {{ height: {TITLEBAR_H}px; display: flex; align-items: center; padding: 0 24px;
            background: {TITLEBAR}; position: relative; }}
.dots {{ display: flex; gap: 10px; }}
.dots i {{ width: 14px; height: 14px; border-radius: 50%; background: #2f4a63; }}
.filename {{ position: absolute; left: 0; right: 0; text-align: center; font-size: 19px;
            font-weight: 500; color: {FILENAME}; letter-spacing: .01em; }}
.code {{ padding: {CODE_PAD_TOP}px 48px 24px 0; font-family: FigMono; font-size: {CODE_PT}px;
        font-variant-ligatures: none; }}
.ln {{ display: flex; height: {LINE_H}px; line-height: {LINE_H}px; white-space: pre; }}
.no {{ flex: 0 0 78px; padding-right: 26px; text-align: right; color: {GUTTER};
      user-select: none; }}
.notes {{ padding-top: {TITLEBAR_H + CODE_PAD_TOP}px; }}
.track {{ position: relative; width: 290px; }}
.note {{ position: absolute; left: 0; right: 0; }}
.bar {{ position: absolute; left: 0; top: 7px; bottom: 7px; width: 5px; border-radius: 3px;
       background: {ACCENT}; }}
.badge {{ position: absolute; left: 20px; top: {(LINE_H - 32) // 2}px; width: 32px; height: 32px;
         border-radius: 50%; background: {ACCENT}; color: #fff; font-size: 18px;
         font-weight: 700; display: flex; align-items: center; justify-content: center; }}
.label {{ position: absolute; left: 66px; top: 0; line-height: {LINE_H}px; font-size: 25px;
         font-weight: 600; white-space: nowrap; }}
"""
    return document(body, css)


def check_contrast(style: Any, panel: str) -> None:
    """Fail unless every text colour (each code token used, the labels) meets WCAG AA."""
    pairs = [
        (INK, GROUND, "labels"),
        (MUTED, GROUND, "lane captions"),
        (MUTED, API_BG, "API names"),
        (ACCENT, GROUND, "step numbers"),
        ("#ffffff", ACCENT, "badges"),
        (FILENAME, TITLEBAR, "file name"),
        (GUTTER, panel, "line numbers"),
    ]
    for token in sorted({t for t, value in lex(CODE, PythonLexer()) if value.strip()}, key=str):
        colour = style.style_for_token(token)["color"]
        if colour:
            pairs.append(("#" + colour, panel, str(token)))
    problems = [
        f"{what}: {fg} on {bg} is {contrast(fg, bg):.2f}:1"
        for fg, bg, what in pairs
        if contrast(fg, bg) < WCAG_AA
    ]
    if problems:
        raise SystemExit("colours below WCAG AA contrast: " + "; ".join(problems))


# --------------------------------------------------------------------------- rendering

# Text that would be clipped or would poke out of its card/panel: each ``.fit`` element must lie
# inside its parent's padding box, and everything must lie inside ``#figure``.
OVERFLOW_JS = """() => {
  const inside = (a, b) => a.left >= b.left - 0.5 && a.right <= b.right + 0.5
      && a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
  const bad = [];
  const figure = document.querySelector('#figure').getBoundingClientRect();
  for (const e of document.querySelectorAll('#figure *')) {
    if (!inside(e.getBoundingClientRect(), figure)) bad.push('outside figure: ' + e.textContent);
  }
  for (const e of document.querySelectorAll('.fit')) {
    const p = e.parentElement, r = p.getBoundingClientRect(), s = getComputedStyle(p);
    const box = {
      left: r.left + parseFloat(s.paddingLeft), right: r.right - parseFloat(s.paddingRight),
      top: r.top + parseFloat(s.paddingTop), bottom: r.bottom - parseFloat(s.paddingBottom),
    };
    if (!inside(e.getBoundingClientRect(), box)) bad.push('outside its box: ' + e.textContent);
  }
  return bad;
}"""


def local_only(route: Route) -> None:
    """Let file: URLs through and abort everything else (no web fonts, no CDN)."""
    if route.request.url.startswith("file:"):
        route.continue_()
    else:
        route.abort()


def render(browser: Browser, markup: str, out: Path, size: tuple[int, int] | None) -> None:
    """Screenshot ``#figure`` of ``markup`` into ``out``; ``size`` (CSS px) is checked if given."""
    width, height = size or (2400, 1400)
    context = browser.new_context(
        viewport={"width": width, "height": height}, device_scale_factor=SCALE
    )
    try:
        tab = context.new_page()
        tab.route("**/*", local_only)
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "figure.html"
            source.write_text(markup, encoding="utf-8")
            tab.goto(source.as_uri())
            # Load every declared face; a missing or unreadable file rejects here.
            tab.evaluate("Promise.all([...document.fonts].map((f) => f.load()))")
            tab.evaluate("document.fonts.ready.then(() => true)")
            overflow = tab.evaluate(OVERFLOW_JS)
            if overflow:
                raise SystemExit(f"{out.name}: text overflows its box: {overflow}")
            figure = tab.locator("#figure")
            box = figure.bounding_box()
            if box is None or (size and (round(box["width"]), round(box["height"])) != size):
                raise SystemExit(f"{out.name}: figure is {box}, expected {size}")
            figure.screenshot(path=str(out), animations="disabled", caret="hide")
    finally:
        context.close()
    size_bytes = out.stat().st_size
    print(f"wrote {out.relative_to(ROOT)} ({size_bytes:,} bytes)")
    if size_bytes > MAX_BYTES:
        raise SystemExit(f"{out.name} is {size_bytes:,} bytes, over the {MAX_BYTES:,} byte budget")


def check_code() -> None:
    """The sample must be valid Python and each step's span must start on a line of code."""
    ast.parse(CODE)
    lines = CODE.splitlines()
    if len(lines) > 15:
        raise SystemExit(f"the sample code has {len(lines)} lines; keep it to 15 for legibility")
    for first, count in CODE_SPANS:
        if not lines[first - 1].strip() or first + count - 1 > len(lines):
            raise SystemExit(f"CODE_SPANS entry {(first, count)} does not match CODE")


def main() -> int:
    check_code()
    RES.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[NO_NETWORK])
        try:
            render(browser, workflow_html(), RES / "introkeras01.png", (FLOW_W, FLOW_H))
            render(browser, code_html(), RES / "introkeras02.png", None)
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
