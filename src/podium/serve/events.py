"""Pushing updates to the open pages: the server-sent events of ``/__podium/events``."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from podium.model import Diagnostic
from podium.serve.builder import Update
from podium.serve.snapshot import DeckBuild, find_deck


class Broadcaster:
    """The recent server-sent events, and a condition the streams wait on."""

    def __init__(self, keep: int = 16) -> None:
        self._condition = threading.Condition()
        self._events: deque[tuple[int, str]] = deque(maxlen=keep)
        self._seq = 0
        self._closed = False

    @property
    def seq(self) -> int:
        with self._condition:
            return self._seq

    def publish(self, name: str, data: Mapping[str, Any]) -> int:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        with self._condition:
            self._seq += 1
            self._events.append((self._seq, f"id: {self._seq}\nevent: {name}\ndata: {text}\n\n"))
            self._condition.notify_all()
            return self._seq

    def wait(self, after: int, timeout: float) -> list[tuple[int, str]] | None:
        """Events after ``after`` (waiting up to ``timeout``); None once closed.

        A stream so far behind that events were dropped gets an empty ``hello`` marker
        (seq -1): it must ask for the whole state again.
        """
        with self._condition:
            self._condition.wait_for(lambda: self._closed or self._seq > after, timeout)
            if self._closed:
                return None
            if self._events and self._events[0][0] > after + 1:
                return [(-1, "")]
            return [(seq, text) for seq, text in self._events if seq > after]

    def close(self) -> None:
        with self._condition:
            self._closed = True
            self._condition.notify_all()


def diagnostics_json(diagnostics: Iterable[Diagnostic]) -> list[dict[str, str]]:
    return [
        {"severity": d.severity, "text": d.format(), **({"hint": d.hint} if d.hint else {})}
        for d in diagnostics
        if d.severity in ("error", "warning")
    ]


def update_event(update: Update) -> dict[str, Any]:
    """The ``update`` event: what the pages need to patch themselves or reload."""
    snapshot = update.snapshot
    return {
        "build": snapshot.build,
        "ok": update.ok,
        "diagnostics": diagnostics_json(update.diagnostics),
        "changed": list(update.changed) if update.ok else [],
        "removed": [name for name in update.changed if name not in snapshot.files],
        "assets": [name for name in update.changed if isinstance(snapshot.files.get(name), Path)],
        "decks": {
            slug: {
                "slides": None if change.slides is None else list(change.slides),
                "edited": change.edited,
                "age": _age_ms(find_deck(snapshot.decks, slug)),
            }
            for slug, change in update.decks.items()
        },
    }


def _age_ms(built: DeckBuild | None) -> int:
    """Milliseconds since the deck's file was saved: a page whose viewer moved since then
    is not moved by the update (one clock, the server's; the page subtracts it from now)."""
    try:
        saved = built.source.file.stat().st_mtime_ns if built else time.time_ns()
    except OSError:
        return 0
    return max(0, (time.time_ns() - saved) // 1_000_000)


def event_bytes(name: str, data: Mapping[str, Any]) -> bytes:
    """An event for one stream only (its ``hello``, a refusal): no id, not kept for replay."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"event: {name}\ndata: {text}\n\n".encode()
