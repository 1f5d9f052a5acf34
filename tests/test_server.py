"""``podium serve`` over real sockets on 127.0.0.1: URLs, safety, live updates, saves, shutdown.

The helpers behind the ``live`` fixture (a served deck folder, raw requests) are in
tests/helpers.py, shared with the browser tests.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from podium.serve import DevServer, ServeProblem, SiteBuilder
from podium.serve.http import (
    CLIENT_PATH,
    EVENTS_PATH,
    bind,
    host_allowed,
    inject_client,
    site_key,
)
from podium.site.build import build_site, discover_decks
from tests.helpers import BROKEN, LIVE_DECK, SAVES, Live, request, tiny_png, wait_until


class EventStream:
    """A client of ``/__podium/events`` reading server-sent events."""

    def __init__(self, port: int, headers: dict[str, str] | None = None) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
        self.connection.request("GET", EVENTS_PATH, headers=headers or {})
        self.response = self.connection.getresponse()

    def next(self, name: str | None = None) -> tuple[str, dict[str, Any]]:
        """The next event (of this name, skipping others)."""
        while True:
            kind, data = "message", ""
            while True:
                line = self.response.readline().decode("utf-8")
                if not line:
                    raise EOFError("the event stream ended")
                line = line.rstrip("\n")
                if not line:
                    break
                field, _, value = line.partition(": ")
                if field == "event":
                    kind = value
                elif field == "data":
                    data += value
            if data and (name is None or kind == name):
                return kind, json.loads(data)

    def close(self) -> None:
        self.response.close()  # it holds the socket too
        self.connection.close()


# ---- URLs, the same as `podium build` ------------------------------------------------------------


def strip_client(body: bytes) -> bytes:
    return re.sub(rb'<script src="/__podium/live\.js"[^>]*></script>\n', b"", body)


def test_serves_the_same_files_as_the_build(live: Callable[..., Live]) -> None:
    served = live()
    built = build_site(discover_decks([str(served.folder)]))
    for name, content in built.files.items():
        expected = content.read_bytes() if isinstance(content, Path) else content
        response = served.get("/" + name)
        assert response.status == 200, name
        assert strip_client(response.body) == expected, name
        assert response.headers["cache-control"] == "no-store"
    assert served.get("/").body == served.get("/index.html").body
    assert served.get("/live/").body == served.get("/live/index.html").body
    assert served.get("/live/res/fig.png").headers["content-type"] == "image/png"


def test_the_live_client_is_added_only_when_served(live: Callable[..., Live]) -> None:
    served = live()
    built = build_site(discover_decks([str(served.folder)]))
    assert not any(
        b"__podium" in content for content in built.files.values() if isinstance(content, bytes)
    )
    assert not any(name.startswith("__podium") or "serve/" in name for name in built.files)
    for path in ("/", "/live/", "/live/presenter.html", "/live/handout.html"):
        html = served.get(path).body
        assert html.count(b"/__podium/live.js") == 1
        assert html.index(b"/__podium/live.js") < html.rindex(b"</body>")
    assert b"__podium" not in served.get("/_podium/podium.css").body
    client = served.get(CLIENT_PATH)
    assert client.status == 200 and client.headers["content-type"].startswith("text/javascript")
    assert b"EventSource" in client.body


def test_a_folder_without_its_slash_redirects(live: Callable[..., Live]) -> None:
    served = live()
    response = served.get("/live?x=1")
    assert response.status == 301 and response.headers["location"] == "/live/"


def test_inject_client_without_a_body_appends() -> None:
    assert inject_client(b"<p>x</p>", b"<s>") == b"<p>x</p><s>"
    assert inject_client(b"a</BODY>b</body>c", b"<s>") == b"a</BODY>b<s></body>c"


# ---- safety: traversal, listings, Host, CORS -----------------------------------------------------

ESCAPES = [
    "/../../etc/passwd",
    "/..%2f..%2fetc%2fpasswd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/%2E%2E/live.md",
    "/%252e%252e/%252e%252e/etc/passwd",
    "/live/%252e%252e/live.md",
    "/..%5c..%5cwin.ini",
    "/..\\..\\etc\\passwd",
    "/live\\index.html",
    "/live/index.html%00.png",
    "/live/index.html\x00.png",
    "/live/%00",
    "//etc/passwd",
    "/live//index.html",
    "/./live/index.html",
    "/live/./index.html",
    "/C:/Windows/win.ini",
    "/live.md",
    "/live/live.md",
    "/res/fig.png",
    "/live/res/",
    "/_podium/",
    "/live/res/..%2f..%2flive.md",
    "/a.md/..%2F..%2Fetc.md%2F..%2Fetc%2Fpasswd",
    "/%ff%fe",
    "/" + "a" * 5000,
    "http://127.0.0.1/live/",
    "*",
]


@pytest.mark.parametrize("path", ESCAPES)
def test_no_path_escapes_the_build(path: str) -> None:
    assert site_key(path) in (None, "live.md", "live/live.md", "res/fig.png", "a" * 5000) or (
        site_key(path) or ""
    ).startswith(("C:/", "etc/", "live/res/", "_podium/"))


def test_traversal_attempts_get_404_and_the_server_goes_on(live: Callable[..., Live]) -> None:
    served = live()
    secret = served.folder.parent / "secret.txt"
    secret.write_text("top secret", encoding="utf-8")
    for path in ESCAPES:
        if path.startswith(("http:", "*")) or len(path) > 1000:
            continue
        response = served.get(path)
        assert response.status in (400, 404), path
        assert b"top secret" not in response.body and b"# Live deck" not in response.body
        assert str(served.folder).encode() not in response.body
    assert served.get("/live/").status == 200


def test_site_key_maps_urls_to_build_files() -> None:
    assert site_key("/") == "index.html"
    assert site_key("/live/") == "live/index.html"
    assert site_key("/live/presenter.html?x=1#2") == "live/presenter.html"
    assert site_key("/live/res/a%20b.png") == "live/res/a b.png"
    assert site_key("/%D0%B4%D0%B5%D0%BA/") == "дек/index.html"


def test_a_symlink_leading_outside_is_not_served(
    live: Callable[..., Live], tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside")  # not under the project (the test's tmp_path)
    (outside / "secret.png").write_bytes(b"secret bytes")
    served = live(LIVE_DECK + "\n---\n\n![leak](res/leak.png)\n")
    os.symlink(outside / "secret.png", served.folder / "res" / "leak.png")
    served.write(served.deck.read_text(encoding="utf-8") + "\nMore.\n")
    served.wait_for_rebuilds(1)
    assert served.get("/live/res/leak.png").status == 404
    # An image the build accepted, swapped afterwards for a symlink that leads outside:
    figure = served.folder / "res" / "fig.png"
    figure.unlink()
    os.symlink(outside / "secret.png", figure)
    response = served.get("/live/res/fig.png")
    assert response.status == 404 and b"secret" not in response.body


HOSTS = [
    ("127.0.0.1:{port}", True),
    ("localhost:{port}", True),
    ("LOCALHOST:{port}", True),
    ("[::1]:{port}", True),
    ("127.0.0.1:1", False),
    ("127.0.0.1", False),
    ("evil.example:{port}", False),
    ("evil.example", False),
    ("localhost.evil.example:{port}", False),
    ("127.0.0.1.nip.io:{port}", False),
    ("", False),
]


def test_the_host_header_must_name_this_server(live: Callable[..., Live]) -> None:
    served = live()
    for host, allowed in HOSTS:
        response = served.get("/live/", headers={"Host": host.format(port=served.port)})
        assert response.status == (200 if allowed else 403), host
    assert served.get(EVENTS_PATH, headers={"Host": "evil.example"}).status == 403


def test_host_allowed_rules() -> None:
    names = frozenset({"localhost"})
    assert host_allowed("localhost:8000", port=8000, names=names)
    assert host_allowed("192.168.1.5:8000", port=8000, names=names)  # an address, not a name
    assert not host_allowed("localhost:8001", port=8000, names=names)
    assert host_allowed("localhost", port=80, names=names)
    assert not host_allowed("attacker.example:8000", port=8000, names=names)
    assert not host_allowed("[::1]x:8000", port=8000, names=names)
    assert not host_allowed(None, port=8000, names=names)


def test_no_cors_headers_and_foreign_origins_get_no_events(live: Callable[..., Live]) -> None:
    served = live()
    for path in ("/", "/live/", "/live/res/fig.png", CLIENT_PATH, "/nope"):
        response = served.get(path, headers={"Origin": "http://evil.example"})
        assert not any(name.startswith("access-control-") for name in response.headers)
    foreign = served.get(EVENTS_PATH, headers={"Origin": "http://evil.example"})
    assert foreign.status == 403


def test_other_methods_are_refused(live: Callable[..., Live]) -> None:
    served = live()
    for method in ("POST", "PUT", "DELETE", "OPTIONS"):
        assert request(served.port, "/live/", method=method).status == 501
    head = request(served.port, "/live/", method="HEAD")
    assert head.status == 200 and head.body == b""
    assert served.get("/live/").status == 200


# ---- live updates --------------------------------------------------------------------------------


def test_an_edit_pushes_the_changed_slide(live: Callable[..., Live]) -> None:
    served = live()
    stream = EventStream(served.port)
    try:
        _, hello = stream.next("hello")
        assert hello["build"] == 1 and hello["ok"] is True
        served.write(LIVE_DECK.replace("Body three.", "Body three, edited."))
        _, update = stream.next("update")
    finally:
        stream.close()
    assert update["build"] == 2 and update["ok"] is True
    assert "live/index.html" in update["changed"] and "live/presenter.html" in update["changed"]
    deck = update["decks"]["live"]
    assert deck["edited"] == 3
    assert [s["index"] for s in deck["slides"]] == [3]
    assert "Body three, edited." in deck["slides"][0]["html"]
    assert "Body three, edited." in served.get("/live/").text
    assert served.server.rebuilds == 1


def test_a_notes_edit_is_pushed_with_the_notes(live: Callable[..., Live]) -> None:
    served = live()
    stream = EventStream(served.port)
    try:
        stream.next("hello")
        served.write(LIVE_DECK.replace("note for the steps", "a better note"))
        _, update = stream.next("update")
    finally:
        stream.close()
    assert "live/presenter.html" in update["changed"]
    (slide,) = update["decks"]["live"]["slides"]
    assert slide["index"] == 2 and "a better note" in slide["notesHtml"]


def test_a_new_slide_asks_the_pages_to_reload(live: Callable[..., Live]) -> None:
    served = live()
    stream = EventStream(served.port)
    try:
        stream.next("hello")
        served.write(LIVE_DECK + "\n---\n\n# Fourth\n")
        _, update = stream.next("update")
    finally:
        stream.close()
    assert update["decks"]["live"]["slides"] is None and update["decks"]["live"]["edited"] == 4
    assert 0 <= update["decks"]["live"]["age"] < 60_000  # ms since the save


def test_an_image_edit_is_pushed_without_a_rebuild(live: Callable[..., Live]) -> None:
    served = live()
    stream = EventStream(served.port)
    try:
        stream.next("hello")
        (served.folder / "res" / "fig.png").write_bytes(tiny_png(red=10))
        _, update = stream.next("update")
    finally:
        stream.close()
    assert update["assets"] == ["live/res/fig.png"] and update["decks"] == {}
    assert served.get("/live/res/fig.png").body == tiny_png(red=10)


def test_a_missing_image_that_appears_rebuilds_its_deck(live: Callable[..., Live]) -> None:
    served = live(LIVE_DECK.replace("res/fig.png", "res/later.png"))
    stream = EventStream(served.port)
    try:
        _, hello = stream.next("hello")
        assert "image-missing" in hello["diagnostics"][0]["text"]
        (served.folder / "res" / "later.png").write_bytes(tiny_png(red=99))
        _, update = stream.next("update")
    finally:
        stream.close()
    assert update["ok"] is True and update["diagnostics"] == []
    assert update["decks"]["live"]["edited"] == 3
    assert served.get("/live/res/later.png").body == tiny_png(red=99)


def test_a_build_error_keeps_the_last_good_build_then_recovers(live: Callable[..., Live]) -> None:
    served = live()
    stream = EventStream(served.port)
    try:
        stream.next("hello")
        served.write(BROKEN)
        _, failed = stream.next("update")
        assert failed["ok"] is False and failed["build"] == 1
        (error,) = [d for d in failed["diagnostics"] if d["severity"] == "error"]
        assert re.match(r"^.*live\.md:\d+:\d+: error\[comment-unterminated\]: ", error["text"])
        assert "Body three." in served.get("/live/").text  # the last good build
        late = EventStream(served.port)  # a page opened now learns of the error at once
        try:
            _, hello = late.next("hello")
        finally:
            late.close()
        assert hello["ok"] is False and hello["diagnostics"] == failed["diagnostics"]
        served.write(LIVE_DECK.replace("Body three.", "Fixed."))
        _, fixed = stream.next("update")
    finally:
        stream.close()
    assert fixed["ok"] is True and fixed["build"] == 2
    assert not [d for d in fixed["diagnostics"] if d["severity"] == "error"]
    assert "Fixed." in served.get("/live/").text


def test_an_internal_failure_keeps_the_server_up(
    live: Callable[..., Live], monkeypatch: pytest.MonkeyPatch
) -> None:
    served = live()

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("podium.serve.builder.build_deck", explode)
    stream = EventStream(served.port)
    try:
        stream.next("hello")
        served.write(LIVE_DECK + "\nMore.\n")
        _, update = stream.next("update")
    finally:
        stream.close()
    assert update["ok"] is False
    assert "RuntimeError: a bug" in update["diagnostics"][0]["text"]
    assert served.get("/live/").status == 200


# ---- every way of saving, bursts, saves during builds, idling ------------------------------------


@pytest.mark.parametrize(
    "save", ["in-place", "atomic-rename", "vim", "jetbrains", "delete-recreate"]
)
def test_every_editor_save_gives_one_rebuild_with_the_final_text(
    live: Callable[..., Live], save: str
) -> None:
    served = live(quiet=0.2)  # generous, so that one save can never split in two
    SAVES[save](served.deck, LIVE_DECK.replace("Body three.", f"Saved by {save}."))
    served.wait_for_rebuilds(1)
    time.sleep(0.3)
    assert served.server.rebuilds == 1
    assert f"Saved by {save}." in served.get("/live/").text
    snapshot = served.server.snapshot
    assert snapshot is not None and not [d for d in snapshot.diagnostics if d.severity == "error"]


def test_a_burst_of_saves_gives_one_rebuild(live: Callable[..., Live]) -> None:
    served = live(quiet=0.2)
    for i in range(15):
        served.write(LIVE_DECK.replace("Body three.", f"Version {i}."))
    served.wait_for_rebuilds(1)
    time.sleep(0.4)
    assert served.server.rebuilds == 1
    assert "Version 14." in served.get("/live/").text


def test_a_save_during_a_build_supersedes_it(
    live: Callable[..., Live], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The newest save wins: the build of an older one is dropped, never shown."""
    import podium.serve.builder

    served = live()
    building, release = threading.Event(), threading.Event()
    real = podium.serve.builder.build_deck

    def slow(*args: Any, **kwargs: Any) -> Any:
        building.set()
        assert release.wait(20)
        return real(*args, **kwargs)

    monkeypatch.setattr(podium.serve.builder, "build_deck", slow)
    stream = EventStream(served.port)
    try:
        stream.next("hello")
        served.write(LIVE_DECK.replace("Body three.", "First."))
        assert building.wait(10)
        served.write(LIVE_DECK.replace("Body three.", "Second."))
        served.write(LIVE_DECK.replace("Body three.", "Third."))
        wait_until(served.server._newer_change, what="for the newer save to be seen")
        release.set()
        _, update = stream.next("update")
    finally:
        stream.close()
    (slide,) = update["decks"]["live"]["slides"]
    assert update["build"] == 2 and "Third." in slide["html"]  # the first update is the newest
    served.wait_for_rebuilds(1)
    assert served.server.rebuilds == 1
    assert "Third." in served.get("/live/").text


