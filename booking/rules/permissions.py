"""Who may do what: DESIGN section 3 as data.

Roles are held per house (a membership) except gemeente, which holds for all houses.
One person may hold several roles in one house (beheerder and sociaal beheerder).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Role(StrEnum):
    initiatiefnemer = "initiatiefnemer"
    gastheer = "gastheer"
    sociaal_beheerder = "sociaal_beheerder"
    beheerder = "beheerder"
    gemeente = "gemeente"


HOUSE_ROLES = frozenset({Role.gastheer, Role.sociaal_beheerder, Role.beheerder})


class Permission(StrEnum):
    book = "book"
    see_booking_details = "see_booking_details"
    see_booking_details_today = "see_booking_details_today"
    run_kiosk = "run_kiosk"
    manage_programme = "manage_programme"
    manage_building = "manage_building"
    override_tariff = "override_tariff"
    manage_feeds = "manage_feeds"
    export_invoicing = "export_invoicing"
    manage_invoices = "manage_invoices"  # invoices, payments, credit notes, organisations
    see_statistics = "see_statistics"
    see_today_totals = "see_today_totals"
    manage_policy = "manage_policy"
    book_on_behalf = "book_on_behalf"  # staff book for a resident without an account


_SOCIAL = frozenset(
    {
        Permission.book,
        Permission.see_booking_details,
        Permission.see_booking_details_today,
        Permission.run_kiosk,
        Permission.manage_programme,
        Permission.manage_feeds,
        Permission.see_statistics,
        Permission.see_today_totals,
        Permission.book_on_behalf,
    }
)
_BUILDING = _SOCIAL | {
    Permission.manage_building,
    Permission.override_tariff,
    Permission.export_invoicing,
    Permission.manage_invoices,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.initiatiefnemer: frozenset({Permission.book}),
    Role.gastheer: frozenset(
        {
            Permission.book,
            Permission.see_booking_details_today,
            Permission.run_kiosk,
            Permission.see_today_totals,
        }
    ),
    Role.sociaal_beheerder: _SOCIAL,
    Role.beheerder: frozenset(_BUILDING),
    Role.gemeente: frozenset(_BUILDING | {Permission.manage_policy}),
}


def permissions_for(roles: Iterable[Role]) -> frozenset[Permission]:
    """The union of what a set of roles allows in one house."""
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    return frozenset(granted)
