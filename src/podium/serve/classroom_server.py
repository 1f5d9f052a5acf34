"""``podium serve --classroom``: the dev server, open to a class on the local network.

Two builds of every deck are held: the instructor's (notes included) and the students'
(built without notes, so no note text is in any file or event a student can get). A
request is the instructor's only when it carries the secret: ``?key=`` once (which sets an
HttpOnly cookie for the pages), then the cookie for pages and events, and the
``X-Podium-Key`` header for every control (a POST): a cookie alone never moves the class,
so another site cannot either. Wrong guesses are rate-limited per client address.

Routes besides the site's files (see docs/classroom.md):

- ``GET /__podium/classroom.js``, ``/__podium/classroom.css``: the classroom client;
- ``GET /__podium/classroom/join.svg?deck=SLUG``: the join URL's QR code (anyone);
- ``GET /__podium/classroom/remote.svg?deck=SLUG``: the presenter URL's (instructor);
- ``POST /__podium/classroom/position|poll|show`` (instructor), ``/vote`` (anyone).
"""

from __future__ import annotations

import datetime
import html
import io
import json
import logging
import secrets
import threading
from collections.abc import Callable, Sequence
from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

from podium.serve.builder import SiteBuilder, Update
from podium.serve.classroom import (
    DEVICE_ID,
    Classroom,
    GuessLimiter,
    PollState,
    same_secret,
)
from podium.serve.events import Broadcaster, update_event
from podium.serve.http import (
    EVENTS_PATH,
    FIT_PATH,
    Refusal,
    _Handler,
    host_allowed,
    is_ip,
    is_loopback,
    site_key,
)
from podium.serve.server import DevServer
from podium.serve.snapshot import Snapshot, find_deck
from podium.serve.watch import QUIET_SECONDS

log = logging.getLogger(__name__)

#: A class is bigger than one person's tabs: these caps replace 64 and 32 (see serve.md).
CLASSROOM_MAX_CONNECTIONS = 640
CLASSROOM_MAX_STREAMS = 512
KEY_HEADER = "X-Podium-Key"
DEVICE_HEADER = "X-Podium-Device"
KEY_COOKIE = "podium_key"
PREFIX = "/__podium/classroom"
#: A control's body is a few numbers: anything longer is refused unread.
MAX_BODY = 2048
#: Seconds between saves of the results (votes come in bursts).
SAVE_EVERY = 0.5
#: Seconds the instructor's live counts are held back to gather a burst of votes.
COUNTS_EVERY = 0.1
#: The classroom's own events (besides the dev server's ``hello`` and ``update``).
EVENT_NAMES = "position poll show"


