"""Adversarial inputs: does the parse stay linear in their size?

Each class of hostile deck is built at n, 2n and 4n and parsed (``decode_source``,
``parse_deck`` with one worker, ``render_deck``) in a fresh child process, which reports
its wall time (the fastest of ``--repeat`` runs) and the growth of its peak resident memory
over the interpreter's own (``ru_maxrss`` before and after). The
table's last column is time(4n) / time(n): about 4 for linear work, about 16 for quadratic.

    .venv/bin/python benchmarks/bench_adversarial.py            # all classes, ~2 minutes
    .venv/bin/python benchmarks/bench_adversarial.py --scale 2  # bigger inputs
    .venv/bin/python benchmarks/bench_adversarial.py --only utf8 notes
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable

#: Ratio of time(4n) / time(n) above which a class is flagged (linear ~4, quadratic ~16).
SUSPECT_RATIO = 8.0


def _front(body: str) -> str:
    return f"---\n{body}\n---\n\n# Slide\n"


def _alias_bomb(levels: int) -> str:
    """``levels`` anchors, each a list of nine aliases of the one before: 9**levels items."""
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels + 1)]
    return _front("\n".join(lines))


#: name -> (what it is, base n, a deck of size n as text or bytes)
CLASSES: dict[str, tuple[str, int, Callable[[int], str | bytes]]] = {
    "list-comments": ("list items each opening <!--", 2_000, lambda n: "- <!--\n" * n),
    "notes": (
        "one unclosed <!-- per slide",
        1_000,
        lambda n: "".join(f"# S{i}\n\n<!-- note {i}\n\n---\n\n" for i in range(n)),
    ),
    "forgotten-close": (
        "one forgotten --> (later notes closed)",
        1_000,
        lambda n: (
            "# A\n\n<!-- open\n\n---\n\n"
            + "".join(f"# S{i}\n\n<!-- note {i} -->\n\n---\n\n" for i in range(n))
        ),
    ),
    "utf8": ("bytes that are not UTF-8", 500_000, lambda n: b"\xff" * n),
    "big-number": (
        "front matter number of n digits",
        100_000,
        lambda n: _front("duration: " + "9" * n),
    ),
    "yaml-nesting": ("front matter [[[[ n deep", 20_000, lambda n: _front("title: " + "[" * n)),
    "alias-bomb": ("YAML alias bomb, n levels of 9", 4, _alias_bomb),
    "unknown-keys": (
        "unknown front matter keys",
        2_500,
        lambda n: _front("\n".join(f"key{i}: value" for i in range(n))),
    ),
    "link-refs": (
        "slides each defining a link reference",
        1_000,
        lambda n: "".join(f"[r{i}]: https://e.org/{i}\n\n[r{i}]\n\n---\n\n" for i in range(n)),
    ),
    "classes": (
        "classes in one attribute block",
        25_000,
        lambda n: "# T {" + " ".join(f".c{i}" for i in range(n)) + "}\n",
    ),
    "comments-line": (
        "<!-- repeated on one line",
        25_000,
        lambda n: "# T\n\nx " + "<!--" * n + "\n",
    ),
    "footnote-brackets": (
        "[^ repeated on one line of a slide with a footnote",
        10_000,
        lambda n: "Text[^x] " + "[^" * n + "\n\n[^x]: note\n",
    ),
    "footnote-loose": (
        "references with no definition on one line",
        5_000,
        lambda n: "Text " + "[^x] " * n + "\n",
    ),
    "footnotes": (
        "footnote references and definitions on one slide",
        2_000,
        lambda n: (
            "".join(f"a[^{i}] " for i in range(n))
            + "\n\n"
            + "".join(f"[^{i}]: note {i}\n" for i in range(n))
        ),
    ),
    "unclosed-pre": (
        "<pre> never closed, n slides after it",
        2_000,
        lambda n: "# T\n\n<pre>\n\n" + "---\n\n# S\n\ntext\n\n" * n,
    ),
}


def child(name: str, n: int, repeat: int) -> None:
    """Build the input, parse and render it ``repeat`` times; print the fastest time and
    the peak memory as JSON (the fastest of a few runs is the least disturbed by others
    on a shared machine)."""
    from podium.parse.deck import parse_deck
    from podium.parse.source import decode_source
    from podium.render import render_deck

    data = CLASSES[name][2](n)
    raw = data if isinstance(data, bytes) else data.encode()
    decode_source(b"# warm up\n", path="warm.md")
    render_deck(parse_deck("---\ntitle: warm up\n---\n\n# warm up\n", jobs=1), slug="warm")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    seconds = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        text, _ = decode_source(raw, path="deck.md")
        deck = parse_deck(text, path="deck.md", jobs=1)
        render_deck(deck, slug="deck")
        seconds = min(seconds, time.perf_counter() - start)
        del text, deck
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    print(json.dumps({"seconds": seconds, "peak_kib": peak, "bytes": len(raw)}))


def measure(name: str, n: int, repeat: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", name, str(n), str(repeat)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if done.returncode:
        raise SystemExit(f"{name} n={n} failed:\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every base n")
    parser.add_argument("--only", nargs="*", choices=sorted(CLASSES), help="classes to run")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the fastest counts")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), int(args.child[2]))
        return
    names = args.only or list(CLASSES)
    print(f"{'class':16} {'n':>9} {'input':>9} {'time s':>8} {'peak MiB':>9}  ratio 4n/n")
    suspects = []
    started = time.perf_counter()
    for name in names:
        base = max(1, round(CLASSES[name][1] * args.scale))
        if name == "alias-bomb":
            base = CLASSES[name][1]  # levels: 9**levels items, the guard must refuse it
        times = []
        for factor in (1, 2, 4):
            n = base * factor
            result = measure(name, n, args.repeat)
            times.append(result["seconds"])
            ratio = ""
            if factor == 4:
                value = times[2] / max(times[0], 1e-6)
                ratio = f"{value:5.1f}" + ("  SUSPECT" if value > SUSPECT_RATIO else "")
                if value > SUSPECT_RATIO:
                    suspects.append(name)
            print(
                f"{name:16} {n:>9} {_size(result['bytes']):>9} {result['seconds']:8.3f} "
                f"{result['peak_kib'] / 1024:9.1f}  {ratio}",
                flush=True,
            )
        print(f"{'':16} {CLASSES[name][0]}")
    print(f"\n{len(names)} classes in {time.perf_counter() - started:.0f} s", end="")
    print(f"; growing faster than linear: {', '.join(suspects)}" if suspects else "; all linear")


def _size(count: float) -> str:
    for unit in ("B", "KB", "MB"):
        if count < 1000 or unit == "MB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1000
    return str(count)


if __name__ == "__main__":
    main()
