"""SQLAlchemy models, grouped by aggregate. Import from here."""

from booking.models.accounts import ApiToken, HouseMembership, LoginThrottle, User
from booking.models.base import Base, UTCDateTime, utcnow
from booking.models.bookings import Booking
from booking.models.houses import (
    Area,
    Closure,
    House,
    OpeningHours,
    PolicySettings,
    PriorityBlock,
    Room,
    ServedArea,
)
from booking.models.invoicing import HouseInvoicing, Invoice, InvoiceCounter, InvoiceLine, Payment
from booking.models.kiosk import (
    DeviceHashKey,
    HostNote,
    Kiosk,
    Visit,
    VisitDailyRollup,
    VisitorCard,
    VisitorCardBatch,
)
from booking.models.operations import AuditEntry, FeedToken, JobRun, OutboxAttachment, OutboxMail
from booking.models.organisations import Organisation, OrganisationContact
from booking.models.series import BookingSeries

__all__ = [
    "ApiToken",
    "Area",
    "AuditEntry",
    "Base",
    "Booking",
    "BookingSeries",
    "Closure",
    "DeviceHashKey",
    "FeedToken",
    "HostNote",
    "House",
    "HouseInvoicing",
    "HouseMembership",
    "Invoice",
    "InvoiceCounter",
    "InvoiceLine",
    "JobRun",
    "Kiosk",
    "LoginThrottle",
    "OpeningHours",
    "Organisation",
    "OrganisationContact",
    "OutboxAttachment",
    "OutboxMail",
    "Payment",
    "PolicySettings",
    "PriorityBlock",
    "Room",
    "ServedArea",
    "UTCDateTime",
    "User",
    "Visit",
    "VisitDailyRollup",
    "VisitorCard",
    "VisitorCardBatch",
    "utcnow",
]
