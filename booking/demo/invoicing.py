"""Invoicing details for the demo's houses: each a stichting with a plausible KvK number
and an IBAN that passes its check (made here, pointing at no real account)."""

from __future__ import annotations

import re
import zlib

from booking.extensions import db
from booking.models import House, HouseInvoicing
from booking.rules.registry_numbers import normalise_iban

_POSTCODE = re.compile(r"\b([1-9][0-9]{3} ?[A-Z]{2})\b")


def demo_iban(seed: str) -> str:
    """An NL IBAN of the (fictional) bank code DEMO with valid check digits."""
    account = f"{zlib.crc32(seed.encode()) % 10**10:010d}"
    body = f"DEMO{account}NL00"
    digits = "".join(str(int(char, 36)) for char in body)
    iban = f"NL{98 - int(digits) % 97:02d}DEMO{account}"
    assert normalise_iban(iban) == iban
    return iban


def _prefix(house: House) -> str:
    words = [w for w in re.split(r"[^A-Za-z]+", house.name) if w and w.lower() not in {"de", "het"}]
    return "".join(w[0] for w in words).upper()[:4] or "F"


def load_demo_invoicing(loaded: list[House]) -> None:
    for house in loaded:
        if db.session.get(HouseInvoicing, house.id) is not None:
            continue
        address = house.address or ""
        found = _POSTCODE.search(address)
        street = address.split(",")[0].strip() if address else house.name
        db.session.add(
            HouseInvoicing(
                house_id=house.id,
                legal_name=f"Stichting {house.name}",
                street=street or house.name,
                postcode=found.group(1) if found else "5341 AA",
                city="Oss",
                kvk_number=f"{40_000_000 + zlib.crc32(house.slug.encode()) % 9_999_999:08d}",
                iban=demo_iban(house.slug),
                payment_term_days=30,
                number_prefix=_prefix(house),
                vat_treatment="vrijgesteld",
                vat_rate_hundredths=0,
                late_cancel_free_days=7 if house.slug == "de-berchplaets" else None,
                late_cancel_percent=50 if house.slug == "de-berchplaets" else None,
                email=house.contact_email or "",
            )
        )
    db.session.flush()