class ClassroomServer(DevServer):
    """The dev server for a class: see the module's docstring."""

    def __init__(
        self,
        paths: Sequence[str],
        *,
        host: str,
        address: str | None = None,
        port: int = 0,
        quiet: float = QUIET_SECONDS,
        port_tries: int = 1,
        on_update: Callable[[Update], None] | None = None,
        max_connections: int = CLASSROOM_MAX_CONNECTIONS,
        max_streams: int = CLASSROOM_MAX_STREAMS,
        secret: str | None = None,
        today: Callable[[], str] = lambda: datetime.date.today().isoformat(),
        theme: str | None = None,
    ) -> None:
        super().__init__(
            paths,
            host=host,
            port=port,
            notes=True,
            theme=theme,
            quiet=quiet,
            port_tries=port_tries,
            on_update=on_update,
            max_connections=max_connections,
            max_streams=max_streams,
        )
        self.address = address or host
        """The address students reach the server at (shown, and allowed as Host)."""
        self.host_ips = frozenset({self.address, host, "127.0.0.1", "::1"})
        self.secret = secret or secrets.token_urlsafe(16)  # 128 bits
        self.students = SiteBuilder(paths, notes=False, theme=theme)
        self.student_broadcaster = Broadcaster()
        self.classroom = Classroom()
        self.limiter = GuessLimiter()
        self._student_hello: dict[str, Any] = {}
        self._today = today
        self._counts_pending: set[tuple[str, str]] = set()
        self._counts_lock = threading.Lock()
        self._saver: threading.Thread | None = None
        self._stopping = threading.Event()
        self.saved: set[Path] = set()
        """The results files written so far."""

    # -- life cycle

    def start(self) -> Update:
        first_students = self.students.rebuild(None)
        assert first_students is not None
        first_students.snapshot.render_pages()
        self._student_hello = {**self._hello_data(first_students), "diagnostics": []}
        first = super().start()
        self.classroom.set_decks(first.snapshot.decks)
        self._saver = threading.Thread(target=self._save_loop, name="podium-polls", daemon=True)
        self._saver.start()
        return first

    def stop(self) -> None:
        self._stopping.set()
        self.classroom.changed.set()
        if self._saver is not None:
            self._saver.join(10)
        self.student_broadcaster.close()
        super().stop()
        self.students.close()

    # -- facts

    @property
    def url(self) -> str:
        shown = f"[{self.address}]" if ":" in self.address else self.address
        return f"http://{shown}:{self.port}/"

    def join_url(self, slug: str | None = None) -> str:
        """Where students go: the deck's audience view (the first deck's by default)."""
        slug = slug or self._first_slug()
        return self.url + (quote(slug) + "/" if slug else "")

    def presenter_url(self, slug: str | None = None) -> str:
        """The instructor's: the presenter view, with the secret."""
        slug = slug or self._first_slug()
        return f"{self.url}{quote(slug or '')}/presenter.html?key={self.secret}"

    def _first_slug(self) -> str | None:
        snapshot = self.snapshot
        return snapshot.decks[0].source.slug if snapshot and snapshot.decks else None

    @property
    def student_snapshot(self) -> Snapshot | None:
        return self.students.served

    def hello_for(self, *, instructor: bool) -> tuple[int, dict[str, Any]]:
        """A new stream's start: the event count and the state, taken together."""
        with self._publishing:
            if instructor:
                seq, data = self._state
            else:
                seq, data = self.student_broadcaster.seq, self._student_hello
            return seq, {**data, "classroom": self.classroom.state(instructor=instructor)}

    def client_tags(self, build: int, *, instructor: bool, slug: str | None) -> bytes:
        """The live-reload client (told to pass on the classroom's events) and the
        classroom client, with the secret for the instructor's pages only."""
        key = f' data-key="{self.secret}"' if instructor else ""
        deck = f' data-deck="{html.escape(slug)}"' if slug else ""
        join = f' data-join="{html.escape(self.join_url(slug))}"' if slug else ""
        # A student's phone measures its own screen, not the deck's fit: it reports none.
        fit = "" if instructor else ' data-fit="off"'
        return (
            f'<script src="/__podium/live.js" data-instance="{self.instance}"'
            f' data-build="{build}" data-events="{EVENT_NAMES}"{fit} defer></script>\n'
            f'<link rel="stylesheet" href="{PREFIX}.css">\n'
            f'<script src="{PREFIX}.js" data-role="{"instructor" if instructor else "student"}"'
            f"{deck}{join}{key} defer></script>\n"
        ).encode()

    # -- rebuilding: the students' build follows the instructor's

    def _rebuild(self, changed: frozenset[str]) -> frozenset[str]:
        left = super()._rebuild(changed)
        try:
            for update in self.students.rebuild_steps(changed):
                self._push_students(update)
        except Exception:  # a bug must not take the server down
            log.exception("the students' rebuild failed")
        served = self.builder.served
        if served is not None:
            self.classroom.set_decks(served.decks)
        return left

    def _push_students(self, update: Update) -> None:
        # No diagnostics for students: they are the instructor's to fix, and they hold the
        # deck's path on the instructor's machine. No "jump to the slide just edited" either:
        # students follow the presenter, not the instructor's editor.
        event = {**update_event(update), "diagnostics": []}
        event["decks"] = {slug: {**deck, "edited": None} for slug, deck in event["decks"].items()}
        with self._publishing:
            self.student_broadcaster.publish("update", event)
            self._student_hello = {**self._hello_data(update), "diagnostics": []}
        update.snapshot.render_pages(until=self._debouncer.has_pending)

    # -- the class

    def publish(self, name: str, instructor: dict[str, Any], students: dict[str, Any]) -> None:
        with self._publishing:
            seq = self.broadcaster.publish(name, instructor)
            self._state = (seq, self._state[1])
            self.student_broadcaster.publish(name, students)

    def move(self, deck: str, slide: int, step: int, blackout: bool, sender: str) -> None:
        position = self.classroom.move(deck, slide, step, blackout, sender)
        self.publish("position", position, position)

    def show_qr(self, on: bool) -> None:
        shown = self.classroom.show_qr(on)
        self.publish("show", shown, shown)

    def poll_changed(self, state: PollState) -> None:
        self.publish(
            "poll",
            self.classroom.poll_event(state, instructor=True),
            self.classroom.poll_event(state, instructor=False),
        )

    def vote(self, deck: str, poll_id: str, option: int, device: str) -> str:
        outcome = self.classroom.vote(deck, poll_id, option, device)
        if outcome == "ok":
            self._counts_soon(deck, poll_id)
        return outcome

    def _counts_soon(self, deck: str, poll_id: str) -> None:
        """The instructor's live counts, once per burst of votes (not once per vote)."""
        with self._counts_lock:
            if (deck, poll_id) in self._counts_pending:
                return
            self._counts_pending.add((deck, poll_id))
        timer = threading.Timer(COUNTS_EVERY, self._send_counts, args=(deck, poll_id))
        timer.daemon = True
        timer.start()

    def _send_counts(self, deck: str, poll_id: str) -> None:
        with self._counts_lock:
            self._counts_pending.discard((deck, poll_id))
        state = self.classroom.poll(deck, poll_id)
        if state is not None:
            with self._publishing:
                seq = self.broadcaster.publish(
                    "poll", self.classroom.poll_event(state, instructor=True)
                )
                self._state = (seq, self._state[1])

    # -- saving the results under the project

    def _save_loop(self) -> None:
        while True:
            self.classroom.changed.wait()
            stopping = self._stopping.is_set()
            self.classroom.changed.clear()
            try:
                self.save_results()
            except OSError as exc:
                log.warning("could not save the poll results: %s", exc)
            if stopping:
                return
            self._stopping.wait(SAVE_EVERY)

    def save_results(self) -> None:
        """Write every deck's results (``.podium/polls/<deck>-<date>.json``), atomically."""
        from podium.site.polls import results_file, write_results

        snapshot = self.snapshot
        if snapshot is None:
            return
        date = self._today()
        for slug, polls in self.classroom.results().items():
            built = find_deck(snapshot.decks, slug)
            if built is None:
                continue
            path = results_file(built.source.file, slug, date)
            write_results(path, {"deck": slug, "date": date, "polls": polls})
            self.saved.add(path)


