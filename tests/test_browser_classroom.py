"""``podium serve --classroom`` in real headless Chromium: several students (each a browser
context of its own, as each is a device of its own) and the presenter, on 127.0.0.1.

Every test fails on a console error or a request outside the site (the ``web`` sessions).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.helpers import Class, Web, wait_until

WAIT = 15_000  # ms: generous, for a busy 2-core machine
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def devices(browser: Any) -> Iterator[Callable[..., Web]]:
    """Browser contexts of their own (one device each), checked like ``web``'s at the end."""
    opened: list[Web] = []

    def device(**options: Any) -> Web:
        session = Web(browser, **({"viewport": {"width": 1280, "height": 720}} | options))
        opened.append(session)
        return session

    yield device
    for session in opened:
        session.close()
    for session in opened:
        assert session.errors == [], f"console errors: {session.errors}"
        assert session.outside == [], f"requests outside the site: {session.outside}"


def state(page: Any) -> tuple[int, int]:
    slide, step = page.evaluate("[window.podium.state.slide, window.podium.state.step]")
    return int(slide), int(step)


def wait_state(page: Any, slide: int, step: int = 0) -> None:
    page.wait_for_function(
        f"() => window.podium.state && window.podium.state.slide === {slide}"
        f" && window.podium.state.step === {step}",
        timeout=WAIT,
    )


def student(device: Callable[..., Web], taught: Class, **options: Any) -> Any:
    page = device(**options).page(taught.url("/keras-classroom/"))
    page.wait_for_function(
        "() => document.documentElement.dataset.podiumLive === 'connected'"
        " && document.documentElement.dataset.podiumFollowing === 'live'",
        timeout=WAIT,
    )
    return page


def presenter(device: Callable[..., Web], taught: Class, **options: Any) -> Any:
    page = device(**options).page(taught.server.presenter_url())
    page.wait_for_function(
        "() => document.documentElement.dataset.podiumLive === 'connected'"
        " && document.getElementById('podium-classroom')",
        timeout=WAIT,
    )
    return page


def test_students_follow_browse_and_come_back_to_live(
    classroom: Callable[..., Class], devices: Callable[..., Web]
) -> None:
    taught = classroom()
    teacher = presenter(devices, taught)
    following = student(devices, taught)
    browsing = student(devices, taught, viewport=PHONE)
    teacher.keyboard.press("ArrowRight")
    wait_state(following, 2)
    wait_state(browsing, 2)
    # A student looks back: the page says so, and the presenter's next move leaves them there.
    browsing.keyboard.press("ArrowLeft")
    wait_state(browsing, 1)
    assert browsing.locator("#podium-live-bar").inner_text().startswith("You are browsing")
    teacher.keyboard.press("ArrowRight")
    wait_state(following, 3)
    browsing.wait_for_function(
        "() => document.querySelector('#podium-live-bar button').textContent.includes('slide 3')",
        timeout=WAIT,
    )
    assert state(browsing) == (1, 0)
    browsing.get_by_role("button", name="Back to live (slide 3)").click()
    wait_state(browsing, 3)
    assert browsing.evaluate("document.documentElement.dataset.podiumFollowing") == "live"
    teacher.keyboard.press("ArrowRight")
    wait_state(browsing, 4)


def test_the_phone_remote_moves_the_class(
    classroom: Callable[..., Class], devices: Callable[..., Web]
) -> None:
    taught = classroom()
    laptop = presenter(devices, taught)
    phone = presenter(devices, taught, viewport=PHONE, has_touch=True)
    pupil = student(devices, taught)
    remote = phone.locator(".cr-remote")
    assert remote.is_visible() and not laptop.locator(".cr-remote").is_visible()
    assert phone.locator("#podium-notes").is_visible()  # the notes, on the phone
    phone.get_by_role("button", name="Next →").click()
    wait_state(pupil, 2)
    wait_state(laptop, 2)  # the laptop's presenter view follows the phone


def test_students_reconnect_after_the_server_restarts(
    classroom: Callable[..., Class], devices: Callable[..., Web]
) -> None:
    taught = classroom()
    move_to(taught, 2)
    pupil = student(devices, taught)
    wait_state(pupil, 2)
    taught.server.stop()
    pupil.wait_for_function(
        "() => document.documentElement.dataset.podiumLive === 'disconnected'", timeout=WAIT
    )
    again = classroom(port=taught.port)  # same address: the students' pages come back
    move_to(again, 5)
    wait_state(pupil, 5)


def move_to(taught: Class, slide: int) -> None:
    """The presenter moves (as the presenter view does, with the key in a header)."""
    moved = taught.post(
        "/__podium/classroom/position",
        {"deck": "keras-classroom", "slide": slide, "step": 0, "from": "test"},
        {"X-Podium-Key": taught.server.secret},
    )
    assert moved.status == 200, moved.text


