"""The penitentiary registry engine: an extract checked row by row, stored privately, and the
registry measures computed from it with DuckDB, by establishment, oficina regional, nation and sex.

Pure Python and DuckDB (no Django): the CLI (`vigia registry`) and, later, the web read it through
`import_extract`, `Registry` and the rows of `measures`. The SQL files in `sql/` define the measures.
"""

from importlib import import_module

# Loaded on first use: Django's models read the measures' names (registry.measures) at start-up,
# and that must not cost the import of DuckDB.
_WHERE = {"ExtractError": "extract", "Issue": "extract", "import_extract": "importer", "MEASURES": "measures",
          "Measure": "measures", "MeasureRow": "measures", "ExtractInfo": "store", "Registry": "store",
          "RegistryError": "store", "standard_dates": "store", "demo": "demo"}


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(name)
    module = import_module(f".{_WHERE[name]}", __name__)
    return module if name == "demo" else getattr(module, name)


__all__ = ["MEASURES", "ExtractError", "ExtractInfo", "Issue", "Measure", "MeasureRow", "Registry", "RegistryError",
           "import_extract", "standard_dates"]
