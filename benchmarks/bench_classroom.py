"""A class under load: ``podium serve --classroom`` with many followers, on loopback.

The server runs in a child process (so its CPU time, memory and threads are its own), over a
copy of the classroom deck (tests/decks/keras-classroom.md) in a temporary project. This
process then opens ``--followers`` event streams as students (raw sockets, one selector, one
thread), and, round after round, sends the presenter's "next" (the POST the presenter view
sends, with the key in its header) and times how long until every follower has the
``position`` event. Meanwhile another thread GETs a page and times it. Then ``--votes``
students vote within one second, and the saved results are checked to count them all.

Nothing here asserts: it prints a table, and the targets as PASS/FAIL lines (p95 under
150 ms to every follower; a GET under 100 ms during the broadcasts; every vote counted).

    python benchmarks/bench_classroom.py [--followers 300] [--rounds 20] [--votes 300]
"""

from __future__ import annotations

import argparse
import json
import os
import selectors
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DECK = ROOT / "tests" / "decks" / "keras-classroom.md"
SLUG = "keras-classroom"
SECRET = "bench-secret-not-for-use-0123456789"
TARGET_P95_MS = 150.0
TARGET_GET_MS = 100.0


def serve(deck: str) -> None:
    """The child: serve the deck until stdin closes; print the port."""
    from podium.serve.classroom_server import ClassroomServer

    server = ClassroomServer([deck], host="127.0.0.1", secret=SECRET)
    server.start()
    print(server.port, flush=True)
    sys.stdin.read()
    server.stop()


def request(port: int, method: str, path: str, body: object = None, **headers: str) -> int:
    data = b"" if body is None else json.dumps(body).encode()
    sent = {"Host": f"127.0.0.1:{port}", "Connection": "close", **headers}
    if body is not None:
        sent |= {"Content-Type": "application/json", "Content-Length": str(len(data))}
    head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in sent.items())
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(head.encode() + b"\r\n" + data)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return int(answer.split(b" ", 2)[1])


class Followers:
    """Students' event streams, read by one selector."""

    def __init__(self, port: int, count: int) -> None:
        self.selector = selectors.DefaultSelector()
        self.buffers: dict[socket.socket, bytearray] = {}
        for _ in range(count):
            connection = socket.create_connection(("127.0.0.1", port), timeout=30)
            connection.sendall(
                f"GET /__podium/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
            )
            connection.setblocking(False)
            self.selector.register(connection, selectors.EVENT_READ)
            self.buffers[connection] = bytearray()

    def wait_for(self, marker: bytes, timeout: float) -> dict[socket.socket, float]:
        """When each follower's stream holds ``marker`` (perf_counter), within ``timeout``."""
        arrived: dict[socket.socket, float] = {}
        for connection, buffer in self.buffers.items():
            if marker in buffer:
                arrived[connection] = time.perf_counter()
        deadline = time.perf_counter() + timeout
        while len(arrived) < len(self.buffers) and time.perf_counter() < deadline:
            for key, _ in self.selector.select(0.05):
                found = key.fileobj
                assert isinstance(found, socket.socket)
                connection = found
                try:
                    chunk = connection.recv(65536)
                except BlockingIOError:
                    continue
                buffer = self.buffers[connection]
                buffer += chunk
                if connection not in arrived and marker in buffer:
                    arrived[connection] = time.perf_counter()
                if len(buffer) > 1 << 20:
                    del buffer[: len(buffer) - 4096]
        return arrived

    def close(self) -> None:
        for connection in self.buffers:
            connection.close()


