"""An uploaded plan workbook kept between its preview and its confirmation.

The file waits in the data folder under a random token that only the uploader's session knows;
confirming reads it again (nothing from the preview page is trusted) and removes it.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

KEY = "vigia_pending_plans"
MAX_AGE = 24 * 3600


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "planes-pendientes"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.xlsx"):
        if time.time() - old.stat().st_mtime > MAX_AGE:
            old.unlink(missing_ok=True)
    return folder


def keep(request, upload, meta: dict) -> str:
    """Store ``upload`` for this session; returns the token the confirmation form carries."""
    token = secrets.token_urlsafe(16)
    upload.seek(0)
    (_folder() / f"{token}.xlsx").write_bytes(upload.read())
    request.session[KEY] = {**request.session.get(KEY, {}), token: meta}
    return token


def take(request, token: str) -> tuple[SimpleUploadedFile, dict] | None:
    """The kept upload and its details, or None when the token is not this session's (or expired)."""
    meta = request.session.get(KEY, {}).get(token or "")
    path = _folder() / f"{token}.xlsx"
    if meta is None or not path.is_file():
        return None
    return SimpleUploadedFile(meta.get("name", "plan.xlsx"), path.read_bytes()), meta


def drop(request, token: str) -> None:
    kept = request.session.get(KEY, {})
    kept.pop(token, None)
    request.session[KEY] = kept
    (_folder() / f"{token}.xlsx").unlink(missing_ok=True)
