"""Finding the local files a deck references, checking them, and deciding where they go.

An image path resolves relative to the deck's folder, then the project root (the nearest
folder above the deck holding ``pyproject.toml`` or ``.git``, else the deck's own folder),
where a course's ``res/`` lives. A deck is untrusted input, so what it may make the build
copy is narrow:

- only a file inside one of those roots (after following symlinks), never one outside;
- never a hidden file or one in a hidden folder (``.env``, ``.ssh/``, ``.git/``);
- only a real image, told by its first bytes, never by its name: PNG, JPEG, GIF, WebP,
  AVIF, ICO, BMP, or SVG, under a name with an image extension (a PNG named ``x.html``
  would be served as a page);
- an SVG is never copied as it is: it is re-serialised through the SVG allowlist of
  :mod:`podium.syntax.sanitize` (no script, handlers, ``foreignObject`` or outside references), so
  even opened on its own, in the site's origin, it runs nothing.

Every refusal is a diagnostic and a placeholder in the slide, never an exception: a file
that cannot be looked at (a name too long, a symlink loop, no permission, a FIFO that
would block a read) is refused like one that is not there.
"""

from __future__ import annotations

import errno
import hashlib
import os
import posixpath
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from podium.model import Resolved
from podium.project import find_project_root

#: Image kinds the build copies, and the file extensions each may be published under.
IMAGE_EXTENSIONS = {
    "png": (".png",),
    "jpeg": (".jpg", ".jpeg", ".jfif", ".pjpeg", ".pjp"),
    "gif": (".gif",),
    "webp": (".webp",),
    "avif": (".avif",),
    "ico": (".ico", ".cur"),
    "bmp": (".bmp",),
    "svg": (".svg",),
}
RASTER_EXTENSIONS = frozenset(
    ext for kind, exts in IMAGE_EXTENSIONS.items() if kind != "svg" for ext in exts
)
#: Enough of a file to tell its kind (an AVIF's brand list is in its first box).
SNIFF_BYTES = 512
#: Longest name of one path component on common file systems, in bytes.
NAME_MAX = 255


@dataclass(frozen=True)
class AssetResolver:
    """Resolves the references of one deck, for one build: a deck may repeat an image, and
    the next build (the dev server's) must see files that appeared or went meanwhile."""

    deck_dir: Path
    project_root: Path
    _seen: dict[str, Resolved] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def for_deck(cls, deck_file: Path) -> AssetResolver:
        deck_dir = deck_file.resolve().parent
        return cls(deck_dir, find_project_root(deck_dir))

    def resolve(self, reference: str) -> Resolved:
        found = self._seen.get(reference)
        if found is None:
            found = self._seen[reference] = _resolve(self.roots, reference)
        return found

    @property
    def roots(self) -> tuple[Path, ...]:
        """Where references are looked for, in order."""
        if self.deck_dir == self.project_root:
            return (self.deck_dir,)
        return (self.deck_dir, self.project_root)

    def looked_at(self, reference: str) -> tuple[str, ...]:
        """Every place ``reference`` is looked for, in order: whether each holds a file
        decides how it resolves (a file appearing in the deck folder shadows the project
        root's), so each is something a build read, found or not."""
        raw = _local_path(reference)
        if (
            raw is None
            or raw.startswith("/")
            or re.match(r"^[A-Za-z]:/", raw)
            or _name_problem(raw)
            or _hidden(raw.split("/"))
        ):
            return ()  # remote, invalid, absolute or hidden: refused without a look at the disk
        return tuple(str(root / raw) for root in self.roots)

    def fresh(self) -> AssetResolver:
        """The same roots, nothing remembered: for the next build."""
        return AssetResolver(self.deck_dir, self.project_root)


def _local_path(reference: str) -> str | None:
    """The local path a reference names (``/`` separators), or None for a URL or nonsense."""
    from urllib.parse import unquote, urlsplit  # only builds that resolve images need it

    if reference.startswith("file://"):
        reference = reference[len("file://") :]  # md2googleslides' spelling of a local file
    parts = urlsplit(reference)
    if parts.scheme and len(parts.scheme) > 1:  # `C:\x` is a drive letter, not a scheme
        return None
    raw = unquote(parts.path).replace("\\", "/")
    if not raw or "\x00" in raw:
        return None
    return raw


