"""Slides that fit, and say so when they cannot, in real headless Chromium at 1920x1080.

Body text takes the slide's width; a text column and an image column start level; wide code
shrinks alone (never the title) down to a floor and then wraps with a marker, in 16:9 and 4:3
decks, with nothing clipped; a slide with too much stops at a readable scale and scrolls.
Where that happens it is said: ``podium serve`` hears it from the open page and prints a
``slide-overflow`` warning at the slide's line; ``podium check --layout`` measures the same in
Chromium; without a browser, ``check`` says its warnings are estimates.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from click.testing import CliRunner

from podium.cli.app import cli
from podium.export.layout import fit_script
from podium.model import Diagnostic
from podium.site.fit import fit_diagnostics, read_fit_report
from tests.helpers import (
    DeckDir,
    Live,
    build,
    chromium_path,
    engine_missing,
    request,
    tiny_png,
    wait_until,
)

WAIT = 15_000  # ms: generous, for a busy 2-core machine
LONG_CODE = ("result = " + ", ".join(f"value_{n:03d}" for n in range(12)))[:135]
WIDE_CODE = "result = " + ", ".join(f"v_{n:02d}" for n in range(16))  # 103: shrinks, fits
PARAGRAPH = (
    "Keras is a deep learning API written in Python that runs on top of JAX, TensorFlow or "
    "PyTorch. It was developed with a focus on enabling fast experimentation, because being "
    "able to go from idea to result as fast as possible is key to doing good research."
)
BULLETS = "\n".join(f"- Bullet number {n} with a few more words in it" for n in range(30))


def fit_deck(aspect: str = "16:9") -> str:
    return f"""---
title: Fit
aspect: "{aspect}"
---

# Plain title

```python
print("short")
```

---

# Plain title

```python
{LONG_CODE}
print("short")
```

---

# Plain title

```python
{WIDE_CODE}
```

---

# A paragraph

{PARAGRAPH}

---

# Text and image

- Layers stack into a model
- Compile, then fit

{{.column}}

![A figure](fig.png)

---

# Too many

{BULLETS}

---

## An image over a line

![A figure](fig.png)

