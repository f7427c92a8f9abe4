"""The official documents of 2024, generated once per test session and parsed back."""

from __future__ import annotations

import io
import subprocess
from dataclasses import dataclass

import pytest
from docx import Document as read_docx
from openpyxl import load_workbook

from vigia import datasets, documents
from vigia.documents import excel, pdf, word


@dataclass
class Generated:
    src: documents.Source
    doc: object
    docx: bytes
    pdf: bytes
    xlsx: bytes

    @property
    def word(self):
        return read_docx(io.BytesIO(self.docx))

    @property
    def workbook(self):
        return load_workbook(io.BytesIO(self.xlsx))

    @property
    def pages(self) -> list[str]:
        """pdftotext of every page (form feeds split them)."""
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=self.pdf, capture_output=True, check=True).stdout
        return text.decode("utf-8").split("\f")[:-1]


def make(code: str, kind: str, preliminary: bool = False) -> Generated:
    ds = datasets.load(code)
    src = documents.prepare(ds, 2024, preliminary=preliminary)
    doc = documents.build(src, kind)
    return Generated(src, doc, word.render(doc), pdf.render(doc), excel.render(src, kind, doc))


@pytest.fixture(scope="session")
def policy_report() -> Generated:
    return make("pnp2030", "seguimiento")


@pytest.fixture(scope="session")
def pei_report() -> Generated:
    return make("pei-inpe", "evaluacion")


@pytest.fixture(scope="session")
def consistency_report() -> Generated:
    return make("pei-inpe", "consistencia")


@pytest.fixture(scope="session")
def preliminary_report() -> Generated:
    return make("pnp2030", "seguimiento", preliminary=True)


def docx_text(document) -> str:
    """Every paragraph and table cell, headers and footers included, as one text."""
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def table_rows(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def find_table(document, first_cell: str, header: str = ""):
    """The first table with a row whose first cell is ``first_cell`` (and whose header row has ``header``)."""
    for table in document.tables:
        if header and header not in [c.text for c in table.rows[0].cells]:
            continue
        for row in table.rows:
            if row.cells[0].text == first_cell:
                return table
    raise AssertionError(f"no table with a row {first_cell!r}")
