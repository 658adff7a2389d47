"""Beheer pages. Every view names the permission it needs in that house; others get 404."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user

from booking.beheer import bp
from booking.models import House
from booking.rules.permissions import Permission
from booking.services import houses


def house_for(slug: str, permission: Permission) -> House:
    """The house, if the user holds the permission there; else 404, never 403."""
    house = houses.get_house(slug)
    if house is None or not current_user.can(permission, house.id):
        abort(404)
    return house


@bp.route("/<slug>")
def house_overview(slug: str) -> str:
    house = house_for(slug, Permission.manage_programme)
    return render_template(
        "beheer/house.html",
        house=house,
        staff=houses.staff_of(house),
        policy=houses.house_policy(house),
        can_manage_building=current_user.can(Permission.manage_building, house.id),
    )
