"""Short captions for drawing long Thai and English labels on graph nodes.

Thai is written without spaces between words, so a line may only be broken where it does not
split a syllable from its vowels and marks; without a dictionary this is a heuristic, and the
full label is always in the tooltip and the side panel.
"""

from __future__ import annotations

import unicodedata

__all__ = ["CAPTION_LINES", "CAPTION_WIDTH", "caption"]

#: A caption drawn on a node has at most this many lines of about this many characters.
CAPTION_LINES = 2
CAPTION_WIDTH = 18


#: Thai vowels written before their consonant, and signs that never start a line.
_LEADING = set("เแโใไ")
_NOT_FIRST = set("ะาำๅๆฯ")
_KARAN = "\u0e4c"  # the silencing mark: its consonant belongs to the syllable before


def _breakable(text: str, at: int) -> bool:
    """Whether a line may end just before ``text[at]`` (a heuristic without a dictionary)."""
    char = text[at]
    if unicodedata.category(char)[0] == "M" or char in _NOT_FIRST or text[at - 1] in _LEADING:
        return False
    return _KARAN not in text[at + 1:at + 3]


def _cut(text: str, width: int) -> int:
    """Where to end a line of at most ``width`` characters: at a space near the end if there is
    one, else where no Thai syllable is split by the rules of :func:`_breakable`."""
    if len(text) <= width:
        return len(text)
    space = text.rfind(" ", 0, width + 1)
    if space >= width // 2:
        return space
    cut = width
    while cut > width // 2 and not _breakable(text, cut):
        cut -= 1
    return cut


def caption(text: str, width: int = CAPTION_WIDTH, lines: int = CAPTION_LINES) -> str:
    """``text`` on at most ``lines`` lines of about ``width`` characters, "…" if shortened."""
    rest = " ".join(text.split())
    out: list[str] = []
    while rest and len(out) < lines:
        cut = _cut(rest, width)
        out.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        out[-1] += "…"
    return "\n".join(out)
