"""The designer's instance migration page: a preview of which running complaints can move from
version 1 to a version 2 with a changed reminder (and one renamed task), a dry run that
changes nothing, a confirmed migration that moves the movable ones and audits each, and
clear Chinese refusals for bad requests and the wrong role."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from engine.core.persistence.models import AuditEvent, ProcessInstance
from engine.core.tenancy import DEFAULT_COUNTY
from tests.engine.complaints.conftest import BPMN_DIR
from tests.engine.complaints.helpers import report
from tests.web.conftest import csrf_from

URL = "/designer/processes/complaint/migrate"


def deploy_v2(app, folder: Path) -> None:
    """Version 2 of the complaint diagram: the sign-for reminder fires at the deadline
    instead of before it, and ``determine`` is renamed (cases waiting there cannot move)."""
    shutil.copytree(BPMN_DIR, folder)
    path = folder / "complaint.bpmn"
    xml = path.read_text(encoding="utf-8")
    xml = xml.replace('sign_for_deadline["remind_at"]', 'sign_for_deadline["due"]')
    xml = re.sub(r'([">])determine(["<])', r"\1determine_again\2", xml)
    path.write_text(xml, encoding="utf-8")
    app.extensions["juhaoban.host"].deploy_file(path, actor="designer")


def start_cases(app, folder: Path) -> dict[str, list[int]]:
    """Five complaints on version 1: three routed (movable), one waiting at ``determine``
    and one suspended by the operator (both blocked); then version 2 is deployed."""
    platform = app.extensions["juhaoban"]
    routed = [report(platform.desk, "D07-07", "xiguocheng-002").instance_id for _ in range(3)]
    unrouted = report(platform.desk, None, "xiguocheng-002").instance_id
    suspended = report(platform.desk, "D07-07", "xiguocheng-002").instance_id
    platform.desks.operator(DEFAULT_COUNTY).suspend(suspended, actor="admin")
    deploy_v2(app, folder)
    return {"routed": routed, "unrouted": [unrouted], "suspended": [suspended]}


@pytest.fixture
def cases(app, tmp_path) -> dict[str, list[int]]:
    return start_cases(app, tmp_path / "v2")


def versions_of(app, ids: list[int]) -> list[int]:
    with app.extensions["juhaoban.host"].session_factory() as session:
        rows = session.scalars(select(ProcessInstance).where(ProcessInstance.id.in_(ids)))
        return sorted(row.definition_id for row in rows)


def stat(page: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(\d+)<', page)
    assert match, f"no #{element_id} on the page"
    return match.group(1)


def test_the_preview_counts_by_element_and_explains_the_blocked(app, login, cases) -> None:
    page = login("designer").get(URL).get_data(as_text=True)  # defaults: 1 → 2 (current)
    # The selects count running instances; the suspended one is open but not running.
    assert re.search(r'<option value="1" selected>第 1 版 · 运行中 4 件', page)
    assert re.search(r'<option value="2" selected\s*>第 2 版 · 当前', page)
    assert (stat(page, "open-count"), stat(page, "movable-count")) == ("5", "3")
    assert stat(page, "blocked-count") == "2"
    sign_for = re.search(r'<tr data-element-id="sign_for">(.*?)</tr>', page, re.S)
    assert sign_for and "签收" in sign_for.group(1)
    assert '<td class="movable">3</td>' in sign_for.group(1)
    determine = re.search(r'<tr data-element-id="determine">(.*?)</tr>', page, re.S)
    assert determine and '<td class="blocked">1</td>' in determine.group(1)
    changed = re.search(r'id="changed-elements".*?</ul>', page, re.S)
    assert changed and 'data-element-id="sign_reminder"' in changed.group(0)
    assert "签收提醒" in changed.group(0)

    blocked = re.search(r'<div id="blocked">(.*)', page, re.S)
    assert blocked
    assert "第 2 版缺少实例用到的环节 determine" in blocked.group(1)
    assert "实例已被暂停" in blocked.group(1)
    for instance_id in cases["unrouted"] + cases["suspended"]:
        assert f'href="/designer/instances/{instance_id}"' in blocked.group(1)
    assert re.search(r'id="confirm-migrate">迁移 3 件</button>', page)
    assert versions_of(app, sum(cases.values(), [])) == [1] * 5


def test_a_dry_run_shows_the_outcome_and_changes_nothing(app, login, cases) -> None:
    client = login("designer")
    token = csrf_from(client.get(URL).get_data(as_text=True))
    response = client.post(
        URL, data={"csrf_token": token, "from": "1", "to": "2", "action": "dry_run"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "试运行：可迁移 3 件，2 件不能迁移（原因见下）；没有更改任何数据" in page
    assert versions_of(app, sum(cases.values(), [])) == [1] * 5


def test_migrating_without_the_confirmation_moves_nothing(app, login, cases) -> None:
    client = login("designer")
    token = csrf_from(client.get(URL).get_data(as_text=True))
    response = client.post(
        URL, data={"csrf_token": token, "from": "1", "to": "2", "action": "migrate"}
    )
    assert response.status_code == 400
    assert "请先勾选确认，再迁移" in response.get_data(as_text=True)
    assert versions_of(app, sum(cases.values(), [])) == [1] * 5


def test_a_confirmed_migration_moves_the_movable_and_audits_each(app, login, cases) -> None:
    client = login("designer")
    token = csrf_from(client.get(URL).get_data(as_text=True))
    response = client.post(
        URL,
        data={"csrf_token": token, "from": "1", "to": "2", "action": "migrate", "confirm": "1"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "已迁移 3 件，2 件未迁移（原因见下）" in page
    refused = re.search(r'<div id="refused">(.*)', page, re.S)
    assert refused and "实例已被暂停" in refused.group(1)
    assert versions_of(app, cases["routed"]) == [2, 2, 2]
    assert versions_of(app, cases["unrouted"] + cases["suspended"]) == [1, 1]

    history = client.get(f"/designer/instances/{cases['routed'][0]}").get_data(as_text=True)
    assert "迁移到新版本" in history and "秦设计" in history
    with app.extensions["juhaoban.host"].session_factory() as session:
        actors = session.scalars(
            select(AuditEvent.actor).where(AuditEvent.action == "instance.migrated")
        ).all()
    assert actors == ["designer"] * 3
    # The selects now count what runs where.
    again = client.get(URL + "?from=1&to=2").get_data(as_text=True)
    assert "第 1 版 · 运行中 1 件" in again and stat(again, "movable-count") == "0"
    assert 'id="confirm-migrate"' not in again and "没有可迁移到第 2 版的实例" in again


def test_only_designers_and_the_administrator_may_migrate(app, login, cases) -> None:
    assert login("admin").get(URL).status_code == 200
    dispatcher = login("dispatcher")
    assert dispatcher.get(URL).status_code == 403
    token = csrf_from(dispatcher.get("/designer/").get_data(as_text=True))
    posted = dispatcher.post(
        URL,
        data={"csrf_token": token, "from": "1", "to": "2", "action": "migrate", "confirm": "1"},
    )
    assert posted.status_code == 403 and "无权" in posted.get_data(as_text=True)
    assert versions_of(app, sum(cases.values(), [])) == [1] * 5
    version_page = dispatcher.get("/designer/versions/1").get_data(as_text=True)
    assert 'id="migrate-link"' not in version_page


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("?from=abc&to=2", 400, "源版本“abc”不是版本号"),
        ("?from=1&to=２", 400, "目标版本“２”不是版本号"),
        ("?from=2&to=2", 400, "源版本与目标版本相同（第 2 版）"),
        ("?from=1&to=9", 404, "流程 complaint 没有第 9 版"),
    ],
)
def test_bad_parameters_get_a_chinese_message(app, login, cases, query, status, message) -> None:
    response = login("designer").get(URL + query)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)


def test_unknown_process_withdrawn_target_and_missing_versions(app, login, cases) -> None:
    client = login("designer")
    unknown = client.get("/designer/processes/nosuch/migrate")
    assert unknown.status_code == 404 and "没有流程“nosuch”" in unknown.get_data(as_text=True)
    token = csrf_from(client.get(URL).get_data(as_text=True))
    missing = client.post(URL, data={"csrf_token": token, "from": "1", "action": "migrate"})
    assert missing.status_code == 400
    assert "请选择源版本和目标版本" in missing.get_data(as_text=True)

    client.post("/designer/versions/2/withdraw", data={"csrf_token": token})
    withdrawn = client.get(URL + "?from=1&to=2")
    assert withdrawn.status_code == 400
    assert "第 2 版已撤回，不能把实例迁移到该版本" in withdrawn.get_data(as_text=True)
    assert re.search(
        r'<option value="2"[^>]*disabled>第 2 版 · 已撤回', withdrawn.get_data(as_text=True)
    )
    assert versions_of(app, sum(cases.values(), [])) == [1] * 5


def test_the_version_page_links_to_the_migration(app, login, cases) -> None:
    page = login("designer").get("/designer/versions/1").get_data(as_text=True)
    link = re.search(r'<a class="button secondary" id="migrate-link" href="([^"]+)"', page)
    assert link and link.group(1) == URL + "?from=1"
    assert "迁移运行中的实例到其他版本" in page
    # Version 2 runs nothing yet: no link there.
    assert 'id="migrate-link"' not in login("designer").get("/designer/versions/2").get_data(
        as_text=True
    )


def test_deploying_offers_to_migrate_the_running_cases(app, login) -> None:
    platform = app.extensions["juhaoban"]
    for _ in range(2):
        report(platform.desk, "D07-07", "xiguocheng-002")
    client = login("designer")
    token = csrf_from(client.get("/designer/").get_data(as_text=True))
    opened = client.post("/designer/versions/1/draft", data={"csrf_token": token})
    draft_id = int(opened.headers["Location"].rsplit("/", 1)[1])
    xml = client.get(f"/designer/drafts/{draft_id}.bpmn").get_data(as_text=True)
    edited = xml.replace('sign_for_deadline["remind_at"]', 'sign_for_deadline["due"]')
    assert edited != xml
    saved = client.post(
        f"/designer/drafts/{draft_id}/save", data=edited.encode(), headers={"X-CSRF-Token": token}
    )
    assert saved.get_json()["problems"] == []

    confirm = client.get(f"/designer/drafts/{draft_id}/deploy").get_data(as_text=True)
    hint = re.search(r'<p id="migrate-hint">(.*?)</p>', confirm, re.S)
    assert hint and "部署后可把运行中的 2 件" in hint.group(1)
    assert f'href="{URL}"' in hint.group(1)

    deployed = client.post(
        f"/designer/drafts/{draft_id}/deploy",
        data={"csrf_token": token, "confirm": "1"},
        follow_redirects=True,
    )
    flash = re.search(r'<div class="flash">(.*?)</div>', deployed.get_data(as_text=True), re.S)
    assert flash and "已部署为第 2 版" in flash.group(1)
    assert "旧版本上有 2 件运行中" in flash.group(1)
    assert f'<a href="{URL}?to=2">迁移到第 2 版</a>' in flash.group(1)


def form_fields(page: str, form_id: str) -> dict[str, str]:
    form = re.search(rf'<form[^>]*id="{form_id}"(.*?)</form>', page, re.S)
    assert form, f"no #{form_id} form on the page"
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(1)))


def test_a_request_stops_at_its_time_budget_and_continuing_finishes(app, login, cases) -> None:
    # A zero budget: each request moves one instance, then stops starting new ones.
    app.config["MIGRATION_REQUEST_SECONDS"] = 0
    client = login("designer")
    token = csrf_from(client.get(URL).get_data(as_text=True))
    first = client.post(
        URL,
        data={"csrf_token": token, "from": "1", "to": "2", "action": "migrate", "confirm": "1"},
    )
    page = first.get_data(as_text=True)
    assert first.status_code == 200
    assert "已迁移 1 件，还有 4 件待迁移" in page
    assert re.search(r'id="continue-migrate">继续迁移</button>', page)
    assert 'id="all-moved"' not in page
    assert versions_of(app, cases["routed"]) == [1, 1, 2]

    # With the normal budget, "继续迁移" (the same form again) moves the rest and ends.
    app.config["MIGRATION_REQUEST_SECONDS"] = 15
    second = client.post(URL, data=form_fields(page, "continue-form"))
    done = second.get_data(as_text=True)
    assert second.status_code == 200
    assert "已迁移 2 件，2 件未迁移（原因见下）" in done
    assert 'id="continue-migrate"' not in done and "待迁移" not in done
    refused = re.search(r'<div id="refused">(.*)', done, re.S)
    assert refused and "实例已被暂停" in refused.group(1)
    assert "第 2 版缺少实例用到的环节 determine" in refused.group(1)
    assert versions_of(app, cases["routed"]) == [2, 2, 2]
    assert versions_of(app, cases["unrouted"] + cases["suspended"]) == [1, 1]

    # Continuing once more (a stale tab) moves nothing and says so.
    again = client.post(URL, data=form_fields(page, "continue-form")).get_data(as_text=True)
    assert "已迁移 0 件，2 件未迁移" in again
    assert versions_of(app, sum(cases.values(), [])) == [1, 1, 2, 2, 2]


def test_a_preview_over_its_budget_says_what_it_did_not_check(app, login, cases) -> None:
    app.config["MIGRATION_PREVIEW_SECONDS"] = 0  # checks one instance, then stops
    client = login("designer")
    page = client.get(URL).get_data(as_text=True)
    assert (stat(page, "open-count"), stat(page, "movable-count")) == ("5", "1")
    assert stat(page, "unchecked-count") == "4"
    assert "预览只检查了前 1 件（按编号）" in page and "其余 4 件在迁移时逐件检查" in page
    assert re.search(r'id="confirm-migrate">迁移可迁移的实例</button>', page)

    token = csrf_from(page)
    dry = client.post(URL, data={"csrf_token": token, "from": "1", "to": "2", "action": "dry_run"})
    assert "试运行：可迁移 1 件，另有 4 件本次未检查（迁移时逐件检查）" in dry.get_data(
        as_text=True
    )
    assert versions_of(app, sum(cases.values(), [])) == [1] * 5
