"""In Chromium: a grid worker asks for a grower with a photo, the expert asks back, the grid
worker answers, the expert concludes and pushes guidance, the grower confirms reading and the
grid worker rates. Every agriculture page is screenshotted into build/screenshots."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.web.browser import expect, login_page, shot

pytestmark = pytest.mark.slow


def test_question_and_expert_reply_in_chromium(browser, live_url, agri_app, tmp_path):
    photo = tmp_path / "leaf.png"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (170, 150, 60)).save(buffer, format="PNG")
    photo.write_bytes(buffer.getvalue())
    not_image = tmp_path / "notes.txt"
    not_image.write_text("不是图片", encoding="utf-8")

    grid = login_page(browser, live_url, "gridworker")
    grid.click("text=农技咨询")
    grid.click("text=我要咨询")
    grid.select_option("#grower_id", label="卢俊飞（堤村乡孔寨村）")
    grid.select_option("#symptom", "leaf_drying")
    grid.fill("#description", "自家地里金银花叶子干枯，周边种植户也有，请专家指导田间管理")
    grid.set_input_files("#photos", str(not_image))
    grid.click("text=提交咨询")
    expect(grid.locator(".field-error")).to_contain_text("不是图片")
    shot(grid, "agri-01-ask-refused-file")
    grid.set_input_files("#photos", str(photo))
    shot(grid, "agri-02-ask")
    grid.click("text=提交咨询")
    expect(grid.locator("h1")).to_contain_text("待专家答复")
    expect(grid.locator(".conversation img")).to_have_count(1)
    shot(grid, "agri-03-asked")
    url = grid.url

    expert = login_page(browser, live_url, "expert", width=1280)
    expect(expert.locator("header")).to_contain_text("农技咨询 1")
    expert.click("header >> text=农技咨询")
    shot(expert, "agri-04-expert-inbox")
    expert.click("text=#1")
    expert.check("input[value=ask]")
    expert.fill("#message", "多久浇一次水？地里是不是一直很湿？")
    shot(expert, "agri-05-expert-ask")
    expert.click("text=提交答复")
    expect(expert.locator("h1")).to_contain_text("待种植户回复")

    grid.goto(url)
    grid.fill("#message", "几乎天天浇，地一直是湿的")
    grid.click("button:has-text('回复')")
    expect(grid.locator(".conversation")).to_contain_text("几乎天天浇")

    expert.reload()
    expert.check("input[value=conclude]")
    expert.fill("#message", "是浇水过多引起的")
    expert.fill("#diagnosis", "浇水过多，土壤过度湿润，引发病菌滋生")
    expert.fill("#guidance", "修剪病枝、换土移盆、晒干土壤，一周内不要浇水")
    expert.check("input[name=widespread]")
    expert.click("text=提交答复")
    expect(expert.locator(".conclusion")).to_contain_text("修剪病枝")
    shot(expert, "agri-06-concluded")

    # The widespread problem goes to every honeysuckle grower of 堤村乡.
    expert.click("text=普遍性问题：推送给种植户")
    expert.click("text=预览推送对象")
    expect(expert.locator("#audience")).to_contain_text("将推送给 25 户种植户")
    shot(expert, "agri-07-push-composer")
    expert.click("button:text-is('发布')")
    expect(expert.locator(".flash")).to_contain_text("已推送给 25 户种植户")
    shot(expert, "agri-08-push-detail")
    push_url = expert.url

    grower = login_page(browser, live_url, "grower")
    grower.click("text=农技咨询")
    expect(grower.locator("#guidance")).to_contain_text("1 条未确认")
    shot(grower, "agri-09-grower-guidance")
    grower.click("text=已阅读，确认收到")
    expect(grower.locator(".tag.ok")).to_contain_text("已确认")

    expert.goto(push_url)
    expect(expert.locator("#not-read")).to_contain_text("（24）")
    expert.goto(push_url + "/print")
    shot(expert, "agri-10-print-notice")
    expert.goto(f"{live_url}/agri/pushes")
    shot(expert, "agri-11-pushes")
    expert.goto(f"{live_url}/agri/experts")
    shot(expert, "agri-12-experts")

    grid.goto(url)
    grid.check("input[value='5']")
    grid.click("text=提交评价")
    expect(grid.locator("h1")).to_contain_text("已结束")
    shot(grid, "agri-13-rated")
    grid.goto(f"{live_url}/agri/mine")
    shot(grid, "agri-14-grid-mine")
    grid.goto(f"{live_url}/agri/growers")
    shot(grid, "agri-15-growers")

    leader = login_page(browser, live_url, "leader", width=1280)
    leader.goto(f"{live_url}/analytics/")
    expect(leader.locator("#agri-reach")).to_contain_text("1 · 25 · 1")
    shot(leader, "agri-16-leaders-dashboard")


def test_grower_registers_themselves_in_chromium(browser, live_url, app):
    grower = login_page(browser, live_url, "grower")
    grower.goto(f"{live_url}/agri/ask")
    grower.click("text=登记所在村、作物和种植面积")
    grower.click("button:text-is('登记')")
    expect(grower.locator(".error")).to_contain_text("有 2 处需要修改")
    shot(grower, "agri-17-register-self-refused")
    grower.select_option("#village_id", "dicun-003")
    grower.check("input[value=honeysuckle]")
    grower.fill("input[name=area_honeysuckle]", "20")
    grower.click("button:text-is('登记')")
    expect(grower.locator("#grower_id")).to_contain_text("杨培武（堤村乡前堤村）")
    shot(grower, "agri-18-registered-ask")
