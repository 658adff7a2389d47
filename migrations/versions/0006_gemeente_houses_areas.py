"""The gemeente on the web: house details and deactivation, CBS codes, served areas, policy

house: website, stichting_name, kvk_number, active, deactivated_at, and
request_expiry_own / booking_horizon_own (whether the house set its own expiry and
horizon, or follows the gemeente's default). area: cbs_code (unique) and cbs_year, with
the CHECKs ck_area_cbs_code_with_year and ck_area_cbs_year. served_area: which house
serves which area. policy_settings: the default request expiry and booking horizon, the
burst thresholds, and CHECKs on factors (at most 500 %), expiry, horizon and bursts.

Existing houses whose expiry or horizon differs from the old defaults (7 days, 18 months)
keep it as their own; the others follow the gemeente from now on.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-10 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _text(name: str, length: int) -> sa.Column:
    return sa.Column(name, sa.String(length=length), nullable=False, server_default="")


def _number(name: str, default: int) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=False, server_default=str(default))


def upgrade():
    with op.batch_alter_table("house", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("request_expiry_own", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column(
                "booking_horizon_own", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch_op.add_column(_text("website", 200))
        batch_op.add_column(_text("stichting_name", 200))
        batch_op.add_column(_text("kvk_number", 8))
        batch_op.add_column(
            sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(sa.Column("deactivated_at", sa.DateTime(timezone=True)))
    house = sa.table(
        "house",
        sa.column("request_expiry_days", sa.Integer()),
        sa.column("request_expiry_own", sa.Boolean()),
        sa.column("booking_horizon_months", sa.Integer()),
        sa.column("booking_horizon_own", sa.Boolean()),
    )
    op.execute(
        house.update().where(house.c.request_expiry_days != 7).values(request_expiry_own=True)
    )
    op.execute(
        house.update().where(house.c.booking_horizon_months != 18).values(booking_horizon_own=True)
    )

    with op.batch_alter_table("area", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cbs_code", sa.String(length=10)))
        batch_op.add_column(sa.Column("cbs_year", sa.Integer()))
        batch_op.create_unique_constraint(op.f("uq_area_cbs_code"), ["cbs_code"])
        batch_op.create_check_constraint(
            op.f("ck_area_cbs_code_with_year"), "(cbs_code IS NULL) = (cbs_year IS NULL)"
        )
        batch_op.create_check_constraint(
            op.f("ck_area_cbs_year"), "cbs_year IS NULL OR cbs_year BETWEEN 2000 AND 2999"
        )

    op.create_table(
        "served_area",
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("house_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["area_id"], ["area.id"], name=op.f("fk_served_area_area_id_area")),
        sa.ForeignKeyConstraint(
            ["house_id"], ["house.id"], name=op.f("fk_served_area_house_id_house")
        ),
        sa.PrimaryKeyConstraint("area_id", name=op.f("pk_served_area")),
    )
    op.create_index(op.f("ix_served_area_house_id"), "served_area", ["house_id"])

    with op.batch_alter_table("policy_settings", schema=None) as batch_op:
        batch_op.add_column(_number("request_expiry_days", 7))
        batch_op.add_column(_number("booking_horizon_months", 18))
        batch_op.add_column(_number("burst_kiosk", 30))
        batch_op.add_column(_number("burst_tablet", 30))
        batch_op.add_column(_number("burst_qr", 30))
        batch_op.add_column(_number("burst_poster", 10))
        batch_op.create_check_constraint(
            op.f("ck_policy_settings_factors_at_most_500"),
            "factor_t1_percent <= 500 AND factor_t2_percent <= 500 AND factor_t3_percent <= 500 "
            "AND factor_t4_percent <= 500",
        )
        batch_op.create_check_constraint(
            op.f("ck_policy_settings_expiry_positive"), "request_expiry_days >= 1"
        )
        batch_op.create_check_constraint(
            op.f("ck_policy_settings_horizon_range"), "booking_horizon_months BETWEEN 1 AND 60"
        )
        batch_op.create_check_constraint(
            op.f("ck_policy_settings_bursts_positive"),
            "burst_kiosk >= 1 AND burst_tablet >= 1 AND burst_qr >= 1 AND burst_poster >= 1",
        )


def downgrade():
    with op.batch_alter_table("policy_settings", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_policy_settings_bursts_positive"), type_="check")
        batch_op.drop_constraint(op.f("ck_policy_settings_horizon_range"), type_="check")
        batch_op.drop_constraint(op.f("ck_policy_settings_expiry_positive"), type_="check")
        batch_op.drop_constraint(op.f("ck_policy_settings_factors_at_most_500"), type_="check")
        for name in (
            "burst_poster",
            "burst_qr",
            "burst_tablet",
            "burst_kiosk",
            "booking_horizon_months",
            "request_expiry_days",
        ):
            batch_op.drop_column(name)

    op.drop_index(op.f("ix_served_area_house_id"), table_name="served_area")
    op.drop_table("served_area")

    with op.batch_alter_table("area", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_area_cbs_year"), type_="check")
        batch_op.drop_constraint(op.f("ck_area_cbs_code_with_year"), type_="check")
        batch_op.drop_constraint(op.f("uq_area_cbs_code"), type_="unique")
        batch_op.drop_column("cbs_year")
        batch_op.drop_column("cbs_code")

    with op.batch_alter_table("house", schema=None) as batch_op:
        for name in (
            "deactivated_at",
            "active",
            "kvk_number",
            "stichting_name",
            "website",
            "booking_horizon_own",
            "request_expiry_own",
        ):
            batch_op.drop_column(name)
