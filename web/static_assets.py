"""Static files served small and cached (ADR 0017).

Text assets (scripts, style sheets, JSON, SVG) go out gzip-compressed to every browser that
accepts it. Each file is compressed once, at its first request, into the instance folder under
its content hash, so the same bytes are never compressed twice, a changed file gets a new
entry, and several web processes share the result. Nothing is compressed per request.

A URL that names what it serves exactly -- ``/static/app.css?v=<content hash>`` or
``/vendor/bpmn-js@18.31.1/...`` -- may be kept by the browser for a year without asking again
(``immutable``): a new file gets a new URL. Anything else carries an ETag and must be
revalidated (``no-cache``), which costs a 304 and no body. Pages are never served from a cache
without asking: they carry the CSRF token and the signed-in person's data.

HTML pages are not compressed: a page that mixes a secret (the CSRF token) with text an
attacker can put into it, compressed over TLS, leaks the secret to BREACH-style length
measurements; the pages are small, the assets are not.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import mimetypes
import os
import threading
from pathlib import Path

from flask import Flask, abort, current_app, request, send_file
from werkzeug.security import safe_join
from werkzeug.wrappers import Response

log = logging.getLogger(__name__)

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
PAGES = "private, no-cache"
COMPRESSIBLE = frozenset({".js", ".css", ".json", ".svg", ".map", ".txt", ".xml"})
MIN_COMPRESS_BYTES = 1024  # below this the gzip header eats most of the gain
HASH_LENGTH = 12

_fingerprints: dict[Path, tuple[tuple[int, int], str]] = {}
_lock = threading.Lock()


def fingerprint(path: Path) -> str:
    """The SHA-256 of the file's content, computed again only when its size or mtime change."""
    stat = path.stat()
    key = (stat.st_mtime_ns, stat.st_size)
    cached = _fingerprints.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    with path.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    with _lock:
        _fingerprints[path] = (key, digest)
    return digest


def version_tag(path: Path) -> str:
    """The short content hash that goes into a static file's URL (``?v=``)."""
    return fingerprint(path)[:HASH_LENGTH]


def _accepts_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0


def _gzipped(path: Path, digest: str) -> Path | None:
    """The precompressed copy of ``path`` (made now if missing), or None if the instance
    folder cannot take it -- then the file goes out uncompressed, which is slower, not wrong."""
    cache_dir: Path = current_app.config["STATIC_CACHE_DIR"]
    target = cache_dir / f"{digest}.gz"
    if target.is_file():
        return target
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        # mtime=0: the same file always gives the same bytes, whichever process made them.
        data = gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
        # Another process may write the same entry at the same moment: write aside, then
        # rename, so no reader ever sees half a file.
        partial = cache_dir / f"{digest}.{os.getpid()}.{threading.get_ident()}.part"
        partial.write_bytes(data)
        os.replace(partial, target)
    except OSError as err:
        log.warning("cannot store the compressed copy of %s in %s: %s", path, cache_dir, err)
        return None
    return target


def send_asset(path: Path, *, immutable: bool) -> Response:
    """``path`` as a response: gzip if the client accepts it and it pays, the caching the
    URL allows, and a content-hash ETag so a revalidation is a 304 without a body."""
    digest = fingerprint(path)
    mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    compressible = path.suffix in COMPRESSIBLE and path.stat().st_size >= MIN_COMPRESS_BYTES
    compressed = _gzipped(path, digest) if compressible and _accepts_gzip() else None
    last_modified = path.stat().st_mtime
    if compressed is not None:
        response = send_file(
            compressed,
            mimetype=mimetype,
            etag=f"{digest[:32]}-gzip",
            last_modified=last_modified,
            conditional=True,
        )
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = send_file(
            path, mimetype=mimetype, etag=digest[:32], last_modified=last_modified, conditional=True
        )
    if compressible:  # the same URL has two bodies: caches must key on the request's header
        response.vary.add("Accept-Encoding")
    response.headers["Cache-Control"] = IMMUTABLE if immutable else REVALIDATE
    response.headers.pop("Expires", None)
    return response


def _static(filename: str) -> Response:
    """Flask's ``static`` endpoint, with compression and content-hash caching."""
    folder = current_app.static_folder
    found = safe_join(folder, filename) if folder else None
    if found is None or not os.path.isfile(found):
        abort(404)
    path = Path(found)
    # Only the current content's hash earns a year: a page cached before an upgrade may
    # still ask for an old ``v``, and gets today's file, revalidated.
    requested = request.args.get("v")
    return send_asset(path, immutable=requested is not None and requested == version_tag(path))


def _hash_static_urls(endpoint: str, values: dict[str, object]) -> None:
    """Every ``url_for('static', filename=...)`` gets ``?v=<content hash>``: templates need
    nothing special, and an edited file is fetched anew because its URL changes."""
    if endpoint != "static" or "v" in values or not isinstance(values.get("filename"), str):
        return
    folder = current_app.static_folder
    # Filename was checked to be a str above
    found = safe_join(folder, values["filename"]) if folder else None  # type: ignore[arg-type]
    if found is not None and os.path.isfile(found):
        values["v"] = version_tag(Path(found))


def _pages_revalidate(response: Response) -> Response:
    if response.mimetype == "text/html" and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = PAGES
    return response


def init_app(app: Flask, cache_dir: Path) -> None:
    app.config.setdefault("STATIC_CACHE_DIR", cache_dir)
    app.view_functions["static"] = _static
    app.url_defaults(_hash_static_urls)
    app.after_request(_pages_revalidate)
