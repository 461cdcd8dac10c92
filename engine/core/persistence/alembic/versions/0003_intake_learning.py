"""Issue 20: the matter a dispatcher gave a case, and the county's suggestion model versions.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None
# Shown by `juhaoban db history`.
summary = "调度员确认或更正的事项类别（训练样本）；县里自己的事项推荐模型版本"


def upgrade() -> None:
    op.create_table(
        "matter_label",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("matter_id", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("labelled_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_matter_label_complaint_id_complaint"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matter_label")),
        sa.UniqueConstraint("complaint_id", name=op.f("uq_matter_label_complaint_id")),
    )
    op.create_index(op.f("ix_matter_label_county"), "matter_label", ["county"], unique=False)
    op.create_index(
        "ix_matter_label_recent", "matter_label", ["county", "labelled_at"], unique=False
    )
    op.create_table(
        "intake_model",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("catalog_label", sa.String(length=64), nullable=False),
        sa.Column("examples", sa.JSON(), nullable=False),
        sa.Column("examples_digest", sa.String(length=64), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_model")),
        sa.UniqueConstraint("county", "version", name=op.f("uq_intake_model_county")),
    )
    op.create_index(op.f("ix_intake_model_county"), "intake_model", ["county"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_intake_model_county"), table_name="intake_model")
    op.drop_table("intake_model")
    op.drop_index("ix_matter_label_recent", table_name="matter_label")
    op.drop_index(op.f("ix_matter_label_county"), table_name="matter_label")
    op.drop_table("matter_label")
