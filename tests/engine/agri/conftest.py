"""Fixtures for the agricultural consultation: seeded catalog, both diagrams, people, growers."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from engine.agri import AgriDesk
from engine.core.transactions import run_step
from engine.people import Account, create_account
from tests.engine.catalog_revision.conftest import seed
from tests.engine.complaints.conftest import BPMN_DIR

PEOPLE = [
    # username, role, unit, grids
    ("expert_jyh", "agri_expert", "agriculture", []),
    ("expert_wheat", "agri_expert", "agriculture", []),
    ("agri_lead", "unit_lead", "agriculture", []),
    ("lujunfei", "grid_worker", None, ["dicun-002-g1"]),
    ("yangpeiwu", "grower", None, []),
]


@dataclass
class World:
    desk: AgriDesk
    people: dict[str, Account]
    growers: dict[str, int]


def make_people(host, clock) -> dict[str, Account]:
    def step(session):
        rows = [
            create_account(
                username=u,
                display_name=u,
                password="secret-pass",
                role=role,
                unit_id=unit,
                grids=grids,
                county="julu",
                now=clock.now(),
                session=session,
            )
            for u, role, unit, grids in PEOPLE
        ]
        return {r.username: Account.of(r) for r in rows}

    return run_step(host.session_factory, step)


@pytest.fixture
def world(host, clock, shipped_catalogs) -> World:
    seed(host, clock, shipped_catalogs)
    host.deploy_file(BPMN_DIR / "agri_consultation.bpmn", actor="designer")
    host.deploy_file(BPMN_DIR / "agri_push.bpmn", actor="designer")
    desk = AgriDesk(host)
    people = make_people(host, clock)
    desk.add_specialty("honeysuckle", "expert_jyh")
    desk.add_specialty("wheat", "expert_wheat")
    growers = {
        # 孔寨村: the grid worker's own field and a neighbour without a smartphone
        "lujunfei": desk.register_grower(
            name="卢俊飞", village_id="dicun-002", crops={"honeysuckle": 3}, actor="lujunfei"
        ),
        "neighbour": desk.register_grower(
            name="刘彩平", village_id="dicun-002", crops={"honeysuckle": 2.5}, actor="lujunfei"
        ),
        # 前堤村 (same township), with an account
        "yangpeiwu": desk.register_grower(
            name="杨培武",
            village_id="dicun-003",
            crops={"honeysuckle": 20, "wheat": 8},
            username="yangpeiwu",
            actor="lujunfei",
        ),
        # 堤村乡 wheat only, and honeysuckle in another township: outside the push
        "wheat_only": desk.register_grower(
            name="王麦", village_id="dicun-001", crops={"wheat": 12}, actor="lujunfei"
        ),
        "elsewhere": desk.register_grower(
            name="赵花", village_id="xiguocheng-002", crops={"honeysuckle": 4}, actor="agri"
        ),
    }
    return World(desk, people, growers)
