"""A report as a list of format-neutral blocks: headings, paragraphs, lists, tables, figures.

The builders (``seguimiento``, ``evaluacion``) fill a ``Document`` from one evaluation; the
renderers (``word``, ``pdf``) lay the same blocks out, so the DOCX and the PDF always say the
same thing. Every text in a block is already formatted (Spanish, decimal point, % sign).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import date

from vigia import outputs
from vigia.methodology.bands import Band


@dataclass(frozen=True)
class Signature:
    """One box of the signature block: elaborado, revisado or aprobado por."""

    role: str  # "Elaborado por", "Revisado por", "Aprobado por"
    office: str
    name: str = ""  # empty: the line is left for the hand signature and the name
    position: str = ""


@dataclass(frozen=True)
class Meta:
    """What the document is and which data it was made from (printed on the cover and in every file)."""

    kind: str  # seguimiento | evaluacion
    title: str
    subtitle: str
    plan_code: str
    plan_name: str
    entity: str
    year: int
    period: str  # anual | S1
    period_label: str
    vintage: str
    vintage_name: str
    cutoff: str  # data cut-off date, in words
    document_date: date  # derived from the data, never from the clock
    dated: bool  # the date is the document's own (office, edition), not the cut-off: printed on the cover
    checksum: str  # sha256 of the dataset content the figures come from
    data_version: int | None  # the database's data version (None for the bundled files)
    preliminary: bool
    ruleset: str
    cover_lines: tuple[tuple[str, str], ...] = ()  # extra label/value lines for the cover
    number: str = ""  # the document's official number (e.g. "Informe N.° 016-2025-JUS/OGPM-OPC")
    author: str = ""  # the office that prepares it: the file's author
    credits: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (office, people) as the credits page lists them
    signatures: tuple[Signature, ...] = ()

    @property
    def short_checksum(self) -> str:
        return self.checksum[:12]

    @property
    def version_label(self) -> str:
        version = f"versión de datos {self.data_version} · " if self.data_version is not None else ""
        return f"{version}edición {self.vintage} · huella {self.short_checksum}"

    @property
    def colophon(self) -> str:
        """The one line that ties the printed figures to the exact data (kept out of the body)."""
        version = f"; versión de datos {self.data_version}" if self.data_version is not None else ""
        return (f"Cifras de la edición «{self.vintage_name}» con corte al {self.cutoff}{version}. "
                f"Huella SHA-256 de los datos: {self.checksum}.")

    @property
    def status_label(self) -> str:
        if self.preliminary:
            return "PRELIMINAR: incluye datos aún no aprobados; no publicar"
        return "Datos aprobados y publicados"


@dataclass
class Heading:
    text: str
    level: int = 1  # 1 section, 2 subsection, 3 sub-subsection, 4 a topic inside it
    outline: bool = True  # listed in the table of contents and the PDF bookmarks
    kind: str = field(default="heading", init=False)


@dataclass
class Paragraph:
    text: str
    style: str = "body"  # body | note | quote | lead | title | subtitle
    kind: str = field(default="paragraph", init=False)


_LABEL = re.compile(r"^((?:[a-zA-Z]|\d{1,2})[.)])\s+(?=\S)")


@dataclass
class Bullets:
    items: list[str]
    ordered: bool = False
    start: str = ""  # prefix for numbered items, e.g. "4." gives 4.1, 4.2…
    levels: list[int] = field(default_factory=list)  # per item: 0 an item, 1 a sub-item (empty: all 0)
    kind: str = field(default="bullets", init=False)

    def level(self, k: int) -> int:
        return self.levels[k] if k < len(self.levels) else 0

    def keep(self, wanted) -> None:
        """Drop the items ``wanted(text)`` rejects, keeping each survivor's level."""
        kept = [(i, self.level(k)) for k, i in enumerate(self.items) if wanted(i)]
        self.items, self.levels = [i for i, _ in kept], [lv for _, lv in kept]

    def labelled(self) -> list[tuple[str, str, int]]:
        """(label, text, level) per item: "4.1." for ordered lists (numbered here, not by the viewer); the
        source's own letter or number ("a)", "b.") when an item starts with one; else a bullet or a dash."""
        if self.ordered:
            return [(f"{self.start}{k}.", i, 0) for k, i in enumerate(self.items, 1)]
        out = []
        for k, item in enumerate(self.items):
            found = _LABEL.match(item)
            level = self.level(k)
            if found:
                out.append((found.group(1), item[found.end():], level))
            else:
                out.append(("•" if level == 0 else "–", item, level))
        return out


