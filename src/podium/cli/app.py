"""The full command line: a thin click group over :mod:`podium.cli.build` (build, check) and
the serve command's terminal part.

Heavy modules (markdown-it, Jinja2, Pygments) are imported inside the commands, so
``podium --help`` answers at once.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

from podium import __version__
from podium.cli import output
from podium.cli.build import (
    BUILD_FLAGS,
    CHECK_FLAGS,
    OUTPUT,
    THEME,
    THEME_NAMES,
    Flag,
    NoDecks,
    OutputRefused,
    UsageProblem,
    chosen,
    named_or_default,
)

if TYPE_CHECKING:
    from pathlib import Path

    from podium.site.sources import DeckSource

Command = TypeVar("Command", bound=Callable[..., Any])

#: ``--theme``: every deck in one built-in theme, over its front matter and the course's.
THEME_OPTION = click.option(
    *THEME,
    type=click.Choice(THEME_NAMES),
    default=None,
    help="Show every deck in this theme (over its front matter and [tool.podium]).",
)

# Click's own `exists=True` check gives exit status 2 and a clear message for a bad path.
SOURCE_PATHS = click.argument(
    "paths", nargs=-1, type=click.Path(exists=True, dir_okay=True, file_okay=True)
)


def flag_options(flags: Sequence[Flag]) -> Callable[[Command], Command]:
    """Click options for ``flags``, listed in their order."""

    def decorate(command: Command) -> Command:
        for flag in reversed(flags):  # click lists the last decorator applied first
            command = click.option(*flag.names, flag.dest, is_flag=True, help=flag.help)(command)
        return command

    return decorate


class RefusedOutput(click.ClickException):
    """The output folder is not safe to write to; nothing was written."""

    exit_code = 2


def _sources(paths: Sequence[str]) -> list[str]:
    try:
        return named_or_default(paths)
    except UsageProblem as problem:
        raise click.UsageError(str(problem)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="podium", message=output.VERSION)
def cli() -> None:
    """Markdown slide decks to an audience view, a presenter view and a lesson handout."""


@cli.command()
@SOURCE_PATHS
@click.option(
    *OUTPUT,
    "out",
    default=output.DEFAULT_OUTPUT,
    show_default=True,
    type=click.Path(file_okay=True, dir_okay=True),
    help="Output folder.",
)
@flag_options(BUILD_FLAGS)
@THEME_OPTION
def build(paths: tuple[str, ...], out: str, theme: str | None, **flags: bool) -> None:
    """Build decks (files or folders; default slides/) into a static site."""
    from podium.cli.build import run_build

    started = time.perf_counter()
    sources, folder = _plan(_sources(paths), out)
    options: dict[str, Any] = dict(chosen(BUILD_FLAGS, flags))
    if theme is not None:  # as the fast path does: no --theme, no keyword
        options["theme"] = theme
    sys.exit(run_build(sources, folder, started=started, **options))


def _plan(named: list[str], out: str) -> tuple[list[DeckSource], Path]:
    from podium.cli.build import plan_build

    try:
        return plan_build(named, out)
    except NoDecks as problem:
        raise click.UsageError(str(problem)) from None
    except OutputRefused as problem:
        raise RefusedOutput(str(problem)) from None


@cli.command()
@SOURCE_PATHS
@flag_options(CHECK_FLAGS)
def check(paths: tuple[str, ...], **flags: bool) -> None:
    """Check decks and print every problem as path:line:col: severity[code]: message."""
    from podium.cli.build import run_check

    try:
        status = run_check(_sources(paths), **chosen(CHECK_FLAGS, flags))
    except NoDecks as problem:
        raise click.UsageError(str(problem)) from None
    sys.exit(status)


@cli.command()
@click.argument("deck", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the model as JSON (for tools).")
def inspect(deck: str, as_json: bool) -> None:
    """Print the parsed model of one deck."""
    import json

    from podium.site.build import discover_decks, load_deck

    model = load_deck(discover_decks([deck])[0])
    if as_json:
        click.echo(json.dumps(model.to_json(), indent=2, ensure_ascii=False))
    else:
        from podium.dump import dump_deck

        click.echo(dump_deck(model), nl=False)
        output.print_diagnostics(model.diagnostics, verbose=True)
    sys.exit(1 if model.has_errors else 0)


@cli.command()
@SOURCE_PATHS
@click.option(
    "--host",
    default=None,
    help="Address to listen on.  [default: 127.0.0.1; with --classroom, this machine's"
    " address on its network]",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port (the next free one is used when it is busy).",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the deck in a browser.")
@click.option("--no-notes", is_flag=True, help="Leave speaker notes out of the pages.")
@click.option(
    "--classroom",
    is_flag=True,
    help="Open to a class on the local network: students follow on their devices, polls,"
    " a phone remote (docs/classroom.md).",
)
@THEME_OPTION
def serve(
    paths: tuple[str, ...],
    host: str | None,
    port: int,
    open_browser: bool,
    no_notes: bool,
    classroom: bool,
    theme: str | None,
) -> None:
    """Build into memory, serve on HTTP and reload open pages on every save."""
    from podium.cli.serve import run_classroom, run_server

    if classroom:
        if no_notes:
            raise click.UsageError(
                "--classroom never sends notes to students; --no-notes is not needed"
            )
        sys.exit(run_classroom(_sources(paths), host=host, port=port, theme=theme))
    sys.exit(
        run_server(
            _sources(paths),
            host=host or "127.0.0.1",
            port=port,
            open_browser=open_browser,
            notes=not no_notes,
            theme=theme,
        )
    )


#: The title of the starter deck as stored; ``podium new`` puts the deck's own in its place.
STARTER_TITLE = "Your lesson title"


@cli.command()
@click.argument("name")
@click.option("--title", help="The deck's title (default: made from NAME).")
@click.option(
    "-d",
    "--dir",
    "folder",
    default="slides",
    show_default=True,
    type=click.Path(file_okay=False),
    help="The folder for the new deck.",
)
def new(name: str, title: str | None, folder: str) -> None:
    """Start a deck: write FOLDER/NAME.md with an example of each kind of slide."""
    stem = name.removesuffix(".md")
    if not stem or "/" in stem or "\\" in stem or stem.startswith("."):
        raise click.BadParameter(output.NOT_A_PLAIN_NAME, param_hint="NAME")
    from pathlib import Path  # here: pathlib costs `podium --help` 4 ms

    target = Path(folder) / f"{stem}.md"
    if target.exists():
        raise click.ClickException(output.deck_exists(target))
    heading = title or stem.replace("-", " ").replace("_", " ").strip().capitalize()
    stored = (Path(__file__).parent.parent / "templates" / "new" / "deck.md").read_text("utf-8")
    deck = starter_deck(stored, " ".join(heading.split()))
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:  # "x": never overwrite a deck
        handle.write(deck)
    click.echo(output.deck_written(target))


def starter_deck(stored: str, title: str) -> str:
    """The stored starter deck with ``title`` in its front matter's title line and its first
    heading (the lines that say :data:`STARTER_TITLE`); nothing else changes."""
    lines = stored.splitlines(keepends=True)
    wanted = {
        f"title: {STARTER_TITLE}\n": f"title: {_yaml_scalar(title)}\n",
        f"# {STARTER_TITLE}\n": f"# {title}\n",
    }
    for number, line in enumerate(lines):
        if line in wanted:
            lines[number] = wanted.pop(line)
    if wanted:  # the stored deck lost a line `new` fills in: a bug, not a user's problem
        raise AssertionError(f"templates/new/deck.md has no line {next(iter(wanted))!r}")
    return "".join(lines)


def _yaml_scalar(text: str) -> str:
    """``text`` as YAML reads it back: plain when it can be, else double-quoted
    (``Intro: Keras`` would otherwise be a mapping, ``#1`` a comment, ``yes`` a boolean)."""
    import json

    import yaml

    try:
        if yaml.safe_load(f"title: {text}") == {"title": text}:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


@cli.group()
def export() -> None:
    """Share a lesson as a file: export pdf, export pptx."""


@export.command("pdf")
@SOURCE_PATHS
@click.option(
    *OUTPUT,
    "out",
    default=None,
    type=click.Path(file_okay=True, dir_okay=True),
    help="The PDF file (one deck), or a folder for <deck>.pdf files (default: here).",
)
@click.option("--steps", is_flag=True, help="One page per step, not per slide.")
@click.option("--handout", is_flag=True, help="The handout: each slide beside its notes.")
@click.option(
    "--paper",
    type=click.Choice(["a4", "letter"]),
    default=None,
    help="Paper size of the handout (default: the deck's paper setting, else a4).",
)
@THEME_OPTION
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def export_pdf(
    paths: tuple[str, ...],
    out: str | None,
    steps: bool,
    handout: bool,
    paper: str | None,
    theme: str | None,
    strict: bool,
) -> None:
    """Print decks to PDF with headless Chromium: one page per slide (or step), or the handout."""
    from podium.cli.export import ExportUsage, run_export_pdf
    from podium.site.sources import discover_decks

    named = _sources(paths)
    sources = discover_decks(named)
    if not sources:
        raise click.UsageError(output.no_decks(named))
    try:
        status = run_export_pdf(
            sources, out, steps=steps, handout=handout, paper=paper, theme=theme, strict=strict
        )
    except ExportUsage as problem:
        raise click.UsageError(str(problem)) from None
    sys.exit(status)


@export.command("pptx")
@SOURCE_PATHS
@click.option(
    *OUTPUT,
    "out",
    default=None,
    type=click.Path(file_okay=True, dir_okay=True),
    help="The .pptx file (one deck), or a folder for <deck>.pptx files (default: here).",
)
@THEME_OPTION
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def export_pptx(paths: tuple[str, ...], out: str | None, theme: str | None, strict: bool) -> None:
    """Write decks as editable PowerPoint files: real layouts, text, tables and notes."""
    from podium.cli.export import ExportUsage, run_export_pptx
    from podium.site.sources import discover_decks

    named = _sources(paths)
    sources = discover_decks(named)
    if not sources:
        raise click.UsageError(output.no_decks(named))
    try:
        status = run_export_pptx(sources, out, theme=theme, strict=strict)
    except ExportUsage as problem:
        raise click.UsageError(str(problem)) from None
    sys.exit(status)


def main() -> None:
    cli(prog_name="podium")
