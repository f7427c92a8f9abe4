"""The former PDF engine, kept only for the benchmark's side-by-side timing: the same blocks as HTML,
laid out by WeasyPrint on A4 (``pip install weasyprint`` plus Debian's pango to run it).

Tables use a fixed layout with wrapping so they never run past the page; the wide annex goes on
landscape pages; charts are embedded as SVG.
"""

from __future__ import annotations

import base64
from pathlib import Path

from django.template import Context, Engine

from vigia.documents.common import band_word, long_date
from vigia.documents.model import Bullets, Cell, Document, Figure, Heading, PageBreak, Paragraph, Table

TEMPLATES = Path(__file__).parent / "weasyprint"
_engine = Engine(dirs=[str(TEMPLATES)], autoescape=True)  # standalone: the CLI needs no Django settings


def html(doc: Document) -> str:
    """The document as HTML: every value is a string already, so no locale setting is involved."""
    m = doc.meta
    sections: list[dict] = [{"landscape": "", "blocks": []}]
    for block in doc.blocks:
        if isinstance(block, PageBreak):
            sections.append({"landscape": "1" if block.landscape else "", "blocks": []})
            continue
        if isinstance(block, (Heading, Paragraph, Bullets, Table, Figure)):
            sections[-1]["blocks"].append(_block(block))
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    context = {
        "title": f"{m.title} – {m.plan_name}",
        "running": f"{m.title} · {m.plan_name}",
        "footer": m.number,
        "preliminary": "1" if m.preliminary else "",
        "created": m.document_date.isoformat(),
        "date_label": long_date(m.document_date),
        "keywords": f"{m.plan_code}; {m.vintage}; sha256:{m.checksum}",
        "description": m.status_label,
        "css": css,
        "sections": [s for s in sections if s["blocks"]],
    }
    return _engine.get_template("report.html").render(Context(context, autoescape=True, use_l10n=False))


def render(doc: Document) -> bytes:
    from weasyprint import HTML

    return HTML(string=html(doc), base_url=str(TEMPLATES)).write_pdf(uncompressed_pdf=False)


def _cell(c: Cell, tag: str = "td", rowspan: int = 1) -> dict:
    classes = [c.align]
    if c.band is not None:
        classes.append(f"band band-{c.band.name.lower()}")
    if c.bold:
        classes.append("bold")
    word = band_word(c.band) if c.band is not None else ""
    return {
        "tag": tag, "text": c.text, "cls": " ".join(classes), "span": str(c.span) if c.span > 1 else "",
        "rowspan": str(rowspan) if rowspan > 1 else "", "word": word if word and word != c.text else "", "note": c.note,
    }


def _header(t: Table) -> list[list[dict]]:
    """Header rows; a top cell whose cell below is empty spans both rows (and the empty one is dropped).

    A second header row has one cell per column of the table."""
    if len(t.header) == 1:
        return [[_cell(c, "th") for c in t.header[0]]]
    top, second = t.header[0], t.header[1]
    merged, first, col = set(), [], 0
    for c in top:
        if c.span == 1 and col < len(second) and not second[col].text:
            first.append(_cell(c, "th", rowspan=2))
            merged.add(col)
        else:
            first.append(_cell(c, "th"))
        col += c.span
    return [first, [_cell(c, "th") for k, c in enumerate(second) if k not in merged]]


def _block(b) -> dict:
    if isinstance(b, Heading):
        return {"kind": "heading", "tag": f"h{b.level}", "text": b.text}
    if isinstance(b, Paragraph):
        return {"kind": "paragraph", "style": b.style, "text": b.text}
    if isinstance(b, Bullets):
        return {"kind": "bullets", "tag": "ol" if b.ordered else "ul",
                "items": [{"label": label, "text": text} for label, text, _ in b.labelled()]}
    if isinstance(b, Table):
        total = sum(b.widths)
        return {
            "kind": "table", "caption": b.caption, "number": str(b.number) if b.numbered else "", "size": b.size, "source": b.source,
            "cols": [f"{100 * w / total:.3f}%" for w in b.widths],
            "header": _header(b),
            "rows": [{"cls": "group" if k in b.group_rows else "", "cells": [_cell(c) for c in row]} for k, row in enumerate(b.rows)],
        }
    if isinstance(b, Figure):
        svg = base64.b64encode(b.svg).decode("ascii")
        return {"kind": "figure", "caption": b.caption, "number": str(b.number), "source": b.source, "alt": b.alt,
                "src": f"data:image/svg+xml;base64,{svg}"}
    raise TypeError(f"bloque desconocido: {b!r}")
