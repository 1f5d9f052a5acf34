"""The dev server: the build in memory, the HTTP server and the watcher, tied together.

:class:`DevServer` serves the last good :class:`~podium.serve.snapshot.Snapshot` (see
:mod:`podium.serve.http`), watches the sources (:mod:`podium.serve.watch`) and publishes
every rebuild as a server-sent event (:mod:`podium.serve.events`). It prints nothing: it
reports each rebuild to its ``on_update`` callback and logs what goes wrong.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from podium.model import Diagnostic
from podium.serve.builder import SiteBuilder, Superseded, Update, render_problem
from podium.serve.events import Broadcaster, diagnostics_json, update_event
from podium.serve.http import (
    CLIENT_PATH,
    MAX_CONNECTIONS,
    MAX_EVENT_STREAMS,
    CappedHTTPServer,
    allowed_host_names,
    bind,
)
from podium.serve.snapshot import Snapshot, find_deck
from podium.serve.watch import QUIET_SECONDS, Debouncer, Watcher
from podium.site.build import discover_decks
from podium.site.fit import fit_diagnostics, read_fit_report

log = logging.getLogger(__name__)


class DevServer:
    """The whole dev server: the build in memory, the HTTP server, the watcher.

    Use it as a context manager, or call :meth:`start` and :meth:`stop`.
    """

    #: The request handler (classroom mode has its own); None: the dev server's.
    handler_class: type[BaseHTTPRequestHandler] | None = None

    def __init__(
        self,
        paths: Sequence[str],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        notes: bool = True,
        theme: str | None = None,
        quiet: float = QUIET_SECONDS,
        port_tries: int = 1,
        on_update: Callable[[Update], None] | None = None,
        max_connections: int = MAX_CONNECTIONS,
        max_streams: int = MAX_EVENT_STREAMS,
        on_layout: Callable[[list[Diagnostic]], None] | None = None,
    ) -> None:
        self.host = host
        self._caps = (max_connections, max_streams)
        self.builder = SiteBuilder(paths, notes=notes, theme=theme)
        self.broadcaster = Broadcaster()
        self.host_names = allowed_host_names(host)
        self.instance = f"{os.getpid():x}{time.time_ns() & 0xFFFFFF:x}"
        self.on_update = on_update
        self.on_layout = on_layout
        """Told the layout warnings an open page's fit report brings that are new."""
        self._layout: dict[str, tuple[Diagnostic, ...]] = {}
        """Each deck's layout warnings (by slug), as its page last reported them."""
        self.port_note: str | None = None
        self._requested = (port, port_tries)
        self._debouncer = Debouncer(self._rebuild, quiet=quiet)
        self._watcher = Watcher(self._debouncer.notify)
        self._publishing = threading.Lock()
        self._http: CappedHTTPServer | None = None
        self._serving: threading.Thread | None = None
        self._state: tuple[int, dict[str, Any]] = (0, {})
        self.watch_problems: list[str] = []
        self.rebuilds = 0
        """Rebuilds that built something (tests count them)."""

    # -- life cycle

    def start(self) -> Update:
        port, tries = self._requested
        self._http, self.port_note = bind(self.host, port, tries=tries, handler=self.handler_class)
        self._http.app = self
        self._http.max_connections, self._http.max_streams = self._caps
        try:
            self._watcher.start()
            self._rewatch(initial=True)
            first = self.builder.rebuild(None)
            assert first is not None
            first.snapshot.render_pages()
            self._state = (self.broadcaster.seq, self._hello_data(first))
            self._rewatch()
            self._debouncer.start()
            self._serving = threading.Thread(
                target=self._http.serve_forever,
                kwargs={"poll_interval": 0.2},
                name="podium-http",
                daemon=True,
            )
            self._serving.start()
        except BaseException:
            self.stop()
            raise
        return first

    def stop(self) -> None:
        self._debouncer.stop()
        self._watcher.stop()
        self.builder.close()
        self.broadcaster.close()
        if self._http is not None:
            if self._serving is not None:
                self._http.shutdown()
                self._serving.join(10)
            self._http.close_connections()
            self._http.server_close()

    def __enter__(self) -> DevServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- facts

    @property
    def port(self) -> int:
        return self._http.server_address[1] if self._http else 0

    @property
    def url(self) -> str:
        shown = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        shown = "[::1]" if shown == "::" else shown
        if ":" in shown and not shown.startswith("["):
            shown = f"[{shown}]"
        return f"http://{shown}:{self.port}/"

    @property
    def snapshot(self) -> Snapshot | None:
        return self.builder.served

    @property
    def idle(self) -> bool:
        return self._debouncer.idle

    @property
    def watched_folders(self) -> set[tuple[Path, bool]]:
        return self._watcher.folders

    def client_tag(self, build: int) -> bytes:
        return (
            f'<script src="{CLIENT_PATH}" data-instance="{self.instance}"'
            f' data-build="{build}" defer></script>\n'
        ).encode()

    def hello(self) -> tuple[int, dict[str, Any]]:
        """The event count and the state a new stream starts from (taken together)."""
        with self._publishing:
            return self._state

    def _hello_data(self, update: Update) -> dict[str, Any]:
        return {
            "instance": self.instance,
            "build": update.snapshot.build,
            "ok": update.ok,
            "diagnostics": diagnostics_json(update.diagnostics),
        }

    def fit_report(self, page: str, build: int, report: object) -> list[dict[str, str]] | None:
        """An open page's report of how its slides fit (``P.fitFacts``, see
        :mod:`podium.site.fit`): ``on_layout`` hears the warnings that changed since its
        deck's last report, once; returns the deck's layout warnings for the page's badge,
        or None when ``page`` is not a deck's audience page of the build served now."""
        snapshot = self.snapshot
        slug, _, view = page.partition("/")
        built = find_deck(snapshot.decks, slug) if snapshot is not None else None
        if built is None or snapshot is None or build != snapshot.build or view != "index.html":
            return None
        found = tuple(fit_diagnostics(built.deck, read_fit_report(report, len(built.deck.slides))))
        with self._publishing:
            before = self._layout.get(slug, ())
            self._layout[slug] = found
        fresh = [d for d in found if d not in before]
        if fresh and self.on_layout is not None:
            self.on_layout(fresh)
        return diagnostics_json(found)

    # -- rebuilding (in the debouncer's thread)

    def _rebuild(self, changed: frozenset[str]) -> frozenset[str]:
        """Build and push; returns the paths left for the next build (a newer save came)."""
        try:
            for update in self.builder.rebuild_steps(changed, waiting=self._newer_change):
                self._push(update)
        except Superseded as newer:
            return newer.left
        except Exception as exc:  # a bug must not take the server down: say so, keep serving
            log.exception("the rebuild failed")
            update_or_none = self._internal_error(exc)
            if update_or_none is not None:
                self._push(update_or_none)
        finally:
            self._rewatch()
        return frozenset()

    def _newer_change(self) -> bool:
        """A change waits that the build in progress must give way to."""
        return self.builder.supersedes(self._debouncer.pending())

    def _push(self, update: Update) -> None:
        with self._publishing:
            seq = self.broadcaster.publish("update", update_event(update))
            self._state = (seq, self._hello_data(update))
        self.rebuilds += 1
        if self.on_update is not None:
            self.on_update(update)
        try:
            # For the pages that reload: after the push, and only while nothing else waits.
            update.snapshot.render_pages(until=self._debouncer.has_pending)
        except Exception as exc:  # the page answers 500 when asked for; say why here
            log.error("%s", render_problem(exc).format())

    def _internal_error(self, exc: Exception) -> Update | None:
        served = self.builder.served
        if served is None:
            return None
        problem = Diagnostic(
            "podium", 1, 1, "error", "internal", f"the build failed: {type(exc).__name__}: {exc}"
        )
        return Update(False, served, (problem,), (), 0.0)

    def _rewatch(self, *, initial: bool = False) -> None:
        folders = self.builder.watched_folders()
        if initial:
            for source in discover_decks(self.builder.paths):
                folders.add((source.file.resolve().parent, False))
        for problem in self._watcher.watch(folders):
            if problem not in self.watch_problems:
                self.watch_problems.append(problem)
                log.warning("%s", problem)