def two_decks(folder: Path) -> tuple[Path, Path]:
    """A big deck (its build is the slow one) and a small one, in one folder."""
    big, small = folder / "big.md", folder / "small.md"
    big.write_text("".join(f"# Big {i}\n\nText {i}.\n\n---\n\n" for i in range(60)))
    small.write_text("# Small\n\nText.\n")
    (folder / "pyproject.toml").write_text("")
    return big, small


@pytest.mark.timeout(60)
def test_a_slow_deck_does_not_hold_up_another_decks_update(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import podium.serve.builder

    big, small = two_decks(tmp_path)
    real = podium.serve.builder.build_deck
    building, release = threading.Event(), threading.Event()

    def slow(source: Any, **kwargs: Any) -> Any:
        if source.slug == "big" and "Edited big" in source.file.read_text():
            building.set()
            assert release.wait(20)  # as slow as the test wants: until released
        return real(source, **kwargs)

    monkeypatch.setattr(podium.serve.builder, "build_deck", slow)
    server = DevServer([str(tmp_path)], port=0)
    server.builder.templates = tmp_path / "templates-not-watched"
    server.start()
    stream = EventStream(server.port)
    try:
        stream.next("hello")
        big.write_text(big.read_text().replace("Text 30.", "Edited big."))
        assert building.wait(10)
        small.write_text("# Small\n\nEdited small.\n")
        # the big deck's build is still held: the small deck's update comes anyway
        _, first = stream.next("update")
        assert list(first["decks"]) == ["small"] and not release.is_set()
        assert "Edited small." in request(server.port, "/small/").text
        release.set()
        _, second = stream.next("update")
        assert list(second["decks"]) == ["big"] and second["build"] == first["build"] + 1
        assert "Edited big." in request(server.port, "/big/").text
    finally:
        release.set()
        stream.close()
        server.stop()


def test_a_template_change_gives_way_to_a_newer_save_between_pages(tmp_path: Path) -> None:
    from podium.serve.builder import Superseded

    (tmp_path / "a.md").write_text("# Deck a\n", encoding="utf-8")
    builder = SiteBuilder([str(tmp_path)])
    first = builder.rebuild(None)
    assert first is not None
    builder.templates = tmp_path / "templates"
    changed = str(builder.templates / "audience.html.j2")
    checks: list[int] = []

    def waiting() -> bool:  # a save arrives while the second page renders
        checks.append(1)
        return len(checks) > 2

    with pytest.raises(Superseded) as stopped:
        list(builder.rebuild_steps([changed], waiting=waiting))
    assert stopped.value.left == {changed}  # built again next time, with the newer save
    assert builder.served is first.snapshot  # nothing half-built is served
    again = builder.rebuild([changed])
    assert again is not None and again.ok and again.snapshot.build == 2
    builder.close()


def test_decks_changed_together_build_smallest_first(tmp_path: Path) -> None:
    big, small = two_decks(tmp_path)
    server = DevServer([str(tmp_path)], port=0, quiet=0.5)  # both saves in one batch
    server.builder.templates = tmp_path / "templates-not-watched"
    server.start()
    stream = EventStream(server.port)
    try:
        stream.next("hello")
        big.write_text(big.read_text().replace("Text 30.", "Edited big."))  # as git checkout
        small.write_text("# Small\n\nEdited small.\n")
        seen = [list(stream.next("update")[1]["decks"]) for _ in range(2)]
    finally:
        stream.close()
        server.stop()
    assert seen == [["small"], ["big"]]


def test_an_idle_server_never_rebuilds(live: Callable[..., Live]) -> None:
    served = live()
    for _ in range(3):
        assert served.get("/live/").status == 200
        assert served.get("/live/res/fig.png").status == 200
    time.sleep(1.0)
    assert served.server.rebuilds == 0


def test_a_deck_that_goes_and_comes_back(live: Callable[..., Live]) -> None:
    served = live()
    stream = EventStream(served.port)
    try:
        stream.next("hello")
        served.deck.unlink()
        _, gone = stream.next("update")
        assert "live/index.html" in gone["removed"]
        assert served.get("/live/").status == 404
        served.deck.write_text(LIVE_DECK.replace("Body three.", "Back."), encoding="utf-8")
        _, back = stream.next("update")
    finally:
        stream.close()
    assert "live/index.html" in back["changed"] and not back["removed"]
    assert "Back." in served.get("/live/").text


def test_a_named_deck_deleted_is_an_error_until_it_is_back(live: Callable[..., Live]) -> None:
    served = live(named="file")
    stream = EventStream(served.port)
    try:
        stream.next("hello")
        served.deck.unlink()
        _, gone = stream.next("update")
        assert gone["ok"] is False and "cannot read" in gone["diagnostics"][0]["text"]
        assert served.get("/live/").status == 200  # the last good build
        served.deck.write_text(LIVE_DECK.replace("Body three.", "Back."), encoding="utf-8")
        _, back = stream.next("update")
    finally:
        stream.close()
    assert back["ok"] is True and "Back." in served.get("/live/").text


def test_a_template_change_rebuilds_every_deck(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.md").write_text(f"# Deck {name}\n", encoding="utf-8")
    builder = SiteBuilder([str(tmp_path)])
    assert builder.rebuild(None) is not None
    builder.templates = tmp_path / "templates"
    (builder.templates).mkdir()
    (builder.templates / "x.j2").write_text("x")
    update = builder.rebuild([str(builder.templates / "x.j2")])
    assert update is not None and update.rebuilt == ("a", "b")
    only_a = builder.rebuild([str(tmp_path / "a.md")])
    assert only_a is not None and only_a.rebuilt == ("a",)
    assert builder.rebuild([str(tmp_path / "notes.txt")]) is None


def test_a_template_that_does_not_render_keeps_the_last_good_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jinja2

    (tmp_path / "a.md").write_text("# Deck a\n", encoding="utf-8")
    builder = SiteBuilder([str(tmp_path)])
    assert builder.rebuild(None) is not None
    builder.templates = tmp_path / "templates"
    builder.templates.mkdir()

    def broken(*args: object, **kwargs: object) -> None:
        raise jinja2.TemplateSyntaxError("unexpected '}'", 7, "audience.html.j2")

    monkeypatch.setattr("podium.render.render_deck", broken)
    failed = builder.rebuild([str(builder.templates / "audience.html.j2")])
    assert failed is not None and not failed.ok and failed.snapshot.build == 1
    assert failed.diagnostics[-1].format() == (
        "audience.html.j2:7:1: error[template]: TemplateSyntaxError: unexpected '}'"
    )
    monkeypatch.undo()
    fixed = builder.rebuild([str(builder.templates / "audience.html.j2")])
    assert fixed is not None and fixed.ok and fixed.snapshot.build == 2


# ---- ports and shutdown --------------------------------------------------------------------------


def test_a_busy_port_is_a_clear_message_or_the_next_port() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ServeProblem, match=rf"port {port} busy"):
            bind("127.0.0.1", port, tries=1)
        server, note = bind("127.0.0.1", port, tries=5)
        try:
            assert server.server_address[1] != port
            assert note is not None and f"port {port} is busy" in note
        finally:
            server.server_close()


def test_an_address_not_of_this_machine_is_a_clear_message() -> None:
    with pytest.raises(ServeProblem, match="not an address of this machine"):
        bind("203.0.113.7", 0)


def start_cli(*args: str, cwd: Path) -> tuple[subprocess.Popen[str], str]:
    """``podium serve ARGS`` in a child process; returns it and the URL it printed."""
    process = subprocess.Popen(
        [sys.executable, "-m", "podium", "serve", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    for line in process.stdout:
        match = re.search(r"Serving .* at (http://\S+)", line)
        if match:
            return process, match.group(1)
    process.kill()
    raise AssertionError(f"no URL printed: {process.communicate()}")


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_the_command_stops_cleanly(tmp_path: Path, stop: signal.Signals) -> None:
    (tmp_path / "talk.md").write_text(LIVE_DECK.replace("![A figure](res/fig.png)", ""))
    process, url = start_cli("talk.md", "--port", "0", cwd=tmp_path)
    try:
        port = int(url.rsplit(":", 1)[1].strip("/"))
        assert request(port, "/talk/").status == 200
        stream = EventStream(port)  # an open event stream must not hold the shutdown up
        stream.next("hello")
        process.send_signal(stop)
        out, err = process.communicate(timeout=20)
        stream.close()
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert "Stopped." in err and "Traceback" not in err + out


def test_the_command_on_a_busy_port_and_all_interfaces(tmp_path: Path) -> None:
    (tmp_path / "talk.md").write_text("# Talk\n")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        process, url = start_cli("talk.md", "--host", "0.0.0.0", "--port", str(busy), cwd=tmp_path)
        try:
            port = int(url.rsplit(":", 1)[1].strip("/"))
            assert port != busy and request(port, "/talk/").status == 200
            process.send_signal(signal.SIGTERM)
            _, err = process.communicate(timeout=20)
        finally:
            if process.poll() is None:
                process.kill()
    assert f"port {busy} is busy; using port {port} instead" in err
    assert "anyone on this network" in err and "speaker notes" in err
    assert process.returncode == 0 and "Traceback" not in err


def test_no_decks_is_a_clear_message(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "podium", "serve", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert "no decks" in result.stderr and "Traceback" not in result.stderr


# ---- under stress: folders replaced, too many clients, slow builds -------------------------------


def remove_and_recreate(folder: Path, text: str) -> None:
    """``rm -rf slides; git checkout slides``: the folder goes, then comes back, new."""
    import shutil

    shutil.rmtree(folder)
    (folder / "res").mkdir(parents=True)
    (folder / "res" / "fig.png").write_bytes(tiny_png())
    (folder / "live.md").write_text(text, encoding="utf-8")


def swap_in_a_copy(folder: Path, text: str) -> None:
    """A sync tool or editor replacing the folder: a full copy renamed over it."""
    import shutil

    copy = folder.with_name(".deck-incoming")
    (copy / "res").mkdir(parents=True)
    (copy / "res" / "fig.png").write_bytes(tiny_png())
    (copy / "live.md").write_text(text, encoding="utf-8")
    old = folder.with_name(".deck-old")
    folder.rename(old)
    copy.rename(folder)
    shutil.rmtree(old)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("named", ["folder", "file"])
@pytest.mark.parametrize("replace", [remove_and_recreate, swap_in_a_copy])
def test_a_deck_folder_replaced_is_served_and_live_again(
    live: Callable[..., Live], replace: Callable[[Path, str], None], named: str
) -> None:
    served = live(named=named)
    stream = EventStream(served.port)
    try:
        stream.next("hello")
        replace(served.folder, LIVE_DECK.replace("Body three.", "Back."))
        wait_until(lambda: "Back." in served.get("/live/").text, what="for the new folder")
        # The watch is armed on the new folder: the next save is seen, and pushed.
        served.write(LIVE_DECK.replace("Body three.", "After the swap."))
        while True:
            _, update = stream.next("update")
            slides = (update["decks"].get("live") or {}).get("slides") or []
            if any("After the swap." in s["html"] for s in slides):
                break
    finally:
        stream.close()
    assert "After the swap." in served.get("/live/").text
    assert (served.folder.resolve(), False) in served.server.watched_folders


def hang(port: int) -> socket.socket:
    """A client that sends half a request and then nothing (slow, or gone without a word)."""
    connection = socket.create_connection(("127.0.0.1", port), timeout=10)
    connection.sendall(f"GET /live/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode())
    return connection


def read_all(connection: socket.socket) -> bytes:
    data = b""
    with contextlib.suppress(OSError):
        while chunk := connection.recv(65536):
            data += chunk
    return data


@pytest.mark.timeout(60)
def test_past_the_caps_clients_are_refused_and_others_still_answered(
    live: Callable[..., Live],
) -> None:
    served = live(max_connections=6, max_streams=3)
    streams = [EventStream(served.port) for _ in range(3)]
    hanging: list[socket.socket] = []
    try:
        for stream in streams:
            stream.next("hello")
        extra = EventStream(served.port)  # one page too many: told so, in an event
        try:
            kind, refused = extra.next()
        finally:
            extra.close()
        assert kind == "refused" and "too many live pages" in refused["message"]
        # 3 streams + 3 + 5 half-open clients: the oldest hanging ones make room
        hanging = [hang(served.port) for _ in range(8)]
        assert served.get("/live/").status == 200  # a normal GET still answers
        first = read_all(hanging[0])
        assert first.startswith(b"HTTP/1.1 503 ") and b"too many connections" in first
        assert served.server._http is not None and served.server._http.refused >= 6
        # the streams were never dropped for room: they still get the next update
        served.write(LIVE_DECK.replace("Body three.", "Still live."))
        for stream in streams:
            _, update = stream.next("update")
            assert update["build"] == 2
    finally:
        for connection in hanging:
            connection.close()
        for stream in streams:
            stream.close()


def test_when_no_connection_can_make_room_the_newcomer_gets_503(
    live: Callable[..., Live],
) -> None:
    served = live(max_connections=2, max_streams=2)
    streams = [EventStream(served.port) for _ in range(2)]
    try:
        for stream in streams:
            stream.next("hello")
        refused = served.get("/live/")
        assert refused.status == 503 and refused.headers["retry-after"] == "5"
        assert refused.text.count("\n") == 1 and "too many connections" in refused.text
    finally:
        for stream in streams:
            stream.close()
    wait_until(lambda: served.get("/live/").status == 200, what="for room again")
