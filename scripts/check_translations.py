"""Fail when a catalogue is stale, or has untranslated or fuzzy entries.

Message ids are Dutch. English must cover everything; Turkish, Arabic and Polish cover
what visitors read on the kiosk tablet and their phone (KIOSK_SOURCES).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
FULL = ("en",)
KIOSK_ONLY = ("tr", "ar", "pl")
# What visitors read on the tablet and their phone (staff pages are Dutch and English).
KIOSK_PAGES = ("_kiosk_base", "pair", "screen", "phone", "expired", "questions", "thanks")
KIOSK_SOURCES = (
    *(f"templates/kiosk/{name}.html" for name in (*KIOSK_PAGES, "privacy")),
    "kiosk/",  # every module of the kiosk: its forms, use cases and views
)


def extract(cfg: str = "babel.cfg") -> dict[str, list[str]]:
    """msgid -> source files, from a fresh extraction."""
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "messages.pot"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "babel.messages.frontend",
                "extract",
                "-F",
                cfg,
                "-k",
                "_l",
                "-k",
                "N_",
                "-o",
                str(pot),
                ".",
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        with pot.open("rb") as fh:
            catalog = read_po(fh)
    return {m.id: [loc[0] for loc in m.locations] for m in catalog if m.id}


def problems_for(locale: str, wanted: set[str]) -> list[str]:
    path = ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return [f"{locale}: {path.relative_to(ROOT)} is missing"]
    with path.open("rb") as fh:
        catalog = read_po(fh)
    problems = []
    for msgid in sorted(wanted, key=str):
        message = catalog.get(msgid)
        text = message.string if message else None
        if isinstance(text, tuple | list):
            text = all(text) and text[0]
        if message is None:
            problems.append(f"{locale}: missing {msgid!r}")
        elif message.fuzzy:
            problems.append(f"{locale}: fuzzy {msgid!r}")
        elif not text:
            problems.append(f"{locale}: untranslated {msgid!r}")
    return problems


def main() -> int:
    messages = extract()
    kiosk = {m for m, files in messages.items() if any(f.startswith(KIOSK_SOURCES) for f in files)}
    problems: list[str] = []
    for locale in FULL:
        problems += problems_for(locale, set(messages))
    for locale in KIOSK_ONLY:
        if (ROOT / "translations" / locale).exists():
            problems += problems_for(locale, kiosk)
    for line in problems[:50]:
        print(line)
    if problems:
        print(
            f"{len(problems)} translation problems; run `make translations-extract` and translate."
        )
        return 1
    print(f"translations complete: {len(messages)} messages, {len(kiosk)} on kiosk pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
