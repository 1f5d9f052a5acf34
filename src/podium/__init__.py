"""Podium: markdown slide decks to an audience view, a presenter view and a lesson handout.

The public surface is small and imported lazily, so ``podium --version`` stays instant.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time: `podium` starts fast

__version__ = "0.1.0"
__all__ = ["Deck", "Diagnostic", "Slide", "__version__", "build_site", "parse_deck", "render_deck"]

if TYPE_CHECKING:
    from typing import Any

    from podium.model import Deck, Diagnostic, Slide
    from podium.parse.deck import parse_deck
    from podium.render import render_deck
    from podium.site.build import build_site

_LAZY = {
    "Deck": "podium.model",
    "Diagnostic": "podium.model",
    "Slide": "podium.model",
    "parse_deck": "podium.parse.deck",
    "render_deck": "podium.render",
    "build_site": "podium.site.build",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'podium' has no attribute {name!r}")
