"""Photo uploads: size-limited, decoded to prove they are images, stored outside the web root
under generated names."""

from __future__ import annotations

import io
import secrets
from collections.abc import Iterable
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from werkzeug.datastructures import FileStorage

from engine.errors import FieldErrors

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 6
FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}
_NAME_CHARS = set("0123456789abcdef")


class UploadRejected(FieldErrors):
    def __init__(self, field: str, message: str) -> None:
        super().__init__({field: message})


def _check(upload: FileStorage, field: str) -> tuple[bytes, str]:
    data = upload.read(MAX_PHOTO_BYTES + 1)
    label = upload.filename or "上传的文件"
    if len(data) > MAX_PHOTO_BYTES:
        raise UploadRejected(field, f"“{label}”超过 {MAX_PHOTO_BYTES // (1024 * 1024)} MB")
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise UploadRejected(field, f"“{label}”不是图片（只接受 JPEG、PNG、WebP、GIF）") from None
    if kind not in FORMATS:
        raise UploadRejected(field, f"“{label}”的图片格式 {kind} 不被接受")
    return data, FORMATS[kind]


def save_photos(
    uploads: Iterable[FileStorage], directory: Path, *, field: str = "photos"
) -> list[str]:
    """Check every file first, then store them all; a bad file stores nothing.

    :return: the generated names (what the complaint records).
    """
    files = [u for u in uploads if u and u.filename]
    if len(files) > MAX_PHOTOS:
        raise UploadRejected(field, f"最多上传 {MAX_PHOTOS} 张照片")
    checked = [_check(upload, field) for upload in files]
    directory.mkdir(parents=True, exist_ok=True)
    names = []
    for data, suffix in checked:
        name = secrets.token_hex(16) + suffix
        (directory / name).write_bytes(data)
        names.append(name)
    return names


def photo_path(directory: Path, name: str) -> Path | None:
    """The stored file for a generated name, or ``None`` for anything else (no traversal)."""
    stem, dot, suffix = name.partition(".")
    if len(stem) != 32 or not set(stem) <= _NAME_CHARS or f".{suffix}" not in FORMATS.values():
        return None
    path = directory / name
    return path if path.is_file() else None
