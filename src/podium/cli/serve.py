"""``podium serve`` on the terminal: what it prints, its logging, Ctrl+C and SIGTERM.

The server itself (:mod:`podium.serve`) prints nothing; this module turns its updates,
log records and problems into lines for the user.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable
from types import FrameType
from typing import TYPE_CHECKING

import click

from podium.cli.output import no_decks, plural, print_diagnostics
from podium.model import Diagnostic
from podium.serve import PORT_TRIES, DevServer, ServeProblem, Update, is_loopback
from podium.site.build import discover_decks

if TYPE_CHECKING:
    from podium.serve.classroom_server import ClassroomServer


class ServeError(click.ClickException):
    """The server cannot start (busy port, bad address, no decks); nothing is running.
    Its message goes to the terminal as ``Error: ...`` and the exit status is 1."""


def run_server(
    paths: list[str],
    *,
    host: str,
    port: int,
    open_browser: bool,
    notes: bool,
    theme: str | None = None,
) -> int:
    """``podium serve``: serve until Ctrl+C or SIGTERM; returns the exit status."""
    if not discover_decks(paths):
        raise ServeError(no_decks(paths))
    _set_up_logging()
    reporter = _Reporter()
    server = DevServer(
        paths,
        host=host,
        port=port,
        notes=notes,
        theme=theme,
        port_tries=PORT_TRIES,
        on_update=reporter,
        # An open page measured its slides: the overflow warnings it found, once each.
        on_layout=print_diagnostics,
    )

    def announce(first: Update) -> None:
        _announce(server, first)
        if open_browser:
            _open(server)

    return _serve(server, reporter, announce)


def run_classroom(
    paths: list[str], *, host: str | None, port: int, theme: str | None = None
) -> int:
    """``podium serve --classroom``: open to the class until Ctrl+C or SIGTERM."""
    from podium.serve.classroom import primary_address
    from podium.serve.classroom_server import ClassroomServer

    if not discover_decks(paths):
        raise ServeError(no_decks(paths))
    _set_up_logging()
    reporter = _Reporter()
    address = host
    if host is None or host in ("0.0.0.0", "::"):
        address = primary_address()
        if address is None:
            click.secho(
                "warning: no network found, so only this computer can join (127.0.0.1):"
                " connect to the class's Wi-Fi, or name an address with --host",
                fg="yellow",
                err=True,
            )
            address = "127.0.0.1"
    assert address is not None
    server = ClassroomServer(
        paths,
        host=host or address,
        address=address,
        port=port,
        port_tries=PORT_TRIES,
        on_update=reporter,
        theme=theme,
    )
    return _serve(server, reporter, lambda first: _announce_class(server, first))


def _serve(server: DevServer, reporter: _Reporter, announce: Callable[[Update], None]) -> int:
    stop = threading.Event()
    restore_sigterm = _stop_on_sigterm(stop)
    try:
        click.echo("Building…", err=True)
        try:
            first = server.start()
        except ServeProblem as problem:  # busy port, bad address: nothing is running
            raise ServeError(str(problem)) from None
        try:
            print_diagnostics(first.diagnostics)
            reporter.shown = set(first.diagnostics)
            announce(first)
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            click.echo("\nStopping…", err=True)
            server.stop()
    finally:
        restore_sigterm()
    click.echo("Stopped.", err=True)
    return 0


def _announce_class(server: ClassroomServer, first: Update) -> None:
    from podium.serve.classroom_server import qr_text
    from podium.site.polls import results_folder

    if server.port_note:
        click.echo(f"note: {server.port_note}", err=True)
    decks = first.snapshot.decks
    click.echo(f"Class in session: {plural(len(decks), 'deck')} at {server.url}  (Ctrl+C to stop)")
    click.echo(f"Students join at  {server.join_url()}")
    click.echo(qr_text(server.join_url()), nl=False)
    click.echo("Presenter (keep this address to yourself: it controls the class):")
    for built in decks:
        click.echo(f"  {built.source.display}")
        click.echo(f"    {server.presenter_url(built.source.slug)}")
    click.echo("  (the presenter view shows it as a QR code too, to open it on your phone)")
    if decks:
        click.echo(f"Poll results are saved in {results_folder(decks[0].source.file)}")


class _OneLine(logging.Formatter):
    """A log record as one line: the user sees what failed, not a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        text = f"{record.levelname.lower()}: {record.getMessage()}"
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            text += f": {type(error).__name__}: {error}"
        return text


