"""Uploaded files kept between the preview and the confirmation.

They live in a private temporary directory (never under MEDIA_ROOT), one folder per user, under an
unguessable token: a token is only found again by the user who uploaded the file.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32)
MAX_AGE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class StoredUpload:
    token: str
    kind: str
    filename: str
    data: bytes


def upload_store(*, user, kind: str, filename: str, data: bytes) -> str:
    """Keep the file for ``user``; returns the token that names it."""
    _discard_old(_user_dir(user))
    token = secrets.token_urlsafe(32)
    folder = _user_dir(user) / token
    folder.mkdir(mode=0o700, parents=True)
    (folder / "data").write_bytes(data)
    (folder / "meta.json").write_text(json.dumps({"kind": kind, "filename": filename}), encoding="utf-8")
    return token


def upload_load(*, user, token: str) -> StoredUpload | None:
    """The file ``user`` stored under ``token``; None for a token of anybody else, expired or malformed."""
    folder = _folder(user, token)
    if folder is None or not (folder / "meta.json").is_file():
        return None
    if (folder / "meta.json").stat().st_mtime < time.time() - MAX_AGE_SECONDS:
        return None
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    return StoredUpload(
        token=token, kind=meta["kind"], filename=meta["filename"], data=(folder / "data").read_bytes()
    )


def upload_discard(*, user, token: str) -> None:
    folder = _folder(user, token)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _base_dir() -> Path:
    configured = getattr(settings, "IMPORT_UPLOAD_DIR", None)
    return Path(configured) if configured else Path(tempfile.gettempdir()) / "partycell-imports"


def _user_dir(user) -> Path:
    return _base_dir() / str(int(user.pk))


def _folder(user, token: str) -> Path | None:
    if not getattr(user, "is_authenticated", False) or not TOKEN_PATTERN.match(token or ""):
        return None
    return _user_dir(user) / token


def _discard_old(folder: Path) -> None:
    """Files left behind by previews nobody confirmed are removed a day later."""
    if not folder.is_dir():
        folder.parent.mkdir(mode=0o700, exist_ok=True)
        folder.mkdir(mode=0o700)
        return
    limit = time.time() - MAX_AGE_SECONDS
    for entry in folder.iterdir():
        if entry.stat().st_mtime < limit:
            shutil.rmtree(entry, ignore_errors=True)
