"""Helpers shared by the test modules (tests/conftest.py keeps only fixtures).

A test module imports from here, never from another test module: constants of the project,
deck folders, the browsers' paths, the CLI's build, the dev server the ``live`` fixture starts,
the ways editors save a file, hostile and ordinary SVGs, the views' help table.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pytest
from click.testing import CliRunner

from podium.cli.app import cli
from podium.serve import DevServer

ROOT = Path(__file__).resolve().parent.parent
KERAS_DECK = ROOT / "slides" / "intro-keras.md"
FEATURES_DECK = ROOT / "tests" / "decks" / "every-feature.md"
#: md2googleslides' example deck (Apache-2.0, tests/decks/LICENSE.md2googleslides), unchanged:
#: every feature of the dialect the Keras deck was written in, remote images and a video.
GOOGLE_DECK = ROOT / "tests" / "decks" / "md2googleslides-example.md"
#: The first bytes of a PNG: enough for podium to take a file as a real image.
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(17)

#: The ``deck_dir`` fixture: writes ``{relative path: text or bytes}``, returns the folder.
DeckDir = Callable[[dict[str, str | bytes]], Path]


def build(runner: CliRunner, *args: str) -> tuple[int, str]:
    """``podium build ARGS``: (exit status, output); a traceback in podium is raised, not hidden."""
    result = runner.invoke(cli, ["build", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


# ---- the browsers (tests/conftest.py launches them) ----------------------------------------------

CHROMIUM_CANDIDATES = ("/usr/lib/chromium/chromium-headless-shell", "/usr/lib/chromium/chromium")
# Keep every hostname but loopback from resolving: nothing can load from the internet.
NO_NETWORK = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost"
FIREFOX = "/usr/bin/firefox-esr"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
XVFB = "/usr/bin/Xvfb"


def chromium_path() -> str | None:
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit
    return next((p for p in CHROMIUM_CANDIDATES if os.path.exists(p)), None)


def engine_missing(reason: str) -> NoReturn:
    """Skip a test whose browser is not installed; on CI (env CI set) that is a failure."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: `make browsers` installs it")
    pytest.skip(f"{reason}; run `make browsers`")


class Web:
    """One browser context for a test: every page's console errors, uncaught exceptions and
    requests are recorded; the test fails at teardown on any error or outside request."""

    LOCAL = ("file://", "http://127.0.0.1", "data:", "about:", "blob:")

    def __init__(self, browser: Any, **options: Any) -> None:
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.context = browser.new_context(**options)
        self.context.on("request", self._request)
        self.context.on("page", self._watch)

    def _request(self, request: Any) -> None:
        if not request.url.startswith(self.LOCAL):
            self.outside.append(request.url)

    def _watch(self, page: Any) -> None:
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))

    def page(self, url: str | None = None) -> Any:
        page = self.context.new_page()
        if url:
            page.goto(url)
        return page

    def close(self) -> None:
        self.context.close()


# ---- the dev server: the `live` fixture (tests/conftest.py) --------------------------------------

LIVE_DECK = """# Live deck

---

# Steps

{.incremental}
- one
- two
- three

<!-- note for the steps -->

---

# Third

Body three.

![A figure](res/fig.png)
"""

BROKEN = LIVE_DECK.replace("# Third", "<!-- never closed\n\n# Third")


def tiny_png(red: int = 255) -> bytes:
    """A valid 2x2 PNG of one colour (no image library needed)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + bytes([red, 40, 40]) * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def podium_threads() -> set[threading.Thread]:
    """Threads the dev server starts: its own (podium-*) and watchdog's."""
    return {
        t
        for t in threading.enumerate()
        if t.name.startswith("podium") or type(t).__module__.startswith("watchdog")
    }


def at(page: Any, slide: int, step: int = 0) -> None:
    """Wait until the page's deck is at slide/step (windows sync asynchronously)."""
    page.wait_for_function(
        "([n, s]) => window.podium && podium.state && podium.state.slide === n"
        " && podium.state.step === s",
        arg=[slide, step],
        timeout=5000,
    )


