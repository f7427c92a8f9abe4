"""`vigia backup FILE` and `vigia restore FILE`: the whole installation in one archive.

The archive (tar.gz, readable by its owner only) holds what a restore needs and nothing it can
regenerate: ``manifest.json`` (format, Vigía version, migrations, row counts), ``database.json``
(every table but the regenerated ones, in Django's portable serialization, so a SQLite backup
restores into PostgreSQL and back) and ``media/`` (the evidence files). The secret key is not
included: a restored installation makes a new one (everyone logs in again; passwords stand).

The backup reads one consistent snapshot (one transaction; repeatable read on PostgreSQL). A
restore goes into an empty database (or replaces one with ``--force``): it creates the schema,
loads the rows in one transaction, checks every count against the manifest and puts the files
back. A backup of an older version restores too (its rows fit the newer schema); a newer one is
refused.
"""

from __future__ import annotations

import io
import json
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

FORMAT = 1
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]  # recreated by migrate, or logins that should expire


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, in Spanish."""


@dataclass
class Summary:
    rows: int
    files: int
    path: Path


def _counts() -> dict[str, int]:
    from django.apps import apps

    skip = {e for e in EXCLUDED if "." not in e}
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()
            if m._meta.app_label not in skip and m._meta.label.lower() not in EXCLUDED and not m._meta.proxy}


def _migrations() -> dict[str, list[str]]:
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(datetime.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def backup(target: Path) -> Summary:
    """Write the archive to ``target`` (0600); the database is read in one transaction."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction

    from vigia import __version__

    target = Path(target)
    if target.exists() and target.is_dir():
        raise BackupError(f"«{target}» es una carpeta: indique el nombre del archivo de la copia (p. ej. vigia-copia.tar.gz).")
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="vigia-backup-") as tmp:
        dump = Path(tmp) / "database.json"
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            call_command("dumpdata", natural_foreign=True, exclude=EXCLUDED, output=str(dump), verbosity=0)
            counts = _counts()
            files = sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []
            manifest = {"app": "vigia", "format": FORMAT, "version": __version__, "created": datetime.now(timezone.utc).isoformat(),
                        "database": connection.vendor, "migrations": _migrations(), "counts": counts,
                        "files": [p.relative_to(media).as_posix() for p in files]}
            partial = target.with_name(target.name + ".parcial")
            try:
                with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
                    _add(tar, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode())
                    tar.add(dump, "database.json")
                    for p in files:
                        tar.add(p, f"media/{p.relative_to(media).as_posix()}")
                partial.chmod(0o600)
                partial.replace(target)
            except OSError:
                partial.unlink(missing_ok=True)
                raise
    return Summary(sum(counts.values()), len(files), target)


def _read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(tar.extractfile("manifest.json"))
    except (KeyError, ValueError, TypeError):
        raise BackupError("El archivo no es una copia de Vigía (falta su manifiesto).") from None
    if manifest.get("app") != "vigia" or manifest.get("format") != FORMAT:
        raise BackupError("El archivo no es una copia de Vigía en un formato que esta versión sepa leer.")
    return manifest


def _media_members(tar: tarfile.TarFile) -> list[tuple[tarfile.TarInfo, PurePosixPath]]:
    """The evidence files of the archive; anything else under media/ (links, '..') is refused."""
    out = []
    for member in tar.getmembers():
        path = PurePosixPath(member.name)
        if path.parts[:1] != ("media",) or member.isdir():
            continue
        if not member.isfile() or path.is_absolute() or ".." in path.parts or len(path.parts) < 2:
            raise BackupError(f"La copia contiene una entrada no admitida: «{member.name}».")
        out.append((member, PurePosixPath(*path.parts[1:])))
    return out


def _empty_database() -> bool:
    from django.db import connection

    from vigia.core.models import Plan

    if "core_plan" not in connection.introspection.table_names():
        return True
    from django.contrib.auth import get_user_model

    return not Plan.objects.exists() and not get_user_model().objects.exists()


def _drop_everything() -> None:
    """--force: every table goes (their rows reference each other, so without constraint checks)."""
    from django.db import connection

    cascade = " CASCADE" if connection.vendor == "postgresql" else ""
    with connection.constraint_checks_disabled(), connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)}{cascade}")


def _beyond(replaced: dict[str, int]) -> None:
    """Data versions above those of the replaced data, so no cache keyed by an old version
    (another process still running) can pass for the restored data."""
    from vigia.core.models import Plan

    for code, version in replaced.items():
        Plan.objects.filter(code=code, version__lte=version).update(version=version + 1)


def _check_schema(migrations: dict[str, list[str]]) -> None:
    """A backup of this version or an older one restores (its rows fit the current schema)."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    graph = MigrationLoader(connection, ignore_no_migrations=True).graph
    unknown = [f"{app}.{name}" for app, names in migrations.items() for name in names if (app, name) not in graph.nodes]
    if unknown:
        raise BackupError("La copia es de una versión más nueva de Vigía (migraciones desconocidas: "
                          f"{', '.join(unknown[:5])}); actualice Vigía antes de restaurarla.")


def restore(source: Path, force: bool = False) -> Summary:
    """Restore ``source`` into this installation's (empty, or replaced with ``force``) database."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction
    from django.test.utils import override_settings

    source = Path(source)
    try:
        tar = tarfile.open(source, "r:gz")
    except (OSError, tarfile.TarError):
        raise BackupError(f"No se pudo leer «{source.name}» como copia de Vigía (tar.gz).") from None
    with tar, tempfile.TemporaryDirectory(prefix="vigia-restore-") as tmp:
        manifest = _read_manifest(tar)
        media_files = _media_members(tar)
        replaced: dict[str, int] = {}
        if not _empty_database():
            if not force:
                raise BackupError("La base de datos ya tiene datos: restaure en una instalación vacía (otra VIGIA_DATA_DIR o "
                                  "DATABASE_URL) o use --force para reemplazarlos (detenga antes el servidor).")
            from vigia.core.models import Plan

            replaced = dict(Plan.objects.values_list("code", "version"))
            _drop_everything()
        try:
            dump = Path(tmp) / "database.json"
            with tar.extractfile("database.json") as src, open(dump, "wb") as out:
                shutil.copyfileobj(src, out)
        except (KeyError, AttributeError):
            raise BackupError("La copia está incompleta: falta la base de datos.") from None
        _check_schema(manifest["migrations"])
        call_command("migrate", interactive=False, verbosity=0)
        with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):  # the history is restored, not rewritten
            call_command("loaddata", str(dump), verbosity=0)
            counts = _counts()
            wrong = {k: (n, counts.get(k)) for k, n in manifest["counts"].items() if counts.get(k) != n}
            if wrong:
                raise BackupError("La restauración no coincide con la copia ("
                                  + ", ".join(f"{k}: {a} en la copia, {b} restaurados" for k, (a, b) in list(wrong.items())[:5]) + ").")
            _beyond(replaced)
        media = Path(settings.MEDIA_ROOT)
        if force and media.exists():
            shutil.rmtree(media)
        for member, relative in media_files:
            path = media.joinpath(*relative.parts)
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            with tar.extractfile(member) as src, open(path, "wb") as out:
                shutil.copyfileobj(src, out)
            path.chmod(0o600)
    return Summary(sum(manifest["counts"].values()), len(media_files), source)
