"""The properties panel speaks this engine, in real headless Chromium (issue 21): service
tasks get a picker of the registered operations whose choice the validator accepts, user tasks
get the organisation's groups and no Camunda fields the engine ignores, timers get Chinese
help with Python expressions. Screenshots designer-panel-* go to build/screenshots."""

from __future__ import annotations

import re

import pytest

from tests.web.browser import Page, expect, login_page, shot

pytestmark = pytest.mark.slow


def _open_complaint_editor(page: Page, base: str) -> None:
    page.goto(f"{base}/designer/")
    page.locator("#process-complaint tr.version").first.get_by_role(
        "button", name="编辑为新草稿"
    ).click()
    page.wait_for_selector("body[data-ready='1']")


def _select(page: Page, element_id: str) -> None:
    page.fill("#find-element", element_id)
    page.press("#find-element", "Enter")
    expect(page.locator(".bio-properties-panel-header-label")).not_to_be_empty()


def _open_group(page: Page, group_id: str) -> None:
    header = page.locator(f"[data-group-id='group-{group_id}'] .bio-properties-panel-group-header")
    if "open" not in (header.get_attribute("class") or "").split():
        header.click()


def _problems_at(page: Page, element_id: str):
    return page.locator(f"#problems li[data-element-id='{element_id}']")


def _check(page: Page) -> None:
    page.click("#check")
    expect(page.locator("#status")).not_to_contain_text("正在检查")


def _saved_xml(page: Page) -> str:
    return page.evaluate("window.juhaobanModeler.saveXML().then(function (r) { return r.xml; })")


def test_picking_a_service_operation_in_the_panel_satisfies_the_validator(
    browser, live_url
) -> None:
    page = login_page(browser, live_url, "designer", width=1500)
    page.set_viewport_size({"width": 1500, "height": 1000})
    _open_complaint_editor(page, live_url)

    # A service task that names its operation shows it, described, with its parameters.
    _select(page, "notify_determine_reminder")
    _open_group(page, "JuhaobanServiceOperation")
    picker = page.locator("#bio-properties-panel-juhaobanOperation")
    expect(picker).to_have_value("notify")
    group = page.locator("[data-group-id='group-JuhaobanServiceOperation']")
    expect(group).to_contain_text("给一个或多个候选组")
    expect(page.locator("#bio-properties-panel-juhaobanParameter-kind")).to_have_value(
        '"determine_reminder"'
    )
    shot(page, "designer-panel-service-operation")

    # A service task whose operator is gone (as in a diagram from another modeler) is a problem…
    page.evaluate(
        """() => {
          const modeler = window.juhaobanModeler;
          const task = modeler.get('elementRegistry').get('schedule_contested');
          modeler.get('modeling').updateProperties(task, { extensionElements: undefined });
        }"""
    )
    _check(page)
    expect(_problems_at(page, "schedule_contested")).to_contain_text("没有指定服务操作")

    # …which picking an operation and filling its parameter in the panel clears.
    _select(page, "schedule_contested")
    _open_group(page, "JuhaobanServiceOperation")
    expect(page.locator("#bio-properties-panel-juhaobanOperation")).to_have_value("")
    page.select_option("#bio-properties-panel-juhaobanOperation", "schedule_deadline")
    stage = page.locator("#bio-properties-panel-juhaobanParameter-stage")
    expect(stage).to_have_value('"handle"')  # the documented example, so the task can run
    stage.fill('"contested"')
    stage.press("Tab")
    result = page.locator("#bio-properties-panel-juhaobanResultVariable")
    result.fill("contested_deadline")
    result.press("Tab")
    _check(page)
    expect(_problems_at(page, "schedule_contested")).to_have_count(0)
    expect(page.locator("#problem-count")).to_have_text("没有问题")
    shot(page, "designer-panel-operation-picked")

    xml = _saved_xml(page)
    task = re.search(r'<bpmn:serviceTask id="schedule_contested".*?</bpmn:serviceTask>', xml, re.S)
    assert task is not None
    assert 'serviceTaskOperator id="schedule_deadline" resultVariable="contested_deadline"' in (
        task.group(0)
    )
    stage_xml = re.search(
        r'parameter id="stage" type="str" value="(&#34;|")contested', task.group(0)
    )
    assert stage_xml, task.group(0)
    # The other spiffworkflow elements of the diagram survive the panel's edits.
    assert "spiffworkflow:payloadExpression" in xml

    # Undo brings the problem back: the panel's edits are ordinary commands.
    page.locator("#canvas").click(position={"x": 5, "y": 5})
    for _ in range(3):
        page.keyboard.press("Control+Z")
    _check(page)
    expect(_problems_at(page, "schedule_contested")).to_have_count(1)


