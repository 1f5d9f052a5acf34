"""The watcher: ignore rules, the debounce, and real watchdog events for every editor save."""

from __future__ import annotations

import errno
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from watchdog.events import (
    DirModifiedEvent,
    FileClosedEvent,
    FileClosedNoWriteEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileOpenedEvent,
)
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from podium.serve.watch import Debouncer, Watcher, changed_paths, is_ignored
from tests.helpers import SAVES, wait_until


@pytest.mark.parametrize(
    "name",
    [
        ".deck.md.swp",
        ".deck.md.swo",
        ".deck.md.swx",
        "4913",
        "5036",
        "deck.md~",
        ".#deck.md",
        "#deck.md#",
        "deck.md___jb_tmp___",
        "deck.md___jb_old___",
        ".goutputstream-ABC123",
        ".~lock.deck.md#",
        ".DS_Store",
        "._deck.md",
        "~$deck.md",
        "deck.md.tmp",
        "deck.md.crswap",
    ],
)
def test_editor_files_are_ignored(name: str) -> None:
    assert is_ignored(name)
    assert is_ignored(f"/some/folder/{name}")


@pytest.mark.parametrize(
    "name", ["deck.md", "intro-keras.md", "fig1.png", "pyproject.toml", "1.md"]
)
def test_real_files_are_not_ignored(name: str) -> None:
    assert not is_ignored(name)


def test_changed_paths_reads_every_kind_of_write() -> None:
    assert changed_paths(FileModifiedEvent("/d/deck.md")) == ["/d/deck.md"]
    assert changed_paths(FileCreatedEvent("/d/deck.md")) == ["/d/deck.md"]
    assert changed_paths(FileDeletedEvent("/d/deck.md")) == ["/d/deck.md"]
    assert changed_paths(FileClosedEvent("/d/deck.md")) == ["/d/deck.md"]
    # an atomic save: only the move's destination names the deck
    assert changed_paths(FileMovedEvent("/d/.deck.md.tmp", "/d/deck.md")) == ["/d/deck.md"]
    # vim renames the deck away to its backup: the deck changed
    assert changed_paths(FileMovedEvent("/d/deck.md", "/d/deck.md~")) == ["/d/deck.md"]


def test_changed_paths_ignores_reads_and_folder_noise() -> None:
    assert changed_paths(FileOpenedEvent("/d/deck.md")) == []
    assert changed_paths(FileClosedNoWriteEvent("/d/deck.md")) == []
    assert changed_paths(DirModifiedEvent("/d")) == []
    assert changed_paths(FileModifiedEvent("/d/.deck.md.swp")) == []
    assert changed_paths(FileCreatedEvent("/d/4913")) == []


# ---- the debounce --------------------------------------------------------------------------------


class Recorder:
    """A build function that records its batches and can be made slow."""

    def __init__(self, delay: float = 0.0) -> None:
        self.batches: list[frozenset[str]] = []
        self.delay = delay
        self.started = threading.Event()

    def __call__(self, paths: frozenset[str]) -> None:
        self.started.set()
        time.sleep(self.delay)
        self.batches.append(paths)


@pytest.fixture
def debounced() -> Iterator[Callable[..., tuple[Debouncer, Recorder]]]:
    made: list[Debouncer] = []

    def make(delay: float = 0.0, quiet: float = 0.05) -> tuple[Debouncer, Recorder]:
        recorder = Recorder(delay)
        debouncer = Debouncer(recorder, quiet=quiet)
        debouncer.start()
        made.append(debouncer)
        return debouncer, recorder

    yield make
    for debouncer in made:
        debouncer.stop()
        assert not debouncer._thread.is_alive()


def test_a_burst_gives_one_build(debounced: Callable[..., tuple[Debouncer, Recorder]]) -> None:
    debouncer, recorder = debounced(quiet=0.2)
    for i in range(20):
        debouncer.notify([f"/d/file{i % 3}.md"])
    wait_until(lambda: debouncer.builds == 1 and debouncer.idle)
    time.sleep(0.3)
    assert recorder.batches == [frozenset({"/d/file0.md", "/d/file1.md", "/d/file2.md"})]


