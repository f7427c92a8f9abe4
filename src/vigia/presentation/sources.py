"""Sources as people cite them: the document's name instead of the seed id it was transcribed from.

The datasets record where each figure comes from as "<seed id> <place>" ("003 matriz 2024",
"002 Tabla 7"); the id names a report edition (``vintages[].seed`` in plan.yaml). Citizens and
signed documents read the edition's name and the place in it.
"""

from __future__ import annotations

import re

from vigia.datasets import Dataset

_ALERT_NOTE = re.compile(r"\bAlerta [a-d] \((\d{3})\)")  # "Alerta a (003): …" → "<document>: …"
_CITATION = re.compile(r"\b(\d{3})( (?:matriz|Tabla|Figura|alerta|§|OP\.|servicios|Anexo)[^;,.:()]*?)?(?=$|[;,.:()]| publica| imprime| lo | declara| calcula| no | \()")


def documents(ds: Dataset) -> dict[str, str]:
    """Seed id → the name of the document it is (the report edition's name)."""
    return {v.seed[:3]: v.name for v in ds.spec.vintages if v.seed}


def cite(source: str, ds: Dataset) -> str:
    """ "003 matriz 2024" → "Reporte de seguimiento 2024 (formato CEPLAN), matriz 2024"; other sources unchanged."""
    return replace_citations(source, ds)


def replace_citations(text: str, ds: Dataset) -> str:
    """Every "<seed id> <place>" inside a sentence written as the document's name and the place."""
    names = documents(ds)

    def named(m: re.Match) -> str:
        name = names.get(m.group(1))
        if name is None:
            return m.group(0)
        place = (m.group(2) or "").strip()
        return f"{name}, {place}" if place else name

    text = _ALERT_NOTE.sub(lambda m: names.get(m.group(1), m.group(0)), text or "")
    return _CITATION.sub(named, text)
