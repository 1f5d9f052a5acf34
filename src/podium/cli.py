"""The command line: a thin click group. Only this module prints.

Heavy modules (markdown-it, Jinja2, Pygments) are imported inside the commands, so
``podium --version`` and ``podium --help`` answer at once.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from podium import __version__
from podium.console import print_diagnostics
from podium.report import exit_status, plural, summarise

if TYPE_CHECKING:
    from pathlib import Path

    from podium.model import Diagnostic
    from podium.site.sources import DeckSource

# Click's own `exists=True` check gives exit status 2 and a clear message for a bad path.
SOURCE_PATHS = click.argument(
    "paths", nargs=-1, type=click.Path(exists=True, dir_okay=True, file_okay=True)
)
STRICT = click.option("--strict", is_flag=True, help="Treat warnings as errors (exit status 1).")
VERBOSE = click.option("-v", "--verbose", is_flag=True, help="Also show info diagnostics.")


def _sources(paths: Sequence[str]) -> list[str]:
    from podium.site.sources import DEFAULT_SOURCE  # here: `podium --help` need not load it

    if paths:
        return list(paths)
    if not os.path.isdir(DEFAULT_SOURCE):
        raise click.UsageError("no decks named and no slides/ folder here")
    return [DEFAULT_SOURCE]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="podium")
def cli() -> None:
    """Markdown slide decks to an audience view, a presenter view and a lesson handout."""


@cli.command()
@SOURCE_PATHS
@click.option(
    "-o",
    "--output",
    "output",
    default="_site",
    show_default=True,
    type=click.Path(file_okay=True, dir_okay=True),
    help="Output folder.",
)
@STRICT
@VERBOSE
@click.option("--no-notes", is_flag=True, help="Leave speaker notes out of the output.")
@click.option("--unsafe-html", is_flag=True, help="Let the decks' raw HTML through unsanitised.")
@click.option("--no-cache", is_flag=True, help="Parse everything again, ignoring earlier builds.")
def build(
    paths: tuple[str, ...],
    output: str,
    strict: bool,
    verbose: bool,
    no_notes: bool,
    unsafe_html: bool,
    no_cache: bool,
) -> None:
    """Build decks (files or folders; default slides/) into a static site."""
    from podium.commands import run_build

    started = time.perf_counter()
    sources, out = _plan(_sources(paths), output)
    status = run_build(
        sources,
        out,
        strict=strict,
        verbose=verbose,
        notes=not no_notes,
        unsafe_html=unsafe_html,
        cache=not no_cache,
        started=started,
    )
    sys.exit(status)


def _plan(named: list[str], output: str) -> tuple[list[DeckSource], Path]:
    from podium.commands import NoDecks, OutputRefused, plan_build

    try:
        return plan_build(named, output)
    except NoDecks as problem:
        raise click.UsageError(str(problem)) from None
    except OutputRefused as problem:
        raise RefusedOutput(str(problem)) from None


class RefusedOutput(click.ClickException):
    """The output folder is not safe to write to; nothing was written."""

    exit_code = 2


@cli.command()
@SOURCE_PATHS
@STRICT
@VERBOSE
def check(paths: tuple[str, ...], strict: bool, verbose: bool) -> None:
    """Check decks and print every problem as path:line:col: severity[code]: message."""
    from podium.site.build import discover_decks, load_deck

    diagnostics: list[Diagnostic] = []
    named = _sources(paths)
    sources = discover_decks(named)
    if not sources:
        raise click.UsageError(f"no decks (*.md) found in {', '.join(named)}")
    for source in sources:
        diagnostics.extend(load_deck(source).diagnostics)
    diagnostics = list(dict.fromkeys(diagnostics))  # the course's settings: once, not per deck
    print_diagnostics(diagnostics, verbose=verbose)
    errors, warnings = summarise(diagnostics)
    if errors or warnings:
        click.echo(f"{plural(errors, 'error')}, {plural(warnings, 'warning')}.", err=True)
    sys.exit(exit_status(diagnostics, strict=strict))


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
        print_diagnostics(model.diagnostics, verbose=True)
    sys.exit(1 if model.has_errors else 0)


@cli.command()
@SOURCE_PATHS
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port (the next free one is used when it is busy).",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the deck in a browser.")
@click.option("--no-notes", is_flag=True, help="Leave speaker notes out of the pages.")
def serve(paths: tuple[str, ...], host: str, port: int, open_browser: bool, no_notes: bool) -> None:
    """Build into memory, serve on HTTP and reload open pages on every save."""
    from podium.cli_serve import run_server

    sys.exit(
        run_server(
            _sources(paths), host=host, port=port, open_browser=open_browser, notes=not no_notes
        )
    )


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
        raise click.BadParameter("a plain file name, like intro-python", param_hint="NAME")
    from pathlib import Path  # here: pathlib costs `podium --help` 4 ms

    target = Path(folder) / f"{stem}.md"
    if target.exists():
        raise click.ClickException(f"{target} exists already; nothing was written")
    heading = title or stem.replace("-", " ").replace("_", " ").strip().capitalize()
    template = (Path(__file__).parent / "templates" / "new" / "deck.md").read_text("utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:  # "x": never overwrite a deck
        heading = " ".join(heading.split())
        handle.write(template.format(title=heading, title_yaml=_yaml_scalar(heading)))
    click.echo(f"Wrote {target}. Present it with: podium serve {target}")


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


def main() -> None:
    cli(prog_name="podium")
