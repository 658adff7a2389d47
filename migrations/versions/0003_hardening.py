"""Session versions, the login throttle per login name and a booking horizon per house

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 03:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), server_default="1", nullable=False)
        )
    op.create_table(
        "login_throttle",
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("failures >= 0", name=op.f("ck_login_throttle_failures_not_negative")),
        sa.PrimaryKeyConstraint("key_hash", name=op.f("pk_login_throttle")),
    )
    with op.batch_alter_table("login_throttle", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_login_throttle_last_failure_at"), ["last_failure_at"], unique=False
        )
    with op.batch_alter_table("house", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("booking_horizon_months", sa.Integer(), server_default="18", nullable=False)
        )
        batch_op.create_check_constraint(
            "booking_horizon_months_range", "booking_horizon_months BETWEEN 1 AND 60"
        )


def downgrade():
    with op.batch_alter_table("house", schema=None) as batch_op:
        batch_op.drop_constraint("booking_horizon_months_range", type_="check")
        batch_op.drop_column("booking_horizon_months")
    with op.batch_alter_table("login_throttle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_throttle_last_failure_at"))
    op.drop_table("login_throttle")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("session_version")
