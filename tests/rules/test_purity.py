"""booking.rules is the pure layer: it must import nothing of the web or database stack."""

import ast
import sys
from pathlib import Path

import booking.rules

RULES_DIR = Path(booking.rules.__file__).parent
ALLOWED_THIRD_PARTY = {"dateutil"}


def imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: use absolute imports"
            modules.add(node.module or "")
    return modules


def test_rules_import_only_stdlib_dateutil_and_themselves() -> None:
    for path in sorted(RULES_DIR.glob("*.py")):
        for module in imported_modules(path):
            top = module.split(".")[0]
            allowed = (
                top in sys.stdlib_module_names
                or top in ALLOWED_THIRD_PARTY
                or module == "booking.rules"
                or module.startswith("booking.rules.")
                or module == "booking.errors"  # the error vocabulary: pure, see below
            )
            assert allowed, f"{path.name} imports {module}"


def test_the_error_vocabulary_is_as_pure_as_the_rules() -> None:
    """Rules may raise `booking.errors` kinds only because that module is pure too."""
    path = RULES_DIR.parent / "errors.py"
    for module in imported_modules(path):
        top = module.split(".")[0]
        assert top in sys.stdlib_module_names or module.startswith("booking.rules."), module


def test_rules_never_use_pytz() -> None:
    for path in RULES_DIR.glob("*.py"):
        assert "pytz" not in imported_modules(path)


def test_package_docstring_states_the_rule() -> None:
    assert booking.rules.__doc__ == "Pure domain rules: no Flask, no database."
