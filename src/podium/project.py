"""Where a deck's project is: the folder its images may come from. A leaf, light on purpose
(the "nothing changed" answer of ``podium build`` reads it), shared by the parse and site stages.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["find_project_root", "marks_project"]


def marks_project(folder: Path) -> bool:
    """Whether ``folder`` is the top of a project (``pyproject.toml`` or ``.git``)."""
    # os.path: an unreadable folder on the way up is no project, not an exception
    return os.path.isfile(folder / "pyproject.toml") or os.path.lexists(folder / ".git")


def find_project_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` (a deck's folder) holding ``pyproject.toml``
    or ``.git``, else ``start`` itself: never the current folder, so a deck built from the
    home folder cannot reach the files beside it (``../../.ssh``)."""
    for folder in (start, *start.parents):
        if marks_project(folder):
            return folder
    return start
