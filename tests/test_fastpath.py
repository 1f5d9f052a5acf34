"""The entry point's fast answer to an up-to-date `podium build`: the same words and exit
status as the full command, and the full command for everything else."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from podium.fastpath import fast_build
from tests.conftest import KERAS_DECK, DeckDir


def podium(*args: str, cwd: Path, full: bool = False) -> subprocess.CompletedProcess[str]:
    """Run podium in a process as users do (no terminal): its entry point, or the full CLI."""
    entry = "podium.cli" if full else "podium.fastpath"
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


def test_fast_path_answers_only_a_plain_up_to_date_build(deck_dir: DeckDir) -> None:
    root = deck_dir({"talk.md": "# A\n"})
    deck, site = str(root / "talk.md"), str(root / "site")
    assert fast_build(["build", deck, "-o", site], started=0.0) is None  # never built
    assert podium("build", deck, "-o", site, cwd=root).returncode == 0
    assert fast_build(["build", deck, "-o", site], started=0.0) == 0
    assert fast_build(["build", deck, f"--output={site}"], started=0.0) == 0
    for other in (["-v"], ["--no-notes"], ["--strict"], ["-o"], ["--"]):
        assert fast_build(["build", deck, "-o", site, *other], started=0.0) is None
    assert fast_build(["check", deck], started=0.0) is None
    assert fast_build(["build", str(root / "missing.md"), "-o", site], started=0.0) is None
    (root / "talk.md").write_text("# B\n")
    assert fast_build(["build", deck, "-o", site], started=0.0) is None  # changed: rebuild


def test_refused_output_and_usage_errors_come_from_the_full_command(deck_dir: DeckDir) -> None:
    root = deck_dir({"slides/a.md": "# A\n", "pyproject.toml": ""})
    refused = podium("build", "slides", "-o", ".", cwd=root)
    assert refused.returncode == 2 and "refusing to write" in refused.stderr
    missing = podium("build", "nope.md", cwd=root)
    assert missing.returncode == 2 and "does not exist" in missing.stderr