def _resolve(roots: tuple[Path, ...], reference: str) -> Resolved:
    from urllib.parse import urlsplit

    local = reference[len("file://") :] if reference.startswith("file://") else reference
    if urlsplit(local).scheme in {"http", "https"}:
        return Resolved("remote", target=local, source=local)
    raw = _local_path(reference)
    if raw is None:
        return Resolved("invalid", source=reference)
    if raw.startswith("/") or re.match(r"^[A-Za-z]:/", raw):
        return Resolved("outside", source=raw)
    problem = _name_problem(raw)
    if problem:
        return Resolved("invalid", source=raw, detail=problem)
    if _hidden(raw.split("/")):
        return Resolved("hidden", source=raw)
    for root in roots:
        found = _look(root / raw, raw, roots)
        if found is not None:
            return found
    return Resolved("missing", source=raw)


def _name_problem(raw: str) -> str:
    """Why a path cannot name a file on this system ('' when it can)."""
    for part in raw.split("/"):
        if len(os.fsencode(part)) > NAME_MAX:
            return f"a part of it is longer than {NAME_MAX} bytes"
    if len(os.fsencode(raw)) > 4000:
        return "it is too long"
    return ""


def _hidden(parts: tuple[str, ...] | list[str]) -> bool:
    """A hidden file or folder (``.env``, ``.ssh``): secrets live there, slides do not."""
    return any(part.startswith(".") and part not in {".", ".."} for part in parts)


def _look(path: Path, raw: str, roots: tuple[Path, ...]) -> Resolved | None:
    """What ``path`` holds; None when nothing is there (the next root may have it)."""
    try:
        info = path.stat()
        real = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        code = exc.errno if isinstance(exc, OSError) else errno.ELOOP
        if code in {errno.ENOENT, errno.ENOTDIR}:
            return None
        return Resolved("unreadable", source=raw, detail=_reason(exc))
    inside = [root for root in roots if _inside(real, root)]
    if not inside:
        return Resolved("outside", source=raw)
    if any(_hidden(real.relative_to(root).parts) for root in inside):
        return Resolved("hidden", source=raw)  # a link that leads into `.ssh/`
    if stat.S_ISDIR(info.st_mode):
        return Resolved("not-image", source=raw, detail="it is a folder")
    if not stat.S_ISREG(info.st_mode):
        return Resolved("not-image", source=raw, detail="it is not a regular file")
    return _check_content(real, raw)


def _reason(exc: BaseException) -> str:
    if (isinstance(exc, OSError) and exc.errno == errno.ELOOP) or isinstance(exc, RuntimeError):
        return "its symbolic links go round in a loop"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc)


def _check_content(real: Path, raw: str) -> Resolved:
    """Is the file a real image, by its content, under an image's name?"""
    try:
        head = read_regular(real, SNIFF_BYTES)
    except OSError as exc:
        return Resolved("unreadable", source=raw, detail=_reason(exc))
    if head is None:
        return Resolved("not-image", source=raw, detail="it is not a regular file")
    kind = sniff_image(head)
    if kind is None and looks_like_svg_start(head):
        kind = "svg"
    if kind is None:
        return Resolved("not-image", source=raw, detail=_looks_like(head))
    # The name it is published under decides how a server sends it: that name is checked.
    target = _output_name(raw, real)
    suffix = posixpath.splitext(target)[1].lower()
    if suffix not in IMAGE_EXTENSIONS[kind] and not (
        kind != "svg" and suffix in RASTER_EXTENSIONS  # a JPEG named .png still shows
    ):
        wanted = IMAGE_EXTENSIONS[kind][0]
        return Resolved(
            "not-image",
            source=raw,
            detail=f"it is {_KIND_NAMES[kind]} but its name does not end in {wanted}",
        )
    if kind != "svg":
        return Resolved("ok", target=target, source=str(real), kind=kind)
    from podium.syntax.sanitize import NotSvg

    try:
        removed = tuple(item for item in svg_copy(real)[1] if not _INERT.match(item))
    except OSError as exc:
        return Resolved("unreadable", source=raw, detail=_reason(exc))
    except NotSvg as exc:
        return Resolved("not-image", source=raw, detail=f"it is not a valid SVG image: {exc}")
    return Resolved("ok", target=target, source=str(real), kind="svg", removed=removed)


_KIND_NAMES = {
    "png": "a PNG",
    "jpeg": "a JPEG",
    "gif": "a GIF",
    "webp": "a WebP",
    "avif": "an AVIF",
    "ico": "an icon",
    "bmp": "a BMP",
    "svg": "an SVG",
}


