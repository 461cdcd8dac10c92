"""The Open311 desk: the administrator's keys (issue, list, revoke) and a client recognised
by its key whatever its county, each one step; and the details a request keeps beside its
complaint, written in the complaint desk's step."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy.orm import Session

from engine.core.host import WorkflowHost
from engine.core.transactions import run_step
from engine.open311 import keys
from engine.open311.key_check import ApiClientRecord
from engine.open311.models import ApiClient, Open311Submission


def _record(client: ApiClient) -> ApiClientRecord:
    return ApiClientRecord(**{f.name: getattr(client, f.name) for f in fields(ApiClientRecord)})


@dataclass(frozen=True)
class SubmissionDetails:
    """What an Open311 client sent besides the report itself (kept with the complaint)."""

    client_id: int
    attributes: dict[str, Any]
    media_url: str | None = None
    address_string: str | None = None
    device_id: str | None = None
    account_id: str | None = None
    email: str | None = None


def submission_keeper(details: SubmissionDetails) -> Callable[[Session, Any], None]:
    """What the complaint desk's ``submit(also=...)`` runs in the report's own step: the
    Open311 details stored with the complaint, both or neither."""

    def keep(session: Session, complaint: Any) -> None:
        session.add(
            Open311Submission(
                complaint_id=complaint.id,
                client_id=details.client_id,
                media_url=details.media_url,
                attributes=details.attributes,
                address_string=details.address_string,
                device_id=details.device_id,
                account_id=details.account_id,
                email=details.email,
            )
        )

    return keep


class Open311Desk:
    def __init__(self, host: WorkflowHost) -> None:
        self.host = host

    def client_for_key(self, key: str) -> ApiClientRecord | None:
        """The active client holding ``key`` in any county (the key says whose it is; its
        use is recorded), or ``None`` for an unknown or revoked key."""
        if not key:
            return None

        def step(session: Session) -> ApiClientRecord | None:
            client = keys.authenticate(key, county=None, now=self.host.clock.now(), session=session)
            return _record(client) if client is not None else None

        return run_step(self.host.session_factory, step)

    def clients(self, *, county: str) -> list[ApiClientRecord]:
        with self.host.session_factory() as session:
            return [_record(c) for c in keys.clients(county=county, session=session)]

    def issue_key(
        self, name: str, *, contact: str, requests_per_minute: int, county: str, actor: str
    ) -> str:
        """A new client's key, shown once. :raises ClientRejected: naming what is wrong."""
        _client, key = self.issue_client_key(
            name,
            contact=contact,
            requests_per_minute=requests_per_minute,
            county=county,
            actor=actor,
        )
        return key

    def issue_client_key(
        self, name: str, *, contact: str, requests_per_minute: int, county: str, actor: str
    ) -> tuple[ApiClientRecord, str]:
        """A new client with its key, shown once (the command line prints the client's id).

        :raises ClientRejected: naming what is wrong.
        """

        def step(session: Session) -> tuple[ApiClientRecord, str]:
            client, key = keys.issue_key(
                name,
                contact=contact,
                requests_per_minute=requests_per_minute,
                county=county,
                actor=actor,
                now=self.host.clock.now(),
                session=session,
            )
            return _record(client), key

        return run_step(self.host.session_factory, step)

    def revoke(self, client_id: int, *, county: str, actor: str) -> None:
        """:raises ClientRejected: no such client in ``county``."""
        run_step(
            self.host.session_factory,
            lambda s: keys.revoke(
                client_id, county=county, actor=actor, now=self.host.clock.now(), session=s
            ),
        )