def test_a_change_during_a_build_gives_exactly_one_more(
    debounced: Callable[..., tuple[Debouncer, Recorder]],
) -> None:
    debouncer, recorder = debounced(delay=0.4)
    debouncer.notify(["/d/a.md"])
    assert recorder.started.wait(5)
    for name in ("b", "c", "d"):  # all while the first build runs
        debouncer.notify([f"/d/{name}.md"])
    wait_until(lambda: debouncer.builds == 2 and debouncer.idle)
    time.sleep(0.3)
    assert recorder.batches == [
        frozenset({"/d/a.md"}),
        frozenset({"/d/b.md", "/d/c.md", "/d/d.md"}),
    ]


def test_nothing_changed_means_no_build(
    debounced: Callable[..., tuple[Debouncer, Recorder]],
) -> None:
    debouncer, recorder = debounced()
    debouncer.notify([])
    time.sleep(0.3)
    assert recorder.batches == [] and debouncer.builds == 0


def test_a_failing_build_does_not_stop_the_debouncer(
    debounced: Callable[..., tuple[Debouncer, Recorder]],
) -> None:
    calls: list[frozenset[str]] = []

    def explode(paths: frozenset[str]) -> None:
        calls.append(paths)
        raise RuntimeError("boom")

    debouncer = Debouncer(explode, quiet=0.02)
    debouncer.start()
    try:
        debouncer.notify(["/d/a.md"])
        wait_until(lambda: debouncer.builds == 1)
        debouncer.notify(["/d/b.md"])
        wait_until(lambda: debouncer.builds == 2)
    finally:
        debouncer.stop()
    assert calls == [frozenset({"/d/a.md"}), frozenset({"/d/b.md"})]


# ---- real watchdog, real files: each editor's way of saving --------------------------------------


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[Path, Debouncer, Recorder]]:
    """A folder holding deck.md, watched; the quiet window is generous so that one save, done
    in several steps, can never be split in two on a busy machine."""
    deck = tmp_path / "deck.md"
    deck.write_text("# One\n", encoding="utf-8")
    recorder = Recorder()
    debouncer = Debouncer(recorder, quiet=0.2)
    watcher = Watcher(debouncer.notify)
    watcher.start()
    assert watcher.watch([(tmp_path.resolve(), False)]) == []
    debouncer.start()
    yield deck, debouncer, recorder
    watcher.stop()
    debouncer.stop()


def settle(debouncer: Debouncer, builds: int) -> None:
    wait_until(lambda: debouncer.builds >= builds and debouncer.idle)
    time.sleep(0.3)  # any straggling event would give a second build: let it show


@pytest.mark.parametrize("save", list(SAVES))
def test_every_editor_save_gives_exactly_one_build(
    watched: tuple[Path, Debouncer, Recorder], save: str
) -> None:
    deck, debouncer, recorder = watched
    SAVES[save](deck, "# Two\n")
    settle(debouncer, 1)
    assert debouncer.builds == 1, recorder.batches
    assert str(deck.resolve()) in recorder.batches[0]
    assert all(not is_ignored(p) for p in recorder.batches[0])
    SAVES[save](deck, "# Three\n")  # and the next save too (a watch on the old inode would miss it)
    settle(debouncer, 2)
    assert debouncer.builds == 2, recorder.batches
    assert deck.read_text(encoding="utf-8") == "# Three\n"


def test_swap_and_lock_files_alone_give_no_build(watched: tuple[Path, Debouncer, Recorder]) -> None:
    deck, _, recorder = watched
    folder = deck.parent
    (folder / ".deck.md.swp").write_bytes(b"b0VIM")
    (folder / "4913").write_text("")
    (folder / "deck.md~").write_text("old")
    os.symlink("user@host.1234", folder / ".#deck.md")  # emacs' lock: a dangling symlink
    for name in (".deck.md.swp", "4913", "deck.md~", ".#deck.md"):
        (folder / name).unlink()
    time.sleep(0.8)
    assert recorder.batches == []


