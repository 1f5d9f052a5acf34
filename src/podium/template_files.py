"""The views' template folder and the state of its files: an edit to a template, a style or a
script is a change to every page. A leaf, light on purpose: the "nothing changed" answer of
``podium build`` reads it without loading Jinja2, and render reads it for its part cache.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The templates, CSS and JavaScript of the views (``src/podium/templates`` links to the
#: repository's ``templates/``, so an editable install and the wheel both find them).
TEMPLATES_DIR = Path(__file__).parent / "templates"

FileState = tuple[str, int, int, int, int] | tuple[str]


def file_state(path: str) -> FileState:
    """Kind, size, time and inode of a file (just the path when it cannot be read): a link
    pointed elsewhere, or a folder where a file was, is a change even when size and time
    happen to match."""
    try:
        info = os.stat(path)
    except OSError:
        return (path,)
    return (path, info.st_mode, info.st_size, info.st_mtime_ns, info.st_ino)


def templates_state() -> list[FileState]:
    """:func:`file_state` of every file under :data:`TEMPLATES_DIR`, sorted."""
    found = []
    for folder, _, files in os.walk(TEMPLATES_DIR):
        for name in files:
            found.append(file_state(os.path.join(folder, name)))
    return sorted(found)
