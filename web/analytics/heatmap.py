"""Heat map page, its map data (the county's GeoJSON) and the cases behind a filter."""

from __future__ import annotations

import json
from datetime import datetime

from flask import abort, current_app, redirect, render_template, request

from analytics import HeatFilter, heat_cases, heatmap_of
from analytics.periods import last_complete_month
from web.analytics.blueprint import LEADERS, bp
from web.analytics.heat_cache import heat_cache
from web.analytics.periods import presets, requested_period
from web.auth.access import roles_required
from web.county_map import is_url, map_source, read_map
from web.form_input import page_number
from web.platform import current_desks
from web.reference_data import current_catalog
from web.tenancy import current_county

CASES_PAGE = 30


def _requested_heat(now: datetime) -> HeatFilter:
    """The heat-map filter of this request: its period (the last complete month unless
    asked, so a few days of this month are never compared with full months) and the domain,
    matter and township chosen."""
    return HeatFilter(
        requested_period(now, default=last_complete_month(now)),
        domain=request.args.get("domain") or None,
        matter_id=request.args.get("matter") or None,
        township_id=request.args.get("township") or None,
    )


@bp.get("/heatmap")
@roles_required(*LEADERS)
def heatmap():
    host = current_desks().host
    now = host.clock.now()
    heat = _requested_heat(now)
    county = current_county()
    catalog = current_catalog(county)
    if catalog is None:
        abort(503, description="没有生效的责任清单")

    def compute():
        return heatmap_of(host, county=county, heat=heat, catalog=catalog)

    data = heat_cache().get((county, heat, catalog.label), now, compute)
    source = map_source()
    external = is_url(source)
    township = catalog.organisation.townships_by_id.get(heat.township_id or "")
    grid_names = {
        g.id: f"{v.name}{g.name}" for v in (township.villages if township else ()) for g in v.grids
    }
    return render_template(
        "analytics/heatmap.html",
        presets=presets(now),
        grid_names=grid_names,
        period=heat.period,
        heat=heat,
        data=data,
        catalog=catalog,
        township=township,
        map_url=source if external else "/analytics/heatmap/county.geojson",
        schematic=not source,
    )


@bp.get("/heatmap/county.geojson")
@roles_required(*LEADERS)
def county_map():
    source = map_source()
    if is_url(source):
        return redirect(source)
    return current_app.response_class(
        json.dumps(read_map(), ensure_ascii=False),
        mimetype="application/geo+json",
        headers={"Cache-Control": "max-age=3600"},
    )


@bp.get("/cases")
@roles_required(*LEADERS)
def cases():
    """The cases behind a heat-map figure (a matter, a township, a domain, a period)."""
    host = current_desks().host
    now = host.clock.now()
    heat = _requested_heat(now)
    page = page_number()
    county = current_county()
    found = heat_cases(host, county=county, heat=heat, page=page, per_page=CASES_PAGE)
    catalog = current_catalog(county)
    matter = catalog.matters_by_id.get(heat.matter_id or "") if catalog else None
    township = catalog.organisation.townships_by_id.get(heat.township_id or "") if catalog else None
    return render_template(
        "analytics/cases.html",
        presets=presets(now),
        catalog=catalog,
        period=heat.period,
        heat=heat,
        rows=found.rows,
        total=found.total,
        page=page,
        per_page=CASES_PAGE,
        matter=matter,
        township=township,
    )
