"""Helpers shared by the report builders and renderers: numbers and dates in the seeds' style,
the data checksum, stored texts split into blocks, and reproducible ZIP containers."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime

from vigia.datasets import Dataset
from vigia.methodology.bands import Band, displayed
from vigia.methodology.rules import RuleSet
from vigia.presentation import numbers

from .model import Bullets, Cell, Heading, Paragraph

MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
          "noviembre", "diciembre")
BAND_WORD = {Band.GREEN: "verde", Band.YELLOW: "amarillo", Band.RED: "rojo", Band.ND: "ND"}
BAND_FILL = {Band.GREEN: "C8E6C9", Band.YELLOW: "FFF3C4", Band.RED: "FFCDD2", Band.ND: "E0E0E0"}  # light: black text stays legible in greyscale
LEVEL_NAMES = {"IOP": "Indicadores de objetivos prioritarios", "ISS": "Indicadores de servicios",
               "IND.OEI": "Indicadores de OEI", "IND.AEI": "Indicadores de AEI", "INDEX": "Índice de gestión"}


def long_date(d: date) -> str:
    return f"{d.day} de {MONTHS[d.month - 1]} de {d.year}"


def number(value: float | None, unit: str = "number", decimals: int | None = None) -> str:
    """A value as the seeds print it: 36.50%, 6,235, 20.23 (the ficha's decimals when it has them); ND when missing."""
    return numbers.number(value, unit, decimals)


def pct(value: float | None, rules: RuleSet, sign: bool = False) -> str:
    """A progress as published (rounded half away from zero to the plan's decimals)."""
    return numbers.progress(value, rules, sign)


def band_word(band: Band) -> str:
    return BAND_WORD[band]


def progress_cell(value: float | None, band: Band, rules: RuleSet, note: str = "", measured: bool = True) -> Cell:
    if not measured:
        return Cell("", align="center")
    return Cell(pct(value, rules), align="center", band=band, note=note)


def plural(n: int, one: str, many: str) -> str:
    """"1 indicador", "3 indicadores"; with n = 0, "ningún/ninguna" is the caller's wording."""
    return f"{n} {one if n == 1 else many}"


def join_es(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " y " + items[-1]


_ALERT_PREFIX = re.compile(r"Alerta\s+[a-d]\s*\(\d+\)\s*:\s*(\w?)", re.IGNORECASE)


def reason_note(note: str) -> str:
    """A missing value's note without its provenance prefix ("Alerta a (003): …"), capitalised."""
    text = _ALERT_PREFIX.sub(lambda m: m.group(1).upper(), note or "").strip()
    return text[:1].upper() + text[1:] if text else ""


def text_blocks(text, style: str = "body", heading_level: int = 4) -> list:
    """Stored text as blocks: blank-line paragraphs, "- " lists (two spaces more: a sub-item), "### " subheadings.

    A list of texts is read item by item."""
    if not text:
        return []
    if isinstance(text, list):
        return [b for item in text for b in text_blocks(item, style, heading_level)]
    blocks: list = []
    for chunk in re.split(r"\n\s*\n", str(text).strip()):
        raw = [ln for ln in chunk.splitlines() if ln.strip()]
        lines = [ln.strip() for ln in raw]
        if len(lines) == 1 and lines[0].startswith("#"):
            blocks.append(Heading(lines[0].lstrip("#").strip(), heading_level, outline=False))
        elif lines and all(ln.startswith(("- ", "• ")) for ln in lines):
            items = [ln[2:].strip() for ln in lines]
            levels = [1 if len(r) - len(r.lstrip()) > 0 else 0 for r in raw]
            if blocks and isinstance(blocks[-1], Bullets):
                blocks[-1].items.extend(items)
                blocks[-1].levels.extend(levels)
            else:
                blocks.append(Bullets(items, levels=levels))
        elif lines:
            blocks.append(Paragraph(" ".join(lines), style))
    return blocks


def checksum(ds: Dataset) -> str:
    """sha256 of what the figures depend on (see ``Dataset.fingerprint``)."""
    return ds.fingerprint


def reproducible_zip(data: bytes, when: datetime) -> bytes:
    """Rewrite an OOXML package with fixed entry times and core dates, so equal content gives equal bytes."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                blob = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>" + stamp.encode() + rb"\g<2>", blob)
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, blob)
    return out.getvalue()


def displayed_value(value: float | None, rules: RuleSet) -> float | None:
    return displayed(value, rules)


def normal(text: str) -> str:
    """A paragraph's identity for de-duplication: spacing-insensitive."""
    return " ".join(str(text).split())
