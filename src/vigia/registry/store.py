"""Importing an extract into the data directory, all or nothing, and reading it back.

The imported extract is one DuckDB file, `registro/registro.duckdb` under the data directory. It is
built in a temporary file beside it and renamed over the previous one only when every row passed
every rule, so a refused extract leaves the previous import untouched. The directory is 0700 and the
file 0600: the person-level rows are personal data (Ley 29733). With `keep=False` only the
establishments and the aggregates for the standard dates (every month-end of the extract and its
cut-off date) are written, and no person-level row ever reaches the disk (DuckDB spills, if it must,
inside the same 0700 directory).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import threading
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

from . import extract, measures, privacy, rules, schema
from .extract import ExtractError, Issue

FILE = "registro.duckdb"
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


def directory(data_dir: Path) -> Path:
    """The registry's own folder in the data directory (created 0700)."""
    path = Path(data_dir) / "registro"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def connect(path: Path | str = ":memory:", read_only: bool = False, spill: Path | None = None,
            threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection on every core, within MEMORY_LIMIT, spilling only into `spill`."""
    config = {"threads": threads or os.cpu_count() or 1, "memory_limit": MEMORY_LIMIT, "preserve_insertion_order": True}
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


def import_extract(source: Path, data_dir: Path, keep: bool = True, cutoff: date | None = None,
                   start: date | None = None, today: date | None = None) -> ExtractInfo:
    """Check every row of the extract in `source` and, if all pass, replace the stored extract.

    Raises ExtractError (nothing stored) listing the first issues. `cutoff` (fecha de corte) defaults
    to the latest date of the stays; `start` to their earliest exit (an extract holds every stay open
    on some day since its start, so its first exit marks it), or their first entry if none left."""
    files = extract.locate(Path(source))
    home = directory(data_dir)
    with _locked(home):
        tmp = home / f".{FILE}.{os.getpid()}.tmp"
        spill = home / ".temporal"
        spill.mkdir(mode=0o700, exist_ok=True)
        digest = _Digest(files)
        try:
            con = connect(spill=spill)
            try:
                with _private(tmp):
                    con.execute(f"ATTACH '{extract.literal(tmp)}' AS destino")
                info = _load(con, files, keep, cutoff, start, today or date.today(), digest)
                con.execute("DETACH destino")
            finally:
                con.close()
            _commit(tmp, home / FILE)
        finally:
            for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
                leftover.unlink(missing_ok=True)
            _clean(spill)
    return info


def _load(con, files, keep, cutoff, start, today, digest) -> ExtractInfo:
    """Read and check in memory; write to the attached `destino` only what is kept."""
    names = {n: p.name for n, p in files.items()}
    issues, total = [], 0
    for name, table in ((schema.ESTABLISHMENTS, "establecimientos_texto"), (schema.STAYS, "estancias")):
        found, n = extract.read(con, name, files[name], table)
        issues, total = issues + found, total + n
    # Writing the person-level rows (compressing them) takes as long as checking them: do both at once.
    copy = _Background(con, "CREATE TABLE destino.estancias AS SELECT * FROM estancias") if keep and not total else None
    try:
        info = _check_and_compute(con, names, issues, total, keep, cutoff, start, today, digest, files)
    finally:
        if copy:
            copy.wait()
    for table in ("establecimientos", "extracto", "agregados"):
        con.execute(f"CREATE TABLE destino.{table} AS SELECT * FROM {table}")
    return info


def _check_and_compute(con, names, issues, total, keep, cutoff, start, today, digest, files) -> ExtractInfo:
    if not con.execute("SELECT count(*) FROM estancias").fetchone()[0] and not total:
        raise ExtractError([Issue(names[schema.STAYS], "no tiene estancias")])
    rules.prepare(con)
    found, n = rules.check(con, names, rules.establishment_rules() + rules.stay_rules(cutoff or today, cutoff is not None))
    if total + n:
        issues = sorted(issues + found, key=lambda i: (i.file != names[schema.ESTABLISHMENTS], i.line or 0))
        raise ExtractError(issues, total + n)
    con.execute("""
        CREATE TABLE establecimientos AS
        SELECT codigo, nombre, tipo, oficina_regional, ubigeo_departamento, CAST(capacidad AS INTEGER) AS capacidad,
               CAST(area_m2 AS DOUBLE) AS area_m2, CAST(desde AS DATE) AS desde
        FROM establecimientos_leidos ORDER BY codigo, desde""")
    first_exit, first_entry, last = con.execute(
        "SELECT min(egreso), min(ingreso), greatest(max(ingreso), max(egreso), max(fecha_sentencia)) FROM estancias").fetchone()
    cutoff = cutoff or last
    start = start or first_exit or first_entry
    if start > cutoff:
        raise ExtractError([Issue(names[schema.STAYS], f"el inicio ({start:%d/%m/%Y}) es posterior a la fecha de corte ({cutoff:%d/%m/%Y})")])
    dates = standard_dates(start, cutoff)
    counts = con.execute("""
        SELECT (SELECT count(DISTINCT codigo) FROM establecimientos), (SELECT count(*) FROM establecimientos),
               count(*), count(DISTINCT persona) FROM estancias""").fetchone()
    con.execute("""
        CREATE TABLE extracto (inicio DATE, fecha_corte DATE, importado TIMESTAMP, conservado BOOLEAN, sha256 VARCHAR,
            formatos VARCHAR, establecimientos INTEGER, filas_establecimientos INTEGER, estancias INTEGER, personas INTEGER,
            fechas_estandar INTEGER)""")
    formats = ", ".join(sorted({p.suffix[1:] for p in files.values()}))
    con.execute("INSERT INTO extracto VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [start, cutoff, datetime.now().replace(microsecond=0), keep, digest.hexdigest(), formats, *counts, len(dates)])
    measures.compute(con, dates)
    con.execute("CREATE TABLE agregados AS SELECT * FROM resultado")
    return _info(con.execute("SELECT * FROM extracto").fetchone())


class _Background:
    """One statement run on its own cursor in a thread, while the connection goes on with others."""

    def __init__(self, con: duckdb.DuckDBPyConnection, statement: str) -> None:
        self._error: BaseException | None = None
        self._cursor = con.cursor()
        self._thread = threading.Thread(target=self._run, args=(statement,), daemon=True)
        self._thread.start()

    def _run(self, statement: str) -> None:
        try:
            self._cursor.execute(statement)
        except BaseException as exc:  # handed to the caller by wait()
            self._error = exc

    def wait(self) -> None:
        self._thread.join()
        self._cursor.close()
        if self._error:
            raise self._error


def _info(row: tuple) -> ExtractInfo:
    return ExtractInfo(*row[:3], bool(row[3]), *row[4:])


@contextlib.contextmanager
def _private(path: Path):
    """Let DuckDB create `path` inside the block, then make it readable by its owner only (the
    directory is 0700 already, so it is never exposed in between)."""
    yield
    if path.exists():
        path.chmod(0o600)


def _commit(tmp: Path, final: Path) -> None:
    """Make the new file durable, then put it in place of the old one in one rename."""
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, final)
    fd = os.open(final.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _locked(home: Path):
    """One import at a time per data directory."""
    with open(os.open(home / ".importando", os.O_CREAT | os.O_WRONLY, 0o600), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _clean(spill: Path) -> None:
    for f in spill.glob("*"):
        f.unlink(missing_ok=True)


class _Digest:
    """SHA-256 of the extract's files, computed in a thread while DuckDB reads them."""

    def __init__(self, files: dict[str, Path]) -> None:
        self._hash = hashlib.sha256()
        self._thread = threading.Thread(target=self._run, args=(sorted(files.values()),), daemon=True)
        self._thread.start()

    def _run(self, paths: list[Path]) -> None:
        for p in paths:
            self._hash.update(p.name.encode() + b"\0")
            with p.open("rb") as f:
                while chunk := f.read(1 << 22):
                    self._hash.update(chunk)

    def hexdigest(self) -> str:
        self._thread.join()
        return self._hash.hexdigest()


class Registry:
    """The stored extract, read-only: its facts, its organisational units and its measures."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / "registro" / FILE
        if not self.path.exists():
            raise RegistryError("todavía no se importó ningún extracto del registro penitenciario "
                                "(impórtelo con: vigia registry import CARPETA)")
        with self._connect() as con:
            self.info = _info(con.execute("SELECT * FROM extracto").fetchone())

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
        keys = ("code", "name", "kind", "office", "department", "capacity", "area_m2", "since")
        return [dict(zip(keys, r)) for r in rows]
