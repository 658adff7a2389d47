"""What the audit log (logboek) can say: every action and object kind, with its Dutch label.

A closed vocabulary, so a new use case cannot write an action the logboek shows as a raw
identifier: `tests/rules/test_audit.py` checks that every member has a label. The values
are what is stored in `audit_entry.action` and `audit_entry.object_type`.
"""

from enum import StrEnum

from booking.rules.messages import N_


class AuditAction(StrEnum):
    booking_created = "booking_created"
    series_created = "series_created"
    booking_displaced = "booking_displaced"
    booking_cancelled = "booking_cancelled"
    booking_approved = "booking_approved"
    booking_rejected = "booking_rejected"
    booking_overridden = "booking_overridden"
    booking_changed = "booking_changed"
    booking_confirmed_by_window = "booking_confirmed_by_window"
    booking_expired = "booking_expired"
    booked_on_behalf = "booked_on_behalf"
    phone_changed = "phone_changed"
    room_created = "room_created"
    room_updated = "room_updated"
    house_settings_updated = "house_settings_updated"
    opening_hours_replaced = "opening_hours_replaced"
    # gemeente: houses, areas, policy (issue 12)
    house_created = "house_created"
    house_updated = "house_updated"
    house_deactivated = "house_deactivated"
    house_reactivated = "house_reactivated"
    area_created = "area_created"
    area_updated = "area_updated"
    policy_updated = "policy_updated"
    closure_created = "closure_created"
    closure_deleted = "closure_deleted"
    priority_block_created = "priority_block_created"
    priority_block_deleted = "priority_block_deleted"
    user_created = "user_created"
    role_granted = "role_granted"
    password_reset = "password_reset"
    password_changed = "password_changed"
    sessions_ended = "sessions_ended"
    api_token_issued = "api_token_issued"
    # my account (issue 12)
    profile_changed = "profile_changed"
    email_change_requested = "email_change_requested"
    email_changed = "email_changed"
    session_ended = "session_ended"
    api_token_revoked = "api_token_revoked"
    account_deleted = "account_deleted"
    # people and roles (issue 12)
    user_invited = "user_invited"
    invitation_accepted = "invitation_accepted"
    role_removed = "role_removed"
    account_deactivated = "account_deactivated"
    account_reactivated = "account_reactivated"
    # retention of personal data (issue 12): one entry per run, with counts only
    retention_applied = "retention_applied"
    kiosk_created = "kiosk_created"
    kiosk_paired = "kiosk_paired"
    kiosk_revoked = "kiosk_revoked"
    feed_created = "feed_created"
    feed_revoked = "feed_revoked"
    tally_added = "tally_added"
    tally_undone = "tally_undone"
    host_note_added = "host_note_added"
    # organisations and invoicing (issue 13)
    organisation_created = "organisation_created"
    organisation_updated = "organisation_updated"
    organisation_contact_added = "organisation_contact_added"
    organisation_contact_removed = "organisation_contact_removed"
    invoicing_settings_updated = "invoicing_settings_updated"
    invoices_run = "invoices_run"
    invoice_line_removed = "invoice_line_removed"
    invoice_finalised = "invoice_finalised"
    invoice_credited = "invoice_credited"
    payment_recorded = "payment_recorded"


class AuditObject(StrEnum):
    booking = "booking"
    booking_series = "booking_series"
    room = "room"
    house = "house"
    area = "area"
    policy_settings = "policy_settings"
    closure = "closure"
    priority_block = "priority_block"
    kiosk = "kiosk"
    user = "user"
    feed_token = "feed_token"
    host_note = "host_note"
    organisation = "organisation"
    invoice = "invoice"


