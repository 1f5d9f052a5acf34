"""The ``podium`` command's entry point, with a fast way into the most common run.

An instructor runs ``podium build`` over and over. Importing click costs more than an
up-to-date build's whole answer, and a tenth of a small deck's build, so this entry point
reads a plain ``podium build [PATHS...] [-o DIR] [FLAGS]`` itself and runs the build
(:mod:`podium.commands`, the same code the full command runs). Any other command line, or
any doubt (an option it does not know, a path that is not there, no decks, an output folder
that would be refused), goes to the full command (``cli.py``), which words those answers.
"""

from __future__ import annotations

import os
import sys
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

_OUTPUT_OPTIONS = ("-o", "--output")
#: ``podium build``'s flags, as keyword arguments of :func:`podium.commands.run_build`.
_FLAGS = {
    "--strict": ("strict", True),
    "-v": ("verbose", True),
    "--verbose": ("verbose", True),
    "--no-notes": ("notes", False),
    "--unsafe-html": ("unsafe_html", True),
    "--no-cache": ("cache", False),
}


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from podium import __version__

        print(f"podium, version {__version__}")  # as click's version option words it
        return
    try:
        status = fast_build(sys.argv[1:], started=time.perf_counter())
    except KeyboardInterrupt:
        print("Aborted!", file=sys.stderr)  # as click says it
        sys.exit(1)
    if status is not None:
        sys.exit(status)
    from podium.cli import main as full

    full()


def _split(args: Sequence[str]) -> tuple[list[str], str, dict[str, bool]] | None:
    """The paths, output folder and flags of ``build PATHS... -o DIR``; None for anything
    else."""
    paths: list[str] = []
    output = "_site"
    flags: dict[str, bool] = {}
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg in _OUTPUT_OPTIONS and rest:
            output = rest.pop(0)
        elif arg.startswith("--output="):
            output = arg.removeprefix("--output=")
        elif arg in _FLAGS:
            name, value = _FLAGS[arg]
            flags[name] = value
        elif arg.startswith("-") or not arg:
            return None  # another option (or "--"): the full command reads those
        else:
            paths.append(arg)
    return paths, output, flags


def fast_build(argv: Sequence[str], *, started: float) -> int | None:
    """The exit status of a plain ``podium build`` it ran, or None: run the full command."""
    if not argv or argv[0] != "build":
        return None
    split = _split(argv[1:])
    if split is None:
        return None
    named, output, flags = split
    from podium.site.sources import DEFAULT_SOURCE

    if not named:
        if not os.path.isdir(DEFAULT_SOURCE):
            return None
        named = [DEFAULT_SOURCE]
    if not all(os.path.exists(path) for path in named):
        return None

    from podium.commands import UsageProblem, plan_build, run_build

    try:
        sources, out = plan_build(named, output)
    except UsageProblem:
        return None
    return run_build(sources, out, started=started, **flags)
