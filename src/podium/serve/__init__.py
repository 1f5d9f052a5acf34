"""``podium serve`` without the terminal: build into memory, serve it, push every rebuild.

- :mod:`~podium.serve.builder` builds the site into memory and rebuilds what a change touches;
- :mod:`~podium.serve.snapshot` is the build as it is held and served;
- :mod:`~podium.serve.diff` says what changed between two builds (files, slides);
- :mod:`~podium.serve.events` pushes each update to the open pages (server-sent events);
- :mod:`~podium.serve.http` answers requests (caps, Host check, headers, the pages);
- :mod:`~podium.serve.watch` watches the sources and debounces their changes;
- :mod:`~podium.serve.server` ties them together in :class:`DevServer`.

Nothing here prints: a rebuild is reported through ``DevServer(on_update=...)``, a server
that cannot start raises :class:`ServeProblem`, and the rest is logged.
"""

from __future__ import annotations

from podium.serve.builder import ServeProblem, SiteBuilder, Update
from podium.serve.http import PORT_TRIES, is_loopback
from podium.serve.server import DevServer
from podium.serve.snapshot import DeckBuild, Snapshot

__all__ = [
    "PORT_TRIES",
    "DeckBuild",
    "DevServer",
    "ServeProblem",
    "SiteBuilder",
    "Snapshot",
    "Update",
    "is_loopback",
]
