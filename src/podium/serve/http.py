"""The HTTP side of the dev server: a stdlib threading server with caps, and its handler.

Safety: URLs are looked up as keys of the in-memory site, never joined onto a folder; the
Host header must name this server (DNS rebinding); no CORS headers, no directory listings,
no request changes the site (the one POST, a page's fit report, only adds
warnings). The live-reload client, ``/__podium/live.js``, is added
to HTML pages only here, as they are served; ``podium build`` output never contains it.
"""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import json
import logging
import mimetypes
import re
import select
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import quote, unquote

from podium.parse.assets import read_image
from podium.serve.builder import ServeProblem, render_problem
from podium.serve.events import Broadcaster, event_bytes
from podium.serve.snapshot import Page, ServedFile, Snapshot, find_deck

log = logging.getLogger(__name__)

EVENTS_PATH = "/__podium/events"
CLIENT_PATH = "/__podium/live.js"
#: Where an open page reports how its slides fit (POST, this server's own pages only).
FIT_PATH = "/__podium/fit"
#: The code that measures a page's slides for that report (loaded by the live client).
FIT_CLIENT_PATH = "/__podium/fit-report.js"
#: The header a fit report must carry: a page of another site cannot send it without a
#: CORS preflight, which this server never answers (so it cannot forge reports).
FIT_HEADER = "X-Podium-Fit"
#: The largest fit report read, in bytes. A page sends only the slides that scroll or wrap
#: code, about 250 bytes each: a thousand of them.
MAX_FIT_BODY = 256 * 1024
#: Ports tried after a busy one before giving up.
PORT_TRIES = 20
#: Seconds between keep-alive comments on an idle event stream (they also find dead clients).
KEEPALIVE_SECONDS = 15.0
#: Seconds between checks that an idle event stream's page is still there.
GONE_CHECK_SECONDS = 1.0
#: Connections open at once: pages, idle keep-alives, event streams. Past it, the connection
#: idle longest (waiting for a request, or a slow client still sending one) is closed to make
#: room; when none is idle, the newcomer gets a 503.
MAX_CONNECTIONS = 64
#: Event streams open at once (every open page holds one); past it a page is told so.
MAX_EVENT_STREAMS = 32
#: Seconds one read or write may wait on a client before its connection is dropped (a
#: half-open or stalled client; above KEEPALIVE_SECONDS, so an idle stream stays up).
IO_TIMEOUT_SECONDS = 20.0


class LiveSite(Protocol):
    """What the handler asks of the dev server (:class:`podium.serve.server.DevServer`)."""

    broadcaster: Broadcaster
    host_names: frozenset[str]

    @property
    def port(self) -> int: ...

    @property
    def snapshot(self) -> Snapshot | None: ...

    def client_tag(self, build: int) -> bytes:
        """The ``<script>`` that loads the live-reload client into a page."""
        ...

    def hello(self) -> tuple[int, dict[str, Any]]:
        """The event count and the state a new stream starts from (taken together)."""
        ...

    def fit_report(self, page: str, build: int, report: object) -> list[dict[str, str]] | None:
        """Take a page's report of how its slides fit; the deck's layout warnings as the
        page shows them, or None when the page is not a deck's of the served build."""
        ...


# ---- URLs and hosts ------------------------------------------------------------------------------

_PERCENT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\\]")


