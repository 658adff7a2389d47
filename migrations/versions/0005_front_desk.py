"""The front desk: house contact details and huiskamer hours, phones, request mail, on behalf

Adds columns only, each with a server default so existing rows stay valid:
house.contact_email, house.contact_phone, house.huiskamer_hours; user_account.phone and
user_account.request_mail (with its CHECK ck_user_account_request_mail);
booking.on_behalf_name, booking.on_behalf_phone, booking.on_behalf_email; and the index
ix_booking_public_start that the public agendas read.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 13:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Frozen here: RequestMail may grow later, this revision's values may not.
REQUEST_MAIL = ("direct", "dagelijks", "nooit")


def _text(name: str, length: int) -> sa.Column:
    return sa.Column(name, sa.String(length=length), nullable=False, server_default="")


def upgrade():
    with op.batch_alter_table("house", schema=None) as batch_op:
        batch_op.add_column(_text("contact_email", 254))
        batch_op.add_column(_text("contact_phone", 40))
        batch_op.add_column(_text("huiskamer_hours", 200))
    values = ", ".join(f"'{value}'" for value in REQUEST_MAIL)
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(_text("phone", 40))
        batch_op.add_column(
            sa.Column(
                "request_mail", sa.String(length=10), nullable=False, server_default="direct"
            )
        )
        batch_op.create_check_constraint(
            op.f("ck_user_account_request_mail"), f"request_mail IN ({values})"
        )
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.add_column(_text("on_behalf_name", 120))
        batch_op.add_column(_text("on_behalf_phone", 40))
        batch_op.add_column(_text("on_behalf_email", 254))
    op.create_index("ix_booking_public_start", "booking", ["public", "start"])


def downgrade():
    op.drop_index("ix_booking_public_start", table_name="booking")
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.drop_column("on_behalf_email")
        batch_op.drop_column("on_behalf_phone")
        batch_op.drop_column("on_behalf_name")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_user_account_request_mail"), type_="check")
        batch_op.drop_column("request_mail")
        batch_op.drop_column("phone")
    with op.batch_alter_table("house", schema=None) as batch_op:
        batch_op.drop_column("huiskamer_hours")
        batch_op.drop_column("contact_phone")
        batch_op.drop_column("contact_email")
