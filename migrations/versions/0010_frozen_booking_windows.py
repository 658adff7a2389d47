"""Frozen windows: a booking keeps the voorrangstermijn and approval expiry it was judged by

booking.voorrangstermijn_days and booking.request_expiry_days, set for every existing
booking to its house's values in force now (the house's own, else the gemeente's), so
nothing moves at the upgrade; from then on a policy change reaches new bookings only.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 16:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

HOUSE_OF_BOOKING = "SELECT room.house_id FROM room WHERE room.id = booking.room_id"


def upgrade():
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("voorrangstermijn_days", sa.Integer(), nullable=False, server_default="14")
        )
        batch_op.add_column(
            sa.Column("request_expiry_days", sa.Integer(), nullable=False, server_default="7")
        )
    op.execute(
        f"""
        UPDATE booking SET
          voorrangstermijn_days = COALESCE(
            (SELECT house.voorrangstermijn_days FROM house WHERE house.id = ({HOUSE_OF_BOOKING})),
            (SELECT policy_settings.voorrangstermijn_days FROM policy_settings
              ORDER BY policy_settings.id LIMIT 1),
            14),
          request_expiry_days = COALESCE(
            (SELECT house.request_expiry_days FROM house WHERE house.id = ({HOUSE_OF_BOOKING})),
            7)
        """
    )


def downgrade():
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.drop_column("request_expiry_days")
        batch_op.drop_column("voorrangstermijn_days")
