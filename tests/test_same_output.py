"""scripts/same_output.py: what counts as the same output (the build runs are left to the
script itself; here its verdict on two builds' files and diagnostics)."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from tests.helpers import ROOT


def load_script() -> ModuleType:
    path = ROOT / "scripts" / "same_output.py"
    spec = importlib.util.spec_from_file_location("same_output", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["same_output"] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


same_output = load_script()
PAGE = {"talk/index.html": b"<h1>A</h1>", "talk/res/a.png": b"\x89PNG", "index.html": b"<ul>"}


def build(files: dict[str, bytes], *, status: int = 0, stderr: str = "") -> object:
    return same_output.Build(status, stderr, files)


def test_the_same_files_and_diagnostics_are_the_same_output() -> None:
    result = same_output.compare("talk.md", build(PAGE), build(dict(PAGE)))
    assert result.same
    assert (result.files, result.identical, result.differing) == (3, 3, [])


def test_a_page_or_image_that_differs_or_is_missing_is_a_difference() -> None:
    work = {**PAGE, "talk/index.html": b"<h1>B</h1>"}
    del work["talk/res/a.png"]
    result = same_output.compare("talk.md", build(PAGE), build(work))
    assert not result.same
    assert result.differing == ["talk/index.html", "talk/res/a.png (only in base)"]
    assert "talk/index.html" in same_output.table([result])


def test_shared_static_files_are_information_not_a_difference() -> None:
    base = {**PAGE, "_podium/podium.js": b"one();"}
    result = same_output.compare("talk.md", build(base), build({**PAGE, "_podium/podium.js": b""}))
    assert result.same
    assert result.information == ["_podium/podium.js"]
    assert "information" in same_output.table([result])


def test_other_diagnostics_or_exit_status_are_a_difference() -> None:
    said = "talk.md:1:1: warning[deck-empty]: deck has no slides\n"
    assert not same_output.compare("t", build(PAGE, stderr=said), build(PAGE)).same
    assert not same_output.compare("t", build(PAGE, status=1), build(PAGE)).same


def test_the_manifests_fingerprint_is_left_out() -> None:
    """It hashes the templates' paths and times, different in any two checkouts."""
    manifest = b'{\n "files": ["index.html"],\n "fingerprint": "%s",\n "decks": []\n}'
    base = same_output.comparable({".podium-build.json": manifest % b"dfc581e3"})
    work = same_output.comparable({".podium-build.json": manifest % b"2194405d"})
    assert same_output.compare("t", build(base), build(work)).same
    moved = same_output.comparable({".podium-build.json": manifest.replace(b"[]", b"[1]")})
    assert not same_output.compare("t", build(base), build(moved)).same
