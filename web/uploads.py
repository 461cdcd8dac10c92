"""Photo uploads: limited in bytes and in pixels, checked to be images, stored outside the web
root under generated names."""

from __future__ import annotations

import io
import re
import secrets
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from flask import Response, send_file
from PIL import Image, UnidentifiedImageError
from werkzeug.datastructures import FileStorage

from engine.core import FieldErrors

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


# Photos of a refused report form wait under the form's one-time submission token (the
# token is the secret: only the page that carries it can show or send them again) until the
# form is sent successfully; the hourly maintenance job removes what nobody came back for.
PENDING_DIR = "pending"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass(frozen=True)
class CheckedPhoto:
    data: bytes
    suffix: str


def check_photos(
    uploads: Iterable[FileStorage], *, room: int = MAX_PHOTOS, field: str = "photos"
) -> tuple[list[CheckedPhoto], dict[str, str]]:
    """Each file on its own: the good ones (at most ``room`` of them) and the error of the
    first bad one or of the surplus, so a refused form can keep what was fine."""
    good: list[CheckedPhoto] = []
    errors: dict[str, str] = {}
    for upload in (u for u in uploads if u and u.filename):
        try:
            data, suffix = _check(upload, field)
        except UploadRejected as err:
            errors.setdefault(field, err.errors[field])
            continue
        if len(good) >= room:
            errors.setdefault(field, f"最多上传 {MAX_PHOTOS} 张照片，多出的没有保存")
            continue
        good.append(CheckedPhoto(data, suffix))
    return good, errors


def store_checked(photos: Iterable[CheckedPhoto], directory: Path) -> list[str]:
    directory.mkdir(parents=True, exist_ok=True)
    names = []
    for photo in photos:
        name = secrets.token_hex(16) + photo.suffix
        (directory / name).write_bytes(photo.data)
        names.append(name)
    return names


def pending_dir(directory: Path, token: str) -> Path | None:
    """Where the photos of a refused form with this token wait; ``None`` for a malformed
    token (it becomes a folder name)."""
    return directory / PENDING_DIR / token if _TOKEN.match(token or "") else None


def pending_photos(directory: Path, token: str) -> list[str]:
    """The waiting photos' names, oldest first (the order the person chose them)."""
    folder = pending_dir(directory, token)
    if folder is None or not folder.is_dir():
        return []
    named = [p for p in folder.iterdir() if photo_path(folder, p.name) is not None]
    return [p.name for p in sorted(named, key=lambda p: (p.stat().st_mtime_ns, p.name))]


def pending_photo(directory: Path, token: str, name: str) -> Path | None:
    folder = pending_dir(directory, token)
    return photo_path(folder, name) if folder is not None else None


def keep_pending(directory: Path, token: str, photos: Iterable[CheckedPhoto]) -> list[str]:
    folder = pending_dir(directory, token)
    if folder is None:
        return []
    return store_checked(photos, folder)


def drop_pending(directory: Path, token: str, names: Iterable[str] | None = None) -> None:
    """Remove the named waiting photos, or all of them (and the folder) when ``names`` is
    ``None``."""
    folder = pending_dir(directory, token)
    if folder is None or not folder.is_dir():
        return
    for name in pending_photos(directory, token) if names is None else names:
        path = photo_path(folder, name)
        if path is not None:
            path.unlink(missing_ok=True)
    if names is None or not any(folder.iterdir()):
        shutil.rmtree(folder, ignore_errors=True)


def adopt_pending(directory: Path, token: str) -> list[str]:
    """Copies of the waiting photos among the stored ones (new names), for the report that
    is about to be submitted; the originals stay until it is committed."""
    folder = pending_dir(directory, token)
    if folder is None:
        return []
    directory.mkdir(parents=True, exist_ok=True)
    names = []
    for name in pending_photos(directory, token):
        new = secrets.token_hex(16) + Path(name).suffix
        shutil.copyfile(folder / name, directory / new)
        names.append(new)
    return names


def move_pending(directory: Path, old: str, new: str) -> None:
    """A form given a fresh token keeps its waiting photos."""
    source, target = pending_dir(directory, old), pending_dir(directory, new)
    if source is not None and target is not None and source.is_dir() and not target.exists():
        source.rename(target)