def site_key(target: str) -> str | None:
    """The :attr:`Snapshot.files` key a request target names, or None.

    Decoded once; anything that is not a plain path inside the site is refused: a NUL or
    other control character, a backslash, a ``.`` or ``..`` or empty segment, a second layer
    of %-encoding, bytes that are not UTF-8. ``/deck/`` names ``deck/index.html``.
    """
    path = target.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/") or len(path) > 4096:
        return None
    try:
        decoded = unquote(path, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        return None
    if _CONTROL.search(decoded) or _PERCENT_ESCAPE.search(decoded):
        return None
    segments = decoded[1:].split("/")
    folder = segments[-1] == ""
    if folder:
        segments.pop()
    if any(segment in ("", ".", "..") for segment in segments):
        return None
    return "/".join([*segments, "index.html"] if folder else segments)


_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def allowed_host_names(host: str) -> frozenset[str]:
    """Names (beside IP literals) a Host header may use: localhost, and when the server is
    open to the network, this machine's own names."""
    names = set(_LOOPBACK_NAMES)
    if host and not is_ip(host):
        names.add(host.lower().rstrip("."))
    if not is_loopback(host):
        for name in (socket.gethostname(), socket.getfqdn()):
            names.add(name.lower().rstrip("."))
    return frozenset(names)


def host_allowed(header: str | None, *, port: int, names: frozenset[str]) -> bool:
    """Whether a Host header names this server: an IP address or one of ``names``, with our
    port. A name any website can point at 127.0.0.1 (DNS rebinding) is refused."""
    if not header:
        return False
    value = header.strip().lower()
    if value.startswith("["):
        name, _, rest = value[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
        if rest and not rest.startswith(":"):
            return False
    else:
        name, colon, port_text = value.rpartition(":") if ":" in value else (value, "", "")
        if not colon:
            name = value
    if port_text:
        if not port_text.isdigit() or int(port_text) != port:
            return False
    elif port != 80:
        return False
    name = name.rstrip(".")
    return is_ip(name) or name in names


def is_ip(text: str) -> bool:
    """Whether ``text`` is an IP address (IPv6 with or without its brackets)."""
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True


def is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


#: The policy of everything served that is not a page: an SVG (or any file) opened on its
#: own runs no script and loads nothing; as an ``<img>`` (how pages use it) it is unaffected.
RESOURCE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"


def page_policy(snapshot: Snapshot, key: str) -> str:
    """The Content-Security-Policy header of a served page: the one in its ``<meta>`` (its
    deck's; the strict one for the site index) plus ``frame-ancestors 'self'``."""
    from podium.render import content_security_policy

    slug, _, rest = key.partition("/")
    built = find_deck(snapshot.decks, slug) if rest else None
    unsafe = built is not None and built.deck.unsafe_html
    return content_security_policy(unsafe_html=unsafe, header=True)


def inject_client(page: bytes, tag: bytes) -> bytes:
    """Insert the live-reload script before the last ``</body>`` (or at the end)."""
    at = page.lower().rfind(b"</body>")
    return page + tag if at < 0 else page[:at] + tag + page[at:]


def client_script() -> bytes:
    """The live-reload client; read on each request, so editing it needs no restart."""
    from podium.render import TEMPLATES_DIR

    return (TEMPLATES_DIR / "serve" / "live.js").read_bytes()


def fit_script() -> bytes:
    """The fit report's code (``podium.fitReport``), read on each request like the client."""
    from podium.render import TEMPLATES_DIR

    return (TEMPLATES_DIR / "serve" / "fit-report.js").read_bytes()


# ---- the server and its handler ------------------------------------------------------------------


def too_many(what: str, cap: int) -> str:
    """The one-line refusal a client gets past a cap."""
    return (
        f"podium serve is busy: too many {what} open (at most {cap}). Close some tabs,"
        " or stop the program that keeps opening them."
    )


class CappedHTTPServer(ThreadingHTTPServer):
    """A thread per connection, with a cap on connections and on event streams (see
    :data:`MAX_CONNECTIONS`): a browser with many tabs, or a client that misbehaves, cannot
    make it spawn threads without end or keep others out."""

    daemon_threads = True
    #: Connections the kernel holds before they are accepted (the stdlib's 5 drops a class's
    #: burst of 300 joining at once: their SYNs are retried after 1, 3, 7 s...).
    request_queue_size = 128
    app: LiveSite

    def __init__(
        self,
        address: tuple[str, int],
        family: socket.AddressFamily,
        handler: type[BaseHTTPRequestHandler] | None = None,
    ) -> None:
        self.address_family = family
        super().__init__(address, handler or _Handler)
        self.max_connections = MAX_CONNECTIONS
        self.max_streams = MAX_EVENT_STREAMS
        self.refused = 0
        """Connections and streams refused past a cap, and idle connections closed for room."""
        self._connections: set[socket.socket] = set()
        self._idle: dict[socket.socket, float] = {}
        """Connections waiting for (the rest of) a request, and since when."""
        self._streams = 0
        self._warned = False
        self._handlers: set[threading.Thread] = set()
        self._tracking = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._tracking:
            admitted = len(self._connections) < self.max_connections or self._evict_idle()
            if admitted:
                thread = threading.Thread(
                    target=self._handle,
                    args=(request, client_address),
                    name="podium-request",
                    daemon=True,
                )
                self._connections.add(request)
                self._idle[request] = time.monotonic()
                self._handlers.add(thread)
        if not admitted:
            self._refuse(request, 503, too_many("connections", self.max_connections))
            self.shutdown_request(request)
            return
        thread.start()

    def _evict_idle(self) -> bool:
        """Close the connection idle longest to make room (holding the lock); False if none."""
        if not self._idle:
            return False
        oldest = min(self._idle, key=self._idle.__getitem__)
        del self._idle[oldest]
        self._connections.discard(oldest)
        self._refuse(oldest, 503, too_many("connections", self.max_connections))
        with contextlib.suppress(OSError):
            oldest.shutdown(socket.SHUT_RDWR)  # its thread reads the end and finishes
        return True

    def _refuse(self, connection: socket.socket, status: int, text: str) -> None:
        """Answer a one-line plain text without waiting on the client (it may not read)."""
        self.refused += 1
        self._warn(text)
        body = (text + "\n").encode()
        head = (
            f"HTTP/1.1 {status} Service Unavailable\r\nContent-Type: text/plain; charset=utf-8"
            f"\r\nContent-Length: {len(body)}\r\nRetry-After: 5\r\nConnection: close\r\n\r\n"
        )
        with contextlib.suppress(OSError):
            connection.send(head.encode() + body, socket.MSG_DONTWAIT)

    def _warn(self, text: str) -> None:
        if not self._warned:  # once per rush, not once per refusal
            self._warned = True
            log.warning("%s (refused so far: %d)", text, self.refused)

    def waiting(self, connection: socket.socket, idle: bool) -> bool:
        """Mark a connection as waiting for a request (``idle``) or answering one; False when
        it was closed for room meanwhile (then it must not answer)."""
        with self._tracking:
            if idle:
                if connection not in self._connections:
                    return False
                self._idle[connection] = time.monotonic()
                return True
            return self._idle.pop(connection, None) is not None

    def open_stream(self) -> bool:
        """Count an event stream in; False past the cap."""
        with self._tracking:
            if self._streams >= self.max_streams:
                self.refused += 1
                self._warn(too_many("live pages (event streams)", self.max_streams))
                return False
            self._streams += 1
            return True

    def close_stream(self) -> None:
        with self._tracking:
            self._streams -= 1

    def _handle(self, request: Any, client_address: Any) -> None:
        try:
            self.process_request_thread(request, client_address)
        finally:
            with self._tracking:
                self._connections.discard(request)
                self._idle.pop(request, None)
                self._handlers.discard(threading.current_thread())
                if len(self._connections) < self.max_connections // 2:
                    self._warned = False  # the rush is over: warn again next time

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("error while answering %s", client_address, exc_info=True)

    def close_connections(self, timeout: float = 5.0) -> None:
        """Shut every open connection (idle keep-alives, event streams) and wait for their
        threads, so stopping leaves nothing running."""
        with self._tracking:
            connections, threads = list(self._connections), list(self._handlers)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + timeout
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))


