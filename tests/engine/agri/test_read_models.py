"""The agriculture pages' reads: frozen copies in a read session of their own."""

from __future__ import annotations

import dataclasses

import pytest

from engine.agri import CropArea, active_experts, growers_crops, instance_page


def test_growers_crops_are_frozen_copies_in_entry_order(world, host) -> None:
    ids = [world.growers["yangpeiwu"], world.growers["wheat_only"]]
    crops = growers_crops(host, ids)
    assert crops == {
        ids[0]: [CropArea(ids[0], "honeysuckle", 20.0), CropArea(ids[0], "wheat", 8.0)],
        ids[1]: [CropArea(ids[1], "wheat", 12.0)],
    }
    with pytest.raises(dataclasses.FrozenInstanceError):
        # The test shows the frozen dataclass refuses it
        crops[ids[1]][0].crop = "corn"  # type: ignore[misc]
    assert growers_crops(host, []) == {}


def test_active_experts_by_username(world, host) -> None:
    assert active_experts(host) == [("expert_jyh", "expert_jyh"), ("expert_wheat", "expert_wheat")]


def test_an_instance_leads_to_its_consultation_or_push_and_the_readers_receipt(world, host) -> None:
    desk, people = world.desk, world.people
    cid = desk.ask(
        grower_id=world.growers["yangpeiwu"],
        crop="wheat",
        symptom="leaf_drying",
        description="麦叶发黄",
        account=people["yangpeiwu"],
    )
    consultation = desk.consultation(cid)
    found = instance_page(host, consultation.instance_id, recipients=["yangpeiwu"])
    assert found is not None and found.consultation_id == cid and found.push_id is None

    push_id = desk.create_push(
        crop="wheat",
        title="小麦条锈病防治",
        body="及时喷药",
        townships=["dicun"],
        villages=[],
        consultation_id=None,
        actor="expert_wheat",
    )
    push = desk.push(push_id)
    own = {r.recipient: r.id for r, _ in desk.receipts(push_id)}
    mine = instance_page(host, push.instance_id, recipients=["yangpeiwu"])
    assert mine is not None and (mine.push_id, mine.receipt_id) == (push_id, own["yangpeiwu"])
    bureau = instance_page(host, push.instance_id, recipients=[])
    assert bureau is not None and (bureau.push_id, bureau.receipt_id) == (push_id, None)
    assert instance_page(host, 999_999, recipients=["yangpeiwu"]) is None
