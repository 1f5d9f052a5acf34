"""markdown-it plugins, one per piece of the deck dialect (see docs/dialect.md).

Each plugin is ``plugin(md)`` and adds named core rules or render rules, as mdit-py-plugins
does. Core rules do all the checking and report diagnostics into the parse environment;
render rules only read what the core rules left on the tokens, so rendering is pure.
"""
