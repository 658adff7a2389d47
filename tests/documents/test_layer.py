"""booking.documents renders the frozen document and nothing else: of this project it
imports only booking.rules, and no web or database library at all."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import booking.documents

DOCUMENTS = Path(booking.documents.__file__).parent
ALLOWED_THIRD_PARTY = {"fpdf"}


def test_documents_import_only_the_rules_the_stdlib_and_fpdf() -> None:
    for path in sorted(DOCUMENTS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                assert node.level == 0, f"{path.name}: use absolute imports"
                modules = [node.module or ""]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                assert (
                    top in sys.stdlib_module_names
                    or top in ALLOWED_THIRD_PARTY
                    or module.startswith("booking.rules")
                ), f"{path.name} imports {module}"


def test_the_package_docstring_states_the_rule() -> None:
    assert (booking.documents.__doc__ or "").startswith(
        "Pure renderings of `booking.rules.invoices.InvoiceDocument`"
    )