def test_reading_the_sources_gives_no_build(watched: tuple[Path, Debouncer, Recorder]) -> None:
    deck, debouncer, recorder = watched
    for _ in range(5):
        deck.read_bytes()  # what the build and the server do: opened / closed-no-write events
    time.sleep(0.8)
    assert recorder.batches == [] and debouncer.builds == 0


def test_a_missing_folder_is_watched_through_its_parent(tmp_path: Path) -> None:
    recorder = Recorder()
    debouncer = Debouncer(recorder, quiet=0.05)
    watcher = Watcher(debouncer.notify)
    watcher.start()
    debouncer.start()
    try:
        folder = tmp_path / "later" / "slides"
        assert watcher.watch([(folder, False)]) == []
        assert watcher.folders == {(tmp_path, False)}  # where its coming is seen
        folder.mkdir(parents=True)
        (folder / "deck.md").write_text("# Here\n", encoding="utf-8")
        settle(debouncer, 1)
        assert watcher.watch([(folder, False)]) == []
        assert watcher.folders == {(folder, False)}
        # the deck was written before the folder's own watch: it is reported now
        settle(debouncer, 2)
        assert str(folder / "deck.md") in recorder.batches[-1]
        assert watcher.watch([]) == [] and watcher.folders == set()
    finally:
        watcher.stop()
        debouncer.stop()


def test_a_folder_replaced_is_watched_again(tmp_path: Path) -> None:
    import shutil

    recorder = Recorder()
    debouncer = Debouncer(recorder, quiet=0.05)
    watcher = Watcher(debouncer.notify)
    folder = tmp_path / "slides"
    folder.mkdir()
    watcher.start()
    debouncer.start()
    try:
        assert watcher.watch([(folder, False)]) == []
        shutil.rmtree(folder)
        folder.mkdir()
        (folder / "deck.md").write_text("# New\n", encoding="utf-8")
        settle(debouncer, 1)
        assert watcher.watch([(folder, False)]) == []  # re-armed on the new folder
        settle(debouncer, 2)
        assert str(folder / "deck.md") in recorder.batches[-1]
        (folder / "deck.md").write_text("# Edited\n", encoding="utf-8")
        settle(debouncer, 3)
        assert recorder.batches[-1] == frozenset({str(folder / "deck.md")})
    finally:
        watcher.stop()
        debouncer.stop()


class _NoWatchesLeft(Observer):  # type: ignore[misc,valid-type]
    """An inotify observer on a system whose watch limit is reached."""

    def schedule(self, *args: object, **kwargs: object) -> object:
        raise OSError(errno.ENOSPC, "No space left on device")


def test_past_the_watch_limit_a_folder_is_polled(tmp_path: Path) -> None:
    recorder = Recorder()
    debouncer = Debouncer(recorder, quiet=0.05)
    watcher = Watcher(
        debouncer.notify,
        observer_factory=_NoWatchesLeft,
        polling_factory=lambda: PollingObserver(timeout=0.1),
    )
    watcher.start()
    debouncer.start()
    try:
        (problem,) = watcher.watch([(tmp_path, False)])
        assert "limit on watched folders" in problem and f"polling {tmp_path}" in problem
        assert watcher.polled == {(tmp_path, False)}
        (tmp_path / "deck.md").write_text("# Polled\n", encoding="utf-8")
        wait_until(lambda: debouncer.builds >= 1)
        assert str(tmp_path / "deck.md") in recorder.batches[0]
    finally:
        watcher.stop()
        debouncer.stop()


def test_paths_a_build_leaves_join_the_next_build() -> None:
    batches: list[frozenset[str]] = []

    def give_way(paths: frozenset[str]) -> frozenset[str]:
        batches.append(paths)
        return frozenset({"/d/a.md"}) if len(batches) == 1 else frozenset()

    debouncer = Debouncer(give_way, quiet=0.02)
    debouncer.start()
    try:
        debouncer.notify(["/d/a.md", "/d/b.md"])
        wait_until(lambda: debouncer.builds == 2 and debouncer.idle)
    finally:
        debouncer.stop()
    assert batches == [frozenset({"/d/a.md", "/d/b.md"}), frozenset({"/d/a.md"})]
