"""What a house's public details must look like: its slug, website and KvK number.

The slug names the house in every URL (`/huizen/<slug>`, `/beheer/<slug>`, the API's
`?house=`) and in the calendars people subscribed to, so it is plain: lower-case ASCII
letters and digits in groups joined by single hyphens (``wijkhuis-de-haard``). A few
words are taken by pages that sit beside a house's pages (`/bereik/rendement`,
`/gemeente/huizen/nieuw`), so no house may be called that.

A website is an http(s) address without spaces, since it is shown as a link. A KvK
number (Kamer van Koophandel) has eight digits; spaces and dots are layout only.
"""

from __future__ import annotations

import re

from booking.rules.messages import N_, Message

SLUG_MIN = 2
SLUG_MAX = 80
RESERVED_SLUGS = frozenset({"nieuw", "rendement", "export", "beleid", "wijken"})
"""Words a house's own pages would collide with (see the module)."""
WEBSITE_MAX = 200
KVK_DIGITS = 8

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_WEBSITE = re.compile(r"https?://[^\s/?#@]+\.[^\s/?#@]+(?:[/?#]\S*)?", re.IGNORECASE)
_KVK_LAYOUT = re.compile(r"[\s.]")

BAD_SLUG = Message(
    N_(
        "Een webadres-naam bestaat uit kleine letters (zonder accenten), cijfers en "
        "streepjes, bijvoorbeeld wijkhuis-de-haard."
    )
)
BAD_WEBSITE = Message(
    N_("Vul een volledig webadres in dat begint met https://, bijvoorbeeld https://dehaard.nl.")
)
BAD_KVK = Message(N_("Een KvK-nummer heeft acht cijfers, bijvoorbeeld 12345678."))


def slug_problem(slug: str) -> Message | None:
    """Why `slug` cannot name a house; None when it can."""
    if not SLUG_MIN <= len(slug) <= SLUG_MAX:
        return Message(
            N_("Een webadres-naam heeft %(low)s tot %(high)s tekens."),
            {"low": SLUG_MIN, "high": SLUG_MAX},
        )
    if not _SLUG.fullmatch(slug):
        return BAD_SLUG
    if slug in RESERVED_SLUGS:
        return Message(
            N_("De webadres-naam %(slug)s is al in gebruik door een pagina; kies een andere."),
            {"slug": slug},
        )
    return None


def website_problem(url: str) -> Message | None:
    """An empty website is fine; a given one must be a full http(s) address."""
    if not url:
        return None
    if len(url) > WEBSITE_MAX or not _WEBSITE.fullmatch(url):
        return BAD_WEBSITE
    return None


def normalise_kvk(text: str | None) -> str:
    """The KvK number as stored: its digits without layout; "" when none was typed."""
    return _KVK_LAYOUT.sub("", (text or "")[:40])


def kvk_problem(text: str | None) -> Message | None:
    """An empty KvK number is fine; a given one has exactly eight digits."""
    number = normalise_kvk(text)
    if not number:
        return None
    if len(number) != KVK_DIGITS or not number.isascii() or not number.isdigit():
        return BAD_KVK
    return None