def proc_stats(pid: int) -> tuple[float, int, int, int]:
    """CPU seconds, RSS and peak RSS (KiB), threads of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    status = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    rss, peak = (int(status[name].split()[0]) for name in ("VmRSS", "VmHWM"))
    return cpu, rss, peak, int(status["Threads"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--followers", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--votes", type=int, default=300)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve)
        return 0
    with tempfile.TemporaryDirectory(prefix="podium-bench-class-") as folder:
        project = Path(folder)
        (project / "pyproject.toml").write_text("")
        deck = project / f"{SLUG}.md"
        deck.write_text(DECK.read_text(encoding="utf-8"), encoding="utf-8")
        child = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(deck)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert child.stdout is not None
            port = int(child.stdout.readline())
            return run(args, port, child.pid, project)
        finally:
            assert child.stdin is not None
            child.stdin.close()
            child.wait(30)


def run(args: argparse.Namespace, port: int, pid: int, project: Path) -> int:
    cpu0, rss0, _, threads0 = proc_stats(pid)
    started = time.perf_counter()
    followers = Followers(port, args.followers)
    hellos = followers.wait_for(b"event: hello", 60)
    connect_s = time.perf_counter() - started
    _, rss1, _, threads1 = proc_stats(pid)
    print(f"{len(hellos)}/{args.followers} followers connected in {connect_s:.1f} s")

    delays: list[float] = []
    missed = 0
    gets: list[float] = []
    stop = threading.Event()

    def get_pages() -> None:
        while not stop.is_set():
            t = time.perf_counter()
            request(port, "GET", f"/{SLUG}/")
            gets.append((time.perf_counter() - t) * 1000)
            time.sleep(0.05)

    getter = threading.Thread(target=get_pages, daemon=True)
    getter.start()
    cpu_rounds0 = proc_stats(pid)[0]
    for round_ in range(args.rounds):
        slide = 2 + round_ % 7
        marker = f'event: position\ndata: {{"deck":"{SLUG}","slide":{slide},"step":{round_},'
        sent = time.perf_counter()
        body = {"deck": SLUG, "slide": slide, "step": round_, "from": "bench"}
        status = request(
            port, "POST", "/__podium/classroom/position", body, **{"X-Podium-Key": SECRET}
        )
        assert status == 200, status
        arrived = followers.wait_for(marker.encode(), 10)
        missed += args.followers - len(arrived)
        delays.extend((at - sent) * 1000 for at in arrived.values())
        time.sleep(0.2)
    cpu_rounds = proc_stats(pid)[0] - cpu_rounds0
    stop.set()
    getter.join()

    # Votes: every student once, spread over one second.
    devices = [f"bench-device-{n:05d}-xyz" for n in range(args.votes)]
    poll = {"deck": SLUG, "id": "8.1"}

    def cast(n: int) -> int:
        time.sleep(max(0.0, t + n / max(1, args.votes) - time.perf_counter()))
        return request(
            port,
            "POST",
            "/__podium/classroom/vote",
            {**poll, "option": n % 3},
            **{"X-Podium-Device": devices[n]},
        )

    t = time.perf_counter()
    with ThreadPoolExecutor(32) as pool:
        statuses = list(pool.map(cast, range(args.votes)))
    votes_s = time.perf_counter() - t
    ok = statuses.count(200)
    saved_total = 0
    for _ in range(50):  # the server saves within half a second
        time.sleep(0.1)
        files = list((project / ".podium" / "polls").glob("*.json"))
        if files:
            polls = json.loads(files[0].read_text())["polls"]
            saved_total = sum(polls[0]["counts"])
            if saved_total == args.votes:
                break
    cpu1, _, peak, _ = proc_stats(pid)
    followers.close()

    def q(p: float) -> float:
        return statistics.quantiles(delays, n=100)[int(p) - 1] if len(delays) > 1 else 0.0

    print()
    print(f"| {args.followers} followers, {args.rounds} rounds | value |")
    print("|---|---|")
    print(f"| next -> every follower: p50 | {statistics.median(delays):.1f} ms |")
    print(f"| next -> every follower: p95 | {q(95):.1f} ms |")
    print(f"| next -> every follower: max | {max(delays):.1f} ms |")
    print(f"| events missed (not within 10 s) | {missed} |")
    print(
        f"| GET during broadcasts: median / max | {statistics.median(gets):.1f} / "
        f"{max(gets):.1f} ms ({len(gets)} GETs) |"
    )
    print(
        f"| server CPU during the rounds | {cpu_rounds:.2f} s over "
        f"{args.rounds} rounds ({cpu_rounds / args.rounds * 1000:.0f} ms a round) |"
    )
    print(f"| server CPU in all (start, connect, rounds, votes) | {cpu1 - cpu0:.2f} s |")
    print(
        f"| server memory: idle / {args.followers} followers / peak | "
        f"{rss0 / 1024:.0f} / {rss1 / 1024:.0f} / {peak / 1024:.0f} MiB |"
    )
    print(f"| server threads: idle / with followers | {threads0} / {threads1} |")
    print(f"| {args.votes} votes in {votes_s:.2f} s: answered 200 / saved | {ok} / {saved_total} |")
    print()
    p95 = q(95)
    print(
        ("PASS" if p95 < TARGET_P95_MS and not missed else "FAIL")
        + f": p95 {p95:.0f} ms to all {args.followers} (target < {TARGET_P95_MS:.0f} ms)"
    )
    print(
        ("PASS" if max(gets) < TARGET_GET_MS else "FAIL")
        + f": slowest GET {max(gets):.0f} ms meanwhile (target < {TARGET_GET_MS:.0f} ms)"
    )
    print(
        ("PASS" if saved_total == args.votes == ok else "FAIL")
        + f": {saved_total} of {args.votes} votes counted and saved"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
