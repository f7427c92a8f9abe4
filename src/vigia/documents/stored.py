"""Stored texts (analyses copied from the official documents) added to a report, each passage once.

The source documents repeat themselves: an action's analysis restates its indicators' analyses,
and the same paragraph is filed under several elements. A report prints each long passage once
and leaves out, under an element, what will be printed under its indicators. Short lines (a band
criterion, "Mayor igual a 95% = Color verde") may rightly appear twice.
"""

from __future__ import annotations

from . import references
from .common import normal, text_blocks
from .model import Bullets, Document, Paragraph
from .source import Source

LONG = 80  # characters: shorter passages are never taken for repetitions


class StoredTexts:
    def __init__(self, src: Source, doc: Document):
        self.src, self.doc, self.seen = src, doc, set()

    def add(self, text, skip: set[str] = frozenset(), level: int = 4) -> bool:
        """Add ``text`` (a string or a list of them); False when there is none. ``skip``: passages printed elsewhere."""
        if not text:
            return False
        for b in text_blocks(references.fill_avances(text, self.src), heading_level=level):
            if isinstance(b, Paragraph) and self._repeated(b.text, skip):
                continue
            if isinstance(b, Bullets):
                b.keep(lambda item: not self._repeated(item, skip))
                if not b.items:
                    continue
            self.doc.add(b)
        return True

    def _repeated(self, text: str, skip: set[str]) -> bool:
        key = normal(text)
        if key in skip:
            return True
        if len(key) < LONG:
            return False
        if key in self.seen:
            return True
        self.seen.add(key)
        return False


def passages(text) -> set[str]:
    """A stored text's paragraphs and list items, spacing-insensitive (what ``skip`` takes)."""
    out = set()
    for b in text_blocks(text):
        out |= {normal(b.text)} if isinstance(b, Paragraph) else {normal(i) for i in getattr(b, "items", ())}
    return out
