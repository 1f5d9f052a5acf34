"""The entry point's fast answer to an up-to-date `podium build`: the same words and exit
status as the full command, and the full command for everything else."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from click.testing import CliRunner

import podium.cli.build as cli_build
from podium import __version__
from podium.cli.app import cli
from podium.cli.build import BUILD_FLAGS, OUTPUT, THEME, THEME_NAMES, fast_build
from tests.helpers import KERAS_DECK, DeckDir


def podium(*args: str, cwd: Path, full: bool = False) -> subprocess.CompletedProcess[str]:
    """Run podium in a process as users do (no terminal): its entry point, or the full CLI."""
    entry = "podium.cli.app" if full else "podium.cli"
    code = f"import sys; sys.argv = ['podium', *sys.argv[1:]]; from {entry} import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def timeless(text: str) -> str:
    return re.sub(r"\(\d+\.\d\d s\)", "(T s)", text)


@pytest.mark.parametrize("strict", [False, True])
def test_up_to_date_answer_is_the_full_commands_answer(tmp_path: Path, strict: bool) -> None:
    first = podium("build", str(KERAS_DECK), "-o", "site", cwd=tmp_path)
    assert first.returncode == 0 and "Built 1 deck" in first.stdout
    extra = ["--strict"] if strict else []
    fast = podium("build", str(KERAS_DECK), "-o", "site", *extra, cwd=tmp_path)
    full = podium("build", str(KERAS_DECK), "-o", "site", *extra, cwd=tmp_path, full=True)
    assert "Up to date: 1 deck (8 slides)" in fast.stdout
    assert timeless(fast.stdout) == timeless(full.stdout)
    assert fast.stderr == full.stderr
    assert "58:13: warning[attrs-malformed]" in fast.stderr
    assert fast.returncode == full.returncode == (1 if strict else 0)


def files_of(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}


@pytest.mark.parametrize("flags", [[], ["--strict", "-v"], ["--no-notes", "--no-cache"]])
def test_a_build_through_the_fast_path_is_the_full_commands_build(
    tmp_path: Path, flags: list[str]
) -> None:
    fast = podium("build", str(KERAS_DECK), "-o", "fast", *flags, cwd=tmp_path)
    full = podium("build", str(KERAS_DECK), "-o", "full", *flags, cwd=tmp_path, full=True)
    assert "Built 1 deck (8 slides)" in fast.stdout
    words = re.compile(r"in \d+\.\d\d s|fast|full")
    assert words.sub("", fast.stdout) == words.sub("", full.stdout)
    assert fast.stderr == full.stderr
    assert fast.returncode == full.returncode == (1 if "--strict" in flags else 0)
    made = files_of(tmp_path / "fast")
    assert made.keys() == files_of(tmp_path / "full").keys()
    presenter = made["intro-keras/presenter.html"].decode()
    assert ("Montreal Institute" in presenter) == ("--no-notes" not in flags)


def test_fast_path_runs_only_a_plain_build(deck_dir: DeckDir) -> None:
    root = deck_dir({"talk.md": "# A\n"})
    deck, site = str(root / "talk.md"), str(root / "site")
    with redirect_stdout(io.StringIO()) as said:
        assert fast_build(["build", deck, "-o", site], started=0.0) == 0  # never built
        assert fast_build(["build", deck, f"--output={site}", "--strict"], started=0.0) == 0
    assert "Built 1 deck" in said.getvalue() and "Up to date: 1 deck" in said.getvalue()
    for other in (["-x"], ["-o"], ["--"], ["-vo", site], ["--output", site, "--port=1"]):
        assert fast_build(["build", deck, "-o", site, *other], started=0.0) is None
    assert fast_build(["check", deck], started=0.0) is None
    assert fast_build(["build", str(root / "missing.md"), "-o", site], started=0.0) is None
    assert fast_build(["build", str(root), "-o", str(root)], started=0.0) is None  # refused
    (root / "empty").mkdir()
    assert fast_build(["build", str(root / "empty"), "-o", site], started=0.0) is None


def test_severities_are_coloured_only_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from podium.cli.output import print_diagnostics
    from podium.model import Diagnostic

    warning = Diagnostic("a.md", 3, 1, "warning", "attrs-malformed", "bad", hint="write {.big}")
    print_diagnostics([warning])
    assert capsys.readouterr().err == (
        "a.md:3:1: warning[attrs-malformed]: bad\n    hint: write {.big}\n"
    )

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for no_color, expected in (("", "\x1b[33m\x1b[1mwarning\x1b[0m["), ("1", ": warning[")):
        monkeypatch.setenv("NO_COLOR", no_color)
        terminal = Terminal()
        monkeypatch.setattr(sys, "stderr", terminal)
        print_diagnostics([warning])
        assert expected in terminal.getvalue()


def test_refused_output_and_usage_errors_come_from_the_full_command(deck_dir: DeckDir) -> None:
    root = deck_dir({"slides/a.md": "# A\n", "pyproject.toml": ""})
    refused = podium("build", "slides", "-o", ".", cwd=root)
    assert refused.returncode == 2 and "refusing to write" in refused.stderr
    missing = podium("build", "nope.md", cwd=root)
    assert missing.returncode == 2 and "does not exist" in missing.stderr


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_is_the_full_commands_version(tmp_path: Path, flag: str) -> None:
    fast = podium(flag, cwd=tmp_path)
    full = podium(flag, cwd=tmp_path, full=True)
    assert fast.returncode == full.returncode == 0
    assert fast.stdout == full.stdout == f"podium, version {__version__}\n"


def test_ctrl_c_during_a_build_is_a_word_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import podium.cli
    import podium.cli.build

    def interrupted(argv: object, *, started: float) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(podium.cli.build, "fast_build", interrupted)
    monkeypatch.setattr(sys, "argv", ["podium", "build"])
    with pytest.raises(SystemExit) as stopped:
        podium.cli.main()
    assert stopped.value.code == 1 and capsys.readouterr().err == "Aborted!\n"


#: The only podium modules an up-to-date build may import (and nothing outside the standard
#: library): no click, no markdown-it, Jinja2 or Pygments, no model.
UP_TO_DATE_BUDGET = {
    "podium",
    "podium.cli",
    "podium.cli.build",
    "podium.cli.output",
    "podium.diagnostics",
    "podium.site",
    "podium.site.manifest",
    "podium.private",
    "podium.project",
    "podium.template_files",
    "podium.site.sources",
}
VERSION_BUDGET = {"podium", "podium.cli", "podium.cli.output", "podium.diagnostics"}


def imported_by(*args: str, cwd: Path) -> tuple[set[str], set[str]]:
    """The podium modules, and the others from outside the standard library, that the entry
    point imports to answer ``podium ARGS`` (what the interpreter loaded before is not
    counted)."""
    code = (
        "import json, sys\n"
        "record, sys.argv = sys.argv[1], ['podium', *sys.argv[2:]]\n"
        "before = set(sys.modules)\n"
        "from podium.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "with open(record, 'w') as f:\n"
        "    json.dump(sorted(set(sys.modules) - before), f)\n"
    )
    record = cwd / "modules.json"
    subprocess.run(
        [sys.executable, "-c", code, str(record), *args], cwd=cwd, check=True, capture_output=True
    )
    modules = set(json.loads(record.read_text()))
    ours = {m for m in modules if m == "podium" or m.startswith("podium.")}
    others = {m for m in modules - ours if m.split(".")[0] not in sys.stdlib_module_names}
    return ours, others


def test_an_up_to_date_build_imports_only_its_budget(tmp_path: Path) -> None:
    """The fast path's reason to be: an up-to-date build answers without click (about 30 ms
    of a 65 ms answer) or any other library."""
    args = ("build", str(KERAS_DECK), "-o", "site")
    assert podium(*args, cwd=tmp_path).returncode == 0
    ours, others = imported_by(*args, cwd=tmp_path)
    assert "podium.cli.build" in ours  # it did run the build
    assert ours <= UP_TO_DATE_BUDGET, ours - UP_TO_DATE_BUDGET
    assert others == set()  # click above all


def test_version_imports_only_its_budget(tmp_path: Path) -> None:
    ours, others = imported_by("--version", cwd=tmp_path)
    assert ours <= VERSION_BUDGET, ours - VERSION_BUDGET
    assert others == set()


def test_a_build_the_fast_path_leaves_to_click_imports_it(tmp_path: Path) -> None:
    """The budget test can fail: a command line the fast path does not read costs click."""
    _, others = imported_by("build", str(KERAS_DECK), "-o", "site", "--no-such-flag", cwd=tmp_path)
    assert "click" in others


def test_click_and_the_fast_path_read_the_build_flags_from_one_table() -> None:
    """Every spelling click accepts for ``podium build`` is one the table holds."""
    command = cli.commands["build"]
    spellings = {name for p in command.params if p.param_type_name == "option" for name in p.opts}
    assert spellings == set(OUTPUT) | set(THEME) | {n for flag in BUILD_FLAGS for n in flag.names}


def test_the_fast_path_knows_the_models_themes() -> None:
    from podium.model import THEMES

    assert THEME_NAMES == THEMES


@pytest.mark.parametrize(
    "args",
    [
        *([name] for flag in BUILD_FLAGS for name in flag.names),
        ["--output=elsewhere", "--strict", "--no-notes"],
        ["-o", "elsewhere", "--unsafe-html", "--no-cache", "-v"],
        ["--theme", "dark", "--strict"],
        ["--theme=high-contrast"],
        [],
    ],
    ids=str,
)
def test_both_parsers_give_the_build_the_same_options(
    deck_dir: DeckDir, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    root = deck_dir({"talk.md": "# A\n"})
    monkeypatch.chdir(root)
    asked: list[tuple[Path, dict[str, object]]] = []

    def record(sources: object, out: Path, **options: object) -> int:
        options.pop("started")
        asked.append((out, options))
        return 0

    monkeypatch.setattr(cli_build, "run_build", record)
    assert fast_build(["build", "talk.md", *args], started=0.0) == 0
    result = CliRunner().invoke(cli, ["build", "talk.md", *args])
    assert result.exit_code == 0, result.output
    assert len(asked) == 2 and asked[0] == asked[1]
