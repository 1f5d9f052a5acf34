"""``podium serve --classroom`` over real sockets on 127.0.0.1: the secret, the guess limit,
the Host check, votes, the saved results; and the command line."""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from podium.cli.app import cli
from podium.model import Poll
from podium.serve.classroom import Classroom, GuessLimiter, PollState, primary_address
from podium.site.polls import read_tallies, results_file, write_results
from tests.helpers import Class

DECK = "keras-classroom"
POLL = "8.1"
PRESENTER = f"/{DECK}/presenter.html"


def vote(taught: Class, option: int, device: str, **extra: Any) -> int:
    body = {"deck": DECK, "id": POLL, "option": option, **extra}
    return taught.post("/__podium/classroom/vote", body, {"X-Podium-Device": device}).status


def control(taught: Class, action: str, body: dict[str, Any], key: str | None = None) -> int:
    headers = {"X-Podium-Key": key} if key is not None else {}
    return taught.post(f"/__podium/classroom/{action}", body, headers).status


def test_without_the_secret_no_presenter_no_notes_no_control(
    classroom: Callable[..., Class],
) -> None:
    taught = classroom()
    secret = taught.server.secret
    assert len(secret) >= 22  # 16 random bytes, URL-safe
    assert taught.get(PRESENTER).status == 403
    assert taught.get("/__podium/classroom/remote.svg").status == 403
    assert taught.get(f"/{DECK}/presenter%2ehtml").status in (403, 404)
    move = {"deck": DECK, "slide": 2, "step": 0}
    assert control(taught, "position", move) == 403
    # The cookie alone opens the pages, never the controls (another site's form has it too).
    cookie = {"Cookie": f"podium_key={secret}"}
    assert taught.get(PRESENTER, cookie).status == 200
    assert taught.post("/__podium/classroom/position", move, cookie).status == 403
    assert control(taught, "position", move, secret) == 200
    page = taught.get(f"{PRESENTER}?key={secret}")
    assert page.status == 200 and "HttpOnly" in page.headers["set-cookie"]
    assert "Give them 30 seconds" in page.text  # the notes, for the instructor


def test_guessing_the_secret_is_limited_per_address(classroom: Callable[..., Class]) -> None:
    taught = classroom()
    statuses = [taught.get(f"{PRESENTER}?key=guess{n}").status for n in range(12)]
    assert statuses[:10] == [403] * 10 and statuses[10:] == [429, 429]
    # Refused whatever it says now, the right key included, until the minute has passed.
    assert taught.get(f"{PRESENTER}?key={taught.server.secret}").status == 429
    assert control(taught, "show", {"qr": True}, taught.server.secret) == 429
    # A student's page is no guess: still served (without notes).
    assert taught.get(f"/{DECK}/").status == 200


def test_the_guess_limit_forgets_after_its_window() -> None:
    now = [0.0]
    limiter = GuessLimiter(limit=3, window=60, clock=lambda: now[0])
    for _ in range(3):
        limiter.failed("10.0.0.5")
    assert limiter.blocked("10.0.0.5") and not limiter.blocked("10.0.0.6")
    now[0] = 61.0
    assert not limiter.blocked("10.0.0.5")


def test_the_host_must_be_the_chosen_address_or_loopback(classroom: Callable[..., Class]) -> None:
    taught = classroom()
    port = taught.port
    assert taught.get("/", {"Host": f"127.0.0.1:{port}"}).status == 200
    assert taught.get("/", {"Host": f"localhost:{port}"}).status == 200
    assert taught.get("/", {"Host": f"10.9.8.7:{port}"}).status == 403
    assert taught.get("/", {"Host": f"evil.example:{port}"}).status == 403
    assert taught.get("/../etc/passwd").status == 404
    assert taught.get("/_podium/").status == 404  # no listing


def test_votes_count_once_per_device_and_change_until_closed(
    classroom: Callable[..., Class],
) -> None:
    taught = classroom()
    assert vote(taught, 0, "a" * 22) == 200
    assert vote(taught, 1, "a" * 22) == 200  # changed its mind
    assert vote(taught, 1, "b" * 22) == 200
    state = taught.server.classroom.poll(DECK, POLL)
    assert state is not None and state.counts() == [0, 2, 0]
    assert control(taught, "poll", {"deck": DECK, "id": POLL, "action": "reveal"}, "x") == 403
    secret = taught.server.secret
    assert control(taught, "poll", {"deck": DECK, "id": POLL, "action": "reveal"}, secret) == 200
    assert vote(taught, 0, "c" * 22) == 409  # closed by the reveal
    assert state.counts() == [0, 2, 0]


