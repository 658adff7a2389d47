"""The shape ARCHITECTURE.md promises, checked: layers, one edge, no cycles, small modules.

These read the source (with `ast`), so they fail the moment a change breaks the shape,
not when a reviewer happens to notice.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("booking", "kiosk")
MAX_MODULE_LINES = 400
"""A module that grows past this is cut by concept (issue 10)."""
MAX_VIEW_LINES = 30
"""A view parses, calls one service and renders: 30 lines, its docstring included."""

# Where a commit or rollback may be written, and why (booking/transaction.py says more).
ALLOWED_TRANSACTION_CALLS = {
    "booking/transaction.py",  # the edge itself
    "booking/database.py",  # ending a failed transaction after a database fault
    "booking/services/login.py",  # the throttle counts an attempt before the password check
    "booking/mail/sender.py",  # the outbox sender holds no transaction while SMTP talks
}


def _modules() -> Iterator[tuple[str, Path]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            parts = list(relative.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            yield ".".join(parts), path


MODULES = dict(_modules())


def _imports(module: str, path: Path) -> set[str]:
    """Every import of the module, at the top or inside a function (a lazy import that
    closes a cycle is still a cycle), except those under `if TYPE_CHECKING:`; resolved to
    modules of this project."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(child)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for child in ast.walk(node)
    }
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name in MODULES and name != module}


def _graph() -> dict[str, set[str]]:
    return {name: _imports(name, path) for name, path in MODULES.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (found := walk(target)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := walk(node)):
            return found
    return None


def test_the_import_graph_has_no_cycle() -> None:
    graph = _graph()
    # A package's __init__ importing its own modules is not a cycle of concepts.
    for name in graph:
        graph[name] = {t for t in graph[name] if not name.startswith(t + ".")}
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_rules_import_nothing_of_the_web_or_the_database() -> None:
    for name, path in MODULES.items():
        if name.startswith("booking.rules."):
            imported = _imports(name, path)
            assert all(i.startswith("booking.rules") or i == "booking.errors" for i in imported), (
                name,
                imported,
            )


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_are_cut_by_concept(name: str) -> None:
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_MODULE_LINES, f"{name} has {lines} lines"


def _is_view(node: ast.FunctionDef) -> bool:
    return any(
        isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr == "route"
        for d in node.decorator_list
    )


def test_views_are_thin() -> None:
    fat = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and _is_view(node):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_VIEW_LINES:
                    fat.append(f"{name}.{node.name}: {length} lines")
    assert not fat, fat


def test_only_the_edges_commit_or_roll_back() -> None:
    offenders = []
    for path in MODULES.values():
        relative = path.relative_to(ROOT).as_posix()
        if relative in ALLOWED_TRANSACTION_CALLS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"commit", "rollback"}
            ):
                offenders.append(f"{relative}:{node.lineno}")
    assert not offenders, offenders


def test_one_error_vocabulary() -> None:
    """Services and views raise the kinds of booking/errors.py; none defines its own."""
    own = []
    for name, path in MODULES.items():
        if name in {"booking.errors", "booking.api.errors"}:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.name == "NotFound":
                own.append(name)
    assert not own, own


def test_the_checks_above_can_fail() -> None:
    """The cycle finder finds a planted cycle, so its silence above means something."""
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
