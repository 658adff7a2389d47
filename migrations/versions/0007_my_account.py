"""My account: deleted accounts, and the login sessions the account page lists

user_account.deleted_at (NULL for every existing account), and the table login_session:
one row per signed-in browser or API client (the SHA-256 of the key its cookie holds, the
session version it was made under, when it began and was last seen; no IP address or
browser name). Sessions made before this revision carry no key and end: everyone logs in
once more.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-09 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "login_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_login_session_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_session")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_login_session_key_hash")),
    )
    op.create_index(op.f("ix_login_session_user_id"), "login_session", ["user_id"])


def downgrade():
    op.drop_index(op.f("ix_login_session_user_id"), table_name="login_session")
    op.drop_table("login_session")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("deleted_at")
