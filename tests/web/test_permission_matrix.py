"""Every role against every page: who gets in (200) and who is refused (403)."""

from __future__ import annotations

import pytest

PAGES = {
    "/inbox/": {"unit_staff", "unit_lead"},
    "/inbox/assignments": {"unit_staff", "unit_lead"},
    "/console/": {"dispatcher", "dispatch_lead"},
    "/console/contested": {"dispatcher", "dispatch_lead"},
    "/console/approvals": {"dispatcher", "dispatch_lead"},
    "/console/overdue": {"dispatcher", "dispatch_lead"},
    "/console/listed": {"dispatcher", "dispatch_lead"},
    "/console/consultations": {"dispatcher", "dispatch_lead", "orgdept"},
    "/cases/mine": {"resident", "grid_worker"},
    "/analytics/": {"leader", "dispatch_lead", "orgdept", "admin"},
    "/analytics/heatmap": {"leader", "dispatch_lead", "orgdept", "admin"},
    "/analytics/rankings/": {
        "leader",
        "dispatch_lead",
        "orgdept",
        "admin",
        "unit_staff",
        "unit_lead",
    },
    "/analytics/reports/": {
        "leader",
        "dispatch_lead",
        "orgdept",
        "admin",
        "unit_staff",
        "unit_lead",
    },
    "/designer/": {"designer", "dispatcher", "dispatch_lead", "admin"},
    "/designer/versions/1": {"designer", "dispatcher", "dispatch_lead", "admin"},
    "/admin/incidents/": {"admin"},
    # Agriculture pages: the bureau's pages need the agriculture unit or the expert role,
    # which none of these accounts has (tests/web/agri covers expert, agri_lead and grower).
    "/agri/ask": {"grid_worker"},
    "/agri/mine": {"grid_worker"},
    "/agri/growers": {"grid_worker"},
    "/agri/pushes": {"leader", "admin"},
    "/agri/expert": set(),
    "/agri/push/new": set(),
    "/agri/experts": set(),
    "/notifications/": "everyone",
    "/report/new": "everyone",
}
USERS = {
    "resident": "resident",
    "gridworker": "grid_worker",
    "water": "unit_staff",
    "water_lead": "unit_lead",
    "dispatcher": "dispatcher",
    "dispatch_lead": "dispatch_lead",
    "orgdept": "orgdept",
    "designer": "designer",
    "leader": "leader",
    "admin": "admin",
}


@pytest.mark.parametrize("username", sorted(USERS))
def test_each_role_reaches_its_pages_and_no_others(login, username):
    client = login(username)
    role = USERS[username]
    outcome = {path: client.get(path).status_code for path in PAGES}
    expected = {
        path: 200 if allowed == "everyone" or role in allowed else 403
        for path, allowed in PAGES.items()
    }
    assert outcome == expected


def test_anonymous_visitors_are_sent_to_sign_in_for_staff_pages(app):
    client = app.test_client()
    for path in PAGES:
        status = client.get(path).status_code
        assert status == (200 if path == "/report/new" else 302), path
