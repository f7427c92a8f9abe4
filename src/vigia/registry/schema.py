"""The registry extract's format: files, columns, codes and the official lists they are checked against.

The extract is what INPE's Registro Penitenciario hands over: two files, each a CSV (UTF-8, comma,
header line) or a Parquet file with the same columns. Column names are Spanish because they are the
registry's own; README ("Registro penitenciario") documents them for the people who produce them.
"""

from __future__ import annotations

ESTABLISHMENTS = "establecimientos"
STAYS = "estancias"

COLUMNS = {
    ESTABLISHMENTS: ("codigo", "nombre", "tipo", "oficina_regional", "ubigeo_departamento", "capacidad", "area_m2", "desde"),
    STAYS: ("persona", "establecimiento", "sexo", "fecha_nacimiento", "ingreso", "egreso", "motivo_egreso",
            "fecha_sentencia", "delito"),
}
FORMATS = ("csv", "parquet")
# The columns of estancias an imported extract keeps: those the measures read. fecha_nacimiento and
# delito are checked but not stored, and persona is kept as a number, not the pseudonym (Ley 29733:
# personal data kept only as far as it is needed; see compact.py).
KEPT_STAY_COLUMNS = ("persona", "establecimiento", "sexo", "ingreso", "egreso", "motivo_egreso", "fecha_sentencia")

KINDS = ("EP", "EML")
SEXES = ("M", "F")
EXIT_REASONS = ("libertad", "traslado", "fallecimiento", "fuga", "otro")

# INPE's eight oficinas regionales, written as the extract must write them.
OFFICES = (
    "Norte – Chiclayo",
    "Lima",
    "Sur – Arequipa",
    "Centro – Huancayo",
    "Oriente – Huánuco",
    "Sur Oriente – Cusco",
    "Nor Oriente – San Martín",
    "Altiplano – Puno",
)

# Ubigeo codes of Peru's departments (INEI), as in shared/geo/peru_departamental_simple.geojson.
DEPARTMENTS = {
    "01": "Amazonas", "02": "Áncash", "03": "Apurímac", "04": "Arequipa", "05": "Ayacucho",
    "06": "Cajamarca", "07": "Callao", "08": "Cusco", "09": "Huancavelica", "10": "Huánuco",
    "11": "Ica", "12": "Junín", "13": "La Libertad", "14": "Lambayeque", "15": "Lima",
    "16": "Loreto", "17": "Madre de Dios", "18": "Moquegua", "19": "Pasco", "20": "Piura",
    "21": "Puno", "22": "San Martín", "23": "Tacna", "24": "Tumbes", "25": "Ucayali",
}

NATION = "PE"
