"""The content security policy in real headless Chromium: the views work under it with no
violation, on file:// and over HTTP; script that got into a page (past the sanitiser, or by
editing a built file) does not run; no frame shows a file of the build; and a window that is
not the deck's own cannot move its slides by postMessage."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from podium.cli.app import cli

#: Records every policy violation a page reports (an init script runs whatever the policy).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""

VIEWS = ["index.html", "intro-keras/index.html", "intro-keras/presenter.html",
         "intro-keras/handout.html", "every-feature/index.html"]  # fmt: skip


def violations(page: Any) -> list[str]:
    return list(page.evaluate("window.__violations"))


@pytest.mark.timeout(60)
@pytest.mark.parametrize("view", VIEWS)
def test_the_views_work_under_the_policy_with_no_violation(web: Any, base: str, view: str) -> None:
    web.context.add_init_script(RECORD_VIOLATIONS)
    page = web.page(f"{base}/{view}")
    page.wait_for_load_state("load")
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert "script-src 'self'" in policy
    # The page's own scripts ran: podium.js and the view's script.
    if view.endswith("handout.html"):
        assert page.evaluate("window.podium.view") == "handout"
    elif view == "index.html":
        assert page.evaluate("window.podium.view") == "index"
    else:
        assert page.evaluate("window.podium.state.slide") == 1
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => window.podium.state.slide === 2 || window.podium.state.step")
    assert violations(page) == []
    # (the `web` fixture fails the test on any console error: a violation logs one)


@pytest.mark.timeout(60)
def test_presenter_and_audience_sync_under_the_policy(web: Any, base: str) -> None:
    web.context.add_init_script(RECORD_VIOLATIONS)
    audience = web.page(f"{base}/intro-keras/index.html")
    with web.context.expect_page() as popup:
        audience.keyboard.press("p")
    presenter = popup.value
    presenter.wait_for_load_state()
    presenter.keyboard.press("End")
    audience.wait_for_function("() => window.podium.state.slide === 8", timeout=5000)
    assert violations(audience) == [] and violations(presenter) == []


# ---- what the policy stops -------------------------------------------------------------------

INJECTED = """
<script>document.documentElement.dataset.pwnedInline = "1";</script>
<img id="bad-img" src="missing.png" onerror="document.documentElement.dataset.pwnedHandler = '1'">
<a id="bad-link" href="javascript:document.documentElement.dataset.pwnedUrl='1'">click</a>
<iframe id="bad-frame" src="evil.html"></iframe>
<object id="bad-object" data="evil.html" type="text/html"></object>
<embed id="bad-embed" src="evil.svg" type="image/svg+xml">
"""
EVIL_PAGE = "<script>parent.document.documentElement.dataset.pwnedFrame = '1';</script>"
EVIL_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg"><script>'
    "parent.document.documentElement.dataset.pwnedEmbed = '1';</script></svg>"
)


@pytest.fixture(scope="module")
def tampered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built deck whose pages had markup written into them after the build, as if it got
    past the sanitiser: inline script, a handler, a javascript: link, frames of the build."""
    folder = tmp_path_factory.mktemp("tampered")
    (folder / "talk.md").write_text("# One\n\nText\n\n---\n\n# Two\n", encoding="utf-8")
    out = folder / "_site"
    result = CliRunner().invoke(cli, ["build", str(folder / "talk.md"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("index.html", "presenter.html", "handout.html"):
        page = out / "talk" / name
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("</body>", INJECTED + "</body>"), encoding="utf-8")
    (out / "talk" / "evil.html").write_text(EVIL_PAGE, encoding="utf-8")
    (out / "talk" / "evil.svg").write_text(EVIL_SVG, encoding="utf-8")
    return out


@pytest.fixture
def strict_context(browser: Any) -> Iterator[Any]:
    """A context that expects violations (the `web` fixture would fail on their console
    errors) and records them."""
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    yield context
    context.close()


def serve_folder(folder: Path) -> Iterator[str]:
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(params=["file", "http"])
def tampered_url(request: pytest.FixtureRequest, tampered: Path) -> Iterator[str]:
    if request.param == "file":
        yield tampered.as_uri()
    else:
        yield from serve_folder(tampered)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("view", ["index.html", "presenter.html", "handout.html"])
def test_script_that_got_into_a_page_does_not_run(
    strict_context: Any, tampered_url: str, view: str
) -> None:
    page = strict_context.new_page()
    page.goto(f"{tampered_url}/talk/{view}")
    page.wait_for_load_state("load")
    page.locator("#bad-link").dispatch_event("click")
    page.wait_for_timeout(300)  # give a frame, a handler or a navigation the time to run
    ran = page.evaluate("Object.keys(document.documentElement.dataset)")
    assert [key for key in ran if key.startswith("pwned")] == []
    blocked = " ".join(violations(page))
    assert "script-src" in blocked and "frame-src" in blocked and "object-src" in blocked
    # The page's own scripts still run beside the blocked ones.
    assert page.evaluate("typeof window.podium") == "object"


# ---- the window link -------------------------------------------------------------------------


def sync_message(deck_folder_url: str, slide: int) -> str:
    """A well-formed podium-sync state message, newer than anything the page has."""
    message = {
        "podium": "podium-sync/1",
        "key": deck_folder_url,
        "from": "stranger",
        "role": "presenter",
        "type": "state",
        "state": {"slide": slide, "step": 0, "blackout": True, "t": 4_000_000_000_000},
    }
    return json.dumps(message)


@pytest.mark.timeout(60)
def test_a_foreign_page_cannot_move_the_slides(strict_context: Any, http_site: str) -> None:
    """A site on another origin that frames the deck, or opens it, posts a sync message
    that is well-formed in every way: the slides stay where they are, unzoomed, unpointed."""
    deck = f"{http_site}/intro-keras/"
    message = sync_message(deck, 5)
    page = strict_context.new_page()
    # Another origin (localhost is not 127.0.0.1) showing a document with no policy of its
    # own: one of the site's images, opened as a page.
    page.goto(http_site.replace("127.0.0.1", "localhost") + "/intro-keras/res/introkeras01.png")
    page.evaluate(
        """([url]) => new Promise((done) => {
            const frame = document.createElement("iframe");
            frame.src = url;
            frame.id = "victim";
            frame.onload = done;
            document.body.append(frame);
        })""",
        [deck + "index.html"],
    )
    frame = next(f for f in page.frames if f.url.startswith(deck))
    frame.wait_for_function("() => window.podium && window.podium.state")
    with strict_context.expect_page() as popup:
        page.evaluate("([url]) => { window.opened = window.open(url, '_blank'); }", [deck])
    opened = popup.value
    opened.wait_for_function("() => window.podium && window.podium.state")
    # and the presenting tools' signals: a zoom and a laser point (tools.js)
    zoom = json.dumps({**json.loads(message), "type": "zoom", "signal": True, "x": 0.5, "y": 0.5})
    laser = json.dumps({**json.loads(zoom), "type": "laser"})
    page.evaluate(
        """([...ms]) => {
            for (const m of ms) {
                const data = JSON.parse(m);
                document.getElementById("victim").contentWindow.postMessage(data, "*");
                window.opened.postMessage(data, "*");
            }
        }""",
        [message, zoom, laser],
    )
    page.wait_for_timeout(500)
    assert frame.evaluate("window.podium.state.slide") == 1
    assert opened.evaluate("window.podium.state.slide") == 1
    assert opened.locator(".blackout").is_hidden()
    for view in (frame, opened):
        assert not view.evaluate(
            "document.getElementById('podium-deck').className.includes('zoom')"
        )
        assert view.evaluate("document.querySelector('.laser-dot').hidden")


@pytest.mark.timeout(60)
def test_an_unrelated_window_of_the_same_site_cannot_move_the_slides_by_postmessage(
    strict_context: Any, site: Path, tmp_path: Path
) -> None:
    """On file:// too: a page that holds the deck in a frame it did not make as the deck's
    own (here a local page beside it) is not the deck's opener, opened window or frame."""
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    deck = (copy / "intro-keras").as_uri() + "/"
    (copy / "stranger.html").write_text(
        "<!doctype html><iframe id=victim src='intro-keras/index.html'></iframe>",
        encoding="utf-8",
    )
    page = strict_context.new_page()
    page.goto((copy / "stranger.html").as_uri())
    page.wait_for_load_state("load")
    frame = next(f for f in page.frames if f.url.startswith(deck))
    frame.wait_for_function("() => window.podium && window.podium.state")
    # The stranger is the frame's parent, so it can reach it: a well-formed message from
    # a window the deck did not open, that did not open it and that is not its own frame.
    page.evaluate(
        "([m]) => document.getElementById('victim').contentWindow.postMessage(JSON.parse(m), '*')",
        [sync_message(deck, 4)],
    )
    page.wait_for_timeout(500)
    assert frame.evaluate("window.podium.state.slide") == 1


@pytest.mark.timeout(30)
def test_podiums_own_inline_code_runs_by_its_hash_and_nothing_else(
    strict_context: Any, tmp_path: Path
) -> None:
    from podium.render import content_security_policy

    ours = "document.documentElement.dataset.ours = '1';"
    theirs = "document.documentElement.dataset.theirs = '1';"
    policy = content_security_policy(inline_scripts=[ours])
    page_file = tmp_path / "page.html"
    page_file.write_text(
        f'<!doctype html><meta http-equiv="Content-Security-Policy" content="{policy}">'
        f"<script>{ours}</script><script>{theirs}</script>",
        encoding="utf-8",
    )
    page = strict_context.new_page()
    page.goto(page_file.as_uri())
    assert page.evaluate("Object.keys(document.documentElement.dataset)") == ["ours"]
