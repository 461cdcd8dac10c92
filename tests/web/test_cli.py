from __future__ import annotations

from tests.conftest import DIAGRAMS


def test_init_db_creates_the_sqlite_file_under_the_instance_folder(run, tmp_path):
    result = run("init-db")
    assert result.exit_code == 0
    assert (tmp_path / "juhaoban.sqlite").exists()
    assert "数据库已就绪" in result.output


def test_validate_accepts_a_good_diagram(run):
    result = run("bpmn", "validate", str(DIAGRAMS / "ticket.bpmn"))
    assert result.exit_code == 0
    assert "校验通过" in result.output and "4 个人工任务" in result.output


def test_validate_lists_problems_with_element_ids_and_fails(run, tmp_path):
    bad = tmp_path / "bad.bpmn"
    bad.write_text(
        (DIAGRAMS / "ticket.bpmn")
        .read_text(encoding="utf-8")
        .replace("<bpmn:timeDate>sign_due", "<bpmn:timeDate>P5D"),
        encoding="utf-8",
    )
    result = run("bpmn", "validate", str(bad))
    assert result.exit_code == 1
    assert "[sign_deadline]" in result.output and '"P5D"' in result.output


def test_deploy_twice_keeps_one_version(run):
    path = str(DIAGRAMS / "ticket.bpmn")
    assert "第 1 版" in run("bpmn", "deploy", path).output
    again = run("bpmn", "deploy", path)
    assert again.exit_code == 0 and "内容未变" in again.output


def test_sweep_prints_json(run):
    run("init-db")
    result = run("sweep")
    assert result.exit_code == 0
    assert '"fired": 0' in result.output


def test_incidents_lists_failing_timers(run, tmp_path):
    from datetime import timedelta

    from engine.bootstrap import build_host
    from engine.core.config import EngineConfig
    from tests.engine.helpers import start_ticket

    assert "没有待处理的运行异常" in run("incidents").output
    host = build_host(EngineConfig.from_env(), create_tables=True)
    host.deploy_file(DIAGRAMS / "ticket.bpmn", actor="designer")
    soon = host.clock.now() + timedelta(minutes=1)
    iid = start_ticket(host, reminders="many", remind_at=soon.isoformat())
    for hours in (1, 2, 3):
        host.sweep(host.clock.now() + timedelta(hours=hours))
    output = run("incidents").output
    assert f"实例 {iid} timer_failed" in output and "待处理" in output


def test_catalog_import_and_publish_through_the_database(run, tmp_path):
    from openpyxl import load_workbook

    assert "已载入责任清单版本：2020-05、2022-06" in run("demo").output
    sheet = tmp_path / "catalog.xlsx"
    assert run("catalog", "export", "--db", "--xlsx", str(sheet)).exit_code == 0

    # A sheet full of mistakes: reported cell by cell, nothing created.
    broken = tmp_path / "broken.xlsx"
    book = load_workbook(sheet)
    rules = book.worksheets[0]
    rules.cell(row=2, column=6).value = "不存在的单位"
    book.save(broken)
    result = run("catalog", "import", str(broken), "--label", "bad")
    assert result.exit_code == 1 and "未导入任何内容" in result.output
    assert "bad" not in run("catalog", "versions").output

    result = run("catalog", "import", str(sheet), "--label", "2027-01")
    assert result.exit_code == 0 and "草稿版本 2027-01" in result.output
    assert "2027-01\t草稿\t生效 未定" in run("catalog", "versions").output
    result = run("catalog", "publish", "2027-01", "--effective", "2027-01-01")
    assert "2027-01-01 起生效；2022-06 自该日起废止" in result.output
    again = run("catalog", "publish", "2027-01", "--effective", "2027-02-01")
    assert again.exit_code == 1 and "只有草稿" in again.output
    routed = run(
        "route", "--db", "--matter", "占道经营", "--village", "马家营村", "--date", "2027-03-01"
    )
    assert "2027-01" in routed.output


def test_validate_refuses_a_diagram_carrying_an_html_script(run, tmp_path):
    bad = tmp_path / "evil.bpmn"
    bad.write_text(
        (DIAGRAMS / "ticket.bpmn")
        .read_text(encoding="utf-8")
        .replace(
            "<bpmn:extensionElements>",
            '<bpmn:extensionElements><h:script xmlns:h="http://www.w3.org/1999/xhtml">'
            "document.title = 'pwned'</h:script>",
            1,
        ),
        encoding="utf-8",
    )
    result = run("bpmn", "validate", str(bad))
    assert result.exit_code == 1
    assert "[sign_for]" in result.output and "<h:script>" in result.output
    assert "第 1 版" not in run("bpmn", "deploy", str(bad)).output
