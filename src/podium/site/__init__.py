"""A site from decks: the sources, the build, its manifest and the private cache."""
