"""Visitor cards: a visit may come in through channel `kaart`

The CHECK constraint ck_visit_channel gains 'kaart' (a printed anonymous card read by the
tablet's camera or a scanner, issue 14). Downgrading first removes the card visits, which
the old constraint cannot hold.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 15:40:00

"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

OLD = "channel IN ('qr', 'tablet', 'tally', 'poster')"
NEW = "channel IN ('qr', 'tablet', 'tally', 'poster', 'kaart')"


def upgrade():
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_visit_channel"), type_="check")
        batch_op.create_check_constraint(op.f("ck_visit_channel"), NEW)


def downgrade():
    op.execute("DELETE FROM visit WHERE channel = 'kaart'")
    op.execute("DELETE FROM visit_daily_rollup WHERE channel = 'kaart'")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_visit_channel"), type_="check")
        batch_op.create_check_constraint(op.f("ck_visit_channel"), OLD)
