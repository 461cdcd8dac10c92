"""Resolve an Open311 location (lat+long, address_string or address_id) to a village."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request

from responsibility_catalog import Organisation
from rules.locating import locate, match_address
from web.county_map import township_polygons
from web.open311.checks import fail


@dataclass(frozen=True)
class Location:
    village_id: str
    latitude: float | None
    longitude: float | None


def _number(fmt: str, name: str) -> float:
    raw = request.form.get(name, "").strip()
    try:
        value = float(raw)
    except ValueError:
        fail(fmt, 400, f"{name} 应为十进制度数（WGS84），收到“{raw[:40]}”")
    if value != value or value in (float("inf"), float("-inf")):
        fail(fmt, 400, f"{name} 应为有限的数")
    return value


def resolve(fmt: str, organisation: Organisation) -> Location:
    form = request.form
    lat_given, long_given = bool(form.get("lat", "").strip()), bool(form.get("long", "").strip())
    if lat_given or long_given:
        if not (lat_given and long_given):
            fail(fmt, 400, "lat 与 long 须同时提供")
        lat, lon = _number(fmt, "lat"), _number(fmt, "long")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            fail(fmt, 400, "lat 应在 -90 到 90 之间，long 应在 -180 到 180 之间")
        found = locate(lat, lon, areas=township_polygons(), organisation=organisation)
        if found is None:
            county = organisation.county.get("name", "本县")
            fail(fmt, 400, f"位置（{lat}, {lon}）不在{county}范围内，本平台只受理{county}的诉求")
        return Location(found.village_id, lat, lon)
    if address_id := form.get("address_id", "").strip():
        if address_id not in organisation.villages_by_id:
            fail(fmt, 400, f"address_id {address_id[:64]} 不是本县的村（社区）编号")
        return Location(address_id, None, None)
    if address := form.get("address_string", "").strip():
        matches = match_address(address, organisation)
        if len(matches) != 1:
            names = "、".join(organisation.villages_by_id[v].name for v in matches[:5])
            fail(
                fmt,
                400,
                f"address_string“{address[:80]}”"
                + (
                    f"对应多个村（社区）：{names}，请写明乡镇"
                    if matches
                    else "未能对应到本县的村（社区）"
                )
                + "；也可以改用 lat/long 或 address_id",
            )
        return Location(matches[0], None, None)
    fail(fmt, 400, "缺少位置：请提供 lat 和 long、address_string 或 address_id 之一")