ACTION_LABELS: dict[AuditAction, str] = {
    AuditAction.booking_created: N_("Boeking gemaakt"),
    AuditAction.series_created: N_("Reeks geboekt"),
    AuditAction.booking_displaced: N_("Boeking verdrongen"),
    AuditAction.booking_cancelled: N_("Boeking geannuleerd"),
    AuditAction.booking_approved: N_("Aanvraag goedgekeurd"),
    AuditAction.booking_rejected: N_("Aanvraag afgewezen"),
    AuditAction.booking_overridden: N_("Tariefgroep of voorrang aangepast"),
    AuditAction.booking_changed: N_("Boeking gewijzigd"),
    AuditAction.booking_confirmed_by_window: N_("Bevestigd door de voorrangstermijn"),
    AuditAction.booking_expired: N_("Aanvraag verlopen"),
    AuditAction.booked_on_behalf: N_("Geboekt voor een bewoner"),
    AuditAction.phone_changed: N_("Telefoonnummer gewijzigd"),
    AuditAction.room_created: N_("Ruimte toegevoegd"),
    AuditAction.room_updated: N_("Ruimte gewijzigd"),
    AuditAction.house_settings_updated: N_("Instellingen gewijzigd"),
    AuditAction.opening_hours_replaced: N_("Openingstijden gewijzigd"),
    AuditAction.house_created: N_("Huis toegevoegd"),
    AuditAction.house_updated: N_("Gegevens van het huis gewijzigd"),
    AuditAction.house_deactivated: N_("Huis gedeactiveerd"),
    AuditAction.house_reactivated: N_("Huis weer actief"),
    AuditAction.area_created: N_("Wijk of kern toegevoegd"),
    AuditAction.area_updated: N_("Wijk of kern gewijzigd"),
    AuditAction.policy_updated: N_("Beleid van de gemeente gewijzigd"),
    AuditAction.closure_created: N_("Sluiting toegevoegd"),
    AuditAction.closure_deleted: N_("Sluiting verwijderd"),
    AuditAction.priority_block_created: N_("Voorrangsblok toegevoegd"),
    AuditAction.priority_block_deleted: N_("Voorrangsblok verwijderd"),
    AuditAction.user_created: N_("Account aangemaakt"),
    AuditAction.role_granted: N_("Rol in dit huis gegeven"),
    AuditAction.password_reset: N_("Wachtwoord opnieuw ingesteld"),
    AuditAction.password_changed: N_("Wachtwoord gewijzigd"),
    AuditAction.sessions_ended: N_("Overal uitgelogd"),
    AuditAction.api_token_issued: N_("API-sleutel uitgegeven"),
    AuditAction.profile_changed: N_("Eigen gegevens gewijzigd"),
    AuditAction.email_change_requested: N_("Nieuw e-mailadres aangevraagd"),
    AuditAction.email_changed: N_("E-mailadres gewijzigd"),
    AuditAction.session_ended: N_("Uitgelogd op één apparaat"),
    AuditAction.api_token_revoked: N_("API-sleutel ingetrokken"),
    AuditAction.account_deleted: N_("Een account is verwijderd"),
    AuditAction.user_invited: N_("Uitgenodigd"),
    AuditAction.invitation_accepted: N_("Uitnodiging aangenomen"),
    AuditAction.role_removed: N_("Rol weggehaald"),
    AuditAction.account_deactivated: N_("Account gedeactiveerd"),
    AuditAction.account_reactivated: N_("Account weer actief"),
    AuditAction.retention_applied: N_("Bewaartermijnen toegepast"),
    AuditAction.kiosk_created: N_("Kiosk aangemaakt"),
    AuditAction.kiosk_paired: N_("Tablet gekoppeld"),
    AuditAction.kiosk_revoked: N_("Kiosk ingetrokken"),
    AuditAction.feed_created: N_("Agenda-link gemaakt"),
    AuditAction.feed_revoked: N_("Agenda-link ingetrokken"),
    AuditAction.tally_added: N_("Bezoekers geteld"),
    AuditAction.tally_undone: N_("Telling ongedaan gemaakt"),
    AuditAction.host_note_added: N_("Notitie van de gastheer"),
    AuditAction.organisation_created: N_("Organisatie toegevoegd"),
    AuditAction.organisation_updated: N_("Organisatie gewijzigd"),
    AuditAction.organisation_contact_added: N_("Contactpersoon toegevoegd"),
    AuditAction.organisation_contact_removed: N_("Contactpersoon weggehaald"),
    AuditAction.invoicing_settings_updated: N_("Factuurgegevens gewijzigd"),
    AuditAction.invoices_run: N_("Facturen klaargezet"),
    AuditAction.invoice_line_removed: N_("Regel van een conceptfactuur gehaald"),
    AuditAction.invoice_finalised: N_("Factuur definitief gemaakt"),
    AuditAction.invoice_credited: N_("Creditfactuur gemaakt"),
    AuditAction.payment_recorded: N_("Betaling geboekt"),
}

OBJECT_LABELS: dict[AuditObject, str] = {
    AuditObject.booking: N_("boeking"),
    AuditObject.booking_series: N_("reeks"),
    AuditObject.room: N_("ruimte"),
    AuditObject.house: N_("huis"),
    AuditObject.area: N_("wijk of kern"),
    AuditObject.policy_settings: N_("beleid"),
    AuditObject.closure: N_("sluiting"),
    AuditObject.priority_block: N_("voorrangsblok"),
    AuditObject.kiosk: N_("kiosk"),
    AuditObject.user: N_("gebruiker"),
    AuditObject.feed_token: N_("agenda-link"),
    AuditObject.host_note: N_("notitie"),
    AuditObject.organisation: N_("organisatie"),
    AuditObject.invoice: N_("factuur"),
}
