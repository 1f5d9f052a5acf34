"""The command line, through click's CliRunner: exit codes, message format, --strict."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from podium.cli.app import cli
from tests.helpers import KERAS_DECK, DeckDir

MESSAGE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|info)"
                     r"\[(?P<code>[a-z-]+)\]: .+$")  # fmt: skip


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, list(args), color=False)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def diagnostic_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if MESSAGE.match(line)]


def test_check_keras_reports_exactly_the_typo(runner: CliRunner) -> None:
    code, _, err = run(runner, "check", str(KERAS_DECK))
    assert code == 0
    assert diagnostic_lines(err) == [
        f"{KERAS_DECK}:58:13: warning[attrs-malformed]: "
        "malformed attribute block '{.big)': read as {.big}"
    ]
    assert "hint: write {.big}" in err


def test_check_strict_fails_on_warnings(runner: CliRunner) -> None:
    code, _, _ = run(runner, "check", "--strict", str(KERAS_DECK))
    assert code == 1


def test_check_path_is_shown_as_given_and_sorted(runner: CliRunner, deck_dir: DeckDir) -> None:
    root = deck_dir({"b.md": "```klingon\nx\n```\n\nHi {.big)\n", "a.md": "<!-- open\n"})
    code, _, err = run(runner, "check", str(root / "b.md"), str(root / "a.md"))
    assert code == 1
    lines = diagnostic_lines(err)
    assert [MESSAGE.match(x).group("path", "line", "code") for x in lines] == [  # type: ignore[union-attr]
        (str(root / "a.md"), "1", "comment-unterminated"),
        (str(root / "b.md"), "1", "code-lang"),
        (str(root / "b.md"), "5", "attrs-malformed"),
    ]


def test_check_folder_finds_decks_and_ignores_editor_files(
    runner: CliRunner, deck_dir: DeckDir
) -> None:
    root = deck_dir({"d/one.md": "# One\n", "d/.#one.md": "x", "d/one.md~": "x", "d/n.txt": "x"})
    code, _, err = run(runner, "check", "-v", str(root / "d"))
    assert code == 0 and err == ""


def test_verbose_shows_info(runner: CliRunner) -> None:
    _, _, err = run(runner, "check", "-v", str(KERAS_DECK))
    assert "info[image-alt]" in err


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe\x00\x00garbage", b"# ok\n\x96\x00\x01", b"\x89PNG\r\n\x1a\n\x00\x00", b""],
)
def test_no_traceback_for_any_file(runner: CliRunner, deck_dir: DeckDir, content: bytes) -> None:
    root = deck_dir({"deck.md": content})
    code, out, err = run(runner, "check", str(root / "deck.md"))
    assert "Traceback" not in out + err
    assert code in (0, 1)


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"], ids=["LF", "CRLF", "CR"])
def test_bad_bytes_exit_1_with_position(
    runner: CliRunner, deck_dir: DeckDir, newline: bytes
) -> None:
    """The position is the one every other diagnostic uses, whatever the line endings."""
    root = deck_dir({"deck.md": b"# Title\n\ncaf\xe9\n".replace(b"\n", newline)})
    code, _, err = run(runner, "check", str(root / "deck.md"))
    assert code == 1
    assert f"{root / 'deck.md'}:3:4: error[encoding]: not valid UTF-8: byte 0xE9" in err


def test_usage_errors_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    assert run(runner, "check", str(tmp_path / "missing.md"))[0] == 2
    assert run(runner, "build", "--bogus")[0] == 2
    assert run(runner, "nonsense")[0] == 2


def test_version_and_help(runner: CliRunner) -> None:
    code, out, _ = run(runner, "--version")
    assert code == 0 and re.match(r"podium, version \d+\.\d+", out)
    code, out, _ = run(runner, "--help")
    assert code == 0 and all(cmd in out for cmd in ("build", "check", "inspect", "serve"))


def test_inspect_json_schema(runner: CliRunner) -> None:
    code, out, _ = run(runner, "inspect", "--json", str(KERAS_DECK))
    assert code == 0
    data = json.loads(out)
    assert data["path"] == str(KERAS_DECK)
    assert len(data["slides"]) == 8
    assert data["slides"][0]["title"] == "Introduction to Keras"
    assert data["diagnostics"][0]["line"] == 58


def test_inspect_prints_json_and_exits_1_on_errors(runner: CliRunner, deck_dir: DeckDir) -> None:
    root = deck_dir({"deck.md": "# A\n\n<!-- never closed\n\n---\n\n# B\n"})
    code, out, _ = run(runner, "inspect", "--json", str(root / "deck.md"))
    data = json.loads(out)
    assert code == 1
    assert [s["title"] for s in data["slides"]] == ["A", "B"]
    assert data["diagnostics"][0]["code"] == "comment-unterminated"


def test_inspect_text_dump(runner: CliRunner) -> None:
    code, out, err = run(runner, "inspect", str(KERAS_DECK))
    assert code == 0
    assert "slide 6 [big-body]" in out and "attrs-malformed" in err


def test_python_dash_m(tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "podium", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and done.stdout.startswith("podium, version")


def test_new_writes_a_starter_deck_that_builds_clean(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(runner, "new", "intro-python", "--title", "Intro to Python")
    assert code == 0 and "slides/intro-python.md" in out
    code, _, err = run(runner, "check", "-v", "slides")
    assert code == 0 and err == ""
    _, out, _ = run(runner, "inspect", "--json", "slides/intro-python.md")
    data = json.loads(out)
    assert data["meta"] == {"title": "Intro to Python", "duration": "45m"}  # empty author: none
    assert {s["layout"] for s in data["slides"]} >= {"title", "big", "big-body", "columns"}
    # Never overwrites a deck, and takes only a plain name.
    assert run(runner, "new", "intro-python")[0] == 1
    assert run(runner, "new", "../elsewhere")[0] == 2


def test_the_starter_deck_as_stored_builds_without_a_warning(
    runner: CliRunner, tmp_path: Path
) -> None:
    """templates/new/deck.md is a deck itself (no placeholders): it builds clean, as stored."""
    import podium

    stored = Path(podium.__file__).parent / "templates" / "new" / "deck.md"
    code, out, err = run(runner, "build", "-v", str(stored), "-o", str(tmp_path / "site"))
    assert code == 0 and err == "", err
    assert "0 errors, 0 warnings." in out
    _, out, _ = run(runner, "inspect", "--json", str(stored))
    assert json.loads(out)["meta"]["title"] == "Your lesson title"
    # It shows a fragment, a code walkthrough and notes that follow the steps.
    data = json.loads(out)
    assert any('class="fragment"' in s["html"] for s in data["slides"])
    assert any("data-hl-steps" in s["html"] for s in data["slides"])
    assert any(max(s["note_steps"], default=0) > 0 for s in data["slides"])


def test_new_changes_only_the_title_of_the_starter_deck(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import podium

    stored = (Path(podium.__file__).parent / "templates" / "new" / "deck.md").read_text()
    monkeypatch.chdir(tmp_path)
    assert run(runner, "new", "talk", "--title", "Intro: Keras")[0] == 0
    written = (tmp_path / "slides" / "talk.md").read_text()
    expected = stored.replace("title: Your lesson title\n", 'title: "Intro: Keras"\n')
    assert written == expected.replace("# Your lesson title\n", "# Intro: Keras\n")


def test_an_output_folder_that_cannot_be_written_is_a_message(
    runner: CliRunner, deck_dir: DeckDir
) -> None:
    root = deck_dir({"talk.md": "# A\n"})
    code, out, err = run(runner, "build", str(root / "talk.md"), "-o", str(root / "talk.md/site"))
    assert code == 1 and "Traceback" not in out + err
    assert f"{root / 'talk.md/site'}: error[output-unwritable]: Not a directory" in err


def test_a_missing_image_names_each_folder_looked_in_once(
    runner: CliRunner, deck_dir: DeckDir
) -> None:
    root = deck_dir({"talk.md": "# A\n\n![alt](gone.png)\n", "pyproject.toml": ""})
    _, _, err = run(runner, "check", str(root / "talk.md"))
    assert f"hint: looked in {root}\n" in err


@pytest.mark.parametrize(
    "title", ["Intro: Keras", "#1 lesson", "yes", "[draft] Keras", '"Quoted" & {braced}', "1.5"]
)
def test_new_keeps_any_title_as_written(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, title: str
) -> None:
    """A title YAML would read as something else is quoted: the deck parses, title intact."""
    monkeypatch.chdir(tmp_path)
    assert run(runner, "new", "talk", "--title", title)[0] == 0
    code, out, err = run(runner, "inspect", "--json", "slides/talk.md")
    assert code == 0 and err == "", err
    assert json.loads(out)["meta"]["title"] == title
