"""Compare a rendered text with its stored snapshot, or store it when asked to.

A snapshot is a plain file under tests/mail/snapshots/, reviewed like code. A mismatch fails
with a unified diff (stored above, rendered below). `UPDATE_SNAPSHOTS=1` writes the rendered
text instead of comparing, for a change that is meant; `git diff tests/mail/snapshots`
then shows exactly what the change does to the mails.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE = os.environ.get("UPDATE_SNAPSHOTS", "") not in ("", "0")


def snapshot_problem(name: str, rendered: str, directory: Path = SNAPSHOTS) -> str | None:
    """None if `rendered` equals the snapshot file `name` (or was just stored); else why not."""
    path = directory / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered, encoding="utf-8", newline="\n")
        return None
    if not path.exists():
        return f"no snapshot {name}: run with UPDATE_SNAPSHOTS=1 to write it, then review it"
    stored = path.read_text(encoding="utf-8")
    if stored == rendered:
        return None
    diff = "".join(
        difflib.unified_diff(
            stored.splitlines(keepends=True),
            rendered.splitlines(keepends=True),
            fromfile=f"snapshots/{name} (stored)",
            tofile=f"{name} (rendered now)",
        )
    )
    return f"{name} differs from its snapshot:\n{diff}"


def assert_snapshots(rendered: dict[str, str], directory: Path = SNAPSHOTS) -> None:
    """Fail with one readable diff per file that differs (all of them, not just the first)."""
    problems = [
        problem
        for name, text in rendered.items()
        if (problem := snapshot_problem(name, text, directory)) is not None
    ]
    if problems:
        pytest.fail(
            "\n".join(problems)
            + "\nIf the change is meant: rerun with UPDATE_SNAPSHOTS=1 and review the diff.",
            pytrace=False,
        )
