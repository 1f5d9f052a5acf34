"""A class in session: where the presenter is, the polls and their votes, the secret.

Pure state behind a lock, no HTTP (that is :mod:`podium.serve.classroom_http`) and no
printing. What a student may learn is decided here, in one place: :meth:`Classroom.state`
and :meth:`Classroom.poll_event` with ``instructor=False`` leave out the counts and the
right answer until the presenter reveals them.
"""

from __future__ import annotations

import hmac
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from podium.model import Poll
from podium.serve.snapshot import DeckBuild

#: Failed guesses at the secret a client address may make per window, then 429.
GUESSES = 10
GUESS_WINDOW_SECONDS = 60.0
#: Client addresses remembered by the limiter at most (older ones are forgotten first).
GUESSERS_KEPT = 4096
#: Devices one poll counts at most: a script inventing device ids cannot grow memory
#: without end (a class is far smaller).
MAX_VOTERS = 5000
#: A device id: what classroom.js makes (random, URL-safe), nothing else.
DEVICE_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def primary_address() -> str | None:
    """This machine's address on its main network: the source address of a UDP socket
    "connected" to a non-routable address (no packet is sent). None without a network."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.254.254.254", 1))
            address = str(probe.getsockname()[0])
        except OSError:
            return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def same_secret(given: str | None, secret: str) -> bool:
    """Whether ``given`` is the secret, in time that does not depend on where they differ."""
    if not given:
        return False
    return hmac.compare_digest(given.encode("utf-8", "replace"), secret.encode("utf-8"))


class GuessLimiter:
    """Counts failed guesses at the secret per client address: past :data:`GUESSES` in
    :data:`GUESS_WINDOW_SECONDS`, the address is refused (429) until the window passes."""

    def __init__(
        self,
        limit: int = GUESSES,
        window: float = GUESS_WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, address: str) -> deque[float]:
        times = self._failures.get(address)
        if times is None:
            return deque()
        since = self.clock() - self.window
        while times and times[0] < since:
            times.popleft()
        if not times:
            del self._failures[address]
        return times

    def blocked(self, address: str) -> bool:
        with self._lock:
            return len(self._recent(address)) >= self.limit

    def failed(self, address: str) -> None:
        with self._lock:
            times = self._recent(address)
            if not times:
                if len(self._failures) >= GUESSERS_KEPT:
                    self._failures.pop(next(iter(self._failures)))
                self._failures[address] = times
            if len(times) < self.limit:  # enough to refuse; no need to keep more
                times.append(self.clock())


@dataclass
class PollState:
    """One poll of a deck during the class."""

    deck: str
    slide: int
    poll: Poll
    votes: dict[str, int] = field(default_factory=dict)
    """Option chosen, by device id (a device changes its vote by voting again)."""
    open: bool = True
    revealed: bool = False

    @property
    def id(self) -> str:
        return f"{self.slide}.{self.poll.number}"

    def counts(self) -> list[int]:
        counts = [0] * len(self.poll.options)
        for option in self.votes.values():
            counts[option] += 1
        return counts


class Classroom:
    """Where the presenter is in each deck, and the polls. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.positions: dict[str, dict[str, Any]] = {}
        self.polls: dict[tuple[str, str], PollState] = {}
        self.qr = False
        """The join QR code is shown full screen on the audience screen."""
        self.changed = threading.Event()
        """Set on every vote or reveal: the results want saving."""

    def set_decks(self, decks: Iterable[DeckBuild]) -> None:
        """The decks' polls after a build; a poll that still asks the same keeps its votes."""
        with self._lock:
            polls: dict[tuple[str, str], PollState] = {}
            for built in decks:
                slug = built.source.slug
                for slide in built.deck.slides:
                    for poll in slide.polls:
                        key = (slug, f"{slide.index}.{poll.number}")
                        old = self.polls.get(key)
                        if old is not None and old.poll.options == poll.options:
                            old.poll = poll  # the answer may have been corrected
                            polls[key] = old
                        else:
                            polls[key] = PollState(slug, slide.index, poll)
            self.polls = polls

    def move(self, deck: str, slide: int, step: int, blackout: bool, sender: str) -> dict[str, Any]:
        position = {
            "deck": deck,
            "slide": slide,
            "step": step,
            "blackout": blackout,
            "from": sender,
        }
        with self._lock:
            self.positions[deck] = position
        return position

    def vote(self, deck: str, poll_id: str, option: int, device: str) -> str:
        """Count a device's vote: ``ok``, or why not (``unknown``, ``closed``, ``full``)."""
        with self._lock:
            state = self.polls.get((deck, poll_id))
            if state is None or not 0 <= option < len(state.poll.options):
                return "unknown"
            if not state.open:
                return "closed"
            if device not in state.votes and len(state.votes) >= MAX_VOTERS:
                return "full"
            state.votes[device] = option
        self.changed.set()
        return "ok"

    def reveal(self, deck: str, poll_id: str, on: bool) -> PollState | None:
        """Show (closing the vote) or hide a poll's results on the audience screens."""
        with self._lock:
            state = self.polls.get((deck, poll_id))
            if state is None:
                return None
            state.revealed = on
            if on:
                state.open = False
        self.changed.set()
        return state

    def reopen(self, deck: str, poll_id: str) -> PollState | None:
        with self._lock:
            state = self.polls.get((deck, poll_id))
            if state is not None:
                state.open, state.revealed = True, False
        return state

    def show_qr(self, on: bool) -> dict[str, Any]:
        with self._lock:
            self.qr = on
        return {"qr": on}

    def poll(self, deck: str, poll_id: str) -> PollState | None:
        with self._lock:
            return self.polls.get((deck, poll_id))

    def poll_event(self, state: PollState, *, instructor: bool) -> dict[str, Any]:
        """A poll as a page may see it: counts and the answer only to the instructor, or to
        everyone once revealed."""
        with self._lock:
            event: dict[str, Any] = {
                "deck": state.deck,
                "id": state.id,
                "open": state.open,
                "revealed": state.revealed,
            }
            if instructor or state.revealed:
                event["counts"] = state.counts()
                event["answer"] = state.poll.answer
                event["options"] = list(state.poll.options)
            return event

    def state(self, *, instructor: bool) -> dict[str, Any]:
        """Everything a page needs on (re)connecting."""
        with self._lock:
            polls = list(self.polls.values())
            positions = dict(self.positions)
            qr = self.qr
        return {
            "positions": positions,
            "polls": [self.poll_event(p, instructor=instructor) for p in polls],
            "qr": qr,
        }

    def results(self) -> dict[str, list[dict[str, Any]]]:
        """The votes so far, by deck: what is saved under ``.podium/polls``. Only polls that
        were voted on or revealed."""
        by_deck: dict[str, list[dict[str, Any]]] = {}
        with self._lock:
            for state in self.polls.values():
                if not state.votes and not state.revealed:
                    continue
                by_deck.setdefault(state.deck, []).append(
                    {
                        "id": state.id,
                        "slide": state.slide,
                        "question": state.poll.question,
                        "options": list(state.poll.options),
                        "answer": state.poll.answer,
                        "counts": state.counts(),
                        "votes": len(state.votes),
                    }
                )
        return by_deck
