"""The cache folder, and the rule for anything read from it: only what is ours and what no
one else may write. Light on purpose (the up-to-date answer of ``podium build`` reads what
the last build said from here): no typing, no pickle.

What is in the cache reaches the pages (parsed slides, rendered parts, compiled templates),
and it holds speaker notes: a folder another user can write to (``PODIUM_CACHE_DIR=/tmp``,
a shared home) is never used, and a file in it is read only when it is ours, a plain file,
and not writable by others.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

CACHE_ENV = "PODIUM_CACHE_DIR"


def cache_dir() -> Path:
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "podium"


def private_folder(folder: Path) -> str | None:
    """Make ``folder`` (the cache's) if need be, only we may use it; why not, or None.

    The cache holds speaker notes, and what it holds is loaded into the pages: a folder
    another user can write to (``PODIUM_CACHE_DIR=/tmp``, a shared home) is never used.
    """
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError as problem:
        return f"cannot use it: {problem.strerror or problem}"
    if not stat.S_ISDIR(info.st_mode):
        return "it is not a folder"
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return "it belongs to another user"
    if info.st_mode & 0o077:
        # Ours, but open to others (an older podium made it with the umask: 0755, or 0775
        # under Ubuntu's 002): close it. What others may have put in it meanwhile is theirs,
        # and read_private() reads only files of ours that no one else may write.
        try:
            folder.chmod(0o700)
        except OSError:
            if info.st_mode & 0o022:
                mode = stat.S_IMODE(info.st_mode)
                return f"other users may write to it (mode {mode:o}; chmod 700 it)"
    return None


def read_private(path: Path) -> bytes | None:
    """The file's bytes if it is a plain file of ours that no one else may write, else None
    (not a link: it could lead anywhere)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
        if not (stat.S_ISREG(info.st_mode) and mine and not info.st_mode & 0o022):
            return None
        return handle.read()