A line with `inline.code()` in it.
"""


@pytest.fixture
def fit_page(browser: Any, deck_dir: DeckDir, runner: CliRunner) -> Iterator[Callable[..., Any]]:
    """Build the fit deck (16:9 or 4:3) and open its audience view at 1920x1080."""
    pages: list[Any] = []

    def open_deck(aspect: str = "16:9") -> Any:
        folder = deck_dir({"fit.md": fit_deck(aspect), "fig.png": tiny_png()})
        status, said = build(runner, str(folder / "fit.md"), "-o", str(folder / "_site"))
        assert status == 0, said
        context = browser.new_context(viewport={"width": 1920, "height": 1080})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((folder / "_site" / "fit" / "index.html").as_uri())
        page.evaluate("() => document.fonts.ready")
        pages.append((context, errors))
        return page

    yield open_deck
    for context, errors in pages:
        context.close()
        assert errors == []


def show(page: Any, index: int) -> Any:
    page.evaluate(f"() => podium.go({index})")
    page.wait_for_function(
        f"() => document.querySelector('.slide.current').dataset.index === '{index}'"
        " && !!document.querySelector('.slide.current').dataset.fit"
    )
    return page.locator("section.slide.current")


CLIPPED = """(slide) => [slide, ...slide.querySelectorAll('*')]
  .filter((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).display !== 'inline')
  .map((el) => el.tagName + '.' + el.className + ' ' + el.scrollWidth + '>' + el.clientWidth)"""
TITLE_SIZE = "(slide) => getComputedStyle(slide.querySelector('h1')).fontSize"
CODE_SIZE = "(slide) => parseFloat(getComputedStyle(slide.querySelector('pre')).fontSize)"


def test_body_text_spans_the_slide_width(fit_page: Callable[..., Any]) -> None:
    page = fit_page()
    slide = show(page, 4)
    width = slide.bounding_box()["width"]
    text = slide.locator("p").bounding_box()["width"]
    assert text > 0.85 * width


def test_a_text_column_and_an_image_column_start_level(fit_page: Callable[..., Any]) -> None:
    page = fit_page()
    slide = show(page, 5)
    page.wait_for_function("() => document.querySelector('.slide.current img').complete")
    text = slide.locator(".column").nth(0).locator("li").first.bounding_box()
    image = slide.locator(".column img").bounding_box()
    assert abs(text["y"] - image["y"]) < 12, (text, image)


@pytest.mark.parametrize("aspect", ["16:9", "4:3"])
def test_wide_code_shrinks_only_the_code_and_past_the_floor_wraps_with_a_marker(
    fit_page: Callable[..., Any], aspect: str
) -> None:
    page = fit_page(aspect)
    plain = show(page, 1)
    title = plain.evaluate(TITLE_SIZE)
    normal_code = plain.evaluate(CODE_SIZE)
    assert normal_code == pytest.approx(34, rel=0.01)  # canvas px at 1920 (or 1440) wide

    wide = show(page, 3)  # 105 characters: the code shrinks; it does not wrap in 16:9
    assert wide.evaluate(TITLE_SIZE) == title
    assert wide.get_attribute("data-fit") == "1"
    assert wide.evaluate(CODE_SIZE) < normal_code * 0.95
    assert wide.evaluate(CLIPPED) == []

    long = show(page, 2)  # 135 characters: too wide even at the floor
    assert long.evaluate(TITLE_SIZE) == title, "the title keeps its size"
    assert long.get_attribute("data-fit") == "1"
    floor = page.evaluate("() => podium.CODE_FLOOR")
    assert long.evaluate(CODE_SIZE) == pytest.approx(normal_code * floor, rel=0.02)
    pre = long.locator("pre")
    assert "wrap" in pre.get_attribute("class")
    lines = pre.locator(".line")
    assert lines.count() == 2
    first = lines.first
    line_height = float(first.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)"))
    assert first.bounding_box()["height"] > 1.5 * line_height, "the long line wraps"
    marker = first.evaluate("el => getComputedStyle(el, '::after').content")
    assert "\u21aa" in marker
    assert lines.nth(1).bounding_box()["height"] < 1.5 * line_height
    assert long.evaluate(CLIPPED) == [], "nothing is clipped"
    assert pre.inner_text().replace("\n", "").startswith(LONG_CODE[:40])


def test_too_much_stops_at_the_floor_and_scrolls(fit_page: Callable[..., Any]) -> None:
    page = fit_page()
    slide = show(page, 6)
    floor = page.evaluate("() => podium.FIT_FLOOR")
    assert float(slide.get_attribute("data-fit")) == floor
    assert float(slide.get_attribute("data-fit-needed")) < floor
    assert slide.evaluate("el => el.scrollHeight > el.clientHeight + 10")
    assert slide.evaluate("el => getComputedStyle(el).overflowY") == "auto"
    # On paper (print, PDF) it cannot scroll: it takes the scale it needs, all of it shown.
    page.emulate_media(media="print")
    box = slide.bounding_box()
    last = slide.locator("li").last.bounding_box()
    assert box["y"] < last["y"] and last["y"] + last["height"] <= box["y"] + box["height"]


def test_an_image_and_a_line_of_text_with_code_fit_at_full_size(
    fit_page: Callable[..., Any],
) -> None:
    # The image takes the room left, so the line sits at the bottom edge, where inline
    # code's padding pokes out of its line box by a pixel: not an overflow.
    page = fit_page()
    slide = show(page, 7)
    assert slide.get_attribute("data-fit") == "1"
    page.evaluate(f"() => {{ {fit_script()} }}")  # as check --layout adds it
    facts = page.evaluate("() => podium.fitReport().then((all) => all[6])")
    assert (facts["fit"], facts["needed"]) == (1, 1)


# ---- podium serve: the open page reports, the server prints -----------------------------------

SERVED = f"""# Fine

Short.

---

# Too many

{BULLETS}

---

# Long code

