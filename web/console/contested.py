"""Contested cases (adjudicate): the unit's return beside the catalog rule, earlier cases
of the same matter, and the ruling form."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request

from engine.complaints import QueueItem, console_task, contested_cases, contested_history
from engine.intake import determine_page_for
from web.auth.access import roles_required
from web.console.blueprint import bp, form_page
from web.console.units import catalog_named, cited_rule, unit_groups
from web.console.views import PAGE, adopted, page_number, takes_matter
from web.platform import current_platform
from web.tenancy import current_county


@bp.get("/contested")
@roles_required("dispatcher", "dispatch_lead")
def contested():
    page = page_number()
    total, cases = contested_cases(
        current_platform().host, county=current_county(), limit=PAGE, offset=(page - 1) * PAGE
    )
    return render_template(
        "console/contested.html", cases=cases, total=total, page=page, per_page=PAGE
    )


@bp.get("/contested/<task_id>")
@roles_required("dispatcher", "dispatch_lead")
def contested_case(task_id: str):
    item = console_task(current_platform().host, task_id)
    if item is None or item.task_name != "adjudicate":
        abort(404, description="该争议件不存在")
    pick = request.args.get("pick", "")[:32] or None
    # Adopting a suggested matter is a correction, which goes with 改派.
    return render_contested(item, values={"ruling": "reroute"} if pick else None, pick=pick)


@form_page("adjudicate", endpoint="console.contested")
def render_contested(
    item: QueueItem,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    pick: str | None = None,
) -> str:
    complaint = item.complaint
    learns = takes_matter(item)
    platform = current_platform()
    page = determine_page_for(platform.host, complaint, pick=pick, registry=platform.desk.catalogs)
    found = contested_history(platform.host, complaint)
    history = found.returns
    catalog = catalog_named(complaint.catalog_version)
    last = history[-1] if history else None
    return render_template(
        "console/contested_case.html",
        item=item,
        c=complaint,
        last=last,
        history=history,
        rulings=found.rulings,
        cited=cited_rule(last.form.get("return_basis") if last else None, catalog),
        routing=complaint.routing or {},
        earlier=found.earlier,
        units=unit_groups(),
        errors=errors or {},
        # The matter select starts empty: 不更正 keeps the case's matter.
        values=adopted(page.picked, values, None),
        suggest=page,
        learns=learns,
    )