def _drop_watchdog_stop_noise(record: logging.LogRecord) -> bool:
    # watchdog logs this at error level when its observer stops mid-read (harmless).
    return "called when the thread is inactive" not in record.getMessage()


def _set_up_logging() -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(_OneLine())
    handler.addFilter(_drop_watchdog_stop_noise)
    if os.environ.get("PODIUM_DEBUG"):
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    for name in ("podium", "watchdog"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(handler)
            logger.propagate = False


def _stop_on_sigterm(stop: threading.Event) -> Callable[[], None]:
    """SIGTERM sets ``stop`` (as Ctrl+C stops the loop); returns what puts the old handler back."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def handle(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, handle)

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous)

    return restore


def _announce(server: DevServer, first: Update) -> None:
    if server.port_note:
        click.echo(f"note: {server.port_note}", err=True)
    if not is_loopback(server.host):
        click.secho(
            f"warning: listening on {server.host}: anyone on this network can open these pages,"
            " speaker notes included (--no-notes leaves them out)",
            fg="yellow",
            err=True,
        )
    decks = first.snapshot.decks
    slides = sum(len(b.deck.slides) for b in decks)
    click.echo(
        f"Serving {len(decks)} deck{'s' if len(decks) != 1 else ''} ({slides} slides)"
        f" at {server.url}  (Ctrl+C to stop)"
    )
    for built in decks:
        base = f"{server.url}{built.source.slug}/"
        click.echo(f"  {built.source.display}")
        click.echo(f"    audience   {base}")
        if server.builder.notes:
            click.echo(f"    presenter  {base}presenter.html")
        click.echo(f"    handout    {base}handout.html")
    folders = len(server.watched_folders)
    click.echo(f"Watching {folders} folder{'s' if folders != 1 else ''} for changes.")


class _Reporter:
    """One line per rebuild on the terminal, with its diagnostics: every error, and the
    warnings that are new (the ones already shown are only counted, not repeated)."""

    def __init__(self, shown: Iterable[Diagnostic] = ()) -> None:
        self.shown = set(shown)

    def __call__(self, update: Update) -> None:
        fresh = [d for d in update.diagnostics if d.severity == "error" or d not in self.shown]
        print_diagnostics(fresh)
        self.shown = set(update.diagnostics)
        stamp = time.strftime("%H:%M:%S")
        what = ", ".join(update.rebuilt) or "images"
        warnings = sum(1 for d in update.diagnostics if d.severity == "warning")
        tail = f"; {plural(warnings, 'warning')}" if warnings else ""
        if not update.ok:
            errors = sum(1 for d in update.diagnostics if d.severity == "error")
            click.secho(
                f"[{stamp}] {what}: {plural(errors, 'error')}; still serving build"
                f" {update.snapshot.build}{tail}",
                fg="red",
                err=True,
            )
            return
        slides = sum(len(c.slides or ()) for c in update.decks.values())
        how = f", {plural(slides, 'slide')} patched" if slides else ""
        took = f"{update.seconds * 1000:.0f} ms"
        build = update.snapshot.build
        click.echo(f"[{stamp}] rebuilt {what} in {took}{how} (build {build}){tail}", err=True)


def _open(server: DevServer) -> None:
    import webbrowser

    snapshot = server.snapshot
    first = snapshot.decks[0].source.slug + "/" if snapshot and snapshot.decks else ""
    threading.Thread(target=webbrowser.open, args=(server.url + first,), daemon=True).start()
