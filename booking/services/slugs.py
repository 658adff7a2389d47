"""URL names for houses: readable, ASCII, stable."""

from __future__ import annotations

import re
import unicodedata


def slugify(name: str) -> str:
    """'Wij(k)huis de Haard' -> 'wijkhuis-de-haard'; "D'n Iemhof" -> 'dn-iemhof'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    ascii_name = re.sub(r"['()’]", "", ascii_name)
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")