@pytest.mark.parametrize(
    ("headers", "body", "status"),
    [
        ({"X-Podium-Device": "short"}, {"deck": DECK, "id": POLL, "option": 0}, 400),
        ({"X-Podium-Device": "d" * 22}, {"deck": DECK, "id": "99.1", "option": 0}, 404),
        ({"X-Podium-Device": "d" * 22}, {"deck": DECK, "id": POLL, "option": 7}, 404),
        ({"X-Podium-Device": "d" * 22}, {"deck": DECK, "id": POLL, "option": "0"}, 400),
        ({"X-Podium-Device": "d" * 22, "Content-Type": "text/plain"}, {"option": 0}, 415),
        ({"X-Podium-Device": "d" * 22, "Origin": "http://evil.example"}, {"option": 0}, 403),
        ({"X-Podium-Device": "d" * 22}, {"deck": "x" * 3000}, 413),
    ],
)
def test_a_bad_vote_is_refused_clearly(
    classroom: Callable[..., Class], headers: dict[str, str], body: Any, status: int
) -> None:
    taught = classroom()
    answer = taught.post("/__podium/classroom/vote", body, headers)
    assert answer.status == status and answer.text.strip()
    assert taught.get(f"/{DECK}/").status == 200  # and the server goes on


def test_three_hundred_votes_in_a_burst_are_all_counted(classroom: Callable[..., Class]) -> None:
    taught = classroom()
    devices = [f"device-{n:04d}-abcdefghij" for n in range(300)]
    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(lambda d: vote(taught, len(d) % 3, d), devices))
    assert statuses == [200] * 300
    state = taught.server.classroom.poll(DECK, POLL)
    assert state is not None and sum(state.counts()) == 300


def test_a_student_sees_no_counts_and_no_answer_before_the_reveal() -> None:
    room = Classroom()
    state = PollState(DECK, 8, Poll(1, "Which?", ("a", "b"), 1), {"x" * 22: 1})
    room.polls[(DECK, POLL)] = state
    hidden = room.poll_event(state, instructor=False)
    assert "counts" not in hidden and "answer" not in hidden
    assert room.poll_event(state, instructor=True)["counts"] == [0, 1]
    room.reveal(DECK, POLL, True)
    shown = room.poll_event(state, instructor=False)
    assert shown["counts"] == [0, 1] and shown["answer"] == 1 and not shown["open"]


def test_results_are_written_whole_and_read_back_for_the_handout(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    deck = tmp_path / "lesson.md"
    deck.write_text("# Lesson\n")
    poll = {"slide": 3, "question": "Q?", "options": ["a", "b"], "answer": 0, "counts": [4, 1]}
    path = results_file(deck, "lesson", "2026-12-01")
    write_results(path, {"deck": "lesson", "date": "2026-12-01", "polls": [poll]})
    assert path == tmp_path / ".podium" / "polls" / "lesson-2026-12-01.json"
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary left
    # A damaged file, or one of another deck, is skipped: it is votes, not the lesson.
    (path.parent / "lesson-2026-12-02.json").write_text("{not json")
    (path.parent / "other-2026-12-01.json").write_text(json.dumps({"polls": [poll]}))
    [tally] = read_tallies(deck, "lesson")
    assert (tally.date, tally.slide, tally.counts, tally.answer) == ("2026-12-01", 3, (4, 1), 0)


def test_a_class_holds_more_pages_than_the_dev_server(classroom: Callable[..., Class]) -> None:
    taught = classroom()
    http = taught.server._http
    assert http is not None and (http.max_connections, http.max_streams) == (640, 512)


def test_the_primary_address_is_this_machines_or_none() -> None:
    address = primary_address()
    assert address is None or not ipaddress.ip_address(address).is_loopback


def test_classroom_takes_no_no_notes_and_plain_serve_stays_on_loopback(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = runner.invoke(cli, ["serve", "--classroom", "--no-notes", "slides"])
    assert result.exit_code == 2 and "--no-notes" in result.output
    seen: dict[str, Any] = {}

    def run_server(paths: list[str], **options: Any) -> int:
        seen.update(options)
        return 0

    monkeypatch.setattr("podium.cli.serve.run_server", run_server)
    assert runner.invoke(cli, ["serve", "slides"]).exit_code == 0
    assert seen["host"] == "127.0.0.1"
