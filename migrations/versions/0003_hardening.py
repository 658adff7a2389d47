"""Session versions, the per-account login throttle and a booking horizon per house

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
        batch_op.add_column(
            sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("login_blocked_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint("failed_logins_not_negative", "failed_logins >= 0")
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
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_constraint("failed_logins_not_negative", type_="check")
        batch_op.drop_column("login_blocked_until")
        batch_op.drop_column("failed_logins")
        batch_op.drop_column("session_version")