def test_user_tasks_offer_the_organisation_and_hide_what_the_engine_ignores(
    browser, live_url
) -> None:
    page = login_page(browser, live_url, "designer", width=1500)
    page.set_viewport_size({"width": 1500, "height": 1000})
    _open_complaint_editor(page, live_url)

    _select(page, "determine")
    _open_group(page, "CamundaPlatform__UserAssignment")
    groups = page.locator("#bio-properties-panel-juhaoban-candidateGroups")
    expect(groups).to_have_value("dispatcher")
    suggestions = page.locator("#juhaoban-group-suggestions option")
    values = suggestions.evaluate_all("options => options.map(o => o.value)")
    assert {"dispatcher", "dispatch_lead", "water_supply", "lead:water_supply"} <= set(values)
    assert "=primary_unit" in values
    panel = page.locator("#properties")
    for ignored in ("候选人", "到期日", "跟进日", "优先级", "Due date", "Priority"):
        expect(panel).not_to_contain_text(ignored)
    expect(panel).not_to_contain_text("EL expression")
    expect(panel).not_to_contain_text("${someDate}")
    expect(panel).to_contain_text("不支持 ${…}")  # the help says what to write instead

    # Picking from the organisation adds to the comma-separated list.
    page.select_option("#bio-properties-panel-juhaoban-candidateGroups-picker", "dispatch_lead")
    expect(groups).to_have_value("dispatcher,dispatch_lead")
    page.select_option("#bio-properties-panel-juhaoban-candidateGroups-picker", "=primary_unit")
    expect(groups).to_have_value("=primary_unit")
    shot(page, "designer-panel-user-task")

    # Form fields keep what the engine reads (id, label, type) and lose what it ignores.
    _open_group(page, "CamundaPlatform__FormData")
    form = page.locator("[data-group-id='group-CamundaPlatform__FormData']")
    form.locator(".bio-properties-panel-collapsible-entry-header").first.click()
    expect(form.locator("[data-entry-id$='-formFieldLabel']").first).to_be_visible()
    expect(form.locator("[data-entry-id$='-formFieldDefaultValue']")).to_have_count(0)
    expect(form).to_contain_text("标签")


def test_timer_help_is_chinese_with_python_expressions(browser, live_url) -> None:
    page = login_page(browser, live_url, "designer", width=1500)
    page.set_viewport_size({"width": 1500, "height": 1000})
    _open_complaint_editor(page, live_url)

    _select(page, "determine_reminder")
    _open_group(page, "timer")
    value = page.locator("#bio-properties-panel-timerEventDefinitionValue")
    expect(value).to_have_value('jurisdiction_deadline["remind_at"]')
    help_text = page.locator("[data-group-id='group-timer'] .juhaoban-help")
    expect(help_text).to_contain_text("Python 表达式")
    expect(help_text).to_contain_text('"2026-05-01T09:00:00+08:00"')
    expect(help_text).to_contain_text("schedule_deadline")  # the working-day deadlines
    timer = page.locator("[data-group-id='group-timer']")
    expect(timer).not_to_contain_text("ISO 8601 combined")
    shot(page, "designer-panel-timer")

    # The value typed in the Chinese entry is what the validator checks.
    value.fill("2026-05-01T09:00:00+08:00")
    value.press("Tab")
    _check(page)
    expect(_problems_at(page, "determine_reminder")).to_contain_text("引号")
    value.fill('"2026-05-01T09:00:00+08:00"')
    value.press("Tab")
    _check(page)
    expect(_problems_at(page, "determine_reminder")).to_have_count(0)


# Words a designer may see in the panel untranslated: the diagram's own ids, the values offered
# in its pickers (operation and group names), identifiers in expressions and the word Python.
_ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_QUOTED = re.compile(r'"[^"\n]*"')


_OPEN_LIST_ITEMS = """() => {
  for (let round = 0; round < 3; round++) {
    document.querySelectorAll('#properties .bio-properties-panel-collapsible-entry').forEach(e => {
      const header = e.querySelector('.bio-properties-panel-collapsible-entry-header');
      if (!e.classList.contains('open') && header && header.offsetParent) header.click();
    });
  }
}"""


def _english_in_panel(page: Page, allowed: set[str]) -> list[str]:
    offered = page.locator("#properties option").evaluate_all("os => os.map(o => o.value)")
    text = page.locator("#properties").inner_text()
    for code in page.locator("#properties code").all_inner_texts():  # examples in code font
        text = text.replace(code, "")
    text = _QUOTED.sub("", text)
    known = (
        allowed
        | {word for value in offered for word in re.split(r"[:=]", value)}
        # The language and the two names the help says expressions may use.
        | {"Python", "datetime", "timedelta"}
    )
    return [
        word
        for word in _ENGLISH_WORD.findall(text)
        if re.search(r"[A-Za-z]{4}", word) and "_" not in word and word not in known
    ]


def test_the_panel_shows_no_english_for_the_complaint_diagram(browser, live_url) -> None:
    from pathlib import Path

    diagram = (Path(__file__).resolve().parents[2] / "bpmn" / "complaint.bpmn").read_text("utf-8")
    ids = set(re.findall(r'\bid="([^"]+)"', diagram))
    page = login_page(browser, live_url, "designer", width=1500)
    page.set_viewport_size({"width": 1500, "height": 1000})
    _open_complaint_editor(page, live_url)

    english = {}
    # A service task, a user task with form fields, a timer, a conditional flow, a gateway.
    for element_id in (
        "notify_determine_reminder",
        "determine",
        "determine_reminder",
        "f_resolved",
        "gw_routed",
    ):
        _select(page, element_id)
        for header in page.locator("#properties .bio-properties-panel-group-header").all():
            if "open" not in (header.get_attribute("class") or "").split():
                header.click()
        # Every list item (form fields and their constraints) open, as a designer would.
        page.evaluate(_OPEN_LIST_ITEMS)
        shot(page, f"designer-panel-chinese-{element_id}")
        found = _english_in_panel(page, ids)
        if found:
            english[element_id] = sorted(set(found))
    assert english == {}
