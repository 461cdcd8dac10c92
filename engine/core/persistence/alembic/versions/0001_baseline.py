"""Baseline: the schema as it stood when migrations were introduced (commit 21e035b).

A database built by ``juhaoban init-db`` before migrations existed has exactly these tables;
``juhaoban db stamp 0001`` marks it so, and ``juhaoban db upgrade`` takes it on from here.

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None
# Shown by `juhaoban db history`.
summary = "基线：引入迁移时的全部表、索引和触发器"

# The audit log and published catalog versions and snapshots never change: the database
# itself refuses it (triggers; SQLite and PostgreSQL spell them differently).
FROZEN_SNAPSHOT_TABLES = ("analytics_snapshot", "analytics_snapshot_case")


def _sqlite_triggers() -> list[str]:
    statements = [
        f"CREATE TRIGGER audit_event_no_{op_.lower()} BEFORE {op_} ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
        for op_ in ("UPDATE", "DELETE")
    ]
    statements.append(
        "CREATE TRIGGER catalog_version_frozen BEFORE UPDATE OF content_hash, content_json "
        "ON catalog_version WHEN OLD.status IN ('published', 'superseded') "
        "BEGIN SELECT RAISE(ABORT, 'published catalog versions are immutable'); END"
    )
    for table in FROZEN_SNAPSHOT_TABLES:
        statements += [
            f"CREATE TRIGGER {table}_no_{op_.lower()} BEFORE {op_} ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'published snapshots never change'); END"
            for op_ in ("UPDATE", "DELETE")
        ]
    return statements


def _postgresql_triggers() -> list[str]:
    statements = [
        "CREATE FUNCTION audit_event_append_only() RETURNS trigger AS $$ BEGIN "
        "RAISE EXCEPTION 'audit log is append-only'; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
        "CREATE FUNCTION catalog_version_frozen() RETURNS trigger AS $$ BEGIN "
        "IF OLD.status IN ('published', 'superseded') AND (NEW.content_hash <> OLD.content_hash "
        "OR NEW.content_json <> OLD.content_json) THEN "
        "RAISE EXCEPTION 'published catalog versions are immutable'; END IF; RETURN NEW; END "
        "$$ LANGUAGE plpgsql",
        "CREATE TRIGGER catalog_version_frozen BEFORE UPDATE ON catalog_version "
        "FOR EACH ROW EXECUTE FUNCTION catalog_version_frozen()",
    ]
    for table in FROZEN_SNAPSHOT_TABLES:
        statements += [
            f"CREATE OR REPLACE FUNCTION {table}_frozen() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'published snapshots never change'; END $$ LANGUAGE plpgsql",
            f"CREATE TRIGGER {table}_frozen BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_frozen()",
        ]
    return statements


def upgrade() -> None:
    op.create_table(
        "agri_expert_specialty",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=False),
        sa.Column("crop", sa.String(length=32), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agri_expert_specialty")),
        sa.UniqueConstraint(
            "county", "crop", "username", name=op.f("uq_agri_expert_specialty_county")
        ),
    )
    op.create_index(
        op.f("ix_agri_expert_specialty_county"), "agri_expert_specialty", ["county"], unique=False
    )
    op.create_table(
        "agri_grower",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("township_id", sa.String(length=64), nullable=False),
        sa.Column("village_id", sa.String(length=64), nullable=False),
        sa.Column("registered_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agri_grower")),
        sa.UniqueConstraint("username", name=op.f("uq_agri_grower_username")),
    )
    op.create_index(op.f("ix_agri_grower_county"), "agri_grower", ["county"], unique=False)
    op.create_index("ix_agri_grower_village", "agri_grower", ["county", "village_id"], unique=False)
    op.create_table(
        "analytics_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("period_key", sa.String(length=32), nullable=False),
        sa.Column("period_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("period_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_snapshot")),
        sa.UniqueConstraint(
            "county", "kind", "period_key", name=op.f("uq_analytics_snapshot_county")
        ),
    )
    op.create_index(
        op.f("ix_analytics_snapshot_county"), "analytics_snapshot", ["county"], unique=False
    )
    op.create_table(
        "api_client",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("contact", sa.String(length=256), nullable=False),
        sa.Column("key_prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("requests_per_minute", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(length=128), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_client")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_client_key_hash")),
    )
    op.create_index(op.f("ix_api_client_county"), "api_client", ["county"], unique=False)
    op.create_index(op.f("ix_api_client_key_prefix"), "api_client", ["key_prefix"], unique=False)
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=True),
        sa.Column("task_id", sa.String(length=36), nullable=True),
        sa.Column("task_name", sa.String(length=128), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    op.create_index(op.f("ix_audit_event_at"), "audit_event", ["at"], unique=False)
    op.create_index(op.f("ix_audit_event_county"), "audit_event", ["county"], unique=False)
    op.create_index(
        op.f("ix_audit_event_instance_id"), "audit_event", ["instance_id"], unique=False
    )
    op.create_table(
        "catalog_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("effective", sa.Date(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("content_json", sa.Text(), nullable=False),
        sa.Column("based_on", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by", sa.String(length=128), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_version")),
        sa.UniqueConstraint("county", "label", name=op.f("uq_catalog_version_county")),
    )
    op.create_index(op.f("ix_catalog_version_county"), "catalog_version", ["county"], unique=False)
    op.create_table(
        "holiday_schedule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("entered_by", sa.String(length=128), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holiday_schedule")),
        sa.UniqueConstraint("county", "year", name=op.f("uq_holiday_schedule_county")),
    )
    op.create_index(
        op.f("ix_holiday_schedule_county"), "holiday_schedule", ["county"], unique=False
    )
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=False),
        sa.Column("recipient", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=256), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("instance_id", sa.Integer(), nullable=True),
        sa.Column("task_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    op.create_index(op.f("ix_notification_county"), "notification", ["county"], unique=False)
    op.create_index(
        "ix_notification_inbox", "notification", ["county", "recipient", "read_at"], unique=False
    )
    op.create_index(
        op.f("ix_notification_instance_id"), "notification", ["instance_id"], unique=False
    )
    op.create_table(
        "process_definition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=False),
        sa.Column("process_key", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=256), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("source_name", sa.String(length=256), nullable=False),
        sa.Column("bpmn_xml", sa.Text(), nullable=False),
        sa.Column("dmn_xmls", sa.JSON(), nullable=False),
        sa.Column("called_xmls", sa.JSON(), nullable=False),
        sa.Column("spec_json", sa.Text(), nullable=False),
        sa.Column("task_meta", sa.JSON(), nullable=False),
        sa.Column("deployed_by", sa.String(length=128), nullable=False),
        sa.Column("deployed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by", sa.String(length=128), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_process_definition")),
        sa.UniqueConstraint("county", "process_key", "content_hash", name="uq_definition_hash"),
        sa.UniqueConstraint(
            "county", "process_key", "version", name=op.f("uq_process_definition_county")
        ),
    )
    op.create_index(
        op.f("ix_process_definition_county"), "process_definition", ["county"], unique=False
    )
    op.create_table(
        "unit_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=False),
        sa.Column("unit_id", sa.String(length=64), nullable=False),
        sa.Column("scope", sa.String(length=32), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_assignment")),
        sa.UniqueConstraint("county", "unit_id", "scope", name=op.f("uq_unit_assignment_county")),
    )
    op.create_index(op.f("ix_unit_assignment_county"), "unit_assignment", ["county"], unique=False)
    op.create_index(
        op.f("ix_unit_assignment_unit_id"), "unit_assignment", ["unit_id"], unique=False
    )
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=256), nullable=False),
        sa.Column("role", sa.String(length=24), nullable=False),
        sa.Column("unit_id", sa.String(length=64), nullable=True),
        sa.Column("grids", sa.JSON(), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("username", name=op.f("uq_user_account_username")),
    )
    op.create_index(op.f("ix_user_account_county"), "user_account", ["county"], unique=False)
    op.create_index(op.f("ix_user_account_unit_id"), "user_account", ["unit_id"], unique=False)
    op.create_table(
        "agri_grower_crop",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=False),
        sa.Column("grower_id", sa.Integer(), nullable=False),
        sa.Column("crop", sa.String(length=32), nullable=False),
        sa.Column("area_mu", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["grower_id"],
            ["agri_grower.id"],
            name=op.f("fk_agri_grower_crop_grower_id_agri_grower"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agri_grower_crop")),
        sa.UniqueConstraint("grower_id", "crop", name=op.f("uq_agri_grower_crop_grower_id")),
    )
    op.create_index(
        op.f("ix_agri_grower_crop_county"), "agri_grower_crop", ["county"], unique=False
    )
    op.create_index(
        "ix_agri_grower_crop_crop", "agri_grower_crop", ["crop", "grower_id"], unique=False
    )
    op.create_table(
        "analytics_snapshot_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=64), nullable=False),
        sa.Column("figure", sa.String(length=16), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("hit", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["analytics_snapshot.id"],
            name=op.f("fk_analytics_snapshot_case_snapshot_id_analytics_snapshot"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_snapshot_case")),
    )
    op.create_index(
        "ix_snapshot_case_figure",
        "analytics_snapshot_case",
        ["snapshot_id", "unit", "figure"],
        unique=False,
    )
    op.create_table(
        "process_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=False),
        sa.Column("process_key", sa.String(length=128), nullable=False),
        sa.Column("title", sa.String(length=256), nullable=False),
        sa.Column("base_definition_id", sa.Integer(), nullable=True),
        sa.Column("source_name", sa.String(length=256), nullable=False),
        sa.Column("bpmn_xml", sa.Text(), nullable=False),
        sa.Column("called_xmls", sa.JSON(), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("saved_by", sa.String(length=128), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deployed_definition_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["base_definition_id"],
            ["process_definition.id"],
            name=op.f("fk_process_draft_base_definition_id_process_definition"),
        ),
        sa.ForeignKeyConstraint(
            ["deployed_definition_id"],
            ["process_definition.id"],
            name=op.f("fk_process_draft_deployed_definition_id_process_definition"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_process_draft")),
    )
    op.create_index(op.f("ix_process_draft_county"), "process_draft", ["county"], unique=False)
    op.create_index(
        op.f("ix_process_draft_process_key"), "process_draft", ["process_key"], unique=False
    )
    op.create_table(
        "process_instance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=False),
        sa.Column("definition_id", sa.Integer(), nullable=False),
        sa.Column("business_key", sa.String(length=128), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("state_json", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lock_owner", sa.String(length=128), nullable=True),
        sa.Column("lock_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("timer_failures", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["definition_id"],
            ["process_definition.id"],
            name=op.f("fk_process_instance_definition_id_process_definition"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_process_instance")),
    )
    op.create_index(
        op.f("ix_process_instance_business_key"), "process_instance", ["business_key"], unique=False
    )
    op.create_index(
        op.f("ix_process_instance_county"), "process_instance", ["county"], unique=False
    )
    op.create_index(
        op.f("ix_process_instance_definition_id"),
        "process_instance",
        ["definition_id"],
        unique=False,
    )
    op.create_index("ix_process_instance_due", "process_instance", ["next_due_at"], unique=False)
    op.create_table(
        "agri_consultation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=True),
        sa.Column("grower_id", sa.Integer(), nullable=False),
        sa.Column("asked_by", sa.String(length=64), nullable=False),
        sa.Column("crop", sa.String(length=32), nullable=False),
        sa.Column("symptom", sa.String(length=32), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("photos", sa.JSON(), nullable=False),
        sa.Column("township_id", sa.String(length=64), nullable=False),
        sa.Column("village_id", sa.String(length=64), nullable=False),
        sa.Column("unit", sa.String(length=64), nullable=True),
        sa.Column("matter_id", sa.String(length=16), nullable=True),
        sa.Column("routing_explanation", sa.Text(), nullable=True),
        sa.Column("expert", sa.String(length=64), nullable=True),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("escalations", sa.Integer(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_answer_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("diagnosis", sa.Text(), nullable=True),
        sa.Column("guidance", sa.Text(), nullable=True),
        sa.Column("concluded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("concluded_by", sa.String(length=64), nullable=True),
        sa.Column("widespread", sa.Boolean(), nullable=False),
        sa.Column("visit_date", sa.Date(), nullable=True),
        sa.Column("visit_findings", sa.Text(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("rating_comment", sa.Text(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("close_reason", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["grower_id"],
            ["agri_grower.id"],
            name=op.f("fk_agri_consultation_grower_id_agri_grower"),
        ),
        sa.ForeignKeyConstraint(
            ["instance_id"],
            ["process_instance.id"],
            name=op.f("fk_agri_consultation_instance_id_process_instance"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agri_consultation")),
    )
    op.create_index(
        "ix_agri_consultation_asked", "agri_consultation", ["county", "asked_at"], unique=False
    )
    op.create_index(
        op.f("ix_agri_consultation_county"), "agri_consultation", ["county"], unique=False
    )
    op.create_index(
        "ix_agri_consultation_expert",
        "agri_consultation",
        ["county", "expert", "stage"],
        unique=False,
    )
    op.create_index(
        op.f("ix_agri_consultation_grower_id"), "agri_consultation", ["grower_id"], unique=False
    )
    op.create_table(
        "catalog_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=64), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=True),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("opinion_days", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("effective", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["instance_id"],
            ["process_instance.id"],
            name=op.f("fk_catalog_revision_instance_id_process_instance"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_revision")),
    )
    op.create_index(
        op.f("ix_catalog_revision_county"), "catalog_revision", ["county"], unique=False
    )
    op.create_index(
        "ix_catalog_revision_label", "catalog_revision", ["county", "label"], unique=False
    )
    op.create_table(
        "complaint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=False),
        sa.Column("tracking_code", sa.String(length=32), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("matter_id", sa.String(length=32), nullable=True),
        sa.Column("township_id", sa.String(length=64), nullable=False),
        sa.Column("village_id", sa.String(length=64), nullable=False),
        sa.Column("grid_id", sa.String(length=64), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("photos", sa.JSON(), nullable=False),
        sa.Column("reporter_name", sa.String(length=64), nullable=True),
        sa.Column("reporter_phone", sa.String(length=32), nullable=True),
        sa.Column("reporter_group", sa.String(length=128), nullable=False),
        sa.Column("reported_by", sa.String(length=128), nullable=True),
        sa.Column("on_behalf", sa.Boolean(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duplicate_of", sa.Integer(), nullable=True),
        sa.Column("routing", sa.JSON(), nullable=True),
        sa.Column("routing_explanation", sa.Text(), nullable=True),
        sa.Column("catalog_version", sa.String(length=64), nullable=True),
        sa.Column("matter_name", sa.String(length=128), nullable=True),
        sa.Column("domain", sa.String(length=64), nullable=True),
        sa.Column("stage", sa.String(length=24), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("primary_unit", sa.String(length=64), nullable=True),
        sa.Column("supporting_units", sa.JSON(), nullable=False),
        sa.Column("sign_for_due", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handle_due", sa.DateTime(timezone=True), nullable=True),
        sa.Column("due_provisional", sa.Boolean(), nullable=False),
        sa.Column("overdue", sa.Boolean(), nullable=False),
        sa.Column("extension_count", sa.Integer(), nullable=False),
        sa.Column("return_count", sa.Integer(), nullable=False),
        sa.Column("reopen_count", sa.Integer(), nullable=False),
        sa.Column("listed", sa.Boolean(), nullable=False),
        sa.Column("valid", sa.Boolean(), nullable=False),
        sa.Column("closure_kind", sa.String(length=16), nullable=True),
        sa.Column("closure_reason", sa.Text(), nullable=True),
        sa.Column("merged_into", sa.Integer(), nullable=True),
        sa.Column("reply_text", sa.Text(), nullable=True),
        sa.Column("satisfaction", sa.String(length=16), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["instance_id"],
            ["process_instance.id"],
            name=op.f("fk_complaint_instance_id_process_instance"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint")),
        sa.UniqueConstraint("tracking_code", name=op.f("uq_complaint_tracking_code")),
    )
    op.create_index("ix_complaint_closed", "complaint", ["county", "closed_at"], unique=False)
    op.create_index(op.f("ix_complaint_county"), "complaint", ["county"], unique=False)
    op.create_index(
        "ix_complaint_dup",
        "complaint",
        ["county", "matter_id", "village_id", "received_at"],
        unique=False,
    )
    op.create_index(
        "ix_complaint_dup_queue",
        "complaint",
        ["county", "status", "stage", "received_at"],
        unique=False,
        sqlite_where=sa.text("duplicate_of IS NOT NULL"),
        postgresql_where=sa.text("duplicate_of IS NOT NULL"),
    )
    op.create_index(op.f("ix_complaint_duplicate_of"), "complaint", ["duplicate_of"], unique=False)
    op.create_index(
        "ix_complaint_handle_due",
        "complaint",
        ["county", "status", "stage", "handle_due"],
        unique=False,
    )
    op.create_index(op.f("ix_complaint_instance_id"), "complaint", ["instance_id"], unique=False)
    op.create_index(
        "ix_complaint_overdue",
        "complaint",
        ["county", "status", "stage"],
        unique=False,
        sqlite_where=sa.text("overdue IS 1"),
        postgresql_where=sa.text("overdue IS TRUE"),
    )
    op.create_index(
        "ix_complaint_period",
        "complaint",
        [
            "county",
            "received_at",
            "valid",
            "closure_kind",
            "township_id",
            "village_id",
            "matter_id",
            "domain",
            "grid_id",
            "latitude",
            "longitude",
            "primary_unit",
            "status",
            "closed_at",
        ],
        unique=False,
    )
    op.create_index(op.f("ix_complaint_primary_unit"), "complaint", ["primary_unit"], unique=False)
    op.create_index(op.f("ix_complaint_received_at"), "complaint", ["received_at"], unique=False)
    op.create_index(
        "ix_complaint_sign_due",
        "complaint",
        ["county", "status", "stage", "sign_for_due"],
        unique=False,
    )
    op.create_index("ix_complaint_stage", "complaint", ["county", "status", "stage"], unique=False)
    op.create_index(op.f("ix_complaint_township_id"), "complaint", ["township_id"], unique=False)
    op.create_table(
        "human_task",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=False),
        sa.Column("task_name", sa.String(length=128), nullable=False),
        sa.Column("title", sa.String(length=256), nullable=False),
        sa.Column("lane", sa.String(length=128), nullable=True),
        sa.Column("candidate_groups", sa.JSON(), nullable=False),
        sa.Column("assignee", sa.String(length=128), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_by", sa.String(length=128), nullable=True),
        sa.ForeignKeyConstraint(
            ["instance_id"],
            ["process_instance.id"],
            name=op.f("fk_human_task_instance_id_process_instance"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_human_task")),
    )
    op.create_index(op.f("ix_human_task_assignee"), "human_task", ["assignee"], unique=False)
    op.create_index(op.f("ix_human_task_county"), "human_task", ["county"], unique=False)
    op.create_index(op.f("ix_human_task_instance_id"), "human_task", ["instance_id"], unique=False)
    op.create_index("ix_human_task_open", "human_task", ["county", "state", "lane"], unique=False)
    op.create_index(
        "ix_human_task_queue",
        "human_task",
        ["county", "state", "task_name", "created_at"],
        unique=False,
    )
    op.create_table(
        "incident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=True),
        sa.Column("definition_id", sa.Integer(), nullable=True),
        sa.Column("element_id", sa.String(length=128), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.String(length=128), nullable=True),
        sa.ForeignKeyConstraint(
            ["definition_id"],
            ["process_definition.id"],
            name=op.f("fk_incident_definition_id_process_definition"),
        ),
        sa.ForeignKeyConstraint(
            ["instance_id"],
            ["process_instance.id"],
            name=op.f("fk_incident_instance_id_process_instance"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident")),
    )
    op.create_index(op.f("ix_incident_county"), "incident", ["county"], unique=False)
    op.create_index(op.f("ix_incident_instance_id"), "incident", ["instance_id"], unique=False)
    op.create_table(
        "agri_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=16), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("photos", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["agri_consultation.id"],
            name=op.f("fk_agri_message_consultation_id_agri_consultation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agri_message")),
    )
    op.create_index(
        op.f("ix_agri_message_consultation_id"), "agri_message", ["consultation_id"], unique=False
    )
    op.create_index(op.f("ix_agri_message_county"), "agri_message", ["county"], unique=False)
    op.create_table(
        "agri_push",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=True),
        sa.Column("consultation_id", sa.Integer(), nullable=True),
        sa.Column("crop", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=128), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("townships", sa.JSON(), nullable=False),
        sa.Column("villages", sa.JSON(), nullable=False),
        sa.Column("send_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["agri_consultation.id"],
            name=op.f("fk_agri_push_consultation_id_agri_consultation"),
        ),
        sa.ForeignKeyConstraint(
            ["instance_id"],
            ["process_instance.id"],
            name=op.f("fk_agri_push_instance_id_process_instance"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agri_push")),
    )
    op.create_index(op.f("ix_agri_push_county"), "agri_push", ["county"], unique=False)
    op.create_index("ix_agri_push_sent", "agri_push", ["county", "sent_at"], unique=False)
    op.create_table(
        "amendment_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("matter_id", sa.String(length=32), nullable=True),
        sa.Column("catalog_version", sa.String(length=64), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("decided_primary", sa.String(length=64), nullable=True),
        sa.Column("decided_supporting", sa.JSON(), nullable=False),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_amendment_proposal_complaint_id_complaint"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_amendment_proposal")),
    )
    op.create_index(
        op.f("ix_amendment_proposal_complaint_id"),
        "amendment_proposal",
        ["complaint_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_amendment_proposal_county"), "amendment_proposal", ["county"], unique=False
    )
    op.create_table(
        "catalog_opinion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=64), nullable=False),
        sa.Column("matters", sa.JSON(), nullable=False),
        sa.Column("opinion", sa.String(length=16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by", sa.String(length=128), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["catalog_revision.id"],
            name=op.f("fk_catalog_opinion_revision_id_catalog_revision"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_opinion")),
        sa.UniqueConstraint(
            "revision_id", "round", "unit", name=op.f("uq_catalog_opinion_revision_id")
        ),
    )
    op.create_index(op.f("ix_catalog_opinion_county"), "catalog_opinion", ["county"], unique=False)
    op.create_index(
        op.f("ix_catalog_opinion_revision_id"), "catalog_opinion", ["revision_id"], unique=False
    )
    op.create_index(op.f("ix_catalog_opinion_unit"), "catalog_opinion", ["unit"], unique=False)
    op.create_table(
        "complaint_stage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("task_id", sa.String(length=36), nullable=False),
        sa.Column("unit", sa.String(length=128), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("on_time", sa.Boolean(), nullable=True),
        sa.Column("actor", sa.String(length=128), nullable=True),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_complaint_stage_complaint_id_complaint"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_stage")),
        sa.UniqueConstraint("task_id", name=op.f("uq_complaint_stage_task_id")),
    )
    op.create_index(
        op.f("ix_complaint_stage_complaint_id"), "complaint_stage", ["complaint_id"], unique=False
    )
    op.create_index(op.f("ix_complaint_stage_county"), "complaint_stage", ["county"], unique=False)
    op.create_index(
        "ix_complaint_stage_open",
        "complaint_stage",
        ["county", "unit", "ended_at", "due_at"],
        unique=False,
    )
    op.create_index(
        "ix_complaint_stage_period",
        "complaint_stage",
        ["county", "stage", "ended_at"],
        unique=False,
    )
    op.create_index(op.f("ix_complaint_stage_unit"), "complaint_stage", ["unit"], unique=False)
    op.create_table(
        "open311_submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("media_url", sa.Text(), nullable=True),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("address_string", sa.Text(), nullable=True),
        sa.Column("device_id", sa.String(length=128), nullable=True),
        sa.Column("account_id", sa.String(length=128), nullable=True),
        sa.Column("email", sa.String(length=256), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["api_client.id"],
            name=op.f("fk_open311_submission_client_id_api_client"),
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_open311_submission_complaint_id_complaint"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open311_submission")),
        sa.UniqueConstraint("complaint_id", name=op.f("uq_open311_submission_complaint_id")),
    )
    op.create_index(
        op.f("ix_open311_submission_client_id"), "open311_submission", ["client_id"], unique=False
    )
    op.create_table(
        "phone_check_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_phone_check_failure_complaint_id_complaint"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_check_failure")),
    )
    op.create_index(
        "ix_phone_check_failure_recent", "phone_check_failure", ["complaint_id", "at"], unique=False
    )
    op.create_table(
        "agri_push_receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=False),
        sa.Column("push_id", sa.Integer(), nullable=False),
        sa.Column("grower_id", sa.Integer(), nullable=False),
        sa.Column("village_id", sa.String(length=64), nullable=False),
        sa.Column("recipient", sa.String(length=64), nullable=False),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("read_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["grower_id"],
            ["agri_grower.id"],
            name=op.f("fk_agri_push_receipt_grower_id_agri_grower"),
        ),
        sa.ForeignKeyConstraint(
            ["push_id"], ["agri_push.id"], name=op.f("fk_agri_push_receipt_push_id_agri_push")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agri_push_receipt")),
        sa.UniqueConstraint("push_id", "grower_id", name=op.f("uq_agri_push_receipt_push_id")),
    )
    op.create_index(
        op.f("ix_agri_push_receipt_county"), "agri_push_receipt", ["county"], unique=False
    )
    op.create_index(
        "ix_agri_receipt_recipient", "agri_push_receipt", ["recipient", "read_at"], unique=False
    )
    op.create_table(
        "proposal_acceptance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=64), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_by", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["amendment_proposal.id"],
            name=op.f("fk_proposal_acceptance_proposal_id_amendment_proposal"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_acceptance")),
        sa.UniqueConstraint("proposal_id", name=op.f("uq_proposal_acceptance_proposal_id")),
    )
    op.create_index(
        op.f("ix_proposal_acceptance_county"), "proposal_acceptance", ["county"], unique=False
    )

    dialect = op.get_bind().dialect.name
    for statement in _postgresql_triggers() if dialect == "postgresql" else _sqlite_triggers():
        op.execute(statement)


def downgrade() -> None:
    op.drop_index(op.f("ix_proposal_acceptance_county"), table_name="proposal_acceptance")
    op.drop_table("proposal_acceptance")
    op.drop_index("ix_agri_receipt_recipient", table_name="agri_push_receipt")
    op.drop_index(op.f("ix_agri_push_receipt_county"), table_name="agri_push_receipt")
    op.drop_table("agri_push_receipt")
    op.drop_index("ix_phone_check_failure_recent", table_name="phone_check_failure")
    op.drop_table("phone_check_failure")
    op.drop_index(op.f("ix_open311_submission_client_id"), table_name="open311_submission")
    op.drop_table("open311_submission")
    op.drop_index(op.f("ix_complaint_stage_unit"), table_name="complaint_stage")
    op.drop_index("ix_complaint_stage_period", table_name="complaint_stage")
    op.drop_index("ix_complaint_stage_open", table_name="complaint_stage")
    op.drop_index(op.f("ix_complaint_stage_county"), table_name="complaint_stage")
    op.drop_index(op.f("ix_complaint_stage_complaint_id"), table_name="complaint_stage")
    op.drop_table("complaint_stage")
    op.drop_index(op.f("ix_catalog_opinion_unit"), table_name="catalog_opinion")
    op.drop_index(op.f("ix_catalog_opinion_revision_id"), table_name="catalog_opinion")
    op.drop_index(op.f("ix_catalog_opinion_county"), table_name="catalog_opinion")
    op.drop_table("catalog_opinion")
    op.drop_index(op.f("ix_amendment_proposal_county"), table_name="amendment_proposal")
    op.drop_index(op.f("ix_amendment_proposal_complaint_id"), table_name="amendment_proposal")
    op.drop_table("amendment_proposal")
    op.drop_index("ix_agri_push_sent", table_name="agri_push")
    op.drop_index(op.f("ix_agri_push_county"), table_name="agri_push")
    op.drop_table("agri_push")
    op.drop_index(op.f("ix_agri_message_county"), table_name="agri_message")
    op.drop_index(op.f("ix_agri_message_consultation_id"), table_name="agri_message")
    op.drop_table("agri_message")
    op.drop_index(op.f("ix_incident_instance_id"), table_name="incident")
    op.drop_index(op.f("ix_incident_county"), table_name="incident")
    op.drop_table("incident")
    op.drop_index("ix_human_task_queue", table_name="human_task")
    op.drop_index("ix_human_task_open", table_name="human_task")
    op.drop_index(op.f("ix_human_task_instance_id"), table_name="human_task")
    op.drop_index(op.f("ix_human_task_county"), table_name="human_task")
    op.drop_index(op.f("ix_human_task_assignee"), table_name="human_task")
    op.drop_table("human_task")
    op.drop_index(op.f("ix_complaint_township_id"), table_name="complaint")
    op.drop_index("ix_complaint_stage", table_name="complaint")
    op.drop_index("ix_complaint_sign_due", table_name="complaint")
    op.drop_index(op.f("ix_complaint_received_at"), table_name="complaint")
    op.drop_index(op.f("ix_complaint_primary_unit"), table_name="complaint")
    op.drop_index("ix_complaint_period", table_name="complaint")
    op.drop_index(
        "ix_complaint_overdue",
        table_name="complaint",
        sqlite_where=sa.text("overdue IS 1"),
        postgresql_where=sa.text("overdue IS TRUE"),
    )
    op.drop_index(op.f("ix_complaint_instance_id"), table_name="complaint")
    op.drop_index("ix_complaint_handle_due", table_name="complaint")
    op.drop_index(op.f("ix_complaint_duplicate_of"), table_name="complaint")
    op.drop_index(
        "ix_complaint_dup_queue",
        table_name="complaint",
        sqlite_where=sa.text("duplicate_of IS NOT NULL"),
        postgresql_where=sa.text("duplicate_of IS NOT NULL"),
    )
    op.drop_index("ix_complaint_dup", table_name="complaint")
    op.drop_index(op.f("ix_complaint_county"), table_name="complaint")
    op.drop_index("ix_complaint_closed", table_name="complaint")
    op.drop_table("complaint")
    op.drop_index("ix_catalog_revision_label", table_name="catalog_revision")
    op.drop_index(op.f("ix_catalog_revision_county"), table_name="catalog_revision")
    op.drop_table("catalog_revision")
    op.drop_index(op.f("ix_agri_consultation_grower_id"), table_name="agri_consultation")
    op.drop_index("ix_agri_consultation_expert", table_name="agri_consultation")
    op.drop_index(op.f("ix_agri_consultation_county"), table_name="agri_consultation")
    op.drop_index("ix_agri_consultation_asked", table_name="agri_consultation")
    op.drop_table("agri_consultation")
    op.drop_index("ix_process_instance_due", table_name="process_instance")
    op.drop_index(op.f("ix_process_instance_definition_id"), table_name="process_instance")
    op.drop_index(op.f("ix_process_instance_county"), table_name="process_instance")
    op.drop_index(op.f("ix_process_instance_business_key"), table_name="process_instance")
    op.drop_table("process_instance")
    op.drop_index(op.f("ix_process_draft_process_key"), table_name="process_draft")
    op.drop_index(op.f("ix_process_draft_county"), table_name="process_draft")
    op.drop_table("process_draft")
    op.drop_index("ix_snapshot_case_figure", table_name="analytics_snapshot_case")
    op.drop_table("analytics_snapshot_case")
    op.drop_index("ix_agri_grower_crop_crop", table_name="agri_grower_crop")
    op.drop_index(op.f("ix_agri_grower_crop_county"), table_name="agri_grower_crop")
    op.drop_table("agri_grower_crop")
    op.drop_index(op.f("ix_user_account_unit_id"), table_name="user_account")
    op.drop_index(op.f("ix_user_account_county"), table_name="user_account")
    op.drop_table("user_account")
    op.drop_index(op.f("ix_unit_assignment_unit_id"), table_name="unit_assignment")
    op.drop_index(op.f("ix_unit_assignment_county"), table_name="unit_assignment")
    op.drop_table("unit_assignment")
    op.drop_index(op.f("ix_process_definition_county"), table_name="process_definition")
    op.drop_table("process_definition")
    op.drop_index(op.f("ix_notification_instance_id"), table_name="notification")
    op.drop_index("ix_notification_inbox", table_name="notification")
    op.drop_index(op.f("ix_notification_county"), table_name="notification")
    op.drop_table("notification")
    op.drop_index(op.f("ix_holiday_schedule_county"), table_name="holiday_schedule")
    op.drop_table("holiday_schedule")
    op.drop_index(op.f("ix_catalog_version_county"), table_name="catalog_version")
    op.drop_table("catalog_version")
    op.drop_index(op.f("ix_audit_event_instance_id"), table_name="audit_event")
    op.drop_index(op.f("ix_audit_event_county"), table_name="audit_event")
    op.drop_index(op.f("ix_audit_event_at"), table_name="audit_event")
    op.drop_table("audit_event")
    op.drop_index(op.f("ix_api_client_key_prefix"), table_name="api_client")
    op.drop_index(op.f("ix_api_client_county"), table_name="api_client")
    op.drop_table("api_client")
    op.drop_index(op.f("ix_analytics_snapshot_county"), table_name="analytics_snapshot")
    op.drop_table("analytics_snapshot")
    op.drop_index("ix_agri_grower_village", table_name="agri_grower")
    op.drop_index(op.f("ix_agri_grower_county"), table_name="agri_grower")
    op.drop_table("agri_grower")
    op.drop_index(op.f("ix_agri_expert_specialty_county"), table_name="agri_expert_specialty")
    op.drop_table("agri_expert_specialty")

    if op.get_bind().dialect.name == "postgresql":
        functions = ["audit_event_append_only", "catalog_version_frozen"]
        functions += [f"{table}_frozen" for table in FROZEN_SNAPSHOT_TABLES]
        for function in functions:
            op.execute(f"DROP FUNCTION IF EXISTS {function}() CASCADE")
