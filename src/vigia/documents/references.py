"""Stored texts cite what the document contains; these references are resolved once it is numbered.

A text copied from an official report cites "la Figura 8": in another document Figura 8 is
something else. So stored texts cite by content — ``{{figura CODE}}``, ``{{tabla KEY}}``,
``{{avance CODE}}`` — and a clause about a multi-year trend is wrapped ``[[serie CODE: A || B]]``.
Here every citation becomes the number the document gives and the avance the data support; a
trend clause A is kept only when the figure of CODE shows two or more years, else B (which may be
empty) stands in for it; a sentence citing something the document lacks is left out. What was
left out is returned, for the Informe de consistencia.
"""

from __future__ import annotations

import re

from .common import pct
from .model import Bullets, Document, Paragraph

_AVANCE = re.compile(r"\{\{avance ([^}]+)\}\}")
_REF = re.compile(r"\{\{(figura|tabla) ([^}]+)\}\}")
_SERIE = re.compile(r"\[\[serie ([^:\]]+):(.*?)\]\]", re.S)
_SENTENCES = re.compile(r"(?<=[.;:])\s+(?=[A-ZÁÉÍÓÚÑ¿“\"])")
_LEFTOVER = re.compile(r"\{\{|\}\}|\[\[|\]\]")


def fill_avances(text, src):
    """``{{avance CODE}}`` → the avance of CODE as this document publishes it ("7.25%")."""
    if isinstance(text, list):
        return [fill_avances(t, src) for t in text]
    if not text:
        return text
    return _AVANCE.sub(lambda m: pct(src.rows[m.group(1).strip()].progress, src.rules, sign=True) if m.group(1).strip() in src.rows
                       else m.group(0), str(text))


def resolve(doc: Document) -> list[tuple[str, str]]:
    """Replace every citation in the document's texts; returns the passages left out, each with what was
    published in its place ("" when nothing was)."""
    omitted: list[tuple[str, str]] = []

    def one(text: str) -> str:
        def serie(m: re.Match) -> str:
            trend, _, instead = m.group(2).partition("||")
            figure = doc.figure(m.group(1).strip())
            if figure is not None and figure.years >= 2:
                return trend
            omitted.append((_plain(trend).strip(" ,."), _plain(instead).strip()))
            return instead

        text = _SERIE.sub(serie, text)
        if not _REF.search(text):
            return _tidy(text)
        kept = []
        for sentence in _SENTENCES.split(text):
            target = [_target(doc, kind, key) for kind, key in _REF.findall(sentence)]
            if all(target):
                kept.append(_REF.sub(lambda m: _target(doc, m.group(1), m.group(2)), sentence))
            else:
                omitted.append((_plain(sentence), ""))
        return _tidy(" ".join(kept))

    for block in doc.blocks:
        if isinstance(block, Paragraph):
            block.text = one(block.text)
        elif isinstance(block, Bullets):
            block.items = [one(i) for i in block.items]
    doc.blocks = [b for b in doc.blocks if not (isinstance(b, Paragraph) and not b.text.strip())]
    return omitted


def unresolved(text: str) -> bool:
    """True when a citation marker survived (a test guards that none does)."""
    return bool(_LEFTOVER.search(text))


def _target(doc: Document, kind: str, key: str) -> str:
    key = key.strip()
    found = doc.figure(key) if kind == "figura" else doc.table(key)
    if found is None or not found.number:
        return ""
    return f"{'Figura' if kind == 'figura' else 'Tabla'} {found.number}"


def _plain(text: str) -> str:
    """A passage as the reviewer reads it: "la figura del indicador IND.01.OEI.01" instead of the marker."""
    return _tidy(_REF.sub(lambda m: f"{m.group(1)} {'del indicador ' if m.group(1) == 'figura' else ''}{m.group(2).strip()}", text))


def _tidy(text: str) -> str:
    return re.sub(r"\s+([,.;:])", r"\1", re.sub(r"\s{2,}", " ", text)).strip()
