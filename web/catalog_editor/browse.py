"""Browsing the catalog: versions, a version's domains and matters (with search), a matter."""

from __future__ import annotations

from flask import abort, render_template, request

from engine.catalog_revision import open_proposals_by_matter, proposals_with_cases
from engine.catalog_store import CatalogVersionNotFound
from responsibility_catalog import Catalog, Matter, Status
from web.auth.access import current_account, roles_required
from web.catalog_editor.blueprint import bp
from web.catalog_editor.common import (
    READERS,
    STAGES,
    STATUS_TAGS,
    catalog_desk,
    unit_label,
)
from web.tenancy import current_county


def load_or_404(label: str) -> Catalog:
    try:
        return catalog_desk().catalog(label, county=current_county())
    except CatalogVersionNotFound:
        abort(404, description=f"没有清单版本“{label}”")


def suggested_label() -> str:
    """This month's label (``2026-03``), or with a suffix when it is taken."""
    today = catalog_desk().today()
    taken = {v.label for v in catalog_desk().versions(county=current_county())}
    base = f"{today.year}-{today.month:02d}"
    label, n = base, 2
    while label in taken:
        label, n = f"{base}-{n}", n + 1
    return label


@bp.get("/")
@roles_required(*READERS)
def index():
    desk = catalog_desk()
    # Work in progress first, then the list in force, then the lists it replaced.
    order = {Status.DRAFT: 0, Status.CONSULTATION: 0, Status.PUBLISHED: 1, Status.SUPERSEDED: 2}
    versions = sorted(
        desk.versions(county=current_county()),
        key=lambda v: (order[v.status], -(v.effective.toordinal() if v.effective else 0), v.label),
    )
    revisions = desk.revisions(county=current_county())
    open_proposals = sum(open_proposals_by_matter(desk.host, county=current_county()).values())
    return render_template(
        "catalog_editor/index.html",
        versions=versions,
        revisions={r.label: r for r in reversed(revisions)},
        stages=STAGES,
        tags=STATUS_TAGS,
        open_proposals=open_proposals,
        suggested=suggested_label(),
        may_edit=_may_edit(),
    )


def _may_edit() -> bool:
    account = current_account()
    return account is not None and account.role == "orgdept"


def _matches(catalog: Catalog, matter: Matter, query: str) -> bool:
    if not query:
        return True
    texts = [matter.id, matter.name, *matter.keywords, catalog.domain_of[matter.id].name]
    for rule in matter.rules:
        texts += [rule.when, rule.basis, unit_label(catalog, rule.primary)]
        texts += [unit_label(catalog, s) for s in rule.supporting]
    return any(query in t for t in texts)


@bp.get("/v/<label>/")
@roles_required(*READERS)
def version(label: str):
    catalog = load_or_404(label)
    query = (request.args.get("q") or "").strip()[:40]
    domain_id = request.args.get("domain") or ""
    domains = []
    for domain in catalog.domains:
        if domain_id and domain.id != domain_id:
            continue
        matters = [m for m in domain.matters if _matches(catalog, m, query)]
        if matters:
            domains.append((domain, matters))
    desk = catalog_desk()
    proposal_counts = open_proposals_by_matter(desk.host, county=current_county())
    return render_template(
        "catalog_editor/version.html",
        catalog=catalog,
        domains=domains,
        all_domains=catalog.domains,
        query=query,
        domain_id=domain_id,
        found=sum(len(ms) for _, ms in domains),
        proposal_counts=proposal_counts,
        editable=catalog.status is Status.DRAFT and _may_edit(),
        unit_label=lambda ref: unit_label(catalog, ref),
        tags=STATUS_TAGS,
    )


@bp.get("/v/<label>/m/<matter_id>")
@roles_required(*READERS)
def matter(label: str, matter_id: str):
    catalog = load_or_404(label)
    item = catalog.matters_by_id.get(matter_id)
    if item is None:
        abort(404, description=f"版本 {label} 中没有事项 {matter_id}")
    desk = catalog_desk()
    found = proposals_with_cases(desk.host, county=current_county(), matter_id=matter_id)
    drafts = [v.label for v in desk.versions(county=current_county()) if v.status is Status.DRAFT]
    return render_template(
        "catalog_editor/matter.html",
        catalog=catalog,
        matter=item,
        domain=catalog.domain_of[matter_id],
        proposals=found,
        drafts=drafts,
        editable=catalog.status is Status.DRAFT and _may_edit(),
        may_edit=_may_edit(),
        unit_label=lambda ref: unit_label(catalog, ref),
        tags=STATUS_TAGS,
    )
