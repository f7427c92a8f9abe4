"""A report as a list of format-neutral blocks: headings, paragraphs, lists, tables, figures.

The builders (``seguimiento``, ``evaluacion``) fill a ``Document`` from one evaluation; the
renderers (``word``, ``pdf``) lay the same blocks out, so the DOCX and the PDF always say the
same thing. Every text in a block is already formatted (Spanish, decimal point, % sign).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import date

from vigia import outputs
from vigia.methodology.bands import Band


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
    checksum: str  # sha256 of the dataset content the figures come from
    data_version: int | None  # the database's data version (None for the bundled files)
    preliminary: bool
    ruleset: str
    cover_lines: tuple[tuple[str, str], ...] = ()  # extra label/value lines for the cover

    @property
    def short_checksum(self) -> str:
        return self.checksum[:12]

    @property
    def version_label(self) -> str:
        version = f"versión de datos {self.data_version} · " if self.data_version is not None else ""
        return f"{version}edición {self.vintage} · huella {self.short_checksum}"

    @property
    def status_label(self) -> str:
        if self.preliminary:
            return "PRELIMINAR: incluye datos aún no aprobados; no publicar"
        return "Datos aprobados y publicados"


@dataclass
class Heading:
    text: str
    level: int = 1  # 1 section, 2 subsection, 3 sub-subsection
    kind: str = field(default="heading", init=False)


@dataclass
class Paragraph:
    text: str
    style: str = "body"  # body | note | generated | quote | lead
    kind: str = field(default="paragraph", init=False)


@dataclass
class Bullets:
    items: list[str]
    ordered: bool = False
    start: str = ""  # prefix for numbered items, e.g. "4." gives 4.1, 4.2…
    kind: str = field(default="bullets", init=False)

    def labelled(self) -> list[tuple[str, str]]:
        """(label, text) per item: "4.1." / "1." for ordered lists (numbered here, not by the viewer), "" otherwise."""
        if not self.ordered:
            return [("", i) for i in self.items]
        return [(f"{self.start}{k}.", i) for k, i in enumerate(self.items, 1)]


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
    kind: str = field(default="table", init=False)

    @property
    def columns(self) -> int:
        return len(self.widths)


@dataclass
class Figure:
    caption: str
    render: Callable[[tuple[str, ...]], dict[str, bytes]]  # formats -> image bytes (charts module)
    source: str = ""
    alt: str = ""
    number: int = 0
    images: dict[str, bytes] = field(default_factory=dict)
    kind: str = field(default="figure", init=False)

    def image(self, fmt: str) -> bytes:
        if fmt not in self.images:
            self.images.update(self.render((fmt,)))
        return self.images[fmt]


@dataclass
class PageBreak:
    landscape: bool = False  # start a landscape part (the wide annex), or go back to portrait
    kind: str = field(default="pagebreak", init=False)


Block = Heading | Paragraph | Bullets | Table | Figure | PageBreak


@dataclass
class Document:
    meta: Meta
    blocks: list[Block] = field(default_factory=list)

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

    def printable(self) -> Document:
        """The same document with every text cleaned of the control characters Word and PDF
        writers refuse (an analysis pasted from Word may carry a NUL or a vertical tab)."""
        return _printable(self)

    def render_figures(self, formats: tuple[str, ...], on_figure: Callable[[Figure], None] | None = None) -> None:
        """Draw every chart once in all the formats the requested files need."""
        for fig in self.figures:
            missing = tuple(f for f in formats if f not in fig.images)
            if missing:
                fig.images.update(fig.render(missing))
            if on_figure:
                on_figure(fig)


def _printable(obj):
    if type(obj) is str:  # not str enums (bands)
        return outputs.text(obj)
    if isinstance(obj, (list, tuple)):
        return type(obj)(_printable(o) for o in obj)
    if is_dataclass(obj) and not isinstance(obj, type):
        return replace(obj, **{f.name: _printable(getattr(obj, f.name)) for f in fields(obj) if f.init})
    return obj
