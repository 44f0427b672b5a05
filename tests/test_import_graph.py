"""The import graph of src/undercurrent, read from the source with `ast` (nothing is imported): no import
loops, and layers that point one way (docs/decisions.md, "The house").

Imports at the top of a module and inside functions are both read. An import inside a function is
allowed only to spare start-up cost (spaCy, the web stack); since even those imports make no loop, none
of them is there to dodge one."""
from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "undercurrent"

# From the bottom up. A package may import its own layer or a lower one, never a higher one; within a
# layer the imports make no loop either (test_no_loop_between_packages).
LAYERS: tuple[frozenset[str], ...] = (
    # what every part uses: the records, errors, settings, checks of one value, package data paths
    frozenset({"models", "errors", "settings", "validate", "dates", "datafiles", "summary", "samples", "vocabulary",
               "record_keys"}),
    # reference data, reading inputs, corroboration's pure logic
    frozenset({"kb", "ingest", "corroborate"}),
    # the two cores: extraction (no database) and the store (no extraction)
    frozenset({"extract", "store"}),
    # work built on them: scoring, training, batch runs, users, exports, ingest into the store
    frozenset({"evaluate", "train", "batch", "auth", "export", "collect"}),
    # the JSON API, with the request plumbing both faces share (deps, filters, lookups, serialize)
    frozenset({"api"}),
    # the web pages, built on api's shared plumbing and never on an API router
    frozenset({"web"}),
    # assembly and entry points: the app made from api/ and web/, the demo, the command
    frozenset({"server", "demo", "cli", "cli_options"}),
)
# What the web pages may take from api/: the plumbing both faces use, no router.
API_SHARED = frozenset({"api.deps", "api.filters", "api.lookups", "api.serialize"})


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, e.g. undercurrent.web.pages
    target: str  # the imported module (a submodule when `from package import submodule`)
    line: int
    top: bool  # run when the module is imported (not inside a function)

    def where(self) -> str:
        return f"{self.source.replace('.', '/')}.py:{self.line} imports {self.target}"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@lru_cache(maxsize=1)
def modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted((SRC / PACKAGE).rglob("*.py"))}


def _inside_functions(tree: ast.AST) -> set[int]:
    """ids of the import nodes inside a function or lambda (run when called, not when imported)."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            inside |= {id(n) for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom))}
    return inside


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = base[: len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


@lru_cache(maxsize=1)
def imports() -> tuple[Import, ...]:
    known = modules()
    found = []
    for module, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        deferred = _inside_functions(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(module, path, node)
                # `from undercurrent.store import queries` imports the module undercurrent.store.queries
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
            else:
                continue
            for target in dict.fromkeys(targets):
                if target == PACKAGE or target.startswith(PACKAGE + "."):
                    found.append(Import(module, target, node.lineno, id(node) not in deferred))
    return tuple(found)


def package_of(module: str) -> str:
    """undercurrent.api.routers.records -> api; undercurrent.server -> server."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _loops(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected parts with more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    loops: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            part = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                part.append(member)
                if member == node:
                    break
            if len(part) > 1 or node in edges.get(node, ()):
                loops.append(sorted(part))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return loops


def _module_edges(*, top_only: bool) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for imp in imports():
        if (imp.top or not top_only) and imp.source != imp.target:
            edges.setdefault(imp.source, set()).add(imp.target)
    return edges


def _layer(package: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if package in layer)


def test_the_reader_sees_the_graph():
    """Guards the tests below against passing on an empty or misread graph."""
    assert len(modules()) > 100
    seen = {(i.source, i.target, i.top) for i in imports()}
    assert ("undercurrent.server", "undercurrent.web.pages", True) in seen
    assert ("undercurrent.api.routers.records", "undercurrent.store.queries", True) in seen  # from store import queries
    assert ("undercurrent.batch.partition", "undercurrent.extract.pipeline", False) in seen  # inside a function


def test_no_import_loop_between_modules():
    assert _loops(_module_edges(top_only=True)) == []


def test_no_import_inside_a_function_dodges_a_loop():
    """Counting the imports inside functions too, there is still no loop: each of them could move to the
    top of its module; it stays inside only to spare start-up cost."""
    assert _loops(_module_edges(top_only=False)) == []


def test_no_loop_between_packages():
    edges: dict[str, set[str]] = {}
    for imp in imports():
        a, b = package_of(imp.source), package_of(imp.target)
        if a and b and a != b:
            edges.setdefault(a, set()).add(b)
    assert _loops(edges) == []


def test_every_package_has_its_layer():
    packages = {package_of(m) for m in modules()} - {""}
    placed = set().union(*LAYERS)
    assert packages - placed == set(), "place the new package in LAYERS (and in docs/decisions.md)"
    assert sum(len(layer) for layer in LAYERS) == len(placed), "a package is in two layers"


def test_imports_point_down_the_layers():
    upward = [imp.where() for imp in imports()
              if package_of(imp.source) and package_of(imp.target)
              and _layer(package_of(imp.target)) > _layer(package_of(imp.source))]
    assert upward == []


def test_web_takes_only_the_shared_plumbing_from_api():
    """The pages build on api's dependencies, filters, lookups and serialisation; a router is the API's own."""
    borrowed = [imp.where() for imp in imports() if package_of(imp.source) == "web"
                and package_of(imp.target) == "api" and imp.target.split(".", 1)[1] not in API_SHARED]
    assert borrowed == []


def test_the_app_is_assembled_only_at_the_top():
    """Only server.py puts api/ and web/ together; only the entry points import it."""
    importers = {package_of(imp.source) for imp in imports() if imp.target == f"{PACKAGE}.server"}
    assert importers <= {"cli", "demo"}
    routers = {imp.source for imp in imports() if imp.target.startswith(f"{PACKAGE}.api.routers")
               and package_of(imp.source) != "api"}
    assert routers == {f"{PACKAGE}.server"}
