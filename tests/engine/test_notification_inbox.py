"""A person's notifications: the list, the unread count of one county, marking read."""

from __future__ import annotations

from datetime import timedelta

from engine.core import mark_notifications_read, notifications_for, unread_notifications
from engine.core.notifications import notify
from engine.core.transactions import run_step


def _notify(host, clock, recipient: str, title: str, county: str = "julu") -> None:
    run_step(
        host.session_factory,
        lambda s: notify(
            [recipient], kind="test", title=title, county=county, now=clock.now(), session=s
        ),
    )


def test_list_count_and_mark_read(host, clock):
    _notify(host, clock, "water", "一")
    clock.advance(timedelta(minutes=1))
    _notify(host, clock, "dispatcher", "二")
    _notify(host, clock, "water", "别县", county="other")
    _notify(host, clock, "someone-else", "不是我的")

    mine = ["dispatcher", "water"]
    assert [n.title for n in notifications_for(host, mine)] == ["别县", "二", "一"]
    assert unread_notifications(host, mine, county="julu") == 2

    first = next(n for n in notifications_for(host, mine) if n.title == "一")
    mark_notifications_read(host, mine, notification_id=first.id)
    assert unread_notifications(host, mine, county="julu") == 1
    assert next(n for n in notifications_for(host, mine) if n.id == first.id).read_at == clock.now()

    mark_notifications_read(host, ["water"])
    assert unread_notifications(host, mine, county="julu") == 1  # the dispatcher's is left
    mark_notifications_read(host, mine)
    assert unread_notifications(host, mine, county="julu") == 0
    assert unread_notifications(host, ["someone-else"], county="julu") == 1