def read_regular(path: Path, limit: int | None = None) -> bytes | None:
    """The bytes of a regular file (the first ``limit`` of them), or None when it is
    something else: opened without blocking, so a FIFO named ``x.png`` never stalls a build.
    ``path`` is already resolved: a symlink there now was put there since (not followed)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags)
    with os.fdopen(descriptor, "rb", closefd=True) as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        return handle.read() if limit is None else handle.read(limit)


def sniff_image(head: bytes) -> str | None:
    """The raster image kind the first bytes of a file show, or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and _avif_brand(head):
        return "avif"
    if head[:4] in {b"\x00\x00\x01\x00", b"\x00\x00\x02\x00"} and head[4:6] != b"\x00\x00":
        return "ico"
    if head[:2] == b"BM" and len(head) >= 18 and _bmp_header(head):
        return "bmp"
    return None


def _avif_brand(head: bytes) -> bool:
    size = int.from_bytes(head[:4], "big")
    box = head[8 : min(size, len(head))]
    brands = {box[i : i + 4] for i in range(0, len(box) - 3, 4) if i != 4}  # 4: minor version
    return bool(brands & {b"avif", b"avis"})


def _bmp_header(head: bytes) -> bool:
    dib = int.from_bytes(head[14:18], "little")
    return head[6:10] == b"\x00\x00\x00\x00" and dib in {12, 16, 40, 52, 56, 64, 108, 124}


def _looks_like(head: bytes) -> str:
    """A few words on what a refused file is, for the message."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")):
        return "it is HTML"
    if head.startswith(b"PK\x03\x04"):
        return "it is a zip archive"
    if text.startswith(b"<"):
        return "it is markup of some other kind"
    return "its content is not that of a PNG, JPEG, GIF, WebP, AVIF, ICO, BMP or SVG file"


# --- SVG ---------------------------------------------------------------------------------------

_BOM = "\ufeff"


def looks_like_svg_start(head: bytes) -> bool:
    """Whether the file's first bytes are markup an SVG may start with (checked fully later)."""
    text = head.decode("utf-8", "replace").lstrip(_BOM + " \t\r\n")
    return text.startswith(("<svg", "<?xml", "<!--", "<!DOCTYPE svg", "<!doctype svg"))


#: What drawing programs leave in every SVG, which the copy drops without a word: it
#: changes nothing shown (metadata, editor state, namespaces declared for those).
_INERT = re.compile(
    r"^(?:(?:version|baseprofile|xml:space|xmlns:[\w.-]+|(?:inkscape|sodipodi):[\w.:-]+"
    r"|data-[\w.:-]+)= on <[\w:.-]+>|<(?:metadata|sodipodi:namedview|inkscape:[\w.-]+)>)$"
)


def svg_copy(real: Path) -> tuple[bytes, tuple[str, ...]]:
    """The SVG file re-serialised through the allowlist, and what that removed. Raises
    :class:`podium.syntax.sanitize.NotSvg` when it is not a well-formed SVG document."""
    from podium.syntax.sanitize import NotSvg

    data = read_regular(real)
    if data is None:
        raise NotSvg("it is not a regular file")
    return _clean_svg(data)


def _clean_svg(data: bytes) -> tuple[bytes, tuple[str, ...]]:
    from podium.syntax.sanitize import sanitize_svg_file

    clean, removed = sanitize_svg_file(data)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + clean + "\n").encode(), tuple(removed)


def copy_content(source: str) -> bytes | Path | None:
    """What the build publishes for a checked image: the file itself, or the sanitised
    copy of an SVG. Checked again here, since the file may have changed since it was
    parsed (the dev server, the disk cache); None when it is no longer a safe image."""
    from podium.syntax.sanitize import NotSvg

    path = Path(source)
    try:
        head = read_regular(path, SNIFF_BYTES)
        if head is None:
            return None
        if sniff_image(head) is not None:
            return path
        return svg_copy(path)[0]
    except (OSError, NotSvg):
        return None


def read_image(path: Path) -> bytes | None:
    """An image's bytes as the dev server sends them on each request (the sanitised copy of
    an SVG); None when the file is no longer an image (edited in place into a page, swapped
    for a FIFO)."""
    from podium.syntax.sanitize import NotSvg

    data = read_regular(path)
    if data is None or sniff_image(data[:SNIFF_BYTES]) is not None:
        return data
    try:
        return _clean_svg(data)[0]
    except NotSvg:
        return None


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def _output_name(raw: str, real: Path) -> str:
    """Keep the author's relative path when it stays inside the output folder, else hash it."""
    normal = posixpath.normpath(raw)
    reserved = normal in {".", "..", "index.html", "presenter.html", "handout.html"}
    if not (reserved or normal.startswith(("../", "/", "_podium/"))):
        return normal
    digest = hashlib.sha256(os.fsencode(real)).hexdigest()[:10]
    # The name the author wrote, not the one a symlink leads to (`pic.png -> pic.html`).
    return f"_assets/{digest}/{posixpath.basename(normal)}"
