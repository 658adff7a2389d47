"""Booking.status becomes an Enum(BookingStatus) column; its CHECK is the enum's

The stored values (the Dutch words of DESIGN section 4), the VARCHAR(20) and the name of
the CHECK (ck_booking_status) stay as they were: the hand-written CHECK is replaced by the
one the non-native Enum type declares, so from here on the constraint follows the enum.
This revision is also the pattern for a new status: add the member to BookingStatus, then
a revision like this one with the new value list (and, for an active status, the WHERE of
ex_booking_no_overlap). On SQLite batch mode rebuilds the table (migrations/env.py turns
off foreign keys for that); on PostgreSQL it is two ALTER TABLE statements.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 07:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Frozen here, as every migration's values must be: BookingStatus may grow later.
STATUSES = (
    "aangevraagd",
    "onder_voorbehoud",
    "bevestigd",
    "geannuleerd",
    "verdrongen",
    "afgewezen",
)
CHECK_NAME = "ck_booking_status"


def _status_enum() -> sa.Enum:
    return sa.Enum(*STATUSES, name="status", native_enum=False, create_constraint=True, length=20)


def upgrade():
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(CHECK_NAME), type_="check")
        # The Enum type brings its own CHECK, named "status" -> ck_booking_status.
        batch_op.alter_column(
            "status",
            existing_type=sa.String(length=20),
            type_=_status_enum(),
            existing_nullable=False,
        )


def downgrade():
    values = ", ".join(f"'{status}'" for status in STATUSES)
    with op.batch_alter_table("booking", schema=None) as batch_op:
        # Changing the type back drops the Enum's CHECK; the plain one comes back after it.
        batch_op.alter_column(
            "status",
            existing_type=_status_enum(),
            type_=sa.String(length=20),
            existing_nullable=False,
        )
        batch_op.create_check_constraint(op.f(CHECK_NAME), f"status IN ({values})")