def test_no_note_text_reaches_a_student_in_any_file_or_event(
    classroom: Callable[..., Class], devices: Callable[..., Web]
) -> None:
    taught = classroom()
    notes = note_lines(taught)
    assert len(notes) >= 5
    received: list[str] = []
    pupil = devices().page()
    pupil.on("response", lambda r: received.append(r.url))
    pupil.goto(taught.url("/keras-classroom/"))
    pupil.wait_for_function(
        "() => document.documentElement.dataset.podiumLive === 'connected'", timeout=WAIT
    )
    # Everything the student's browser fetched, and every file of the site besides.
    snapshot = taught.server.student_snapshot
    paths = {url.removeprefix(taught.url("")) for url in received} | {
        "/" + key for key in snapshot.files
    }
    paths.discard("/__podium/events")
    for path in sorted(paths):
        body = taught.get(path).text
        assert not [line for line in notes if line in body], path
        assert str(taught.folder) not in body, path  # nor where the deck is on the laptop
    # The events: a hello, then an edit of a note and of a slide (the update's HTML).
    with events_of(taught) as stream:
        text = taught.deck.read_text(encoding="utf-8")
        taught.deck.write_text(
            text.replace("Give them 30 seconds", "Give them 40 seconds").replace(
                "# Quick check", "# A quick check"
            ),
            encoding="utf-8",
        )
        seen = stream.read_until(b"A quick check")
    assert b"hello" in seen and str(taught.folder).encode() not in seen
    assert b'"edited":null' in seen  # an edit does not move the students
    assert not [line for line in notes if line.encode() in seen]
    assert b"40 seconds" not in seen
    # ... and the presenter, who holds the key, has them.
    assert notes[0] in taught.get(taught.server.presenter_url().split(str(taught.port), 1)[1]).text


def note_lines(taught: Class) -> list[str]:
    """Lines of the speaker notes that no slide says (so finding one means a note leaked)."""
    served = taught.server.snapshot
    slides = " ".join(s.html for built in served.decks for s in built.deck.slides)
    return [
        line.strip("*- ")
        for built in served.decks
        for slide in built.deck.slides
        for note in slide.notes
        for line in note.markdown.splitlines()
        if len(line.strip("*- ")) >= 25 and line.strip("*- ") not in slides
    ]


class _Stream:
    def __init__(self, taught: Class) -> None:
        import socket

        self.connection = socket.create_connection(("127.0.0.1", taught.port), timeout=15)
        self.connection.sendall(
            f"GET /__podium/events HTTP/1.1\r\nHost: 127.0.0.1:{taught.port}\r\n\r\n".encode()
        )
        self.data = b""

    def read_until(self, needle: bytes) -> bytes:
        while needle not in self.data:
            chunk = self.connection.recv(65536)
            if not chunk:
                break
            self.data += chunk
        return self.data


@contextlib.contextmanager
def events_of(taught: Class) -> Iterator[_Stream]:
    """A student's event stream, read raw, from its hello on."""
    stream = _Stream(taught)
    try:
        stream.read_until(b"event: hello")
        yield stream
    finally:
        stream.connection.close()


def test_the_poll_end_to_end_votes_counts_reveal_results_and_handout(
    classroom: Callable[..., Class], devices: Callable[..., Web], runner: Any
) -> None:
    taught = classroom()
    teacher = presenter(devices, taught)
    screen = devices().page(taught.url("/keras-classroom/"))  # the projector, the teacher's
    # (the teacher's browser holds the key's cookie: its audience window is the big screen)
    screen.close()
    screen = teacher.context.new_page()
    screen.goto(taught.url("/keras-classroom/"))
    pupils = [student(devices, taught, viewport=PHONE) for _ in range(3)]
    teacher.keyboard.type("8")
    teacher.keyboard.press("Enter")
    for page in pupils:
        wait_state(page, 8)
    # Before the reveal a student sees the options, and nothing says which one is right.
    options = pupils[0].locator("section.slide.current [data-poll] > li")
    assert options.count() == 3
    html = pupils[0].evaluate("document.documentElement.outerHTML")
    assert "poll-right" not in html and '"answer"' not in html
    for page, choice in zip(pupils, (1, 1, 0), strict=True):
        page.locator("section.slide.current [data-poll] > li").nth(choice).click()
    pupils[2].locator("section.slide.current [data-poll] > li").nth(1).click()  # changed mind
    for page in pupils:
        page.wait_for_function(
            "() => document.querySelector('section.slide.current li.poll-chosen')", timeout=WAIT
        )
    assert state(pupils[0]) == (8, 0)  # a tap votes; it does not turn the slide
    # The presenter sees the counts live (the changed vote too), the right answer marked.
    teacher.wait_for_function(
        "() => document.querySelector('.cr-poll h3').textContent.includes('3 votes')"
        " && document.querySelector('.cr-counts li:nth-child(2) .cr-n').textContent === '3'",
        timeout=WAIT,
    )
    assert "✓" in teacher.locator(".cr-counts li.cr-right").inner_text()
    teacher.keyboard.press("p")
    for page in [*pupils, screen]:
        page.wait_for_function(
            "() => document.querySelector('section.slide.current .poll-revealed li.poll-right')",
            timeout=WAIT,
        )
    right = pupils[0].locator("section.slide.current li.poll-right")
    assert "TensorFlow, JAX or PyTorch" in right.inner_text() and "3 · 100%" in right.inner_text()
    # Saved under the project, and listed in the handout built after class.
    folder = taught.folder / ".podium" / "polls"

    def saved() -> dict[str, Any] | None:
        files = list(folder.glob("keras-classroom-*.json"))
        polls = json.loads(files[0].read_text(encoding="utf-8"))["polls"] if files else [{}]
        return polls[0] if polls[0].get("counts") == [0, 3, 0] else None

    wait_until(saved, 10, "for the results to be saved")
    poll = saved()
    assert poll is not None and poll["counts"] == [0, 3, 0] and poll["answer"] == 1
    from podium.cli.app import cli

    result = runner.invoke(cli, ["build", str(taught.deck), "-o", str(taught.folder / "_site")])
    assert result.exit_code == 0, result.output
    handout = (taught.folder / "_site" / "keras-classroom" / "handout.html").read_text("utf-8")
    assert "Quick checks in class" in handout and "3 votes" in handout


