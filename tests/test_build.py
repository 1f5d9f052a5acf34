"""`podium build`: output layout, atomic writes, and the output-folder refusals."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from podium.cli.app import cli
from podium.site.build import deck_files, load_deck
from podium.site.sources import MANIFEST, DeckSource
from tests.helpers import KERAS_DECK, PNG, ROOT, DeckDir, build


def test_keras_build_has_every_view_image_and_index(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "site"
    code, output = build(runner, str(KERAS_DECK), "-o", str(out))
    assert code == 0, output
    deck = out / "intro-keras"
    for name in ("index.html", "presenter.html", "handout.html"):
        assert (deck / name).is_file()
    for image in ("introkeras01.png", "introkeras02.png"):
        assert (deck / "res" / image).read_bytes() == (ROOT / "res" / image).read_bytes()
    audience = (deck / "index.html").read_text()
    assert audience.count('<section class="slide') == 8
    assert "A collection of high-level APIs" not in audience  # notes never reach the audience
    presenter = (deck / "presenter.html").read_text()
    assert "A collection of high-level APIs" in presenter
    handout = (deck / "handout.html").read_text()
    assert "A collection of high-level APIs" in handout and "Sample Code" in handout
    index = (out / "index.html").read_text()
    assert "Introduction to Keras" in index and "intro-keras/index.html" in index
    assert output.count("warning[attrs-malformed]") == 1


def test_no_notes_leaves_them_out_everywhere(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(runner, str(KERAS_DECK), "-o", str(out), "--no-notes")
    for page in (out / "intro-keras").glob("*.html"):
        assert "A collection of high-level APIs" not in page.read_text()


def test_default_sources_and_output(
    runner: CliRunner, deck_dir: DeckDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = deck_dir({"pyproject.toml": "", "slides/a.md": "# A\n", "slides/b.md": "# B\n"})
    monkeypatch.chdir(root)
    code, output = build(runner)
    assert code == 0, output
    assert (root / "_site/a/index.html").is_file() and (root / "_site/b/index.html").is_file()


def test_rebuild_rewrites_only_changes_and_removes_only_its_stale_files(
    runner: CliRunner, deck_dir: DeckDir
) -> None:
    root = deck_dir({"d/a.md": "# A\n", "d/b.md": "# B\n"})
    out = root / "site"
    build(runner, str(root / "d"), "-o", str(out))
    (out / "mine.txt").write_text("user file")
    before = (out / "a/index.html").stat().st_mtime_ns
    (root / "d/b.md").unlink()
    code, output = build(runner, str(root / "d"), "-o", str(out))
    assert code == 0, output
    assert (out / "a/index.html").stat().st_mtime_ns == before  # same bytes: not rewritten
    assert "stale removed" in output
    assert not (out / "b/index.html").exists()
    assert (out / "mine.txt").read_text() == "user file"
    manifest = json.loads((out / MANIFEST).read_text())
    assert "a/index.html" in manifest["files"] and "mine.txt" not in manifest["files"]


def test_errors_still_build_and_exit_1(runner: CliRunner, deck_dir: DeckDir) -> None:
    root = deck_dir({"deck.md": "# A\n\n<!-- open\n\n---\n\n# B\n"})
    code, output = build(runner, str(root / "deck.md"), "-o", str(root / "site"))
    assert code == 1
    assert "error[comment-unterminated]" in output
    assert (root / "site/deck/index.html").read_text().count('<section class="slide') == 2


def test_strict_turns_warnings_into_failure(runner: CliRunner, tmp_path: Path) -> None:
    code, _ = build(runner, str(KERAS_DECK), "-o", str(tmp_path / "s"), "--strict")
    assert code == 1


@pytest.mark.parametrize(
    ("layout", "output", "reason"),
    [
        ({"pyproject.toml": "", "slides/a.md": "# A\n"}, ".", "project folder"),
        ({"slides/a.md": "# A\n"}, "slides/out", "inside the source folder"),
        ({"slides/a.md": "# A\n"}, "slides", "inside the source folder"),
        ({"slides/a.md": "# A\n", "x/y.txt": "keep"}, "x", "not empty"),
        ({"slides/a.md": "# A\n", "file": "keep"}, "file", "is a file"),
        ({"pyproject.toml": "", "slides/a.md": "# A\n"}, "..", "project folder"),
    ],
)
def test_refuses_unsafe_output_folders(
    runner: CliRunner,
    deck_dir: DeckDir,
    monkeypatch: pytest.MonkeyPatch,
    layout: dict[str, str | bytes],
    output: str,
    reason: str,
) -> None:
    root = deck_dir(layout)
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    monkeypatch.chdir(root)
    code, message = build(runner, "slides", "-o", output)
    assert code == 2
    assert "refusing to write" in message and reason in message
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


def test_output_containing_a_deck_is_refused(runner: CliRunner, deck_dir: DeckDir) -> None:
    root = deck_dir({"talk/deck.md": "# A\n"})
    code, message = build(runner, str(root / "talk/deck.md"), "-o", str(root))
    assert code == 2 and "contains the deck" in message


def test_site_beside_a_deck_file_is_fine(
    runner: CliRunner, deck_dir: DeckDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = deck_dir({"talk.md": "# A\n"})
    monkeypatch.chdir(root)
    code, output = build(runner, "talk.md", "-o", "site")
    assert code == 0, output
    assert (root / "site/talk/index.html").is_file()


def test_never_overwrites_a_file_it_did_not_write(runner: CliRunner, deck_dir: DeckDir) -> None:
    root = deck_dir({"d/a.md": "# A\n"})
    out = root / "site"
    build(runner, str(root / "d"), "-o", str(out))
    (root / "d/b.md").write_text("# B\n")
    (out / "b").mkdir()
    (out / "b/index.html").write_text("hand-made")
    code, output = build(runner, str(root / "d"), "-o", str(out))
    assert code == 1 and "not made by podium" in output
    assert (out / "b/index.html").read_text() == "hand-made"


def test_never_writes_through_a_linked_folder(runner: CliRunner, deck_dir: DeckDir) -> None:
    """A deck's folder in the output replaced by a link to somewhere else: the build writes
    nothing there, whether or not it made that folder's files before."""
    root = deck_dir({"d/a.md": "# A\n", "elsewhere/index.html": "theirs"})
    out = root / "site"
    assert build(runner, str(root / "d"), "-o", str(out))[0] == 0
    (root / "d/a.md").write_text("# A, edited\n")
    for made in (out / "a").iterdir():
        made.unlink()
    (out / "a").rmdir()
    (out / "a").symlink_to(root / "elsewhere", target_is_directory=True)
    code, output = build(runner, str(root / "d"), "-o", str(out))
    assert code == 1 and "a/index.html: error[output-exists]" in output
    assert sorted(p.name for p in (root / "elsewhere").iterdir()) == ["index.html"]
    assert (root / "elsewhere/index.html").read_text() == "theirs"


