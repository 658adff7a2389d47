"""The mail package sits below the use cases: no import cycle runs through it.

Until issue 10, booking/services/bookings.py imported its mails and the mail module
imported the bookings service back (for a type name). Now the mails are made from the
models and the data passed in, so the arrow points one way; tests/mail/import_graph.py
reads the imports with `ast`, including those inside functions and under TYPE_CHECKING.
"""

from __future__ import annotations

from tests.mail.import_graph import Where, cycles, edges, module_names


def test_the_mail_package_is_in_no_import_cycle() -> None:
    around_mail = [group for group in cycles(tuple(Where)) if any("mail" in m for m in group)]
    assert around_mail == []


def test_the_mail_package_imports_no_use_case_service() -> None:
    modules = module_names()
    assert "booking.mail.booking_mails" in modules  # the graph sees the package at all
    upward = [
        f"{e.source} -> {e.target} (line {e.line}, {e.where})"
        for e in edges(modules)
        if e.source.startswith("booking.mail")
        and e.target in ("booking.services.bookings", "booking.services.availability")
    ]
    assert upward == []


def test_the_graph_sees_an_import_under_type_checking(tmp_path) -> None:
    """The check would notice the old cycle: a TYPE_CHECKING import is an edge too."""
    package = tmp_path / "booking"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from booking.b import thing\n")
    (package / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from booking.a import x\n"
    )
    assert cycles(tuple(Where), root=tmp_path) == [["booking.a", "booking.b"]]
    assert cycles((Where.top,), root=tmp_path) == []