class ClassroomHandler(_Handler):
    """The dev server's handler, with the instructor/student split and the class's routes."""

    _instructor = False

    @property
    def app(self) -> ClassroomServer:
        app = self.server.app
        assert isinstance(app, ClassroomServer)
        return app

    # -- who is asking

    def _host_ok(self) -> bool:
        """The chosen address (or loopback) with our port; no other address, no other name."""
        app = self.app
        header = self.headers.get("Host")
        if not host_allowed(header, port=app.port, names=app.host_names):
            return False
        name = (header or "").strip().lower().rpartition(":")[0] or (header or "")
        name = name.strip("[]")
        return name in app.host_ips or not is_ip(name)

    def _cookie_key(self) -> str | None:
        try:
            cookie = SimpleCookie(self.headers.get("Cookie") or "")
        except CookieError:
            return None
        morsel = cookie.get(KEY_COOKIE)
        return morsel.value if morsel is not None else None

    def _query_key(self) -> str | None:
        query = parse_qs(self.path.partition("?")[2])
        values = query.get("key")
        return values[0] if values else None

    def _check(self, given: str | None, *, required: bool) -> bool:
        """Whether ``given`` is the secret. A wrong one is a failed guess; past the limit
        the address is refused (429) whatever it says. ``required``: refuse (403) when not."""
        address = str(self.client_address[0])
        limiter = self.app.limiter
        if (given is not None or required) and limiter.blocked(address):
            raise Refusal(429, "Too many wrong keys: wait a minute.\n")
        if same_secret(given, self.app.secret):
            return True
        if given is not None or required:
            limiter.failed(address)
        if required:
            raise Refusal(403, "Forbidden: this needs the presenter's key.\n")
        return False

    def _is_instructor(self, *, required: bool) -> bool:
        query = self._query_key()
        if query is not None:
            return self._check(query, required=required)
        cookie = self._cookie_key()
        if required:
            return self._check(cookie, required=True)
        # A stale cookie (the server restarted: a new key) on a student's page is no guess.
        return same_secret(cookie, self.app.secret)

    # -- the site, split in two

    def _site(self, key: str | None) -> Snapshot | None:
        instructor_only = key is not None and key.rpartition("/")[2] == "presenter.html"
        self._instructor = self._is_instructor(required=instructor_only)
        return self.app.snapshot if self._instructor else self.app.student_snapshot

    def _page_headers(self, key: str) -> tuple[tuple[str, str], ...]:
        if self._instructor and self._query_key() is not None:
            cookie = f"{KEY_COOKIE}={self.app.secret}; Path=/; HttpOnly; SameSite=Strict"
            return (("Set-Cookie", cookie), ("Referrer-Policy", "no-referrer"))
        return ()

    def _client_tag(self, build: int) -> bytes:
        key = site_key(self.path) or ""
        snapshot = self.app.snapshot
        slugs = [b.source.slug for b in snapshot.decks] if snapshot else []
        inside = [slug for slug in slugs if key.startswith(slug + "/")]
        slug = max(inside, key=len) if inside else None
        return self.app.client_tags(build, instructor=self._instructor, slug=slug)

    def _stream_source(self) -> tuple[Broadcaster, Callable[[], tuple[int, dict[str, Any]]]]:
        app = self.app
        if same_secret(self._cookie_key(), app.secret):
            return app.broadcaster, lambda: app.hello_for(instructor=True)
        return app.student_broadcaster, lambda: app.hello_for(instructor=False)

    # -- the class's own routes

    def _route(self, route: str, head: bool) -> bool:
        if route == EVENTS_PATH or not route.startswith(PREFIX):
            return super()._route(route, head)
        try:
            self._classroom_get(route, head)
        except Refusal as refusal:
            self._plain(refusal.status, refusal.text, head)
        return True

    def _classroom_get(self, route: str, head: bool) -> None:
        from podium.render import TEMPLATES_DIR

        if route in (f"{PREFIX}.js", f"{PREFIX}.css"):
            name = "classroom." + route.rpartition(".")[2]
            kind = "text/javascript" if name.endswith(".js") else "text/css"
            data = (TEMPLATES_DIR / "serve" / name).read_bytes()
            self._send(200, data, f"{kind}; charset=utf-8", head)
        elif route in (f"{PREFIX}/join.svg", f"{PREFIX}/remote.svg"):
            decks = parse_qs(self.path.partition("?")[2]).get("deck")
            slug = decks[0] if decks else None
            snapshot = self.app.snapshot
            if slug is not None and (snapshot is None or find_deck(snapshot.decks, slug) is None):
                raise Refusal(404, "Not found.\n")
            if route.endswith("join.svg"):
                url, title = self.app.join_url(slug), "Join the class"
            else:
                self._is_instructor(required=True)
                url, title = self.app.presenter_url(slug), "The presenter's remote"
            self._send(200, qr_svg(url, title), "image/svg+xml; charset=utf-8", head)
        else:
            raise Refusal(404, "Not found.\n")

    def do_POST(self) -> None:
        if self.path.split("?", 1)[0] == FIT_PATH and same_secret(
            self._cookie_key(), self.app.secret
        ):
            # The instructor's page reports the fit as in plain serve; a student's phone
            # measures its own screen, which says nothing about the deck.
            super().do_POST()
            return
        try:
            status, answer = self._post()
        except Refusal as refusal:
            status, answer = refusal.status, refusal.text
        self.close_connection = self.close_connection or status >= 400
        self._send(status, answer.encode(), "text/plain; charset=utf-8", False)

    def _post(self) -> tuple[int, str]:
        if not self._host_ok():
            return 403, "Forbidden: this server answers only to its own address.\n"
        origin = self.headers.get("Origin")
        if origin is not None and origin != f"http://{self.headers.get('Host')}":
            return 403, "Forbidden: controls are for this server's own pages.\n"
        route = self.path.split("?", 1)[0]
        if not route.startswith(PREFIX + "/"):
            return 404, "Not found.\n"
        body = self._body()
        action = route[len(PREFIX) + 1 :]
        if action == "vote":
            return self._vote(body)
        if action not in ("position", "poll", "show"):
            return 404, "Not found.\n"
        self._check(self.headers.get(KEY_HEADER), required=True)  # the header, never a cookie
        app = self.app
        if action == "position":
            deck, slide, step = _text(body, "deck"), _number(body, "slide"), _number(body, "step")
            app.move(deck, slide, step, bool(body.get("blackout")), _text(body, "from"))
        elif action == "show":
            app.show_qr(bool(body.get("qr")))
        else:
            deck, poll_id, what = _text(body, "deck"), _text(body, "id"), _text(body, "action")
            if what == "reopen":
                state = app.classroom.reopen(deck, poll_id)
            elif what in ("reveal", "hide"):
                state = app.classroom.reveal(deck, poll_id, what == "reveal")
            else:
                return 400, "Unknown action.\n"
            if state is None:
                return 404, "No such poll.\n"
            app.poll_changed(state)
        return 200, "ok\n"

    def _vote(self, body: dict[str, Any]) -> tuple[int, str]:
        device = self.headers.get(DEVICE_HEADER) or ""
        if not DEVICE_ID.match(device):
            return 400, "A vote needs the device's id.\n"
        outcome = self.app.vote(
            _text(body, "deck"), _text(body, "id"), _number(body, "option"), device
        )
        return {
            "ok": (200, "ok\n"),
            "closed": (409, "This poll is closed.\n"),
            "full": (409, "This poll has all the votes it can count.\n"),
        }.get(outcome, (404, "No such poll.\n"))

    def _body(self) -> dict[str, Any]:
        try:
            length = int(self.headers.get("Content-Length") or "0")
        except ValueError:
            raise Refusal(400, "Bad length.\n") from None
        if not 0 <= length <= MAX_BODY:
            raise Refusal(413, "Too long.\n")
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if kind != "application/json":
            raise Refusal(415, "Send JSON.\n")
        try:
            data = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            raise Refusal(400, "Not JSON.\n") from None
        if not isinstance(data, dict):
            raise Refusal(400, "Not a JSON object.\n")
        return data


ClassroomServer.handler_class = ClassroomHandler


def _text(body: dict[str, Any], name: str) -> str:
    value = body.get(name, "")
    if not isinstance(value, str) or len(value) > 200:
        raise Refusal(400, f"Bad {name}.\n")
    return value


def _number(body: dict[str, Any], name: str) -> int:
    value = body.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 1_000_000:
        raise Refusal(400, f"Bad {name}.\n")
    return value


def qr_svg(url: str, title: str) -> bytes:
    """The QR code of ``url`` as an SVG that we generate (paths only: no script)."""
    import segno

    out = io.BytesIO()
    segno.make(url, error="m").save(
        out, kind="svg", scale=8, border=2, xmldecl=False, dark="#111", light="#fff", title=title
    )
    return out.getvalue()


def qr_text(url: str) -> str:
    """The QR code of ``url`` for the terminal (half blocks: two rows a line)."""
    import segno

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True)
    return out.getvalue()


__all__ = [
    "CLASSROOM_MAX_CONNECTIONS",
    "CLASSROOM_MAX_STREAMS",
    "ClassroomHandler",
    "ClassroomServer",
    "is_loopback",
    "qr_text",
]