class Refusal(Exception):
    """A request refused (403, 429, ...) with a line of text saying why."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


class _Handler(BaseHTTPRequestHandler):
    server: CappedHTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "podium"
    sys_version = ""
    timeout = IO_TIMEOUT_SECONDS  # per read or write: an idle keep-alive is closed after it

    def handle_one_request(self) -> None:
        # Idle (closable for room) until the request's head is in; see CappedHTTPServer.
        if self.server.waiting(self.connection, True):
            super().handle_one_request()
        else:
            self.close_connection = True

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if not self.server.waiting(self.connection, False):
            self.close_connection = True  # closed for room while it was being read
            return False
        return True

    def handle(self) -> None:
        with contextlib.suppress(OSError):  # the client went away: nothing to say about it
            super().handle()

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def do_POST(self) -> None:
        """Only the fit report (:data:`FIT_PATH`): from this server's own pages, small, and
        carrying :data:`FIT_HEADER`; anything else is refused before its body is read."""
        app = self.server.app
        if self.path.split("?", 1)[0] != FIT_PATH:  # as for any method the server lacks
            self.send_error(501, f"Unsupported method ({self.command!r})")
            return
        if not self._host_ok():
            self._refuse_post(403, "Forbidden: this server answers only to its own address.\n")
            return
        origin = self.headers.get("Origin")
        if self.headers.get(FIT_HEADER) != "1" or (
            origin is not None and origin != f"http://{self.headers.get('Host')}"
        ):
            self._refuse_post(403, "Forbidden: fit reports are for this server's own pages.\n")
            return
        length_text = self.headers.get("Content-Length", "")
        if not length_text.isdigit():
            self._refuse_post(411, "Length required.\n")
            return
        length = int(length_text)
        if length > MAX_FIT_BODY:
            self._refuse_post(413, "Too large.\n")
            return
        try:
            sent = json.loads(self.rfile.read(length))
        except (ValueError, UnicodeDecodeError):
            self._plain(400, "Not JSON.\n", False)
            return
        page = sent.get("page") if isinstance(sent, dict) else None
        build = sent.get("build") if isinstance(sent, dict) else None
        if not isinstance(page, str) or not isinstance(build, int) or isinstance(build, bool):
            self._plain(400, "Expected {page, build, slides}.\n", False)
            return
        shown = app.fit_report(page, build, sent.get("slides"))
        if shown is None:
            self._plain(409, "Not a deck's page of the build served now.\n", False)
            return
        data = json.dumps({"diagnostics": shown}).encode()
        self._send(200, data, "application/json", False)

    def _refuse_post(self, status: int, text: str) -> None:
        self.close_connection = True  # the body, if any, is not read: the connection ends
        self._plain(status, text, False)

    def _host_ok(self) -> bool:
        app = self.server.app
        return host_allowed(self.headers.get("Host"), port=app.port, names=app.host_names)

    def _route(self, route: str, head: bool) -> bool:
        """Answer a route of the server's own (not a file of the site); False if none."""
        if route == EVENTS_PATH:
            self._events(head)
            return True
        if route == CLIENT_PATH:
            self._send(200, client_script(), "text/javascript; charset=utf-8", head)
            return True
        if route == FIT_CLIENT_PATH:
            self._send(200, fit_script(), "text/javascript; charset=utf-8", head)
            return True
        return False

    def _site(self, key: str | None) -> Snapshot | None:
        """The build this request is answered from (classroom mode has two)."""
        return self.server.app.snapshot

    def _client_tag(self, build: int) -> bytes:
        return self.server.app.client_tag(build)

    def _answer(self, *, head: bool) -> None:
        if not self._host_ok():
            self._plain(403, "Forbidden: this server answers only to its own address.\n", head)
            return
        if self._route(self.path.split("?", 1)[0], head):
            return
        key = site_key(self.path)
        try:
            snapshot = self._site(key)
        except Refusal as refusal:
            self._plain(refusal.status, refusal.text, head)
            return
        if key is None or snapshot is None:
            self._plain(404, "Not found.\n", head)
            return
        content = snapshot.files.get(key)
        if content is None:
            if f"{key}/index.html" in snapshot.files:
                self._redirect(quote(f"/{key}/"), head)
            else:
                self._plain(404, "Not found.\n", head)
            return
        try:
            data = _read(content)
        except Exception as exc:  # a page that does not render: say so, keep serving
            log.error("%s", render_problem(exc).format())
            self._plain(500, "This page could not be rendered: see the terminal.\n", head)
            return
        if data is None:
            self._plain(404, "Not found.\n", head)
            return
        kind = mimetypes.guess_type(key)[0] or "application/octet-stream"
        policy = RESOURCE_POLICY
        if kind == "text/html":
            data = inject_client(data, self._client_tag(snapshot.build))
            policy = page_policy(snapshot, key)
        if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml"):
            kind += "; charset=utf-8"
        self._send(200, data, kind, head, policy=policy, headers=self._page_headers(key))

    def _page_headers(self, key: str) -> tuple[tuple[str, str], ...]:
        """Headers beside the usual ones for a file of the site (classroom mode: a cookie)."""
        return ()

    def _send(
        self,
        status: int,
        data: bytes,
        kind: str,
        head: bool,
        *,
        policy: str = RESOURCE_POLICY,
        headers: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", policy)
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _plain(self, status: int, text: str, head: bool) -> None:
        self._send(status, text.encode("utf-8"), "text/plain; charset=utf-8", head)

    def _redirect(self, location: str, head: bool) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # The stdlib's HTML error page echoes the request; a short plain text says enough.
        self.close_connection = True
        with contextlib.suppress(OSError):
            self._plain(code, f"{message or 'Error'}\n", head=self.command == "HEAD")

    def _events(self, head: bool) -> None:
        origin = self.headers.get("Origin")
        if origin is not None and origin != f"http://{self.headers.get('Host')}":
            self._plain(403, "Forbidden: events are for this server's own pages.\n", head)
            return
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        if head:
            return
        if not self.server.open_stream():
            # Past the cap: a 200 with one event the page shows (an EventSource given an
            # error status gives up for good); it tries again after `retry`.
            text = too_many("live pages", self.server.max_streams)
            self.wfile.write(b"retry: 10000\n\n" + event_bytes("refused", {"message": text}))
            return
        try:
            self._stream(*self._stream_source())
        finally:
            self.server.close_stream()

    def _stream_source(self) -> tuple[Broadcaster, Callable[[], tuple[int, dict[str, Any]]]]:
        """The events this client gets, and the state its stream starts from."""
        app = self.server.app
        return app.broadcaster, app.hello

    def _stream(
        self, broadcaster: Broadcaster, hello_of: Callable[[], tuple[int, dict[str, Any]]]
    ) -> None:
        seq, hello = hello_of()
        self.wfile.write(b"retry: 1000\n\n" + event_bytes("hello", hello))
        self.wfile.flush()
        quiet = 0.0
        while True:
            events = broadcaster.wait(seq, GONE_CHECK_SECONDS)
            if events is None:
                return
            if not events:
                # A page closed leaves its stream to us: give its slot back soon, not at
                # the next keep-alive's failed write.
                if self._client_gone():
                    return
                quiet += GONE_CHECK_SECONDS
                if quiet < KEEPALIVE_SECONDS:
                    continue
                quiet = 0.0
                self.wfile.write(b": keep-alive\n\n")
            elif events[0][0] == -1:
                seq, hello = hello_of()
                self.wfile.write(event_bytes("hello", hello))
            else:
                seq = events[-1][0]
                self.wfile.write("".join(text for _, text in events).encode("utf-8"))
            self.wfile.flush()

    def _client_gone(self) -> bool:
        """The client closed its end (an event stream's client never sends anything)."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and not self.connection.recv(1, socket.MSG_PEEK)
        except (OSError, ValueError):
            return True


def _read(content: ServedFile) -> bytes | None:
    if isinstance(content, bytes):
        return content
    if isinstance(content, Page):
        return content.content()
    try:
        # The build checked this image is inside the project; if it has since been swapped
        # for a symlink that leads elsewhere, it is not served.
        if content.resolve() != content:
            return None
        return read_image(content)  # still an image (not edited into a page), read unblocked
    except OSError:
        return None


def bind(
    host: str,
    port: int,
    *,
    tries: int = PORT_TRIES,
    handler: type[BaseHTTPRequestHandler] | None = None,
) -> tuple[CappedHTTPServer, str | None]:
    """Listen on ``host:port``, or the next free port; returns the server and a note when
    another port was used. Raises :class:`ServeProblem` with a clear message otherwise."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    address = host.strip("[]")
    last = port + (tries - 1 if port else 0)
    for candidate in range(port, min(last, 65535) + 1):
        try:
            server = CappedHTTPServer((address, candidate), family, handler)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                continue
            if exc.errno == errno.EACCES:
                raise ServeProblem(
                    f"no permission to listen on port {candidate} (ports below 1024 need"
                    " root): use --port 8000"
                ) from None
            if isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
                raise ServeProblem(
                    f"cannot listen on {host}: not an address of this machine"
                ) from None
            raise ServeProblem(
                f"cannot listen on {host}:{candidate}: {exc.strerror or exc}"
            ) from None
        actual = server.server_address[1]
        note = None if candidate == port else f"port {port} is busy; using port {actual} instead"
        return server, note
    span = f"ports {port}-{last}" if last > port else f"port {port}"
    raise ServeProblem(f"{span} busy: stop the other server, or choose one with --port")
