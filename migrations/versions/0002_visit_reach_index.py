"""Replace the visit (house_id, visited_at) index by the covering reach index

The monthly reach report of the whole municipality read ~90,000 visits three times with a
table lookup per visit; on SQLite that took ~280 ms over a year of 1,000,000 visits. The
wider index starts with the same two columns, so every query that used the old one can
use it, and it holds every column a report reads (bench/stats_bench.py).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 07:10:00

"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

REACH_INDEX_COLUMNS = [
    "house_id",
    "visited_at",
    "suspicious",
    "channel",
    "first_time",
    "age_group",
    "area_id",
    "area_answer",
    "room_id",
    "booking_id",
    "kiosk_id",
    "device_hash",
]


def upgrade():
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index("ix_visit_reach", REACH_INDEX_COLUMNS, unique=False)
        batch_op.drop_index("ix_visit_house_visited_at")


def downgrade():
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index("ix_visit_house_visited_at", ["house_id", "visited_at"], unique=False)
        batch_op.drop_index("ix_visit_reach")
