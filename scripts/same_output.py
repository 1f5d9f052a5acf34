"""Does the working tree build the same pages as BASE_REV? Byte for byte, deck by deck.

    python scripts/same_output.py BASE_REV [DECK...]

Each deck is built twice, into two temporary folders: with the code at BASE_REV (checked out
in a temporary ``git worktree``, run with ``PYTHONPATH=<worktree>/src`` and this interpreter;
its templates follow through the ``src/podium/templates`` symlink) and with the working tree's
code. Both builds read the same deck file (the one named, in the working tree) and each gets a
cache folder of its own (``PODIUM_CACHE_DIR``), so nothing one build cached reaches the other.

Every file written is compared, and what the build said on stderr (exit status and
diagnostics, with the temporary folders' names taken out). Exit 1 when a page, an image or any
other published file differs, or the diagnostics do; the shared static files (``_podium/``, the
views' CSS and JavaScript, which a refactor of the browser code changes on purpose) are listed
separately, as information. The build manifest (``.podium-build.json``) is compared without
its fingerprint, which hashes the templates' paths and times and so always differs between two
checkouts.

Decks by default: the Keras deck, every deck under tests/decks/, and
``../shared/decks/md2googleslides-example.md`` beside the repository when it is there.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Written by every build, changed on purpose by the browser-code refactor: information only.
SHARED_STATIC = "_podium/"
MANIFEST = ".podium-build.json"
#: The manifest's hash of what the build read, templates' paths and times included.
FINGERPRINT = re.compile(rb'"fingerprint": "[0-9a-f]*"')
EXAMPLE = Path("shared") / "decks" / "md2googleslides-example.md"


@dataclass
class Build:
    """One ``podium build`` of one deck: its exit status, stderr and every file it wrote."""

    status: int
    stderr: str
    files: dict[str, bytes]


@dataclass
class Comparison:
    deck: str
    files: int = 0
    identical: int = 0
    differing: list[str] = field(default_factory=list)
    information: list[str] = field(default_factory=list)
    said: str = ""
    """How the builds' exit status and diagnostics differ, empty when they do not."""

    @property
    def same(self) -> bool:
        return not self.differing and not self.said


def default_decks() -> list[Path]:
    decks = [ROOT / "slides" / "intro-keras.md", *sorted((ROOT / "tests" / "decks").glob("*.md"))]
    # Beside the repository: this checkout's parent, or the main checkout's when this is a
    # git worktree (its common git folder is <main>/.git).
    common = git("rev-parse", "--path-format=absolute", "--git-common-dir").strip()
    for folder in dict.fromkeys((ROOT.parent, Path(common).parent.parent)):
        if (folder / EXAMPLE).is_file():
            decks.append(folder / EXAMPLE)
            break
    return decks


def git(*args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def checkout(revision: str, into: Path) -> None:
    git("worktree", "add", "--detach", "--quiet", str(into), revision)


def check_importable(source: Path) -> None:
    """Make sure ``PYTHONPATH=source`` really runs that code (not this venv's editable install),
    or the comparison would compare the working tree with itself."""
    found = subprocess.run(
        [sys.executable, "-c", "import podium; print(podium.__file__)"],
        env={**os.environ, "PYTHONPATH": str(source)},
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if not Path(found).resolve().is_relative_to(source.resolve()):
        sys.exit(f"PYTHONPATH={source} imports podium from {found or 'nowhere'}")


def build(deck: Path, source: Path, scratch: Path) -> Build:
    out = scratch / "out"
    cache = scratch / "cache"  # private to this build
    done = subprocess.run(
        [sys.executable, "-m", "podium", "build", str(deck), "-o", str(out)],
        env={**os.environ, "PYTHONPATH": str(source), "PODIUM_CACHE_DIR": str(cache)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    stderr = done.stderr.replace(str(out), "<out>").replace(str(cache), "<cache>")
    return Build(done.returncode, stderr, comparable(dict(files_under(out))))


def comparable(files: dict[str, bytes]) -> dict[str, bytes]:
    """The files as compared: the manifest without its fingerprint."""
    if MANIFEST in files:
        files = {**files, MANIFEST: FINGERPRINT.sub(b'"fingerprint": "-"', files[MANIFEST])}
    return files


def files_under(folder: Path) -> Iterator[tuple[str, bytes]]:
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            yield path.relative_to(folder).as_posix(), path.read_bytes()


def compare(deck: str, base: Build, work: Build) -> Comparison:
    result = Comparison(deck)
    names = sorted(base.files.keys() | work.files.keys())
    result.files = len(names)
    for name in names:
        before, after = base.files.get(name), work.files.get(name)
        if before == after:
            result.identical += 1
            continue
        label = (
            name
            if before is not None and after is not None
            else f"{name} (only in " + ("base)" if after is None else "work)")
        )
        if name.startswith(SHARED_STATIC):
            result.information.append(label)
        else:
            result.differing.append(label)
    if base.status != work.status:
        result.said = f"exit {base.status} -> {work.status}"
    elif base.stderr != work.stderr:
        result.said = "diagnostics differ"
    return result


def table(results: list[Comparison]) -> str:
    rows = [("deck", "files", "identical", "differing")]
    for r in results:
        differing = ", ".join([*r.differing, *([r.said] if r.said else [])]) or "-"
        rows.append((r.deck, str(r.files), str(r.identical), differing))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
        + "  "
        + row[3]
        for row in rows
    ]
    lines.insert(1, "-" * len(lines[0]))
    informed = [r for r in results if r.information]
    if informed:
        lines += ["", "information (not a failure): shared static files that differ"]
        lines += [f"  {r.deck}: {', '.join(r.information)}" for r in informed]
    return "\n".join(lines)


def display(deck: Path) -> str:
    return str(deck.relative_to(ROOT)) if deck.is_relative_to(ROOT) else str(deck)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", metavar="BASE_REV", help="the revision to compare against")
    parser.add_argument("decks", metavar="DECK", nargs="*", type=Path, help="default: see above")
    options = parser.parse_args(argv)
    decks = [deck.resolve() for deck in options.decks] or default_decks()
    named = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--verify", "--quiet", f"{options.base}^{{commit}}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if named.returncode != 0:
        parser.error(f"{options.base!r} names no commit")  # exit status 2, as for any usage error
    missing = [str(deck) for deck in decks if not deck.is_file()]
    if missing:
        parser.error(f"no such deck: {', '.join(missing)}")
    revision = named.stdout.strip()
    with tempfile.TemporaryDirectory(prefix="same-output-") as temporary:
        scratch = Path(temporary)
        tree = scratch / "base"
        checkout(revision, tree)
        try:
            check_importable(tree / "src")
            check_importable(ROOT / "src")
            results = []
            for number, deck in enumerate(decks):
                base = build(deck, tree / "src", scratch / f"{number}-base")
                work = build(deck, ROOT / "src", scratch / f"{number}-work")
                results.append(compare(display(deck), base, work))
        finally:
            git("worktree", "remove", "--force", str(tree))
    print(f"base {options.base} ({revision[:12]}) against the working tree")
    print(table(results))
    return 0 if all(r.same for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
