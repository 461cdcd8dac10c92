"""Sessions end for real: a cookie copied before sign-out or a password change stops working;
the cookie can be limited to HTTPS; after sign-in only local paths are followed."""

from __future__ import annotations

import pytest

from cli.demo.users import DEMO_PASSWORD
from engine.core.config import EngineConfig
from tests.web.conftest import csrf_from
from web import create_app


def _session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def _replay(app, cookie: str):
    """What someone holding a copy of the cookie sees on a staff page."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get("/inbox/")


def _sign_in(app, username: str, password: str, next_: str | None = None):
    client = app.test_client()
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    url = "/auth/login" if next_ is None else f"/auth/login?next={next_}"
    response = client.post(
        url, data={"username": username, "password": password, "csrf_token": token}
    )
    return client, response


def test_cookie_copied_before_logout_no_longer_signs_in(app, login):
    client = login("water")
    copied = _session_cookie(client)
    assert _replay(app, copied).status_code == 200  # the copy works while signed in

    token = csrf_from(client.get("/inbox/").get_data(as_text=True))
    assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 302

    replayed = _replay(app, copied)
    assert replayed.status_code == 302
    assert replayed.headers["Location"].startswith("/auth/login")
    # Signing in again works as before.
    assert login("water").get("/inbox/").status_code == 200


def _change_password(client, old: str, new: str, again: str | None = None):
    token = csrf_from(client.get("/auth/password").get_data(as_text=True))
    return client.post(
        "/auth/password",
        data={
            "old_password": old,
            "new_password": new,
            "new_password_again": new if again is None else again,
            "csrf_token": token,
        },
    )


def test_password_change_ends_other_sessions_and_keeps_this_one(app, login):
    laptop = login("water")
    phone = login("water")
    stolen = _session_cookie(phone)

    response = _change_password(laptop, DEMO_PASSWORD, "a-new-secret-42")
    assert response.status_code == 302
    assert laptop.get("/inbox/").status_code == 200  # still signed in here
    assert phone.get("/inbox/").status_code == 302  # signed out elsewhere
    assert _replay(app, stolen).status_code == 302

    assert _sign_in(app, "water", DEMO_PASSWORD)[1].status_code == 401
    assert _sign_in(app, "water", "a-new-secret-42")[1].status_code == 302


@pytest.mark.parametrize(
    ("old", "new", "again", "message"),
    [
        ("wrong-password", "a-new-secret-42", None, "原密码不正确"),
        (DEMO_PASSWORD, "short", None, "新密码至少 8 位"),
        (DEMO_PASSWORD, "a-new-secret-42", "a-new-secret-43", "两次输入的新密码不一致"),
        (DEMO_PASSWORD, DEMO_PASSWORD, None, "新密码不能与原密码相同"),
    ],
)
def test_bad_password_change_says_why_and_changes_nothing(app, login, old, new, again, message):
    client = login("water")
    response = _change_password(client, old, new, again)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert client.get("/inbox/").status_code == 200
    assert _sign_in(app, "water", DEMO_PASSWORD)[1].status_code == 302


@pytest.mark.parametrize("username", ["water", "dispatcher", "admin"])
def test_every_signed_in_page_links_to_the_password_page(login, username):
    page = login(username).get("/notifications/").get_data(as_text=True)
    assert '<a href="/auth/password">修改密码</a>' in page


def test_password_page_needs_sign_in(app):
    response = app.test_client().get("/auth/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


@pytest.mark.parametrize(("env", "secure"), [("1", True), (None, False)])
def test_secure_cookies_option(tmp_path, clock, monkeypatch, env, secure):
    if env is None:
        monkeypatch.delenv("JUHAOBAN_SECURE_COOKIES", raising=False)
    else:
        monkeypatch.setenv("JUHAOBAN_SECURE_COOKIES", env)
    config = EngineConfig.from_env({"JUHAOBAN_INSTANCE_DIR": str(tmp_path)})
    app = create_app({"ENGINE_CONFIG": config, "TESTING": True, "CLOCK": clock})
    set_cookie = app.test_client().get("/auth/login").headers["Set-Cookie"]
    assert set_cookie.startswith("session=")
    assert ("; Secure" in set_cookie) is secure
    assert "HttpOnly" in set_cookie


@pytest.mark.parametrize(
    "target",
    [
        "/%09/127.0.0.1:5199/pwned",  # the case: the tab is dropped → //127.0.0.1
        "//evil.example/x",
        "https://evil.example/x",
        "%5C%5Cevil.example",  # \\evil.example
        "/%5Cevil.example",  # /\evil.example
        "javascript:alert(1)",
        "/%250a/evil.example",  # decodes to a newline
    ],
)
def test_after_sign_in_only_local_paths_are_followed(app, target):
    _client, response = _sign_in(app, "water", DEMO_PASSWORD, next_=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/inbox/"


def test_sign_in_returns_to_the_page_asked_for(app):
    asked = app.test_client().get("/inbox/?view=overdue")
    assert asked.status_code == 302
    login_url = asked.headers["Location"]
    client = app.test_client()
    token = csrf_from(client.get(login_url).get_data(as_text=True))
    response = client.post(
        login_url, data={"username": "water", "password": DEMO_PASSWORD, "csrf_token": token}
    )
    assert response.headers["Location"] == "/inbox/?view=overdue"


def test_guessing_the_old_password_is_throttled(app, login):
    client = login("water")
    for _ in range(5):
        assert _change_password(client, "wrong-guess", "a-new-secret-42").status_code == 400
    refused = _change_password(client, DEMO_PASSWORD, "a-new-secret-42")
    assert refused.status_code == 429
    assert "原密码输错次数过多" in refused.get_data(as_text=True)
    assert "Retry-After" in refused.headers
