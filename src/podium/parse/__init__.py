"""Text to the deck model: source bytes, front matter, chunks, slides, layouts, images."""
