"""Confirmation ("Weet u het zeker?") pages in beheer: cancel a booking, delete a closure or
a voorrangsblok. The buttons lead here (GET), this page's button posts to the unchanged
endpoints (bookings.py, closures.py, priority_blocks.py). Works without JavaScript.
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import Field

from booking.beheer.blueprint import bp
from booking.beheer.forms import CancelForm
from booking.beheer.pages import Page, now, problems_of, render_page
from booking.errors import RuleViolation
from booking.i18n import fmt_datetime, fmt_time, status_label, weekday_name
from booking.models import Booking, House
from booking.services import confirmations


def _confirm(
    house: House,
    heading: str,
    facts: list[tuple[str, str]],
    consequences: list[str],
    action: str,
    label: str,
    back: str,
    reason_field: Field | None = None,
) -> Page:
    return render_page(
        "beheer/confirm_action.html",
        house,
        heading=heading,
        facts=facts,
        consequences=consequences,
        action=action,
        confirm_label=label,
        back_url=back,
        reason_field=reason_field,
    )


def _booking_facts(booking: Booking) -> list[tuple[str, str]]:
    return [
        (_("Activiteit"), booking.title),
        (_("Wanneer"), f"{fmt_datetime(booking.start)}–{fmt_time(booking.end)}"),
        (_("Ruimte"), booking.room.name),
        (_("Organisator"), booking.organiser.name),
        (_("Status"), status_label(booking.status)),
    ]


@bp.route("/<slug>/boekingen/<int:booking_id>/annuleren/bevestigen")
def confirm_cancel_booking(slug: str, booking_id: int) -> Page:
    back = url_for("beheer.booking_detail", slug=slug, booking_id=booking_id)
    try:
        booking = confirmations.staff_cancellation(current_user, slug, booking_id, now()).booking
    except RuleViolation as error:
        flash(" ".join(problems_of(error)), "error")
        return redirect(back)
    form = CancelForm(formdata=None, data={"reason": request.args.get("reason", "")[:2000]})
    consequences = [
        _("De boeking wordt geannuleerd en de ruimte komt vrij. De organisator krijgt een e-mail."),
        _("Dit kunt u niet ongedaan maken."),
    ]
    return _confirm(
        booking.room.house,
        _("Boeking annuleren"),
        _booking_facts(booking),
        consequences,
        url_for("beheer.cancel_booking", slug=slug, booking_id=booking_id),
        _("Ja, annuleer deze boeking"),
        back,
        form.reason,
    )


@bp.route("/<slug>/sluitingen/<int:closure_id>/verwijderen/bevestigen")
def confirm_delete_closure(slug: str, closure_id: int) -> Page:
    house, closure = confirmations.closure_to_delete(current_user, slug, closure_id)
    rooms = {r.id: r.name for r in house.rooms}
    facts = [
        (_("Van"), fmt_datetime(closure.starts_at)),
        (_("Tot"), fmt_datetime(closure.ends_at)),
        (_("Wat"), rooms.get(closure.room_id, _("Het hele huis"))),
        (_("Reden"), closure.reason),
    ]
    consequences = [_("Na het verwijderen kan iedereen deze tijd weer boeken.")]
    action = url_for("beheer.delete_closure", slug=slug, closure_id=closure_id)
    back = url_for("beheer.closures", slug=slug)
    return _confirm(
        house,
        _("Sluiting verwijderen"),
        facts,
        consequences,
        action,
        _("Ja, verwijder de sluiting"),
        back,
    )


@bp.route("/<slug>/voorrangsblokken/<int:block_id>/verwijderen/bevestigen")
def confirm_delete_priority_block(slug: str, block_id: int) -> Page:
    house, block, room = confirmations.block_to_delete(current_user, slug, block_id)
    facts = [
        (_("Ruimte"), room.name),
        (_("Wanneer"), f"{weekday_name(block.weekday)} {block.starts:%H:%M}–{block.ends:%H:%M}"),
    ]
    if block.note:
        facts.append((_("Toelichting"), block.note))
    consequences = [
        _(
            "Na het verwijderen kan elke activiteit deze tijd boeken, niet alleen "
            "activiteiten door en voor bewoners."
        )
    ]
    action = url_for("beheer.delete_priority_block", slug=slug, block_id=block_id)
    back = url_for("beheer.priority_blocks", slug=slug)
    return _confirm(
        house,
        _("Voorrangsblok verwijderen"),
        facts,
        consequences,
        action,
        _("Ja, verwijder het voorrangsblok"),
        back,
    )
