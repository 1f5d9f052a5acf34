"""The wheel carries the templates: build it, install it into a fresh venv, build a deck."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.helpers import ROOT


def test_wheel_installs_and_builds_a_deck_from_another_folder(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("podium-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "podium/templates/audience.html.j2" in names
    assert any(name.startswith("podium/templates/static/") for name in names)
    assert "podium/syntax/katex/katex.min.js" in names  # math is rendered by the wheel's KaTeX

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [venv / "bin/python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         str(wheel)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "talk.md").write_text(
        "# Hello\n\n---\n\nA point {.big}\n\n<!-- a note -->\n\n$\\arg\\min_\\theta L$\n"
    )
    done = subprocess.run(
        [venv / "bin/podium", "build", "talk.md", "-o", "site"],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    audience = (work / "site/talk/index.html").read_text()
    assert audience.count('<section class="slide') == 2
    assert "<mi>arg</mi>" in audience and "math-invalid" not in done.stdout + done.stderr
    assert list((work / "site/_podium").glob("*.css"))
    assert "a note" in (work / "site/talk/presenter.html").read_text()
    started = subprocess.run(
        [venv / "bin/podium", "new", "second", "-d", "."],
        cwd=work,
        capture_output=True,
        check=False,
    )
    assert started.returncode == 0 and (work / "second.md").read_text().startswith("---\n")
    # The code colours are an ordinary file of the package's templates/static.
    assert ".code .k {" in (work / "site/_podium/themes/light-code.css").read_text()
