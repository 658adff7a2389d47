"""Retention of personal data: how long bookings keep it, when an unused account goes

policy_settings.booking_retention_years (default 7, the fiscal bewaarplicht) and
policy_settings.account_inactivity_months (default 24), with the CHECK
ck_policy_settings_retention_minimum (at least 7 years and 12 months, whatever writes the
row); user_account.inactivity_notice_at (NULL for every existing account: nobody has been
told yet).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-14 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _number(name: str, default: int) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=False, server_default=str(default))


def upgrade():
    with op.batch_alter_table("policy_settings", schema=None) as batch_op:
        batch_op.add_column(_number("booking_retention_years", 7))
        batch_op.add_column(_number("account_inactivity_months", 24))
        batch_op.create_check_constraint(
            op.f("ck_policy_settings_retention_minimum"),
            "booking_retention_years >= 7 AND account_inactivity_months >= 12",
        )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("inactivity_notice_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("inactivity_notice_at")
    with op.batch_alter_table("policy_settings", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_policy_settings_retention_minimum"), type_="check")
        batch_op.drop_column("account_inactivity_months")
        batch_op.drop_column("booking_retention_years")