def test_q_puts_the_join_qr_code_full_screen_on_the_audience_screen(
    classroom: Callable[..., Class], devices: Callable[..., Web]
) -> None:
    taught = classroom()
    teacher = presenter(devices, taught)
    screen = teacher.context.new_page()
    screen.goto(taught.url("/keras-classroom/"))
    pupil = student(devices, taught)
    teacher.keyboard.press("q")
    screen.wait_for_function(
        "() => { const i = document.querySelector('#podium-join img');"
        " return i && i.complete && i.naturalWidth > 0; }",
        timeout=WAIT,
    )
    assert taught.url("/keras-classroom/") in screen.locator("#podium-join").inner_text()
    assert pupil.locator("#podium-join").count() == 0  # not on the students' screens
    teacher.keyboard.press("q")
    screen.wait_for_function("() => !document.getElementById('podium-join')", timeout=WAIT)


def test_no_request_leaves_the_machine(
    classroom: Callable[..., Class], devices: Callable[..., Web]
) -> None:
    taught = classroom()
    elsewhere: list[str] = []

    def only_here(route: Any) -> None:
        if route.request.url.startswith(("http://127.0.0.1:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    teacher = devices()
    teacher.context.route("**/*", only_here)
    page = teacher.page(taught.server.presenter_url())
    page.wait_for_function(
        "() => [...document.querySelectorAll('#podium-classroom img')]"
        ".every((i) => i.complete && i.naturalWidth > 0)",
        timeout=WAIT,
    )
    pupil = devices(viewport=PHONE)
    pupil.context.route("**/*", only_here)
    student_page = pupil.page(taught.url("/keras-classroom/"))
    student_page.wait_for_function(
        "() => document.documentElement.dataset.podiumFollowing === 'live'", timeout=WAIT
    )
    page.keyboard.press("End")
    wait_state(student_page, 9)
    assert elsewhere == []


def _rgb(colour: str) -> str:
    """``#rrggbb`` as getComputedStyle writes it."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def test_a_dark_deck_shows_its_poll_and_live_bar_in_the_dark_theme(
    classroom: Callable[..., Class], devices: Callable[..., Web]
) -> None:
    from podium.render import BUILT_IN, contrast

    dark_css = BUILT_IN["dark"].css_file.read_text(encoding="utf-8")
    dark = dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-f]{6});", dark_css))
    taught = classroom(theme="dark")
    teacher = presenter(devices, taught)
    pupil = student(devices, taught, viewport=PHONE)
    teacher.keyboard.type("8")
    teacher.keyboard.press("Enter")
    wait_state(pupil, 8)
    option = pupil.locator("section.slide.current [data-poll] > li").first
    look = (
        "e => { const s = getComputedStyle(e); return [s.backgroundColor, s.color,"
        " s.borderLeftColor]; }"
    )
    ground, text, _ = option.evaluate(look)
    # The option is a dark card with the theme's light text, not the light theme's white.
    assert (ground, text) == (_rgb(dark["--stripe"]), _rgb(dark["--ink"]))
    assert contrast(dark["--ink"], dark["--stripe"]) >= 4.5
    option.click()
    pupil.wait_for_function(
        "() => document.querySelector('section.slide.current li.poll-chosen')", timeout=WAIT
    )
    assert option.evaluate(look)[2] == _rgb(dark["--accent"])  # the vote in the theme's accent
    pill = pupil.locator(".cr-live").evaluate("e => getComputedStyle(e).color")
    assert pill == _rgb(dark["--paper"])  # the live pill: the theme's paper on its ink