```python
{LONG_CODE}
```
"""


def test_serve_prints_the_pages_overflow_at_the_slides_lines(
    live: Callable[..., Live], browser: Any
) -> None:
    heard: list[Diagnostic] = []
    server = live(SERVED, on_layout=heard.extend)
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    try:
        page = context.new_page()
        page.goto(server.url("/live/"))
        page.wait_for_function(
            "() => document.documentElement.dataset.podiumFit === '1'", timeout=WAIT
        )
        lines = SERVED.splitlines()
        # At each slide's heading, its first written line (1-based).
        assert [(d.line, d.code) for d in heard] == [
            (lines.index("# Too many") + 1, "slide-overflow"),
            (lines.index("# Long code") + 1, "slide-overflow"),
        ]
        assert heard[0].path.endswith("live.md")
        assert "30 bullets shrink to" in heard[0].message and "scrolls" in heard[0].message
        assert "code line 135 chars wraps" in heard[1].message
        badge = page.locator("#podium-warnings")
        badge.locator("button").first.click()
        assert "slide-overflow" in badge.inner_text()
        assert "2 warnings" in badge.inner_text()

        # The same page again: nothing new to print (once per change).
        page.reload()
        page.wait_for_function(
            "() => document.documentElement.dataset.podiumFit === '1'", timeout=WAIT
        )
        assert len(heard) == 2
    finally:
        context.close()


def test_the_serve_command_prints_the_warning_on_the_terminal(
    deck_dir: DeckDir, browser: Any
) -> None:
    import subprocess
    import sys
    import threading

    folder = deck_dir({"lesson.md": SERVED, "pyproject.toml": ""})
    server = subprocess.Popen(
        [sys.executable, "-m", "podium", "serve", "lesson.md", "--port", "0"],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    said: list[str] = []
    readers = [
        threading.Thread(target=lambda s=stream: said.extend(iter(s.readline, "")), daemon=True)
        for stream in (server.stdout, server.stderr)
    ]
    for reader in readers:
        reader.start()
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    try:
        wait_until(lambda: any("audience" in line for line in said), 30, "for the server")
        url = next(line.split()[-1] for line in said if "audience" in line)
        page = context.new_page()
        page.goto(url)
        wait_until(lambda: sum("slide-overflow" in line for line in said) == 2, 30, "for it")
        lines = SERVED.splitlines()
        printed = [line.strip() for line in said if "slide-overflow" in line]
        assert printed[0].startswith(
            f"lesson.md:{lines.index('# Too many') + 1}:1: warning[slide-overflow]: slide 2"
        )
        assert printed[1].startswith(
            f"lesson.md:{lines.index('# Long code') + 1}:1: warning[slide-overflow]: slide 3"
        )
    finally:
        context.close()
        server.terminate()
        server.wait(15)
        for reader in readers:
            reader.join(5)


def fit_post(live: Live, body: bytes, **headers: str) -> Any:
    sent = {"Content-Type": "application/json", "Content-Length": str(len(body)), **headers}
    return request(live.port, "/__podium/fit", method="POST", headers=sent, body=body)


def test_the_fit_endpoint_takes_only_small_same_origin_reports_with_its_header(
    live: Callable[..., Live],
) -> None:
    heard: list[Diagnostic] = []
    server = live(SERVED, on_layout=heard.extend)
    scrolling = {"index": 2, "fit": 0.6, "needed": 0.4, "floor": 0.6, "bullets": 30}
    report = json.dumps({"page": "live/index.html", "build": 1, "slides": [scrolling]}).encode()
    origin = f"http://127.0.0.1:{server.port}"

    assert fit_post(server, b"", **{"Content-Length": "0"}).status == 403  # no header
    refused = fit_post(server, b"", **{"X-Podium-Fit": "1", "Origin": "http://evil.example"})
    assert refused.status == 403
    other_host = fit_post(server, b"", **{"X-Podium-Fit": "1", "Host": "evil.example"})
    assert other_host.status == 403
    huge = request(
        server.port,
        "/__podium/fit",
        method="POST",
        headers={"X-Podium-Fit": "1", "Content-Length": str(10**9)},
    )
    assert huge.status == 413
    assert fit_post(server, b"{not json", **{"X-Podium-Fit": "1"}).status == 400
    stale = report.replace(b'"build": 1', b'"build": 7')
    assert fit_post(server, stale, **{"X-Podium-Fit": "1"}).status == 409
    assert heard == []

    answer = fit_post(server, report, **{"X-Podium-Fit": "1", "Origin": origin})
    assert answer.status == 200
    shown = json.loads(answer.body)["diagnostics"]
    assert len(shown) == 1 and "warning[slide-overflow]" in shown[0]["text"]
    assert [d.code for d in heard] == ["slide-overflow"]
    assert fit_post(server, report, **{"X-Podium-Fit": "1"}).status == 200
    assert len(heard) == 1, "printed once per change"
    assert server.get("/__podium/fit").status == 404
    # The measuring code is the server's to give, never a built page's.
    script = server.get("/__podium/fit-report.js")
    assert script.status == 200 and b"fitReport" in script.body
    assert b"fitReport" not in server.get("/_podium/podium.js").body


def test_a_report_is_read_as_untrusted_input() -> None:
    from podium.parse.deck import parse_deck

    deck = parse_deck("# One\n\n---\n\n# Two\n", path="d.md")
    hostile: list[object] = [
        None,
        "x",
        {"index": 2},  # no numbers
        {"index": 9, "fit": 0.6, "needed": 0.1, "floor": 0.6},  # no such slide
        {"index": 1.5, "fit": 0.6, "needed": 0.1, "floor": 0.6},
        {"index": 1, "fit": float("nan"), "needed": 0.1, "floor": 0.6},
        {"index": True, "fit": 0.6, "needed": 0.1, "floor": 0.6},
        {"index": 2, "fit": 0.6, "needed": -5, "floor": 0.6, "bullets": 10**12, "code": "x"},
    ]
    fits = read_fit_report(hostile, len(deck.slides))
    assert [(f.index, f.needed, f.bullets) for f in fits] == [(2, 0.0, 1_000_000)]
    (warning,) = fit_diagnostics(deck, fits)
    assert (warning.path, warning.line, warning.code) == (
        "d.md",
        deck.slides[1].line,
        "slide-overflow",
    )
    assert read_fit_report({"slides": []}, 2) == []


# ---- podium check --layout ---------------------------------------------------------------------


def test_check_layout_prints_the_measured_overflow_at_the_slides_lines(
    deck_dir: DeckDir, runner: CliRunner
) -> None:
    if chromium_path() is None:
        engine_missing("no Debian Chromium found")
    folder = deck_dir({"served.md": SERVED})
    result = runner.invoke(cli, ["check", "--layout", str(folder / "served.md")])
    lines = SERVED.splitlines()
    too_many = lines.index("# Too many") + 1  # 1-based: the slide's heading
    long_code = lines.index("# Long code") + 1
    assert f"served.md:{too_many}:1: warning[slide-overflow]: slide 2 does not fit" in result.output
    assert "30 bullets shrink to 0." in result.output
    assert (
        f"served.md:{long_code}:1: warning[slide-overflow]: slide 3 does not fit:"
        " code line 135 chars wraps" in result.output
    )
    assert "slide-dense" not in result.output, "the measure replaces the estimate"
    assert result.exit_code == 0
    strict = runner.invoke(cli, ["check", "--layout", "--strict", str(folder / "served.md")])
    assert strict.exit_code == 1


def test_check_without_a_browser_says_its_warnings_are_estimates(
    deck_dir: DeckDir, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PODIUM_CHROMIUM_SEARCH", "0")
    monkeypatch.delenv("PODIUM_CHROMIUM", raising=False)
    folder = deck_dir({"served.md": SERVED})
    result = runner.invoke(cli, ["check", "--layout", str(folder / "served.md")])
    assert "the layout is not measured" in result.output
    assert "warning[slide-dense]" in result.output
    assert "an estimate from its text length" in result.output
    assert "slide-overflow" not in result.output
    plain = runner.invoke(cli, ["check", str(folder / "served.md")])
    assert "an estimate from its text length" in plain.output
