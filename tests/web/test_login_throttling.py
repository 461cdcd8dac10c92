"""Password guessing at sign-in is throttled per account and address, per account and per
address, counting failures only; an unknown username costs the same password check."""

from __future__ import annotations

import pytest
from werkzeug.security import generate_password_hash

from cli.demo.users import DEMO_PASSWORD
from engine.core.transactions import run_step
from engine.people import create_account, credentials
from tests.web.conftest import csrf_from

PASSWORD = "right-password-1"


@pytest.fixture
def accounts(app, clock):
    """Residents whose password hash is cheap to check, so dozens of attempts stay fast."""
    host = app.extensions["juhaoban.host"]
    cheap = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")
    names = [f"guessed-{i}" for i in range(8)]

    def create(session):
        for name in names:
            create_account(
                username=name,
                display_name=name,
                password=PASSWORD,
                password_hash=cheap,
                role="resident",
                county="julu",
                now=clock.now(),
                session=session,
            )

    run_step(host.session_factory, create)
    return names


def attempt(app, username: str, password: str, address: str = "10.0.0.1"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    return client.post(
        "/auth/login", data={"username": username, "password": password, "csrf_token": token}
    )


def test_sixth_wrong_password_from_one_address_is_refused_with_retry_time(app, accounts):
    victim = accounts[0]
    for _ in range(5):
        assert attempt(app, victim, "guess").status_code == 401
    refused = attempt(app, victim, "guess")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    page = refused.get_data(as_text=True)
    assert "登录失败次数过多" in page and "后再试" in page and "北京时间" in page
    # That address must wait even with the right password…
    assert attempt(app, victim, PASSWORD).status_code == 429
    # …but the person it belongs to, elsewhere, is not locked out by the guesser.
    assert attempt(app, victim, PASSWORD, address="10.0.0.2").status_code == 302


def test_guessing_one_account_from_many_addresses_is_refused(app, accounts):
    victim = accounts[0]
    for n in range(10):  # 5 a minute from each of 10 addresses = the hourly 50
        for _ in range(5):
            assert attempt(app, victim, "guess", address=f"10.0.1.{n}").status_code == 401
    assert attempt(app, victim, "guess", address="10.0.2.1").status_code == 429
    assert attempt(app, accounts[1], "guess", address="10.0.2.1").status_code == 401


def test_one_address_guessing_many_accounts_is_refused(app, accounts):
    for name in accounts[:6]:  # 6 accounts × 5 = the 30 a minute one address may fail
        for _ in range(5):
            assert attempt(app, name, "guess").status_code == 401
    assert attempt(app, accounts[6], "guess").status_code == 429
    assert attempt(app, accounts[6], "guess", address="10.0.0.9").status_code == 401


def test_successful_sign_ins_do_not_count(app, accounts):
    for _ in range(12):
        assert attempt(app, accounts[0], PASSWORD).status_code == 302


def test_unknown_username_costs_the_same_password_check(app, monkeypatch):
    checked: list[str] = []
    real_check = credentials.check_password_hash

    def spy(stored: str, password: str) -> bool:
        checked.append(stored)
        return real_check(stored, password)

    monkeypatch.setattr(credentials, "check_password_hash", spy)
    assert attempt(app, "water", "wrong-guess").status_code == 401
    assert attempt(app, "nobody-by-this-name", "wrong-guess").status_code == 401
    assert attempt(app, "nobody-by-this-name", DEMO_PASSWORD).status_code == 401
    assert len(checked) == 3
    known_method = checked[0].split("$")[0]
    assert [h.split("$")[0] for h in checked[1:]] == [known_method, known_method]
