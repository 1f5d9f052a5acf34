"""Big decks are parsed and rendered on every core: forked workers must give exactly what
one process gives, in order, and a worker that fails must cost time, never a result."""

from __future__ import annotations

import contextlib
import os
import time

import pytest

from podium.parse.deck import PARALLEL_MIN_CHUNKS, parse_deck
from podium.render import PARALLEL_MIN_SLIDES, VIEW_PARTS, Renderer
from podium.workers import run

PARENT = os.getpid()


def square(offset: int, item: int) -> tuple[int, int, bool]:
    return item, item * item + offset, os.getpid() == PARENT


def test_results_come_back_in_order_from_every_process() -> None:
    results = run(square, 1, list(range(11)), workers=3)
    assert [(item, value) for item, value, _ in results] == [(i, i * i + 1) for i in range(11)]
    assert {in_parent for *_, in_parent in results} == {True, False}  # both did work


def dies_in_a_worker(_: None, item: int) -> int:
    if os.getpid() != PARENT:
        os._exit(3)  # a worker killed mid-share
    return item * 2


def test_a_failed_worker_costs_time_never_a_result() -> None:
    assert run(dies_in_a_worker, None, list(range(9)), workers=2) == [i * 2 for i in range(9)]


def fails_here(_: None, item: int) -> int:
    if os.getpid() == PARENT:
        raise ValueError("a bug in the work")
    return item


def test_an_error_in_this_process_leaves_no_worker_behind() -> None:
    with pytest.raises(ValueError, match="a bug in the work"):
        run(fails_here, None, list(range(6)), workers=2)
    time.sleep(0.2)  # a worker not waited for would have finished by now, and be a zombie
    with contextlib.suppress(ChildProcessError):  # raised when there is no child at all
        assert os.waitpid(-1, os.WNOHANG) == (0, 0)  # other tests' live children, if any


def test_a_big_deck_parses_and_renders_the_same_on_one_core_and_on_two() -> None:
    slides = [
        f"# Slide {n}\n\n* point `{n}`\n* [link](https://example.org/{n})\n\n"
        f"```python\nx = {n}\n```\n\n<!--\nNote {n}\n* a *list*\n-->\n"
        for n in range(max(PARALLEL_MIN_CHUNKS, PARALLEL_MIN_SLIDES) + 20)
    ]
    text = "\n---\n\n".join(slides)
    one = parse_deck(text, path="big.md", jobs=1)
    two = parse_deck(text, path="big.md", jobs=2)
    assert one == two and len(one.slides) == len(slides)
    kinds = [kind for parts in VIEW_PARTS.values() for kind in parts]
    alone = Renderer().render_parts(one, kinds, notes=True, jobs=1)
    assert Renderer().render_parts(two, kinds, notes=True, jobs=2) == alone
