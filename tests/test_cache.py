"""Caches that can go stale are bugs: every way an input changes must reach the output."""

from __future__ import annotations

import os
import stat
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from podium.cli.app import cli
from podium.parse.deck import parse_deck
from podium.site.build import discover_decks, load_deck
from podium.site.cache import DiskCache, cache_dir
from tests.helpers import PNG, DeckDir

DECK = "# One\n\n---\n\nTwo {.big}\n\n![chart](chart.png)\n\n---\n\n# Three\n"


def build(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(cli, ["build", *args])
    assert result.exit_code in (0, 1), result.output
    return result.output


def touch_later(path: Path) -> None:
    """Make sure a rewrite gets a new mtime even on coarse clocks."""
    stamp = time.time_ns() + 2_000_000_000
    os.utime(path, ns=(stamp, stamp))


def test_second_build_is_up_to_date_and_repeats_its_warnings(
    runner: CliRunner, deck_dir: DeckDir
) -> None:
    root = deck_dir({"deck.md": DECK})
    first = build(runner, str(root / "deck.md"), "-o", str(root / "site"))
    assert "Built 1 deck" in first and "warning[image-missing]" in first
    second = build(runner, str(root / "deck.md"), "-o", str(root / "site"))
    assert "Up to date" in second and "warning[image-missing]" in second


def test_an_image_appearing_is_a_change(runner: CliRunner, deck_dir: DeckDir) -> None:
    root = deck_dir({"deck.md": DECK})
    build(runner, str(root / "deck.md"), "-o", str(root / "site"))
    (root / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n fake")
    output = build(runner, str(root / "deck.md"), "-o", str(root / "site"))
    assert "Built" in output and "image-missing" not in output
    assert (root / "site/deck/chart.png").read_bytes() == b"\x89PNG\r\n\x1a\n fake"
    assert '<img src="chart.png"' in (root / "site/deck/index.html").read_text()


def test_an_image_changing_or_going_is_a_change(runner: CliRunner, deck_dir: DeckDir) -> None:
    root = deck_dir({"deck.md": DECK, "chart.png": b"\x89PNG\r\n\x1a\none"})
    build(runner, str(root / "deck.md"), "-o", str(root / "site"))
    (root / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\ntwo!")
    touch_later(root / "chart.png")
    build(runner, str(root / "deck.md"), "-o", str(root / "site"))
    assert (root / "site/deck/chart.png").read_bytes() == b"\x89PNG\r\n\x1a\ntwo!"
    (root / "chart.png").unlink()
    output = build(runner, str(root / "deck.md"), "-o", str(root / "site"))
    assert "image-missing" in output
    assert 'class="image-missing"' in (root / "site/deck/index.html").read_text()


def test_an_edit_is_a_change_and_only_the_edit_changes(
    runner: CliRunner, deck_dir: DeckDir
) -> None:
    root = deck_dir({"deck.md": DECK})
    build(runner, str(root / "deck.md"), "-o", str(root / "site"))
    (root / "deck.md").write_text(DECK.replace("# Three", "# Three, edited"))
    build(runner, str(root / "deck.md"), "-o", str(root / "site"))
    page = (root / "site/deck/index.html").read_text()
    assert "Three, edited" in page and "Two" in page


def test_changing_flags_is_a_change(runner: CliRunner, deck_dir: DeckDir) -> None:
    root = deck_dir({"deck.md": DECK + "\n<!-- secret note -->\n"})
    build(runner, str(root / "deck.md"), "-o", str(root / "site"))
    assert "secret note" in (root / "site/deck/presenter.html").read_text()
    output = build(runner, str(root / "deck.md"), "-o", str(root / "site"), "--no-notes")
    assert "Built" in output
    assert "secret note" not in (root / "site/deck/presenter.html").read_text()


def test_a_deleted_output_file_is_rebuilt(runner: CliRunner, deck_dir: DeckDir) -> None:
    root = deck_dir({"deck.md": DECK})
    build(runner, str(root / "deck.md"), "-o", str(root / "site"))
    (root / "site/deck/handout.html").unlink()
    assert "Built" in build(runner, str(root / "deck.md"), "-o", str(root / "site"))
    assert (root / "site/deck/handout.html").is_file()


def test_chunk_cache_hits_give_the_same_deck_with_moved_lines(deck_dir: DeckDir) -> None:
    root = deck_dir({"deck.md": DECK})
    cache: dict[str, object] = {}
    first = parse_deck(DECK, path=str(root / "deck.md"), cache=cache)  # type: ignore[arg-type]
    assert cache
    # Two lines added at the top: every cached slide moves down, diagnostics with it.
    shifted = parse_deck(
        "# Zero\n\n---\n\n" + DECK,
        path=str(root / "deck.md"),
        cache=cache,  # type: ignore[arg-type]
    )
    assert [s.title for s in shifted.slides[1:]] == [s.title for s in first.slides]
    assert [s.line for s in shifted.slides[2:]] == [s.line + 4 for s in first.slides[1:]]
    assert [d.line for d in shifted.diagnostics] == [d.line + 4 for d in first.diagnostics]
    uncached = parse_deck("# Zero\n\n---\n\n" + DECK, path=str(root / "deck.md"))
    assert shifted == uncached


def test_disk_cache_survives_runs_and_ignores_garbage(deck_dir: DeckDir) -> None:
    root = deck_dir({"deck.md": DECK})
    source = discover_decks([str(root / "deck.md")])[0]
    cache = DiskCache(source.file, flavour="x")
    deck = load_deck(source, cache=cache)
    cache.save()
    again = DiskCache(source.file, flavour="x")
    assert len(again) == len(cache) > 0
    assert load_deck(source, cache=again) == deck
    again.path.write_bytes(b"not a pickle")
    assert len(DiskCache(source.file, flavour="x")) == 0


def test_an_edit_appends_to_the_journal_and_the_cache_stays_whole(deck_dir: DeckDir) -> None:
    slides = [f"# Slide {n}\n\nText {n}.\n" for n in range(40)]
    root = deck_dir({"deck.md": "\n---\n\n".join(slides)})
    source = discover_decks([str(root / "deck.md")])[0]

    def build() -> tuple[DiskCache, object]:
        cache = DiskCache(source.file, flavour="x")
        deck = load_deck(source, cache=cache)
        cache.save()
        return cache, deck

    first, _ = build()
    written = first.path.read_bytes()
    assert not first.journal.exists()
    for n in range(3):  # three edits of one slide: each run appends its one new chunk
        slides[7] = f"# Slide 7\n\nEdited {n}.\n"
        (root / "deck.md").write_text("\n---\n\n".join(slides))
        cache, deck = build()
        assert first.path.read_bytes() == written and cache.journal.exists()
        assert cache.journal.stat().st_mode & 0o077 == 0  # private: it holds speaker notes
    again = DiskCache(source.file, flavour="x")
    assert load_deck(source, cache=again) == deck == load_deck(source)
    assert len(again) == 40 + 3  # what the edits left behind, until it is a quarter
    slides[:12] = [f"# New {n}\n" for n in range(12)]  # a quarter and more now unused
    (root / "deck.md").write_text("\n---\n\n".join(slides))
    build()
    assert not first.journal.exists() and len(DiskCache(source.file, flavour="x")) == 40


def test_a_journal_cut_short_costs_time_not_results(deck_dir: DeckDir) -> None:
    root = deck_dir({"deck.md": DECK})
    source = discover_decks([str(root / "deck.md")])[0]
    cache = DiskCache(source.file, flavour="x")
    load_deck(source, cache=cache)
    cache.save()
    (root / "deck.md").write_text(DECK + "\n---\n\n# One more\n")
    cache = DiskCache(source.file, flavour="x")
    expected = load_deck(source, cache=cache)
    cache.save()
    cache.journal.write_bytes(cache.journal.read_bytes()[:-5])  # a run killed mid-append
    broken = DiskCache(source.file, flavour="x")
    assert load_deck(source, cache=broken) == expected
    broken.save()  # a journal not to trust is replaced by a whole file
    assert not broken.journal.exists()
    assert load_deck(source, cache=DiskCache(source.file, flavour="x")) == expected


def test_a_new_image_in_the_deck_folder_shadows_the_project_roots(
    runner: CliRunner, deck_dir: DeckDir
) -> None:
    """Images resolve in the deck folder first: one appearing there where the project root's
    was used is a change, though nothing the last build used changed."""
    root = deck_dir(
        {
            "pyproject.toml": "",
            "slides/deck.md": "# A\n\n![x](res/x.png)\n",
            "res/x.png": PNG + b"root",
        }
    )
    args = (str(root / "slides/deck.md"), "-o", str(root / "site"))
    build(runner, *args)
    assert (root / "site/deck/res/x.png").read_bytes() == PNG + b"root"
    (root / "slides/res").mkdir()
    (root / "slides/res/x.png").write_bytes(PNG + b"deck")
    assert "Built" in build(runner, *args)
    assert (root / "site/deck/res/x.png").read_bytes() == PNG + b"deck"


def test_a_refused_image_becoming_acceptable_is_a_change(
    runner: CliRunner, deck_dir: DeckDir, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """An image refused (a link leading out of the project) is something the build read: the
    link replaced by a real file must not leave the refusal behind `Up to date`."""
    root = deck_dir({"pyproject.toml": "", "deck.md": "# A\n\n![x](x.png)\n"})
    secret = tmp_path_factory.mktemp("elsewhere") / "outside.png"
    secret.write_bytes(b"secret")
    (root / "x.png").symlink_to(secret)
    args = (str(root / "deck.md"), "-o", str(root / "site"))
    assert "image-outside" in build(runner, *args)
    (root / "x.png").unlink()
    (root / "x.png").write_bytes(PNG + b"fine")
    output = build(runner, *args)
    assert "Built" in output and "image-outside" not in output
    assert (root / "site/deck/x.png").read_bytes() == PNG + b"fine"


# ---- the cache is not trusted code ------------------------------------------------------------

SLIDES = "\n---\n\n".join(f"# Slide {n}\n\nWord{n} here.\n" for n in range(30))


def cache_files() -> list[Path]:
    return sorted(p for p in cache_dir().iterdir() if p.is_file())


@pytest.mark.parametrize("where", ["file", "journal"])
def test_a_flipped_byte_in_the_cache_is_a_miss_not_a_wrong_page(
    runner: CliRunner, deck_dir: DeckDir, where: str
) -> None:
    first = SLIDES.replace("Word7", "Other7") if where == "journal" else SLIDES
    root = deck_dir({"deck.md": first})
    args = (str(root / "deck.md"), "-o", str(root / "site"))
    build(runner, *args)
    if where == "journal":  # the edit's new entries are appended to the journal
        (root / "deck.md").write_text(SLIDES)
        build(runner, *args)
    flipped = 0
    for file in cache_files():
        if file.suffix == (".journal" if where == "journal" else ".pickle"):
            data = file.read_bytes()
            flipped += data.count(b"Word7 here")
            file.write_bytes(data.replace(b"Word7 here", b"Wore7 here"))
    assert flipped
    (root / "deck.md").write_text(SLIDES + "\n---\n\n# Edit\n")  # a rebuild, from the cache
    assert "Built" in build(runner, *args)
    for page in ("index.html", "presenter.html", "handout.html"):
        text = (root / "site/deck" / page).read_text()
        assert "Word7 here" in text and "Wore7" not in text, page


@pytest.mark.parametrize("framed", [False, True])
def test_a_cache_file_cannot_run_code(deck_dir: DeckDir, tmp_path: Path, framed: bool) -> None:
    """Whoever could write a cache file (with a right checksum, even) gets no code run: only
    podium's plain data comes out of it."""
    import pickle

    from podium import __version__
    from podium.site import cache

    root = deck_dir({"deck.md": SLIDES})
    source = discover_decks([str(root / "deck.md")])[0]
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (Path.touch, (str(marker),))

    empty = DiskCache(source.file, flavour="x")
    payload = pickle.dumps({"version": __version__, "entries": {"k": Evil()}}, protocol=5)
    if framed:
        payload = cache._MAGIC + cache._checksum(payload) + payload
    empty.path.write_bytes(payload)
    empty.path.chmod(0o600)
    loaded = DiskCache(source.file, flavour="x")
    assert not marker.exists() and len(loaded) == 0
    assert load_deck(source, cache=loaded) == load_deck(source)


ROOT_ONLY = pytest.mark.skipif(os.getuid() != 0, reason="needs root to give a file to another user")


@ROOT_ONLY
def test_a_cache_folder_others_may_write_is_closed_and_what_they_put_there_not_read(
    runner: CliRunner, deck_dir: DeckDir
) -> None:
    """A cache folder of ours that others may write (an older podium made it with the umask)
    is made private again; a cache file another user put there meanwhile is not read."""
    root = deck_dir({"deck.md": SLIDES})
    args = (str(root / "deck.md"), "-o", str(root / "site"))
    build(runner, *args)
    for file in cache_files():  # what another user could do: plant a cache of their own
        planted = file.with_suffix(".planted")
        planted.write_bytes(file.read_bytes().replace(b"Word7 here", b"Wore7 here"))
        os.chown(planted, 65534, 65534)
        planted.replace(file)
    cache_dir().chmod(0o777)
    (root / "deck.md").write_text(SLIDES + "\n---\n\n# Edit\n")
    output = build(runner, *args)
    assert "cache-refused" not in output
    assert stat.S_IMODE(cache_dir().stat().st_mode) == 0o700
    assert "Wore7" not in (root / "site/deck/index.html").read_text()


@ROOT_ONLY
def test_a_cache_folder_of_another_user_is_not_used(runner: CliRunner, deck_dir: DeckDir) -> None:
    root = deck_dir({"deck.md": SLIDES})
    args = (str(root / "deck.md"), "-o", str(root / "site"))
    build(runner, *args)
    os.chown(cache_dir(), 65534, 65534)
    output = build(runner, str(root / "deck.md"), "-o", str(root / "site2"))
    assert "warning[cache-refused]" in output and "belongs to another user" in output


def test_cache_files_others_may_write_are_not_read(deck_dir: DeckDir) -> None:
    root = deck_dir({"deck.md": SLIDES})
    source = discover_decks([str(root / "deck.md")])[0]
    cache = DiskCache(source.file, flavour="x")
    load_deck(source, cache=cache)
    cache.save()
    assert cache_dir().stat().st_mode & 0o077 == 0 and cache.path.stat().st_mode & 0o077 == 0
    assert len(DiskCache(source.file, flavour="x")) > 0
    cache.path.chmod(0o666)
    assert len(DiskCache(source.file, flavour="x")) == 0


# ---- after any edit, the output equals a --no-cache build -------------------------------------

IMAGES = ("res/a.png",)
#: Where an image file may be: the project root's res/, or the deck folder's (which shadows it).
IMAGE_PLACES = tuple(f"{place}{image}" for place in ("", "slides/") for image in IMAGES)

slide_text = st.builds(
    lambda title, body, note, image: "\n\n".join(
        part
        for part in (
            f"# {title}" if title else "",
            body,
            f"![pic]({image})" if image else "",
            f"<!-- {note} -->" if note else "",
        )
        if part
    ),
    st.sampled_from(["", "Alpha", "Beta", "Gamma"]),
    st.sampled_from(["Text.", "- one\n- two", "```python\nx = 1\n```", "Point {.big}", ""]),
    st.none() | st.sampled_from(["a note", "another note", "- listed\n- note"]),
    st.sampled_from(IMAGES) | st.none(),
)
image_bytes = st.binary(min_size=1, max_size=6)
edit = st.one_of(
    st.tuples(st.just("add"), st.integers(0, 6), slide_text),
    st.tuples(st.just("remove"), st.integers(0, 6)),
    st.tuples(st.just("change"), st.integers(0, 6), slide_text),
    st.tuples(st.just("image"), st.sampled_from(IMAGE_PLACES), st.none() | image_bytes),
    st.tuples(st.just("rename"), st.sampled_from(["talk", "Talk", "other"])),
)


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.mark.timeout(300)
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@example(  # an image appearing in the deck folder shadows the project root's
    slides=["![pic](res/a.png)"], images={"res/a.png"}, edits=[("image", "slides/res/a.png", b"x")]
)
@given(
    slides=st.lists(slide_text, min_size=1, max_size=4),
    images=st.sets(st.sampled_from(IMAGE_PLACES)),
    edits=st.lists(edit, min_size=1, max_size=4),
)
def test_after_any_edit_the_build_equals_a_build_without_cache(
    slides: list[str], images: set[str], edits: list[tuple[Any, ...]]
) -> None:
    """Incremental builds (the manifest's `Up to date`, the chunk and parts caches, the
    copying of images) are only a way to the output a build from nothing makes."""
    from podium.cli.build import plan_build, run_build

    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        (root / "pyproject.toml").write_text("")
        (root / "slides/res").mkdir(parents=True)
        (root / "res").mkdir()
        for place in images:
            (root / place).write_bytes(place.encode())
        deck = root / "slides/talk.md"

        def build(out: Path, *, cache: bool) -> int:
            sources, target = plan_build([str(root / "slides")], str(out))
            return run_build(sources, target, cache=cache)

        deck.write_text("\n\n---\n\n".join(slides) + "\n")
        build(root / "site", cache=True)
        for number, (kind, *args) in enumerate(edits):
            if kind == "add":
                slides.insert(args[0], args[1])
            elif kind == "remove" and args[0] < len(slides):
                slides.pop(args[0])
            elif kind == "change" and args[0] < len(slides):
                slides[args[0]] = args[1]
            elif kind == "image" and args[1] is None:
                (root / args[0]).unlink(missing_ok=True)
            elif kind == "image":
                (root / args[0]).write_bytes(args[1])
            elif kind == "rename":
                deck.unlink()
                deck = root / f"slides/{args[0]}.md"
            deck.write_text("\n\n---\n\n".join(slides) + "\n")
            status = build(root / "site", cache=True)
            fresh = root / f"fresh-{number}"
            assert status == build(fresh, cache=False)
            assert _tree(root / "site") == _tree(fresh), f"after {kind} {args}"


def test_compiled_templates_in_the_cache_are_checked_and_private(tmp_path: Path) -> None:
    """An edited theme's templates are compiled into the cache folder: code that runs. A
    damaged file is compiled again, and a folder of another user is not used at all."""
    import jinja2

    from podium.render import private_bytecode_cache

    (tmp_path / "t.html").write_text("Hello WORLDX")

    def render() -> str:
        cache = private_bytecode_cache()
        loader = jinja2.FileSystemLoader(str(tmp_path))
        return (
            jinja2.Environment(loader=loader, bytecode_cache=cache).get_template("t.html").render()
        )

    assert render() == "Hello WORLDX"
    kept = [p for p in (cache_dir() / "templates").iterdir() if b"WORLDX" in p.read_bytes()]
    assert kept
    for file in kept:
        file.write_bytes(file.read_bytes().replace(b"WORLDX", b"WORLDY"))
    assert render() == "Hello WORLDX"
    cache_dir().chmod(0o777)  # ours but open: closed again before use
    assert private_bytecode_cache() is not None
    assert stat.S_IMODE(cache_dir().stat().st_mode) == 0o700
    if os.getuid() == 0:  # another user's folder is not used at all
        os.chown(cache_dir(), 65534, 65534)
        assert private_bytecode_cache() is None


def test_a_project_root_moving_is_a_change(runner: CliRunner, deck_dir: DeckDir) -> None:
    """Images resolve against the project root (the folder of the nearest pyproject.toml):
    one appearing nearer the deck moves it, and what the deck's images are."""
    root = deck_dir(
        {"pyproject.toml": "", "res/x.png": b"png", "talk/deck.md": "# A\n\n![x](res/x.png)\n"}
    )
    args = (str(root / "talk/deck.md"), "-o", str(root / "site"))
    assert "image-missing" not in build(runner, *args)
    (root / "talk/pyproject.toml").write_text("")
    output = build(runner, *args)
    assert "Built" in output and "image-missing" in output


def test_an_image_rewritten_within_one_timestamp_tick_is_a_change(
    runner: CliRunner, deck_dir: DeckDir
) -> None:
    """On a file system with coarse times (a second or two), an image rewritten with the same
    size just after a build keeps its size and time: the build that read it so recently is
    not taken as up to date."""
    root = deck_dir({"deck.md": "# A\n\n![x](x.png)\n", "x.png": PNG + b"one"})
    args = (str(root / "deck.md"), "-o", str(root / "site"))
    build(runner, *args)
    same = (root / "x.png").stat()
    (root / "x.png").write_bytes(PNG + b"two")
    os.utime(root / "x.png", ns=(same.st_atime_ns, same.st_mtime_ns))  # the same tick
    assert "Built" in build(runner, *args)
    assert (root / "site/deck/x.png").read_bytes() == PNG + b"two"
    os.utime(root / "x.png", ns=(time.time_ns() - 10**10,) * 2)  # settled: fresh again
    build(runner, *args)
    assert "Up to date" in build(runner, *args)
