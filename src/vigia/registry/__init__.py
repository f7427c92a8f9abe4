"""The penitentiary registry engine: an extract checked row by row, stored privately, and the
registry measures computed from it with DuckDB, by establishment, oficina regional, nation and sex.

Pure Python and DuckDB (no Django): the CLI (`vigia registry`) and, later, the web read it through
`import_extract`, `Registry` and the rows of `measures`. The SQL files in `sql/` define the measures.
"""

from .extract import ExtractError, Issue
from .importer import import_extract
from .measures import MEASURES, Measure, MeasureRow
from .store import ExtractInfo, Registry, RegistryError, standard_dates

__all__ = ["MEASURES", "ExtractError", "ExtractInfo", "Issue", "Measure", "MeasureRow", "Registry", "RegistryError",
           "import_extract", "standard_dates"]
