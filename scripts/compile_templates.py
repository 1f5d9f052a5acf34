"""Compile the view templates into the Python modules the package ships.

``make templates`` runs this after a template changes (a test fails until it has run). The
modules spare every build compiling the templates; podium uses them only while they match
the templates exactly, and reads the templates themselves otherwise.
"""

from __future__ import annotations

from podium.render import COMPILED_DIR, compile_templates


def main() -> None:
    names = compile_templates(COMPILED_DIR)
    print(f"Compiled {len(names)} templates into {COMPILED_DIR}: {', '.join(names)}")


if __name__ == "__main__":
    main()
