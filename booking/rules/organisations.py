"""The kinds of organisation that book, with their Dutch names (DESIGN §14)."""

from __future__ import annotations

import enum

from booking.rules.messages import N_


class OrganisationKind(enum.StrEnum):
    vereniging = "vereniging"
    stichting = "stichting"
    bedrijf = "bedrijf"
    bewonersgroep = "bewonersgroep"


KIND_LABELS = {
    OrganisationKind.vereniging: N_("vereniging"),
    OrganisationKind.stichting: N_("stichting"),
    OrganisationKind.bedrijf: N_("bedrijf"),
    OrganisationKind.bewonersgroep: N_("bewonersgroep"),
}
