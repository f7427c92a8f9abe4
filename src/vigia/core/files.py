"""Files Vigía writes are readable by its service account only.

The data folder holds the SQLite database, the secret key and the evidence that entities upload:
the folder is 0700 and its files 0600 (settings.py, FILE_UPLOAD_PERMISSIONS). The server and the
command line start with a private umask, and SQLite's own files (the database and its WAL and
shared-memory files, which SQLite creates itself) are restricted whenever a connection opens.
"""

from __future__ import annotations

import os
from pathlib import Path

UMASK = 0o077


def private_umask() -> None:
    """Every file this process creates is 0600 and every folder 0700."""
    os.umask(UMASK)


def restrict_sqlite(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: the SQLite database and its -wal/-shm files are 0600."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    for path in (Path(name), Path(name + "-wal"), Path(name + "-shm")):
        try:
            if path.exists() and path.stat().st_mode & 0o077:
                path.chmod(0o600)
        except OSError:  # another process removed the WAL meanwhile
            pass
