"""Helpers for the report page tests (no tests here): fill the report form, bring a case to
its callback through the real process, count what is stored."""

from __future__ import annotations

import io
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from engine.complaints.models import Complaint
from tests.engine.complaints.helpers import do
from tests.web.conftest import csrf_from

MAJIAYING = "xiguocheng-002"  # 西郭城镇马家营: road collapse over a water main (D07-07)
PHONE = "13800001234"


def form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "matter_id": "D07-07",
        "township_id": "xiguocheng",
        "village_id": MAJIAYING,
        "grid_id": "",
        "latitude": "",
        "longitude": "",
        "description": "村口路面塌陷，下面的水管破了",
        "reporter_phone": PHONE,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post_report(client: FlaskClient, **overrides: Any):
    token = csrf_from(client.get("/report/new").get_data(as_text=True))
    data = form(**overrides)
    data.setdefault("csrf_token", token)
    # Encoded in memory: the test client would spool a large body to a file it never closes.
    files = MultiDict([(k, v) for k, v in data.items() if k != "photos"])
    for stream, name in data.get("photos", []):
        files.add("photos", FileStorage(stream, filename=name, content_type="image/png"))
    boundary, body = encode_multipart(files)
    return client.post(
        "/report/new", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def photo(name: str = "road.png", data: bytes | None = None) -> tuple[io.BytesIO, str]:
    return io.BytesIO(png_bytes() if data is None else data), name


def complaints(app: Flask) -> list[Complaint]:
    with app.extensions["juhaoban.host"].session_factory() as db:
        return list(db.scalars(select(Complaint).order_by(Complaint.id)))


def complaint_count(app: Flask) -> int:
    with app.extensions["juhaoban.host"].session_factory() as db:
        return db.scalar(select(func.count(Complaint.id))) or 0


def stored_files(app: Flask) -> list[str]:
    uploads = app.extensions["juhaoban"].uploads_dir
    return sorted(p.name for p in uploads.iterdir()) if uploads.exists() else []


def code_of(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[-1]


def reply(app: Flask, code: str, text: str = "水管已修复，路面已恢复") -> Complaint:
    """The water supply centre signs for the case, units assist, and it replies."""
    desk = app.extensions["juhaoban"].desk
    complaint = next(c for c in complaints(app) if c.tracking_code == code)

    class Ref:
        instance_id = complaint.instance_id

    do(desk, Ref, "sign_for", {"decision": "accept"}, actor="water", group="water_supply")
    for party in ("xiguocheng", "transport"):
        do(desk, Ref, "assist", {"assist_note": "已配合"}, actor=party, group=party)
    do(desk, Ref, "handle", {"outcome": "reply", "reply_text": text}, actor="water")
    return desk.complaint(complaint.id)
