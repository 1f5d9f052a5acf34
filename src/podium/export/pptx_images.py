"""Pictures PowerPoint cannot draw itself, made once: math (MathML) and SVG rendered to PNG by
headless Chromium, and image files in formats it does not read converted with Pillow.

Rendered pictures are kept in podium's private cache folder (:mod:`podium.private`), named by
a hash of what was drawn, so a second export renders nothing. Chromium comes with the
``podium[pdf]`` extra (Playwright) and the browser on the machine; without them the caller
shows the source as text and says so.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from podium.private import cache_dir, private_folder, read_private

#: Bump when the drawing changes: older pictures in the cache are then not used.
RENDER_VERSION = "1"
#: Pixels per canvas pixel of a rendered picture: sharp on a projector, small in the file.
SCALE = 2

PAGE = """<!doctype html><html><head><meta charset="utf-8"><style>
html, body {{ margin: 0; background: transparent; }}
#it {{ display: inline-block; padding: 4px; color: #{ink}; font-size: {size}px;
  font-family: "Latin Modern Math", "STIX Two Math", "DejaVu Math TeX Gyre", serif; }}
#it svg {{ display: block; height: {svg_height}px; width: auto; }}
#it math {{ margin: 0; }}
</style></head><body><div id="it">{html}</div></body></html>"""


@dataclass(frozen=True)
class Fragment:
    """A piece of sanitised markup to draw: ``<math>`` or ``<svg>``."""

    kind: str
    """``math`` or ``svg``."""
    html: str
    ink: str = "1B2230"
    size: int = 56
    """Type size in canvas pixels (math); an SVG is drawn this many times 10 pixels high."""

    @property
    def key(self) -> str:
        basis = f"{RENDER_VERSION}\0{self.kind}\0{self.ink}\0{self.size}\0{self.html}"
        return hashlib.sha256(basis.encode()).hexdigest()

    def page(self) -> str:
        return PAGE.format(ink=self.ink, size=self.size, svg_height=self.size * 10, html=self.html)


def _cache_folder() -> Path | None:
    folder = cache_dir() / "pptx-pictures"
    return None if private_folder(folder) else folder


def render(fragments: Sequence[Fragment], chromium: str | None) -> dict[str, bytes]:
    """PNG pictures of ``fragments`` by key: from the cache, else drawn by the Chromium at
    ``chromium`` (when Playwright is installed). A fragment missing from the answer could
    not be drawn."""
    folder = _cache_folder()
    found: dict[str, bytes] = {}
    todo: dict[str, Fragment] = {}
    for fragment in fragments:
        cached = read_private(folder / f"{fragment.key}.png") if folder else None
        if cached is not None:
            found[fragment.key] = cached
        else:
            todo[fragment.key] = fragment
    if not todo or chromium is None:
        return found
    # Playwright's sync API refuses a thread where an asyncio loop runs: a thread of its own.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="podium-pptx") as pool:
        drawn = pool.submit(_draw, list(todo.values()), chromium).result()
    for key, png in drawn.items():
        found[key] = png
        if folder is not None:
            _store(folder / f"{key}.png", png)
    return found


def _store(path: Path, data: bytes) -> None:
    temp = path.with_suffix(".tmp")
    try:
        temp.write_bytes(data)
        temp.chmod(0o600)
        temp.replace(path)
    except OSError:
        pass  # a cache that cannot be written only costs time next export


def _draw(fragments: list[Fragment], chromium: str) -> dict[str, bytes]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {}
    drawn: dict[str, bytes] = {}
    try:
        with sync_playwright() as driver:
            browser = driver.chromium.launch(
                executable_path=chromium, args=["--host-resolver-rules=MAP * ~NOTFOUND"]
            )
            try:
                # No script, and no request leaves the page: the markup is sanitised, and this
                # is the second guard.
                context = browser.new_context(java_script_enabled=False, device_scale_factor=SCALE)
                context.route("**/*", lambda route: route.abort())
                page = context.new_page()
                for fragment in fragments:
                    page.set_content(fragment.page(), wait_until="load")
                    drawn[fragment.key] = page.locator("#it").screenshot(omit_background=True)
            finally:
                browser.close()
    except Exception:  # Playwright's Error: no such browser, or it crashed: text instead
        return drawn
    return drawn


def picture_size(data: bytes) -> tuple[int, int] | None:
    """Width and height in pixels of an image PowerPoint reads, or None."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except Exception:  # Pillow raises many kinds for files it cannot read
        return None


#: Formats python-pptx places as they are; others are converted to PNG.
NATIVE = frozenset({"png", "jpeg", "jpg", "gif", "bmp", "tiff"})


def as_picture(data: bytes, kind: str) -> bytes | None:
    """``data`` in a format PowerPoint reads (converted to PNG when it is not), or None when
    Pillow cannot read it (an SVG is drawn by :func:`render` instead)."""
    if kind in NATIVE:
        return data
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            out = io.BytesIO()
            image.save(out, format="PNG")
            return out.getvalue()
    except Exception:  # not readable by this Pillow (AVIF without its plugin, say)
        return None
