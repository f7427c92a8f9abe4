"""PDF rendering with Typst: the blocks as JSON, laid out by ``templates/report.typ`` on A4.

Typst (a self-contained compiler from PyPI) typesets a 50-page report in a fraction of a
second, hyphenates Spanish, repeats table headers, writes bookmarks from the headings and a
tagged PDF with the charts' alt text. The fonts ship with the package (``fonts/``), so a report
looks the same on every machine and nothing is fetched at run time. The same compiler turns the
charts into the PNG images the Word document needs, in one batch.
"""

from __future__ import annotations

import json
from pathlib import Path

from .common import band_word
from .model import Bullets, Cell, Contents, Document, Figure, Heading, PageBreak, Paragraph, Signatures, Table

HERE = Path(__file__).parent
TEMPLATE = HERE / "templates" / "report.typ"
FONTS = [str(HERE / "fonts")]
PNG_PPI = 120


def _compile(source: bytes | Path, inputs: dict[str, str], fmt: str = "pdf", ppi: float | None = None):
    import typst

    return typst.compile(source if isinstance(source, bytes) else str(source), root=str(HERE), font_paths=FONTS,
                         ignore_system_fonts=True, format=fmt, ppi=ppi, sys_inputs=inputs)


def render(doc: Document) -> bytes:
    return _compile(TEMPLATE, {"doc": json.dumps(payload(doc), ensure_ascii=False)})


def payload(doc: Document) -> dict:
    """What the template reads: the document's metadata and its blocks grouped in page sections
    (texts cleaned of the control characters a PDF cannot hold)."""
    doc = doc.printable()
    m = doc.meta
    sections: list[dict] = [{"landscape": False, "blocks": []}]
    for block in doc.blocks:
        if isinstance(block, PageBreak):
            sections.append({"landscape": block.landscape, "blocks": []})
        else:
            sections[-1]["blocks"].append(_block(block, sections[-1]["landscape"]))
    return {
        "meta": {
            "title": f"{m.title} – {m.plan_name}", "running": f"{m.title} · {m.plan_name}", "author": m.author or m.entity,
            "keywords": [m.plan_code, m.vintage, f"sha256:{m.checksum}"], "description": f"{m.status_label}. {m.colophon}",
            "date": [m.document_date.year, m.document_date.month, m.document_date.day], "preliminary": m.preliminary,
            "number": m.number,
            "signatures": [{"role": s.role, "office": s.office, "name": s.name, "position": s.position} for s in m.signatures],
        },
        "sections": [s for s in sections if s["blocks"]],
    }


def rasterise(figures: list[Figure]) -> list[bytes]:
    """Each chart as a PNG (for Word), all in one compilation: one page per chart."""
    if not figures:
        return []
    source = b"""#set page(width: 15.5cm, height: auto, margin: 0pt)
#set text(font: "Liberation Sans")
#for (k, svg) in json(bytes(sys.inputs.at("svgs"))).enumerate() {
  if k > 0 { pagebreak() }
  image(bytes(svg), format: "svg", width: 100%)
}"""
    pages = _compile(source, {"svgs": json.dumps([f.svg.decode("utf-8") for f in figures])}, "png", PNG_PPI)
    return list(pages) if isinstance(pages, list) else [pages]


def _cell(c: Cell, rowspan: int = 1) -> dict:
    word = band_word(c.band) if c.band is not None else ""
    return {"text": c.text, "align": c.align, "band": word if c.band is not None else "", "bold": c.bold,
            "span": c.span, "rowspan": rowspan, "word": word if word and word != c.text else "", "note": c.note}


def _header(t: Table) -> list[list[dict]]:
    """Header rows; a top cell whose cell below is empty spans both rows (the empty one is dropped)."""
    if len(t.header) == 1:
        return [[_cell(c) for c in t.header[0]]]
    top, second = t.header[0], t.header[1]
    merged, first, col = set(), [], 0
    for c in top:
        if c.span == 1 and col < len(second) and not second[col].text:
            first.append(_cell(c, rowspan=2))
            merged.add(col)
        else:
            first.append(_cell(c))
        col += c.span
    return [first, [_cell(c) for k, c in enumerate(second) if k not in merged]]


def _block(b, landscape: bool) -> dict:
    if isinstance(b, Heading):
        return {"kind": "heading", "level": b.level, "text": b.text, "outline": b.outline}
    if isinstance(b, Paragraph):
        return {"kind": "paragraph", "style": b.style, "text": b.text}
    if isinstance(b, Bullets):
        return {"kind": "bullets", "items": [{"label": label, "text": text, "level": level} for label, text, level in b.labelled()]}
    if isinstance(b, Table):
        total = sum(b.widths)
        return {"kind": "table", "caption": b.caption, "number": str(b.number) if b.numbered else "", "size": b.size,
                "source": b.source, "cols": [w / total for w in b.widths], "header": _header(b), "notes": b.notes,
                "groups": sorted(b.group_rows), "rows": [[_cell(c) for c in row] for row in b.rows],
                "kept": {str(k): n for k, n in b.kept().items()}}
    if isinstance(b, Figure):
        return {"kind": "figure", "caption": b.caption, "number": str(b.number), "source": b.source, "alt": b.alt,
                "svg": b.svg.decode("utf-8"), "landscape": landscape}
    if isinstance(b, Contents):
        return {"kind": "contents", "title": b.title}
    if isinstance(b, Signatures):
        return {"kind": "signatures"}
    raise TypeError(f"bloque desconocido: {b!r}")
