"""Reading an extract's two files into DuckDB tables, with every format error named by file, line and field.

A CSV is parsed by DuckDB's reader with the column types of the format; the rows it rejects (wrong
number of fields, a date that is not a date, broken quoting or encoding) come back with their line
number, so one pass both loads and checks. Parquet files are typed already; a column written as
text is cast here, row by row. The rules that relate rows to each other live in `rules`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import duckdb

from . import schema

MAX_ISSUES = 50

# Column types as read. Codes and numbers of establecimientos stay text so that `rules` can say
# exactly what is wrong with them (a capacity of "12.5" is not silently rounded).
TYPES = {
    schema.ESTABLISHMENTS: dict.fromkeys(schema.COLUMNS[schema.ESTABLISHMENTS], "VARCHAR"),
    schema.STAYS: {"persona": "VARCHAR", "establecimiento": "VARCHAR", "sexo": "VARCHAR", "fecha_nacimiento": "DATE",
                   "ingreso": "DATE", "egreso": "DATE", "motivo_egreso": "VARCHAR", "fecha_sentencia": "DATE",
                   "delito": "VARCHAR"},
}
TYPE_WORDS = {"DATE": "no es una fecha AAAA-MM-DD", "VARCHAR": "no es un texto válido"}
REJECTS = {
    "MISSING COLUMNS": "faltan campos en la línea (cada línea lleva {n} campos separados por comas)",
    "TOO MANY COLUMNS": "sobran campos en la línea (cada línea lleva {n} campos separados por comas)",
    "UNQUOTED VALUE": "comillas mal cerradas",
    "INVALID ENCODING": "el texto no está en UTF-8",
    "LINE SIZE OVER MAXIMUM": "la línea es demasiado larga",
}


@dataclass(frozen=True)
class Issue:
    """One broken rule, where it is. `line` is the CSV line (the header is line 1) or the Parquet row."""

    file: str
    rule: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"{'fila' if self.file.endswith('.parquet') else 'línea'} {self.line}")
        if self.field:
            where.append(f"campo «{self.field}»")
        return f"{', '.join(where)}: {self.rule}"


class ExtractError(Exception):
    """The extract was refused; nothing was stored. Holds the first MAX_ISSUES issues and the total."""

    def __init__(self, issues: list[Issue], total: int | None = None) -> None:
        self.issues = issues[:MAX_ISSUES]
        self.total = len(issues) if total is None else total
        super().__init__(str(self))

    def __str__(self) -> str:
        head = f"El extracto no se importó: {self.total} error{'es' if self.total != 1 else ''}. No se guardó nada."
        more = self.total - len(self.issues)
        return "\n".join([head, *(f"  {i}" for i in self.issues), *([f"  … y {more} errores más."] if more > 0 else [])])


def locate(directory: Path) -> dict[str, Path]:
    """The file of each table in `directory`: establecimientos.csv or .parquet, and the same for estancias."""
    if not directory.is_dir():
        raise ExtractError([Issue(str(directory), "la carpeta del extracto no existe")])
    found, issues = {}, []
    for name in schema.COLUMNS:
        paths = [directory / f"{name}.{ext}" for ext in schema.FORMATS if (directory / f"{name}.{ext}").is_file()]
        if not paths:
            issues.append(Issue(f"{name}.csv", f"falta el archivo en {directory} (se espera {name}.csv o {name}.parquet)"))
        elif len(paths) > 1:
            issues.append(Issue(paths[0].name, f"hay dos versiones de la tabla ({paths[0].name} y {paths[1].name}): deje solo una"))
        else:
            found[name] = paths[0]
    if issues:
        raise ExtractError(issues)
    return found


def read(con: duckdb.DuckDBPyConnection, name: str, path: Path, table: str, derived: str = "") -> tuple[list[Issue], int]:
    """Load `path` into `table` (the format's columns, in its order, then the `derived` ones: SQL
    expressions over them, computed in the same pass) and make the view `<table>_lineas` (the same rows
    with `linea`, the CSV line or Parquet row); return the first issues of rows that could not be
    loaded, and their number. A file that cannot be loaded at all raises ExtractError."""
    header = _header(path)
    expected = schema.COLUMNS[name]
    where = 1 if path.suffix == ".csv" else None
    issues = [Issue(path.name, f"falta la columna «{c}»", line=where) for c in expected if c not in header]
    # Unknown columns are refused rather than ignored: they could carry personal data (names, DNI).
    issues += [Issue(path.name, f"columna desconocida «{c}»: el extracto solo lleva {', '.join(expected)}", line=where)
               for c in header if c not in expected]
    issues += [Issue(path.name, f"la columna «{c}» está repetida", line=where) for c in sorted({c for c in header if header.count(c) > 1})]
    if issues:
        raise ExtractError(issues)
    try:
        if path.suffix == ".csv":
            return _read_csv(con, path, table, header, TYPES[name], derived)
        return _read_parquet(con, path, table, TYPES[name], derived)
    except duckdb.Error:
        raise ExtractError([Issue(path.name, f"no se pudo leer el archivo: ¿es un {path.suffix[1:].upper()} válido en UTF-8?")]) from None


def _header(path: Path) -> list[str]:
    if path.suffix == ".parquet":
        try:
            return [r[0] for r in duckdb.sql("DESCRIBE SELECT * FROM read_parquet($p)", params={"p": str(path)}).fetchall()]
        except duckdb.Error:
            raise ExtractError([Issue(path.name, "no es un archivo Parquet legible")]) from None
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            return [c.strip() for c in next(csv.reader(f), [])]
    except UnicodeDecodeError:
        raise ExtractError([Issue(path.name, "el encabezado no está en UTF-8", line=1)]) from None


def _read_csv(con: duckdb.DuckDBPyConnection, path: Path, table: str, header: list[str], types: dict[str, str],
              derived: str) -> tuple[list[Issue], int]:
    columns = "{" + ", ".join(f"'{c}': '{types[c]}'" for c in header) + "}"
    con.execute(f"""
        CREATE TABLE {table} AS
        SELECT {_with(', '.join(types), derived)} FROM read_csv($path, columns = {columns}, header = true, auto_detect = false,
            delim = ',', quote = '"', escape = '"', strict_mode = true,
            store_rejects = true, rejects_table = '{table}_rechazos', rejects_scan = '{table}_lecturas')""",
                {"path": str(path)})
    rejected = con.execute(f"SELECT line, column_name, error_type::VARCHAR FROM {table}_rechazos ORDER BY line, column_idx").fetchall()
    issues, malformed = [], set()
    for line, column, kind in rejected:
        if kind == "CAST":
            issues.append(Issue(path.name, TYPE_WORDS[types[column]], line=line, field=column))
        elif line not in malformed:  # one message per broken line, however many fields it lacks
            malformed.add(line)
            issues.append(Issue(path.name, REJECTS.get(kind, "línea mal formada").format(n=len(header)), line=line))
    # Rows keep the file's order: row k (from 0) is line k + 2, plus the rejected lines before it.
    if not rejected:
        con.execute(f"CREATE OR REPLACE TEMP VIEW {table}_lineas AS SELECT *, rowid + 2 AS linea FROM {table}")
        return [], 0
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table}_saltos AS
        WITH rechazadas AS (
            SELECT line, row_number() OVER (ORDER BY line) AS n FROM (SELECT DISTINCT line FROM {table}_rechazos)
        )  -- n lines were rejected before the loaded row number `antes`
        SELECT line - 1 - n AS antes, max(n) AS n FROM rechazadas GROUP BY ALL""")
    con.execute(f"""
        CREATE OR REPLACE TEMP VIEW {table}_lineas AS
        SELECT r.*, r.rowid + 2 + coalesce(s.n, 0) AS linea
        FROM {table} r ASOF LEFT JOIN {table}_saltos s ON r.rowid >= s.antes""")
    return issues[:MAX_ISSUES], len(issues)


