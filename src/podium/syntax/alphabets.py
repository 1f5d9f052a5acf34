"""MathML's ``mathvariant`` as the characters it stands for.

KaTeX writes ``\\mathbb{R}`` as ``<mi mathvariant="double-struck">R</mi>``; browsers that
follow MathML Core (Chromium) ignore every ``mathvariant`` but ``normal`` and draw a plain
italic R. Unicode has the letters themselves (Mathematical Alphanumeric Symbols: ℝ, 𝐱, 𝓛,
𝔤, 𝚝, bold Greek 𝛉), so the MathML carries those, as MathML Core asks, and every browser and
screen reader gets them right.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

#: The first code point of each styled Latin alphabet (A-Z, then a-z).
_LATIN = MappingProxyType(
    {
        "bold": 0x1D400,
        "italic": 0x1D434,
        "bold-italic": 0x1D468,
        "script": 0x1D49C,
        "bold-script": 0x1D4D0,
        "fraktur": 0x1D504,
        "double-struck": 0x1D538,
        "bold-fraktur": 0x1D56C,
        "sans-serif": 0x1D5A0,
        "bold-sans-serif": 0x1D5D4,
        "sans-serif-italic": 0x1D608,
        "sans-serif-bold-italic": 0x1D63C,
        "monospace": 0x1D670,
    }
)
#: Styled Greek (Α-Ω, ∇, α-ω, ∂, ϵ ϑ ϰ ϕ ϱ ϖ).
_GREEK = MappingProxyType(
    {
        "bold": 0x1D6A8,
        "italic": 0x1D6E2,
        "bold-italic": 0x1D71C,
        "bold-sans-serif": 0x1D756,
        "sans-serif-bold-italic": 0x1D790,
    }
)
_GREEK_AFTER_OMEGA = "∂ϵϑϰϕϱϖ"
#: Styled digits 0-9.
_DIGITS = MappingProxyType(
    {
        "bold": 0x1D7CE,
        "double-struck": 0x1D7D8,
        "sans-serif": 0x1D7E2,
        "bold-sans-serif": 0x1D7EC,
        "monospace": 0x1D7F6,
    }
)
#: Letters Unicode had before the block: their places in it are left empty.
_HOLES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "italic": {"h": "ℎ"},
        "script": dict(zip("BEFHILMRego", "ℬℰℱℋℐℒℳℛℯℊℴ", strict=True)),
        "fraktur": dict(zip("CHIRZ", "ℭℌℑℜℨ", strict=True)),
        "double-struck": dict(zip("CHNPQRZ", "ℂℍℕℙℚℝℤ", strict=True)),
    }
)
#: KaTeX's and MathML's other names for the same alphabets.
_ALIASES = MappingProxyType(
    {"sans-serif-bold": "bold-sans-serif", "bold-sans-serif-italic": "sans-serif-bold-italic"}
)


def styled(text: str, variant: str) -> str | None:
    """``text`` in the alphabet ``variant`` names; None when the variant is not one of them
    (``normal``, or unknown). Characters the alphabet lacks (``.``, ``-``) stay as they are."""
    variant = _ALIASES.get(variant, variant)
    if variant not in _LATIN:
        return None
    return "".join(_char(char, variant) for char in text)


def _char(char: str, variant: str) -> str:
    hole = _HOLES.get(variant, {}).get(char)
    if hole:
        return hole
    code = ord(char)
    if "A" <= char <= "Z":
        return chr(_LATIN[variant] + code - ord("A"))
    if "a" <= char <= "z":
        return chr(_LATIN[variant] + 26 + code - ord("a"))
    if "0" <= char <= "9" and variant in _DIGITS:
        return chr(_DIGITS[variant] + code - ord("0"))
    if variant in _GREEK:
        base = _GREEK[variant]
        if "Α" <= char <= "Ω" and char != "\u03a2":
            return chr(base + code - ord("Α"))
        if char == "∇":
            return chr(base + 25)
        if "α" <= char <= "ω":
            return chr(base + 26 + code - ord("α"))
        if char in _GREEK_AFTER_OMEGA:
            return chr(base + 51 + _GREEK_AFTER_OMEGA.index(char))
    return char
