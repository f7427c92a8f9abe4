"""Consistency findings about the official documents, in plain words for readers who never saw
the rule that found them (the portal's "Nota sobre las cifras oficiales", the Informe de
consistencia)."""

from __future__ import annotations

from vigia.datasets import Dataset
from vigia.methodology.checks import Finding

from .sources import replace_citations

LEADS = {
    "sentido_invertido": "El documento calculó este avance como si el indicador debiera subir, aunque su meta es bajar.",
    "formula_declarada": "El documento declara una fórmula de cálculo distinta de la que realmente aplicó.",
    "insumos_redondeados": "El documento imprime valores redondeados; el avance publicado se calculó con los valores exactos.",
    "publicado_sin_avance": "El documento publica una cifra para un indicador que no tenía meta programada en el año.",
    "avance_omitido": "El documento no publica un avance que sus propios valores permiten calcular.",
    "aplica_tipo_ii": "El documento publica el avance medido desde la línea de base (Tipo II) en lugar del Tipo I.",
    "no_reproducible": "El avance publicado no se obtiene a partir de los valores del propio documento.",
    "agregado_no_reproducible": "El promedio publicado no coincide con el de sus indicadores.",
    "narrativa_contradice_tabla": "El texto del documento da una cifra distinta de la de su propia tabla.",
    "sentido_vs_metas": "El sentido declarado del indicador no coincide con la evolución de sus metas.",
    "avance_atipico": "El avance es inusualmente alto; conviene verificar la meta o el valor registrado.",
    "narrativa_contradice_narrativa": "Dos pasajes del mismo documento dan cifras distintas para la misma medición.",
    "tasa_no_reproducible": "La tasa impresa no se obtiene dividiendo las cifras que el propio documento da.",
}


def plain(finding: Finding, ds: Dataset) -> str:
    """One finding as a reader understands it: what kind of problem, then the figures."""
    lead = LEADS.get(finding.rule, "")
    detail = replace_citations(finding.text, ds)
    return f"{lead} {detail}".strip()
