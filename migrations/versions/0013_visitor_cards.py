"""Visitor cards (issue 14): the printed batches and their anonymous cards

visitor_card_batch (one printed sheet: house, when, how many) and visitor_card (the
SHA-256 of the card code, unique; the short code to block it by, unique per house; the
plain code only while the sheet may be printed again; blocked_at). Nothing about who got
a card.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 16:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "visitor_card_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("house_id", sa.Integer(), nullable=False),
        sa.Column("printed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["house_id"], ["house.id"], name=op.f("fk_visitor_card_batch_house_id_house")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visitor_card_batch")),
    )
    with op.batch_alter_table("visitor_card_batch", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_visitor_card_batch_house_id"), ["house_id"], unique=False
        )
    op.create_table(
        "visitor_card",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("house_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("short_code", sa.String(length=12), nullable=False),
        sa.Column("plain_code", sa.String(length=32), nullable=True),
        sa.Column("printed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["visitor_card_batch.id"],
            name=op.f("fk_visitor_card_batch_id_visitor_card_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["house_id"], ["house.id"], name=op.f("fk_visitor_card_house_id_house")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visitor_card")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_visitor_card_code_hash")),
        sa.UniqueConstraint(
            "house_id", "short_code", name=op.f("uq_visitor_card_house_id_short_code")
        ),
    )
    with op.batch_alter_table("visitor_card", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visitor_card_batch_id"), ["batch_id"], unique=False)


def downgrade():
    with op.batch_alter_table("visitor_card", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visitor_card_batch_id"))
    op.drop_table("visitor_card")
    with op.batch_alter_table("visitor_card_batch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visitor_card_batch_house_id"))
    op.drop_table("visitor_card_batch")
