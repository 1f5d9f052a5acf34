"""Attribute blocks (``{#id .class key=val}``): their grammar and the markdown-it plugin."""