def wait_until(condition: Callable[[], object], timeout: float = 15.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting {what}")
        time.sleep(0.01)


class Live:
    """A deck folder (``live.md``, ``res/fig.png``) served by a running DevServer."""

    def __init__(self, folder: Path, server: DevServer) -> None:
        self.folder = folder
        self.deck = folder / "live.md"
        self.server = server
        self.port = server.port
        self.base = server.url.rstrip("/")

    def url(self, path: str) -> str:
        return self.base + path

    def write(self, text: str) -> None:
        """Save the deck atomically, as most editors do."""
        temporary = self.deck.with_name(".live.md.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, self.deck)

    def wait_for_rebuilds(self, count: int, timeout: float = 15.0) -> None:
        wait_until(
            lambda: self.server.rebuilds >= count and self.server.idle,
            timeout,
            f"for {count} rebuilds (have {self.server.rebuilds})",
        )

    def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        return request(self.port, path, headers=headers)


def serve_live(tmp_path: Path) -> Iterator[Callable[..., Live]]:
    """The ``live`` fixture's body: start servers on demand, stop them all, check threads."""
    started: list[DevServer] = []
    before = podium_threads()

    def start(
        text: str = LIVE_DECK,
        *,
        quiet: float = 0.05,
        notes: bool = True,
        named: str = "folder",
        **options: Any,
    ) -> Live:
        folder = tmp_path / "deck"
        (folder / "res").mkdir(parents=True, exist_ok=True)
        (folder / "res" / "fig.png").write_bytes(tiny_png())
        (folder / "live.md").write_text(text, encoding="utf-8")
        path = folder if named == "folder" else folder / "live.md"
        # Hermetic: the project is tmp_path, and the shared templates/ (which others may be
        # editing right now) is not watched, so every rebuild counted is one the test made.
        (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
        server = DevServer([str(path)], port=0, quiet=quiet, notes=notes, **options)
        server.builder.templates = tmp_path / "templates-not-watched"
        server.start()
        started.append(server)
        return Live(folder, server)

    yield start
    for server in started:
        server.stop()
    wait_until(lambda: not (podium_threads() - before), 10, "for the server's threads to end")


class Response:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def request(
    port: int,
    path: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes = b"",
) -> Response:
    """One request over a raw socket, the path sent byte for byte (NUL, backslash, ``..``):
    http.client and urllib would refuse or normalise the hostile ones. A ``body`` is sent
    as given, after the headers (say its Content-Length in ``headers``)."""
    sent = {"Host": f"127.0.0.1:{port}", "Connection": "close", **(headers or {})}
    head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in sent.items())
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall((head + "\r\n").encode("utf-8", "surrogateescape") + body)
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    top, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = top.decode("latin-1").split("\r\n")
    found = {}
    for line in lines:
        name, _, value = line.partition(":")
        found[name.strip().lower()] = value.strip()
    return Response(int(status_line.split()[1]), found, body)


# ---- how editors save a file ---------------------------------------------------------------------


def in_place(deck: Path, text: str) -> None:
    with deck.open("w", encoding="utf-8") as f:  # truncate ...
        f.flush()
        os.fsync(f.fileno())
        f.write(text)  # ... then write: two modified events


def atomic_rename(deck: Path, text: str) -> None:
    temporary = deck.with_name(f".{deck.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, deck)


def vim(deck: Path, text: str) -> None:
    probe = deck.with_name("4913")
    probe.write_text("")
    probe.unlink()
    swap = deck.with_name(f".{deck.name}.swp")
    swap.write_bytes(b"b0VIM")
    backup = deck.with_name(deck.name + "~")
    os.rename(deck, backup)
    deck.write_text(text, encoding="utf-8")
    backup.unlink()
    swap.unlink()


def jetbrains(deck: Path, text: str) -> None:
    temporary = deck.with_name(deck.name + "___jb_tmp___")
    old = deck.with_name(deck.name + "___jb_old___")
    temporary.write_text(text, encoding="utf-8")
    os.rename(deck, old)
    os.rename(temporary, deck)
    old.unlink()


def delete_then_recreate(deck: Path, text: str) -> None:
    deck.unlink()
    time.sleep(0.02)
    deck.write_text(text, encoding="utf-8")


SAVES: dict[str, Callable[[Path, str], None]] = {
    "in-place": in_place,
    "atomic-rename": atomic_rename,
    "vim": vim,
    "jetbrains": jetbrains,
    "delete-recreate": delete_then_recreate,
}


# ---- images a deck may bring ---------------------------------------------------------------------

EVIL_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    b'viewBox="0 0 4 4" onload="alert(1)"><script>alert(2)</script>'
    b"<foreignObject><body xmlns='http://www.w3.org/1999/xhtml'><script>alert(3)</script>"
    b"</body></foreignObject>"
    b'<a xlink:href="javascript:alert(4)"><rect width="1" height="1"/></a>'
    b'<use href="https://evil.example/x.svg#a"/><image href="../../.ssh/id_rsa"/>'
    b'<circle r="1" onclick="alert(5)" fill="blue"/>'
    b'<rect width="2" height="2" style="fill: url(https://evil.example/p); stroke: red"/></svg>'
)
PLOT_SVG = (  # as matplotlib and Inkscape write them: metadata, version=, style= everywhere
    b'<?xml version="1.0" encoding="utf-8" standalone="no"?>\n'
    b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n'
    b'  "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
    b'<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="46pt" height="34pt" '
    b'viewBox="0 0 46 34" xmlns="http://www.w3.org/2000/svg" version="1.1" '
    b'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape">'
    b"<metadata><rdf:RDF><cc:Work><dc:date>2026-12-01</dc:date></cc:Work></rdf:RDF></metadata>"
    b'<g id="line2d_1" inkscape:label="line"><path d="M 5 30 L 41 4" clip-path="url(#p1)" '
    b'style="fill: none; stroke: #1f77b4; stroke-width: 1.5; stroke-linecap: square"/></g>'
    b'<defs><clipPath id="p1"><rect x="5" y="4" width="36" height="26"/></clipPath></defs>'
    b"</svg>\n"
)


# ---- the views' help dialog ----------------------------------------------------------------------

# The keys the help shows, and the keys the view's handler answers to (podium.handledKeys,
# read from the same table the handler is built from), as the help labels them.
HELP_KBDS = "() => [...document.querySelectorAll('#podium-help tbody kbd')].map(k => k.textContent)"
HANDLED = "() => podium.handledKeys.map(podium.keyLabel)"


def help_misses(page: Any) -> tuple[list[str], list[str]]:
    """(keys handled but not in the help, keys in the help but not handled)."""
    shown = set(page.evaluate(HELP_KBDS))
    handled = set(page.evaluate(HANDLED))
    digits_shown = {"0", "9"} <= shown  # the help shows 0 … 9
    missing = sorted(k for k in handled - shown if not (k.isdigit() and digits_shown))
    return missing, sorted(shown - handled)


# ---- the classroom (podium serve --classroom) ----------------------------------------------------

#: The Keras deck with one poll (a quiz) on slide 8: a copy, never slides/intro-keras.md.
CLASSROOM_DECK = ROOT / "tests" / "decks" / "keras-classroom.md"


class Class:
    """A copy of the classroom deck served by a running ClassroomServer, in a project of its
    own (its poll results are saved under ``folder/.podium/polls``)."""

    def __init__(self, folder: Path, server: Any) -> None:
        self.folder = folder
        self.deck = folder / "keras-classroom.md"
        self.server = server
        self.port: int = server.port

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        return request(self.port, path, headers=headers)

    def post(self, path: str, body: object, headers: dict[str, str] | None = None) -> Response:
        """A POST with a JSON body, as the classroom client sends it."""
        import json

        data = json.dumps(body).encode()
        sent = {"Content-Type": "application/json", "Content-Length": str(len(data))}
        return request(
            self.port, path, method="POST", headers={**sent, **(headers or {})}, body=data
        )


def serve_class(tmp_path: Path) -> Iterator[Callable[..., Class]]:
    """The ``classroom`` fixture's body: start classroom servers on demand (on 127.0.0.1),
    stop them all, check that no thread is left."""
    from podium.serve.classroom_server import ClassroomServer

    started: list[Any] = []
    before = podium_threads()

    def start(*, port: int = 0, **options: Any) -> Class:
        folder = tmp_path / "course"
        folder.mkdir(exist_ok=True)
        (folder / "pyproject.toml").write_text("", encoding="utf-8")
        deck = folder / "keras-classroom.md"
        if not deck.exists():
            deck.write_text(CLASSROOM_DECK.read_text(encoding="utf-8"), encoding="utf-8")
            (folder / "res").mkdir()
            for image in (ROOT / "res").glob("introkeras*.png"):  # the deck's figures
                (folder / "res" / image.name).write_bytes(image.read_bytes())
        server = ClassroomServer([str(deck)], host="127.0.0.1", port=port, quiet=0.05, **options)
        server.builder.templates = server.students.templates = tmp_path / "templates-not-watched"
        server.start()
        started.append(server)
        return Class(folder, server)

    yield start
    for server in started:
        server.stop()
    wait_until(lambda: not (podium_threads() - before), 10, "for the server's threads to end")


# ---- math: the corpus of lecture TeX (tests/fixtures/math_corpus.txt) ---------------------------

MATH_CORPUS = ROOT / "tests" / "fixtures" / "math_corpus.txt"


@dataclass(frozen=True)
class MathCase:
    """One expression of the corpus and what a reader must see of it."""

    line: int
    title: str
    tex: str
    texts: tuple[str, ...]
    """Text the rendering shows (``text:`` lines), invisible operators left out."""
    rows: int
    """How many lines it is drawn on at least (``rows:``), 1 when not said."""

    @property
    def braces(self) -> tuple[int, int]:
        """How many ``{`` and ``}`` the reader should see: the ones written as symbols."""
        tex = self.tex
        opened = tex.count("\\{") + tex.count("\\lbrace") + tex.count("\\begin{cases}")
        return opened, tex.count("\\}") + tex.count("\\rbrace")


def math_corpus() -> list[MathCase]:
    from markdown_it.utils import read_fixture_file

    cases = []
    for line, title, text, expected in read_fixture_file(MATH_CORPUS):
        checks = [item.partition(":") for item in expected.splitlines() if item.strip()]
        cases.append(
            MathCase(
                line,
                title,
                text.strip(),
                tuple(value.strip() for key, _, value in checks if key == "text"),
                max([int(value) for key, _, value in checks if key == "rows"], default=1),
            )
        )
    return cases


def math_deck(cases: list[MathCase]) -> str:
    """A deck of one display expression a slide, each titled with its corpus line."""
    return "\n---\n\n".join(f"## {c.line} {c.title}\n\n$$\n{c.tex}\n$$\n" for c in cases)
