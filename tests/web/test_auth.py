from __future__ import annotations

from tests.web.conftest import csrf_from


def test_login_sends_each_role_home(login):
    assert login("water").get("/inbox/").status_code == 200
    assert login("dispatcher").get("/console/").status_code == 200


def test_wrong_password_is_refused_without_saying_which_part(app):
    client = app.test_client()
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    response = client.post(
        "/auth/login", data={"username": "water", "password": "nope", "csrf_token": token}
    )
    assert response.status_code == 401
    assert "用户名或密码不正确" in response.get_data(as_text=True)


def test_forged_csrf_token_is_refused(app):
    client = app.test_client()
    client.get("/auth/login")
    response = client.post(
        "/auth/login", data={"username": "water", "password": "x", "csrf_token": "forged"}
    )
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)


def test_staff_pages_need_login_and_the_right_role(app, login):
    assert app.test_client().get("/inbox/").status_code == 302
    assert login("resident").get("/inbox/").status_code == 403
    assert login("water").get("/console/").status_code == 403
    assert login("orgdept").get("/console/consultations").status_code == 200


def test_redirect_after_login_stays_on_this_site(app):
    client = app.test_client()
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    response = client.post(
        "/auth/login?next=//evil.example/x",
        data={"username": "water", "password": "juhaoban-demo", "csrf_token": token},
    )
    assert response.headers["Location"].startswith("/")
    assert "evil" not in response.headers["Location"]
