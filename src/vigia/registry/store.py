"""The stored extract: where it lives, how DuckDB is opened on it, and reading it back.

The imported extract is one DuckDB file, `registro/registro.duckdb` under the data directory (see
`importer`): tables establecimientos, extracto (its facts), agregados (every measure on the standard
dates) and, when kept, estancias. `Registry` is what the CLI and the web read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import duckdb

from . import measures, privacy, schema

FILE = "registro.duckdb"
UNIT_KEYS = ("code", "name", "kind", "office", "department", "capacity", "area_m2", "since")
MEMORY_LIMIT = "1GB"


class RegistryError(Exception):
    """A request the stored extract cannot answer (none imported, date outside it…), said in Spanish."""


@dataclass(frozen=True)
class ExtractInfo:
    """What is loaded: the extract's span, its size, its fingerprint and whether persons were kept."""

    start: date
    cutoff: date
    imported: datetime
    kept: bool
    sha256: str
    formats: str
    establishments: int
    establishment_rows: int
    stays: int
    persons: int
    standard_dates: int

    @classmethod
    def from_row(cls, row: tuple) -> ExtractInfo:
        """From the single row of the table extracto."""
        return cls(*row[:3], bool(row[3]), *row[4:])


@lru_cache(maxsize=4)
def _opened(data_dir: Path, inode: int, mtime_ns: int) -> Registry:
    return Registry(data_dir)


def directory(data_dir: Path) -> Path:
    """The registry's own folder in the data directory (created 0700)."""
    path = Path(data_dir) / "registro"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def connect(path: Path | str = ":memory:", read_only: bool = False, spill: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection on every core, within MEMORY_LIMIT, spilling only into `spill`."""
    config = {"threads": os.cpu_count() or 1, "memory_limit": MEMORY_LIMIT, "preserve_insertion_order": True}
    if spill:
        config["temp_directory"] = str(spill)
    con = duckdb.connect(str(path), read_only=read_only, config=config)
    con.execute("SET enable_progress_bar = false")
    return con


def standard_dates(start: date, cutoff: date) -> list[date]:
    """Every month-end from `start` to `cutoff`, and `cutoff` itself: the dates computed at import."""
    dates, year, month = [], start.year, start.month
    while True:
        nxt = date(year + month // 12, month % 12 + 1, 1)
        end = date.fromordinal(nxt.toordinal() - 1)
        if end > cutoff:
            break
        dates.append(end)
        year, month = nxt.year, nxt.month
    return dates + ([cutoff] if cutoff not in dates else [])


class Registry:
    """The stored extract, read-only: its facts, its organisational units and its measures."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / "registro" / FILE
        if not self.path.exists():
            raise RegistryError("todavía no se importó ningún extracto del registro penitenciario "
                                "(impórtelo con: vigia registry import CARPETA)")
        with self._connect() as con:
            self.info = ExtractInfo.from_row(con.execute("SELECT * FROM extracto").fetchone())

    @classmethod
    def open(cls, data_dir: Path) -> Registry:
        """The stored extract, its facts read once per import (an import puts a new file in place:
        another inode), for servers that open it on every request."""
        path = Path(data_dir) / "registro" / FILE
        try:
            stat = path.stat()
        except FileNotFoundError:
            return cls(data_dir)  # says, in Spanish, that none was imported
        return _opened(Path(data_dir), stat.st_ino, stat.st_mtime_ns)

    def _connect(self) -> duckdb.DuckDBPyConnection:
        return connect(self.path, read_only=True)

    def standard_dates(self) -> list[date]:
        return standard_dates(self.info.start, self.info.cutoff)

    def measures(self, dates: list[date], names: list[str] | None = None, scopes: list[str] | None = None,
                 code: str | None = None, sex: str | None = None, public: bool = False) -> list[measures.MeasureRow]:
        """The rows of `names` (default all) on `dates` for `scopes` (default all), optionally one unit
        `code` and one `sex` ('' for both); stored figures for the standard dates, computed from the
        kept person-level rows for any other date of the span. `public` applies the suppression of
        cells under 5 persons (see `privacy`)."""
        unknown = [n for n in names or [] if n not in measures.BY_NAME]
        if unknown:
            raise RegistryError(f"medida desconocida «{unknown[0]}» (medidas: {', '.join(measures.BY_NAME)})")
        outside = [d for d in dates if not self.info.start <= d <= self.info.cutoff]
        if outside:
            raise RegistryError(f"la fecha {outside[0]:%d/%m/%Y} está fuera del extracto, que va del "
                                f"{self.info.start:%d/%m/%Y} al {self.info.cutoff:%d/%m/%Y}")
        stored = set(self.standard_dates())
        with self._connect() as con:
            if set(dates) <= stored:
                table = "agregados"
            elif not self.info.kept:
                missing = sorted(set(dates) - stored)[0]
                raise RegistryError(f"el extracto se descartó tras el cálculo: solo hay cifras a fin de cada mes y a la fecha "
                                    f"de corte, no del {missing:%d/%m/%Y} (vuelva a importarlo sin --discard para otras fechas)")
            else:
                measures.compute(con, dates, names)
                table = "resultado"
            # Public rows are suppressed as a whole table first: a filtered view must not show a cell
            # that the complete table hides to protect a neighbour.
            where = {"scopes": None, "code": None, "sex": None} if public else {"scopes": scopes or None, "code": code, "sex": sex}
            found = con.execute(f"""
                SELECT * FROM {table}
                WHERE date IN (SELECT unnest($dates::DATE[])) AND ($names IS NULL OR list_contains($names, measure))
                  AND ($scopes IS NULL OR list_contains($scopes, scope)) AND ($code IS NULL OR code = $code)
                  AND ($sex IS NULL OR sex = $sex)
                ORDER BY rowid""", {"dates": dates, "names": names or None, **where}).fetchall()
        rows = measures.rows(found)
        if not public:
            return rows
        return [r for r in privacy.suppress(rows) if (not scopes or r.scope in scopes) and code in (None, r.code) and sex in (None, r.sex)]

    def series(self, measure: str, scope: str = "nation", code: str = schema.NATION, sex: str = "") -> list[measures.MeasureRow]:
        """The monthly series of one measure for one unit and sex (the stored standard dates)."""
        return self.measures(self.standard_dates(), [measure], [scope], code, sex)

    def establishment_rows(self) -> list[dict]:
        """Every row of establecimientos (one per establishment and `desde`): units over time."""
        with self._connect() as con:
            rows = con.execute("""
                SELECT codigo, nombre, tipo, oficina_regional, ubigeo_departamento, capacidad, area_m2, desde
                FROM establecimientos ORDER BY codigo, desde""").fetchall()
        return [dict(zip(UNIT_KEYS, r)) for r in rows]

    def units(self, on: date | None = None) -> list[dict]:
        """Establishments in operation on `on` (default the cut-off date) with the row in force then:
        code, name, kind, office, department (ubigeo), capacity and area — the org-unit hierarchy."""
        on = on or self.info.cutoff
        with self._connect() as con:
            rows = con.execute("""
                SELECT codigo, nombre, tipo, oficina_regional, ubigeo_departamento, capacidad, area_m2, desde
                FROM establecimientos WHERE desde <= $d
                QUALIFY row_number() OVER (PARTITION BY codigo ORDER BY desde DESC) = 1
                ORDER BY codigo""", {"d": on}).fetchall()
        return [dict(zip(UNIT_KEYS, r)) for r in rows]
