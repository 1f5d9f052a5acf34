"""Copied images in a real browser: a cleaned SVG still shows, and opened on its own (a link,
a new tab) it runs nothing, where the original would (docs/security.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner

from podium.cli.app import cli
from tests.helpers import EVIL_SVG, PLOT_SVG, DeckDir


def test_a_copied_svg_shows_and_opened_alone_runs_nothing(
    browser: Any, web: Any, runner: CliRunner, deck_dir: DeckDir
) -> None:
    root = deck_dir(
        {
            "talk.md": "# A\n\n![plot](plot.svg)\n\n![evil](evil.svg)\n",
            "plot.svg": PLOT_SVG,
            "evil.svg": EVIL_SVG.replace(b"alert(1)", b"alert('ran')"),
        }
    )
    result = runner.invoke(cli, ["build", str(root / "talk.md"), "-o", str(root / "out")])
    assert result.exit_code == 0, result.output
    page = web.page((root / "out/talk/index.html").as_uri())
    sizes = page.evaluate(
        "() => [...document.querySelectorAll('img')].map(i => [i.alt, i.naturalWidth])"
    )
    assert ["plot", 61] in sizes  # 46pt wide: a real image, not a broken one

    def dialogs(context: Any, file: Path) -> list[str]:
        seen: list[str] = []

        def answer(dialog: Any) -> None:
            seen.append(dialog.message)
            dialog.dismiss()

        alone = context.new_page()
        alone.on("dialog", answer)
        alone.goto(file.as_uri())
        alone.wait_for_timeout(200)
        alone.close()
        return seen

    # The original runs its script (in a context of its own: it also calls the web)...
    control = browser.new_context()
    try:
        assert "ran" in dialogs(control, root / "evil.svg")
    finally:
        control.close()
    # ...its published copy runs nothing and loads nothing (the `web` fixture checks).
    assert dialogs(web.context, root / "out/talk/evil.svg") == []
