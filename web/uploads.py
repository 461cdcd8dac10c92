"""Photo uploads: limited in bytes and in pixels, checked to be images, stored outside the web
root under generated names."""

from __future__ import annotations

import io
import re
import secrets
from collections.abc import Iterable
from pathlib import Path

from flask import Response, send_file
from PIL import Image, UnidentifiedImageError
from werkzeug.datastructures import FileStorage

from engine.errors import FieldErrors

MAX_PHOTO_BYTES = 5 * 1024 * 1024
# A phone photo that fits in 5 MB has far fewer pixels; more is a file built to be small on the
# wire and huge once decoded (a 20000×20000 PNG of one colour is 48 KB and 400 Mpx).
MAX_PHOTO_PIXELS = 40_000_000
# Pillow's own guard at the same figure: nothing in this process decodes more than we accept
# (it warns above the figure and refuses above twice it; both are refusals here).
Image.MAX_IMAGE_PIXELS = MAX_PHOTO_PIXELS
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
        # Lazy: reads the header (format and size), decodes nothing until verify().
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            width, height = image.size
            if width * height > MAX_PHOTO_PIXELS:
                raise UploadRejected(field, _too_many_pixels(label, f"{width}×{height} 像素"))
            image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
        # Raised by Image.open itself (the warning too, where warnings are errors).
        found = re.search(r"\((\d+) pixels\)", str(err))
        size = f"约 {int(found.group(1)) // 10_000} 万像素" if found else ""
        raise UploadRejected(field, _too_many_pixels(label, size)) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise UploadRejected(field, f"“{label}”不是图片（只接受 JPEG、PNG、WebP、GIF）") from None
    if kind not in FORMATS:
        raise UploadRejected(field, f"“{label}”的图片格式 {kind} 不被接受")
    return data, FORMATS[kind]


def _too_many_pixels(label: str, size: str) -> str:
    limit = f"单张照片不超过 {MAX_PHOTO_PIXELS // 10_000} 万像素"
    return f"“{label}”尺寸过大（{size}），{limit}" if size else f"“{label}”尺寸过大，{limit}"


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


def send_photo(path: Path) -> Response:
    """A stored photo for the signed-in or verified person who may see it.

    Photos show people, houses and plates: a browser may keep one for an hour, a shared
    cache (a proxy in a township office) must not keep it at all.
    """
    response = send_file(path, max_age=3600)
    response.cache_control.public = False
    response.cache_control.private = True
    return response
