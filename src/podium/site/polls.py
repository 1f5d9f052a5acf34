"""A class's poll results on disk: ``.podium/polls/<deck>-<date>.json`` under the project.

``podium serve --classroom`` writes them (atomically: a temporary file renamed over the
old one, so a reader never sees half a file); the handout lists them after class. A file
that is not what podium writes is skipped, never an error: it holds votes, not the lesson.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from podium.model import PollTally
from podium.project import find_project_root

#: Where results are kept, relative to the project root.
RESULTS_FOLDER = Path(".podium") / "polls"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Bounds on what a results file may hold (a file is read whole; it must stay small).
MAX_FILE_BYTES = 1_000_000


def results_folder(deck_file: Path) -> Path:
    """The folder of a deck's saved results: ``.podium/polls`` in its project root."""
    return find_project_root(deck_file.resolve().parent) / RESULTS_FOLDER


def results_file(deck_file: Path, slug: str, date: str) -> Path:
    """Where one class's results of a deck go. A slug may name a subfolder (``a/b``)."""
    return results_folder(deck_file) / f"{slug.replace('/', '--')}-{date}.json"


def write_results(path: Path, data: Mapping[str, Any]) -> None:
    """Write the results atomically; the folder is made when missing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def saved_files(deck_file: Path, slug: str) -> list[Path]:
    """A deck's results files, oldest class first."""
    folder = results_folder(deck_file)
    stem = slug.replace("/", "--") + "-"
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    found = []
    for name in names:
        date = name[len(stem) : -len(".json")]
        if name.startswith(stem) and name.endswith(".json") and _DATE.match(date):
            found.append(folder / name)
    return found


def read_tallies(deck_file: Path, slug: str) -> tuple[PollTally, ...]:
    """Every saved result of a deck, class by class (oldest first), poll by poll."""
    tallies: list[PollTally] = []
    for path in saved_files(deck_file, slug):
        try:
            with path.open("rb") as handle:
                data = json.loads(handle.read(MAX_FILE_BYTES + 1)[:MAX_FILE_BYTES])
        except (OSError, ValueError):
            continue
        tallies.extend(_tallies(data, path.stem[-10:]))
    return tuple(tallies)


def _tallies(data: Any, date: str) -> list[PollTally]:
    polls = data.get("polls") if isinstance(data, dict) else None
    found = []
    for poll in polls if isinstance(polls, list) else []:
        try:
            options = tuple(str(o) for o in poll["options"])
            counts = tuple(int(c) for c in poll["counts"])
            answer = poll.get("answer")
            if len(counts) != len(options) or not isinstance(answer, int | None):
                continue
            found.append(
                PollTally(date, int(poll["slide"]), str(poll["question"]), options, counts, answer)
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    return found


def dependencies(deck_file: Path, slug: str) -> list[str]:
    """What a build that lists the results reads: the folder (a new class's file appearing
    changes it) and each file (absolute paths)."""
    return [str(results_folder(deck_file)), *map(str, saved_files(deck_file, slug))]
