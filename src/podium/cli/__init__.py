"""The ``podium`` command: the only package that prints.

:func:`main` is the entry point. An instructor runs ``podium build`` over and over, and
importing click costs about as much as an up-to-date build's whole answer, so a plain
``podium build [PATHS...] [-o DIR] [FLAGS]`` and ``podium --version`` are answered without it
(:func:`podium.cli.build.fast_build`, from the same table of options as click's and the same
code). Everything else, and any doubt, goes to the click group in :mod:`podium.cli.app`.
This module imports nothing at the top, so that way stays fast.
"""

from __future__ import annotations


def main() -> None:
    import sys
    import time

    started = time.perf_counter()
    from podium.cli import output

    if sys.argv[1:] in (["--version"], ["-V"]):
        from podium import __version__

        output.echo(output.version_line(__version__))
        return
    from podium.cli.build import fast_build

    try:
        status = fast_build(sys.argv[1:], started=started)
    except KeyboardInterrupt:
        output.echo(output.ABORTED, err=True)
        sys.exit(1)
    if status is not None:
        sys.exit(status)
    from podium.cli.app import main as full

    full()