def test_writes_are_atomic_no_temporary_files_left(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(runner, str(KERAS_DECK), "-o", str(out))
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_deck_folder_names_are_readable_ascii(runner: CliRunner, deck_dir: DeckDir) -> None:
    root = deck_dir({"talks/déjà vu.md": "# Café\n", "talks/日本.md": "# 日本\n"})
    code, output = build(runner, str(root / "talks"), "-o", str(root / "site"))
    assert code == 0, output
    assert (root / "site/deja-vu/index.html").is_file()
    assert (root / "site/deck/index.html").is_file()  # nothing left to fold: a plain name


def test_a_truncated_manifest_is_recovered_from(runner: CliRunner, deck_dir: DeckDir) -> None:
    """A manifest cut short (a full disk) proves the names it still holds whole: the next
    build says so, rewrites it, and the folder is podium's again, not frozen."""
    root = deck_dir({"d/a.md": "# A\n\n---\n\nOld\n", "d/b.md": "# B\n"})
    out = root / "site"
    assert build(runner, str(root / "d"), "-o", str(out))[0] == 0
    (out / "mine.txt").write_text("user file")
    manifest = (out / MANIFEST).read_bytes()
    (out / MANIFEST).write_bytes(manifest[: manifest.index(b"b/index.html") + 5])
    (root / "d/a.md").write_text("# A\n\n---\n\nNew\n")  # a/ is listed whole: podium's
    code, output = build(runner, str(root / "d"), "-o", str(out))
    assert code == 0, output
    assert "warning[manifest-damaged]" in output and "Traceback" not in output
    assert "New" in (out / "a/index.html").read_text()
    assert (out / "mine.txt").read_text() == "user file"
    assert "mine.txt" not in json.loads((out / MANIFEST).read_text())["files"]
    code, output = build(runner, str(root / "d"), "-o", str(out))
    assert code == 0 and "Up to date" in output and "manifest-damaged" not in output


def test_a_garbage_manifest_never_costs_a_file_podium_cannot_prove_it_wrote(
    runner: CliRunner, deck_dir: DeckDir
) -> None:
    root = deck_dir({"d/a.md": "# A\n"})
    out = root / "site"
    build(runner, str(root / "d"), "-o", str(out))
    (out / MANIFEST).write_bytes(b"\x00\xff garbage")
    (root / "d/a.md").write_text("# A, edited\n")  # its pages now differ from what is there
    code, output = build(runner, str(root / "d"), "-o", str(out))
    assert code == 1 and "Traceback" not in output
    assert "error[manifest-damaged]" in output and "hint: delete the files" in output
    assert "a/index.html: error[output-exists]" in output
    assert "A, edited" not in (out / "a/index.html").read_text()  # left as it was
    marked = [line.split(": ")[0] for line in output.splitlines() if "[output-exists]" in line]
    for name in marked:  # what the hint says
        Path(name).unlink()
    code, output = build(runner, str(root / "d"), "-o", str(out))
    assert code == 0, output
    assert "A, edited" in (out / "a/index.html").read_text()


def test_temporary_files_of_a_killed_build_are_swept(deck_dir: DeckDir) -> None:
    """`kill -9` between writing a page's temporary file and renaming it: the temporary file
    (it holds the speaker notes) is gone after the next build; a user's file is not."""
    import subprocess
    import sys

    root = deck_dir({"d/a.md": "# A\n\n<!-- secret note -->\n"})
    out = root / "site"
    killer = (
        "import os, signal, sys\n"
        "real = os.replace\n"
        "def replace(a, b):\n"
        "    if str(b).endswith('presenter.html'):\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    real(a, b)\n"
        "os.replace = replace\n"
        "from podium.cli.app import cli\n"
        "cli(['build', sys.argv[1], '-o', sys.argv[2]])\n"
    )
    subprocess.run([sys.executable, "-c", killer, str(root / "d"), str(out)], check=False)
    left = [p for p in out.rglob("*.tmp") if "secret note" in p.read_text(errors="replace")]
    assert left, "the kill left no temporary file holding the notes"
    (out / "a/.keep.1.tmp").write_text("a user's file that looks like a temporary")
    result = CliRunner().invoke(cli, ["build", str(root / "d"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.rglob("*.tmp")) == [".keep.1.tmp"]


def test_the_published_manifest_holds_no_local_path(
    runner: CliRunner, deck_dir: DeckDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = "# A\n\n![x](res/x.png)\n\n![y](nope.png)\n{.bad"  # the hint names folders
    root = deck_dir({"pyproject.toml": "", "slides/a.md": deck})
    (root / "res").mkdir()
    (root / "res/x.png").write_bytes(PNG)
    for made in (root / "res/x.png", root / "pyproject.toml"):
        os.utime(made, ns=(time.time_ns() - 10**10,) * 2)  # not just made
    out = root / "site"
    assert build(runner, str(root / "slides/a.md"), "-o", str(out))[0] == 0
    text = (out / MANIFEST).read_text()
    assert str(root) not in text and root.name not in text
    monkeypatch.chdir(root)  # and the up-to-date answer still names the deck as given
    code, output = build(runner, str(root / "slides/a.md"), "-o", "site")
    assert code == 0 and "Up to date" in output
    assert f"{root / 'slides/a.md'}:" in output and f"looked in {root}" in output
    (root / "res/x.png").write_bytes(PNG + b"edited")
    assert "Built" in build(runner, str(root / "slides/a.md"), "-o", "site")[1]


@pytest.mark.parametrize(
    ("decks", "expected"),
    [
        # the site's own index: a deck may not take its name
        (["talks/index.html.md"], {"index.html-2"}),
        # two decks of the same name from two folders
        (["a/intro.md", "b/intro.md"], {"intro", "intro-2"}),
        # names that one folder on a case-insensitive file system (macOS, Windows)
        (["a/Intro.md", "b/intro.md"], {"Intro", "intro-2"}),
        (["talks/INDEX.HTML.md"], {"INDEX.HTML-2"}),
    ],
)
def test_deck_folders_never_clash_with_each_other_or_podiums_names(
    runner: CliRunner, deck_dir: DeckDir, decks: list[str], expected: set[str]
) -> None:
    root = deck_dir({name: f"# {name}\n" for name in decks})
    out = root / "site"
    code, output = build(runner, *(str(root / name) for name in decks), "-o", str(out))
    assert code == 0, output
    assert output.count("warning[deck-renamed]") == 1
    folders = {p.parent.name for p in out.glob("*/presenter.html")}
    assert folders == expected
    assert "<!doctype html>" in (out / "index.html").read_text().lower()  # the site's index
    site_index = (out / "index.html").read_text()
    assert all(f"{folder}/index.html" in site_index for folder in expected)
    code, again = build(runner, *(str(root / name) for name in decks), "-o", str(out))
    assert "Up to date" in again and again.count("warning[deck-renamed]") == 1


def test_output_inside_a_named_decks_folder_is_refused_as_for_a_folder(
    runner: CliRunner, deck_dir: DeckDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = deck_dir({"pyproject.toml": "", "slides/a.md": "# A\n"})
    monkeypatch.chdir(root)
    for named in ("slides", "slides/a.md"):
        code, message = build(runner, named, "-o", "slides/sub")
        assert code == 2 and "inside the source folder slides" in message, named
    assert not (root / "slides/sub").exists()
    code, output = build(runner, "slides/a.md", "-o", "_site")  # beside, in the project: fine
    assert code == 0, output


def test_deck_files_are_every_view_and_the_images_the_deck_uses(deck_dir: DeckDir) -> None:
    """One list of a deck's files for the build and the server: a page per view, each
    image it uses (an SVG as its sanitised copy), and nothing it does not use."""
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect/></svg>'
    root = deck_dir({"d.md": "# A\n\n![a](a.png)\n\n![b](b.svg)\n", "a.png": PNG, "b.svg": svg,
                     "unused.png": PNG})  # fmt: skip
    deck = load_deck(DeckSource(root / "d.md", "d.md", "d"))
    asked: list[str] = []

    def page(view: str) -> bytes:
        asked.append(view)
        return view.encode()

    files = deck_files(deck, "d", page)
    assert asked == ["index.html", "presenter.html", "handout.html"]
    assert files["d/presenter.html"] == b"presenter.html"
    assert files["d/a.png"] == root / "a.png"
    sanitised = files["d/b.svg"]
    assert isinstance(sanitised, bytes) and b"<rect" in sanitised and b"script" not in sanitised
    assert set(files) == {*(f"d/{view}" for view in asked), "d/a.png", "d/b.svg"}
