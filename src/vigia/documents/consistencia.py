"""Informe de consistencia: what the reviewer must know before signing, kept out of the published body.

The published documents print the figures the data support. Here, in plain words, go the
discrepancies found in the source documents (a narrative figure that contradicts its table or
another passage, a rate its own counts do not give, a direction the targets contradict…) and
the passages of the stored texts the published document leaves out, and why.
"""

from __future__ import annotations

from vigia.presentation.findings import plain

from . import build as build_kind, default_kind
from .annexes import colophon, front_matter, meta
from .model import Bullets, Cell, Document, Heading, Paragraph, Table
from .source import Source

ATTENTION = {"error": "Corregir en la fuente", "aviso": "Verificar", "info": "Para conocimiento"}


def build(src: Source) -> Document:
    title = f"Informe de consistencia de los datos, {src.period_title}"
    doc = Document(meta(src, "consistencia", title, src.spec.name, [("Entidad", src.spec.entity_name or src.spec.entity)]))
    doc.add(*front_matter(doc, contents=False))
    published = build_kind(src, default_kind(src.ds))
    doc.omitted = published.omitted
    found = sorted((f for f in src.findings if f.year in (None, src.year)), key=lambda f: list(ATTENTION).index(f.severity.value))
    doc.add(Heading("1. Propósito", 1))
    doc.add(Paragraph(
        f"Este informe acompaña al {_published_name(src)} para la revisión de la oficina de planeamiento. Señala, en "
        "términos sencillos, las diferencias encontradas en los documentos fuente de las cifras y los pasajes de los "
        "textos registrados que el documento publicado no reproduce. El documento publicado usa siempre la cifra que "
        "respaldan los datos; este informe no se publica con él."))
    doc.add(Heading("2. Diferencias encontradas en los documentos fuente", 1))
    if found:
        doc.add(Paragraph(f"Se encontraron {len(found)} diferencias. Cada fila dice qué hacer con ella: corregir en la "
                          "fuente, verificar con el área responsable o tomar conocimiento."))
        rows = [[Cell(ATTENTION.get(f.severity.value, "Verificar")), Cell(f.code), Cell(plain(f, src.ds))] for f in found]
        doc.add(Table(f"Diferencias en los documentos fuente de {src.spec.name}", [[Cell("Qué hacer"), Cell("Código"), Cell("Diferencia")]],
                      rows, [2.6, 2.4, 10.0], size="small", key="diferencias", source=src.vintage_spec.name))
    else:
        doc.add(Paragraph("No se encontraron diferencias: cada cifra publicada se reproduce con los valores de la fuente."))
    doc.add(Heading("3. Pasajes de los textos registrados que no se publican", 1))
    if published.omitted:
        doc.add(Paragraph("Estos pasajes citan una figura o tabla que el documento publicado no contiene, o describen una "
                          "evolución de varios años cuya serie no está registrada (solo hay valores del año evaluado). "
                          "Para publicarlos tal como están, registre los valores de esos años o ajuste el texto:"))
        doc.add(Bullets([omission(p, instead) for p, instead in published.omitted]))
    else:
        doc.add(Paragraph("Todos los textos registrados se publican completos."))
    doc.add(colophon(doc))
    doc.number()
    return doc


def omission(passage: str, instead: str) -> str:
    """A passage left out, and what the published document says in its place (… where the sentence goes on)."""
    def quoted(text: str) -> str:
        return f"«{text}{'' if text.endswith(('.', ';', ':')) else '…'}»"
    return quoted(passage) + (f"; en su lugar se publica: {quoted(instead)}" if instead else "; se omite.")


def _published_name(src: Source) -> str:
    kind = default_kind(src.ds)
    return (f"Informe de evaluación {src.period_title}" if kind == "evaluacion" else f"Reporte de seguimiento {src.period_title}")
