"""Headless Chromium driven over its DevTools pipe: the few commands printing needs.

Chromium started with ``--remote-debugging-pipe`` reads JSON commands on its file descriptor 3
and writes answers and events on 4, each message ending in a NUL byte. Talking to it directly
takes about 0.2 s from start to a blank page, where Playwright (importing it, starting its
Node.js driver, launching, a context and a page) took 2-3 s on a busy 2-core machine: most of
a small deck's export.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import subprocess
import time
from collections import deque
from collections.abc import Callable
from typing import Any

#: Seconds one command may take (a page that never loads, a print that hangs).
TIMEOUT = 60.0
#: The pipes come in as the shell's standard input and output and leave as the descriptors
#: Chromium reads (3) and writes (4); a shell names only descriptors 0 to 9, which any
#: process's own pipe numbers may exceed.
SHELL = 'exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>/dev/null'


class DevToolsError(Exception):
    """Chromium would not start, closed its pipe, answered with an error, or took too long."""


class Chromium:
    """One headless Chromium process and its pipe; :meth:`call` sends a command and returns
    its answer, handing every event that arrives meanwhile to ``on_event``."""

    def __init__(self, path: str, args: list[str]) -> None:
        commands_read, self._commands = os.pipe()
        self._answers, answers_write = os.pipe()
        flags = ["--headless", "--remote-debugging-pipe", "--no-first-run", "--mute-audio"]
        try:
            self.process = subprocess.Popen(
                ["/bin/sh", "-c", SHELL, path, *flags, *args, "about:blank"],
                stdin=commands_read,
                stdout=answers_write,
                stderr=subprocess.DEVNULL,
            )
        except OSError as problem:
            raise DevToolsError(str(problem)) from None
        finally:
            os.close(commands_read)
            os.close(answers_write)
        self._partial: list[bytes] = []  # the start of the next message
        self._whole: deque[bytes] = deque()  # messages read, not yet handed out
        self._next = 0
        self.closing = False
        self.on_event: Callable[[dict[str, Any]], None] = lambda message: None

    def send(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> int:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        try:
            while data:
                data = data[os.write(self._commands, data) :]
        except OSError:
            raise DevToolsError("Chromium closed its pipe") from None
        return self._next

    def call(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> Any:
        """Send ``method`` and wait for its answer (events meanwhile go to ``on_event``)."""
        wanted = self.send(method, params, session)
        deadline = time.monotonic() + TIMEOUT
        while True:
            message = self._receive(deadline)
            if message.get("id") == wanted:
                if "error" in message:
                    raise DevToolsError(f"{method}: {message['error'].get('message', '')}")
                return message.get("result", {})
            if "method" in message:
                self.on_event(message)

    def _receive(self, deadline: float) -> dict[str, Any]:
        # Chunks are kept in a list and joined once a message is whole: a big PDF arrives in
        # many chunks, and growing one bytes object would copy it once per chunk.
        while not self._whole:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._answers], [], [], left)[0]:
                raise DevToolsError(f"no answer from Chromium in {TIMEOUT:.0f} s")
            chunk = os.read(self._answers, 1 << 20)
            if not chunk:
                raise DevToolsError("Chromium closed its pipe (it is not a Chromium, or crashed)")
            *ends, rest = chunk.split(b"\0")
            if ends:
                ends[0] = b"".join([*self._partial, ends[0]])
                self._partial = []
                self._whole.extend(ends)
            if rest:
                self._partial.append(rest)
        message: dict[str, Any] = json.loads(self._whole.popleft())
        return message

    def start_closing(self) -> None:
        """Ask Chromium to quit without waiting: its shutdown (about 0.1 s) then overlaps
        whatever the caller still has to do; :meth:`close` waits for it."""
        if not self.closing:
            self.closing = True
            with contextlib.suppress(DevToolsError):
                self.send("Browser.close")

    def close(self) -> None:
        self.start_closing()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._commands)
        os.close(self._answers)


def pdf_bytes(result: dict[str, Any]) -> bytes:
    return base64.b64decode(result["data"])
