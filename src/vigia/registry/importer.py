"""Importing an extract into the data directory: all or nothing, private, durable.

The new extract is read and checked in memory and written into a temporary DuckDB file beside the
stored one, which it replaces in one rename only when every row passed every rule: a refused extract
leaves the previous import untouched. The directory is 0700 and the file 0600, for the person-level
rows are personal data (Ley 29733); of them, only the columns the measures read are kept
(schema.KEPT_STAY_COLUMNS). With `keep=False` only the establishments, the extract's facts and the
aggregates of its standard dates (every month-end and the cut-off date) are written: no person-level
row reaches the disk (DuckDB spills, if it must, inside the same 0700 directory).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import threading
from datetime import date, datetime
from pathlib import Path

import duckdb

from . import compact, extract, measures, rules, schema, store
from .extract import ExtractError, Issue
from .store import ExtractInfo


def import_extract(source: Path, data_dir: Path, keep: bool = True, cutoff: date | None = None,
                   start: date | None = None) -> ExtractInfo:
    """Check every row of the extract in `source` and, if all pass, replace the stored extract.

    Raises ExtractError (nothing stored) listing the first issues. `cutoff` (fecha de corte) defaults
    to the latest date of the stays; `start` to their earliest exit (an extract holds every stay open
    on some day since its start, so its first exit marks it), or their first entry if none left."""
    files = extract.locate(Path(source))
    home = store.directory(data_dir)
    with _locked(home):
        tmp = home / f".{store.FILE}.{os.getpid()}.tmp"
        spill = home / ".temporal"
        spill.mkdir(mode=0o700, exist_ok=True)
        digest = _Digest(files)
        try:
            con = store.connect(spill=spill)
            try:
                with _private(tmp):
                    con.execute(f"ATTACH '{extract.literal(tmp)}' AS destino")
                info = _load(con, files, keep, cutoff, start, digest)
                con.execute("DETACH destino")
            finally:
                con.close()
            _commit(tmp, home / store.FILE)
        finally:
            for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
                leftover.unlink(missing_ok=True)
            _clean(spill)
    return info


def _load(con, files: dict[str, Path], keep: bool, cutoff: date | None, start: date | None, digest: _Digest) -> ExtractInfo:
    """Read and check in memory; write to the attached `destino` only what is kept."""
    names = {n: p.name for n, p in files.items()}
    found, total = extract.read(con, schema.ESTABLISHMENTS, files[schema.ESTABLISHMENTS], "establecimientos_texto")
    compact.declare(con, "establecimientos_texto")
    issues, n = extract.read(con, schema.STAYS, files[schema.STAYS], compact.RAW, compact.DERIVED)
    issues, total = found + issues, total + n
    persons = compact.key(con)
    # Writing the person-level rows (compressing them) takes about as long as checking them: both at once.
    copy = _Background(con, "CREATE TABLE destino.estancias AS SELECT * FROM estancias") if keep and not total else None
    try:
        found, n = _check(con, names, cutoff)
        if total + n:
            issues = sorted(issues + found, key=lambda i: (i.file != names[schema.ESTABLISHMENTS], i.line or 0))
            raise ExtractError(issues, total + n)
        info = _compute(con, files, keep, cutoff, start, digest, persons)
    finally:
        if copy:
            copy.wait()
    for table, source in (("establecimientos", "establecimientos"), ("extracto", "extracto"), ("agregados", "resultado")):
        con.execute(f"CREATE TABLE destino.{table} AS SELECT * FROM {source}")
    return info


def _check(con, names: dict[str, str], cutoff: date | None) -> tuple[list[Issue], int]:
    if not con.execute(f"SELECT count(*) FROM {compact.RAW}").fetchone()[0]:
        return [Issue(names[schema.STAYS], "no tiene estancias")], 1
    rules.prepare(con)
    return rules.check(con, names, rules.establishment_rules() + rules.stay_rules(cutoff or date.today(), cutoff is not None))


def _compute(con, files: dict[str, Path], keep: bool, cutoff: date | None, start: date | None, digest: _Digest,
             persons: int) -> ExtractInfo:
    """The typed establishments, the extract's facts and the aggregates of its standard dates."""
    names = {n: p.name for n, p in files.items()}
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
    dates = store.standard_dates(start, cutoff)
    counts = con.execute(f"""
        SELECT (SELECT count(DISTINCT codigo) FROM establecimientos), (SELECT count(*) FROM establecimientos),
               count(*), {persons} FROM {compact.RAW}""").fetchone()
    con.execute("""
        CREATE TABLE extracto (inicio DATE, fecha_corte DATE, importado TIMESTAMP, conservado BOOLEAN, sha256 VARCHAR,
            formatos VARCHAR, establecimientos INTEGER, filas_establecimientos INTEGER, estancias INTEGER, personas INTEGER,
            fechas_estandar INTEGER)""")
    formats = ", ".join(sorted({p.suffix[1:] for p in files.values()}))
    con.execute("INSERT INTO extracto VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [start, cutoff, datetime.now().replace(microsecond=0), keep, digest.hexdigest(), formats, *counts, len(dates)])
    measures.compute(con, dates)
    return ExtractInfo.from_row(con.execute("SELECT * FROM extracto").fetchone())


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
