"""The import graph of booking/ and kiosk/, read with `ast`, and the cycles in it.

Nothing is imported or executed: each module's source is parsed and every `import` and
`from ... import` in it becomes an edge to the module it names (the deepest module of ours
that exists, so `from booking.services import audit` points at booking.services.audit).
Each edge says where the import stands: at the top of the module, inside a function (run
only when called), or under `if TYPE_CHECKING:` (never run). A package's `__init__` that
Python runs on the way to a submodule is not an edge: it is not what the code asked for,
and counting it would make every package a cycle with its own submodules.

Run `python -m tests.mail.import_graph [ROOT]` for every cycle in the two packages (of the
working tree, or of another checkout at ROOT).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("booking", "kiosk")


class Where(StrEnum):
    """Where an import statement stands, so a cycle can be judged by when it bites."""

    top = "top"  # runs on import
    function = "function"  # runs when the function is called
    typing = "typing"  # under `if TYPE_CHECKING:`, never runs


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    where: Where
    line: int


def module_names(root: Path = ROOT, packages: Iterable[str] = PACKAGES) -> dict[str, Path]:
    """Every module of the packages by dotted name; a package is named by its __init__."""
    found: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> Iterator[tuple[ast.Import | ast.ImportFrom, Where]]:
    """Every import statement with where it stands (the innermost reason wins)."""

    def walk(node: ast.AST, where: Where) -> Iterator[tuple[ast.Import | ast.ImportFrom, Where]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child, where
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                yield from walk(child, Where.typing if where is Where.typing else Where.function)
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                for statement in child.body:
                    yield from walk(ast.Module(body=[statement], type_ignores=[]), Where.typing)
                for statement in child.orelse:
                    yield from walk(ast.Module(body=[statement], type_ignores=[]), where)
            else:
                yield from walk(child, where)

    yield from walk(tree, Where.top)


def _deepest(name: str, modules: dict[str, Path]) -> str | None:
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def edges(modules: dict[str, Path] | None = None) -> list[Edge]:
    """Every import from one of our modules to another (not to itself)."""
    modules = module_names() if modules is None else modules
    found: list[Edge] = []
    for source, path in modules.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for statement, where in _imports(tree):
            if isinstance(statement, ast.Import):
                named = [alias.name for alias in statement.names]
            else:
                base = statement.module or ""
                if statement.level:
                    anchor = source.split(".")
                    anchor = anchor[: len(anchor) - statement.level + (1 if is_package else 0)]
                    base = ".".join([*anchor, *([base] if base else [])])
                named = [f"{base}.{alias.name}" for alias in statement.names] or [base]
                named = [n if n in modules else base for n in named]
            for name in named:
                target = _deepest(name, modules)
                if target and target != source:
                    found.append(Edge(source, target, where, statement.lineno))
    return found


def strongly_connected(nodes: Iterable[str], graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the groups of modules that import each other, larger than one."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0
    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(nodes):
        if node not in index:
            visit(node)
    return groups


def cycles(kinds: Iterable[Where] = tuple(Where), root: Path = ROOT) -> list[list[str]]:
    """The cycles (strongly connected groups) over the edges of the given kinds."""
    modules = module_names(root)
    allowed = set(kinds)
    graph: dict[str, set[str]] = {}
    for edge in edges(modules):
        if edge.where in allowed:
            graph.setdefault(edge.source, set()).add(edge.target)
    return strongly_connected(modules, graph)


def main(root: Path = ROOT) -> None:
    for label, kinds in (
        ("imports that run on import (top level)", (Where.top,)),
        ("plus imports inside functions", (Where.top, Where.function)),
        ("plus TYPE_CHECKING imports", tuple(Where)),
    ):
        found = cycles(kinds, root)
        print(f"{label}: {len(found)} cycle(s)")
        for group in found:
            print("  " + " <-> ".join(group))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT)