def _read_parquet(con: duckdb.DuckDBPyConnection, path: Path, table: str, types: dict[str, str], derived: str) -> tuple[list[Issue], int]:
    source = f"read_parquet('{literal(path)}', file_row_number = true)"
    actual = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM {source})").fetchall())
    recast = [c for c, t in types.items() if actual[c] != t]
    issues, total = [], 0
    if recast:
        failed = " UNION ALL ".join(f"SELECT file_row_number + 1 AS fila, '{c}' AS campo FROM {source} "
                                    f"WHERE {c} IS NOT NULL AND TRY_CAST({c} AS {types[c]}) IS NULL" for c in recast)
        found = con.execute(f"SELECT fila, campo, count(*) OVER () FROM ({failed}) ORDER BY fila LIMIT {MAX_ISSUES}").fetchall()
        issues = [Issue(path.name, TYPE_WORDS[types[c]], line=line, field=c) for line, c, _ in found]
        total = found[0][2] if found else 0
    cast = ", ".join(f"TRY_CAST({c} AS {t}) AS {c}" if c in recast else c for c, t in types.items())
    con.execute(f"CREATE TABLE {table} AS SELECT {_with('*', derived)} FROM (SELECT {cast} FROM {source})")
    con.execute(f"CREATE OR REPLACE TEMP VIEW {table}_lineas AS SELECT *, rowid + 1 AS linea FROM {table}")
    return issues, total


def _with(columns: str, derived: str) -> str:
    return f"{columns}, {derived}" if derived else columns


def literal(path: Path) -> str:
    """`path` inside a single-quoted SQL string."""
    return str(path).replace("'", "''")