@dataclass
class Cell:
    text: str = ""
    align: str = "left"  # left | right | center
    band: Band | None = None  # shaded with the band colour and followed by its word
    bold: bool = False
    span: int = 1  # columns this cell covers (header rows and group rows)
    note: str = ""  # small second line (e.g. "no programado")


@dataclass
class Table:
    caption: str
    header: list[list[Cell]]  # one or more header rows (cells may span columns)
    rows: list[list[Cell]]
    widths: list[float]  # relative column widths
    source: str = ""
    size: str = "normal"  # normal | small | tiny (font size)
    group_rows: set[int] = field(default_factory=set)  # indexes of rows shaded as group headings
    landscape: bool = False
    numbered: bool = True  # the cover's data box is not a numbered table
    number: int = 0  # set when the document numbers its tables
    key: str = ""  # what stored texts cite it by ("{{tabla semaforo-OEI}}")
    notes: list[str] = field(default_factory=list)  # footnotes printed under the table
    kind: str = field(default="table", init=False)

    @property
    def columns(self) -> int:
        return len(self.widths)

    def kept(self) -> dict[int, int]:
        """Rows kept on one page, {first row: how many}: a group heading with the rows down to its first plain row
        (a heading never ends a page), and the last two rows (a table never ends with a lone row on a page)."""
        spans: dict[int, int] = {}
        k, n = 0, len(self.rows)
        while k < n:
            if k in self.group_rows:
                end = k
                while end < n - 1 and end in self.group_rows:
                    end += 1
                spans[k] = end - k + 1
                k = end + 1
            else:
                k += 1
        if n >= 2 and not any(start <= n - 2 and n - 1 < start + size for start, size in spans.items()):
            before = next((s for s, size in spans.items() if s + size == n - 1), None)  # a span that ends at n - 2
            if before is not None:
                spans[before] += 1
            else:
                spans[n - 2] = 2
        return {s: size for s, size in spans.items() if size > 1}


@dataclass
class Figure:
    caption: str
    svg: bytes  # the chart (charts module); PNG for Word is rasterised from it in one batch
    source: str = ""
    alt: str = ""
    number: int = 0
    key: str = ""  # the indicator it shows, so stored texts can cite it ("{{figura IND.01.OEI.01}}")
    years: int = 1  # years it shows: a clause about a trend needs two or more
    kind: str = field(default="figure", init=False)


@dataclass
class Contents:
    """The table of contents: a field in Word, the outline in the PDF (and its bookmarks)."""

    title: str = "Índice"
    kind: str = field(default="contents", init=False)


@dataclass
class Signatures:
    """The signature block (elaborado / revisado / aprobado) from the document's metadata."""

    kind: str = field(default="signatures", init=False)


@dataclass
class PageBreak:
    landscape: bool = False  # start a landscape part (the wide annex), or go back to portrait
    kind: str = field(default="pagebreak", init=False)


Block = Heading | Paragraph | Bullets | Table | Figure | PageBreak | Contents | Signatures


@dataclass
class Document:
    meta: Meta
    blocks: list[Block] = field(default_factory=list)
    omitted: list[tuple[str, str]] = field(default_factory=list)  # (stored passage left out, what stands in its place)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(b for b in blocks if b is not None)

    @property
    def figures(self) -> list[Figure]:
        return [b for b in self.blocks if isinstance(b, Figure)]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def number(self) -> None:
        """Number tables and figures in reading order (Tabla 1, Figura 1…)."""
        t = f = 0
        for b in self.blocks:
            if isinstance(b, Table) and b.numbered:
                t += 1
                b.number = t
            elif isinstance(b, Figure):
                f += 1
                b.number = f

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)

    def printable(self) -> Document:
        """The same document with every text cleaned of the control characters Word and PDF
        writers refuse (an analysis pasted from Word may carry a NUL or a vertical tab)."""
        return _printable(self)


def _printable(obj):
    if type(obj) is str:  # not str enums (bands)
        return outputs.text(obj)
    if isinstance(obj, (list, tuple)):
        return type(obj)(_printable(o) for o in obj)
    if is_dataclass(obj) and not isinstance(obj, type):
        return replace(obj, **{f.name: _printable(getattr(obj, f.name)) for f in fields(obj) if f.init})
    return obj
