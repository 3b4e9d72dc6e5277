"""The package's structure shows its pipeline: stage folders that import only earlier stages,
no import cycles (imports inside functions included), small modules, and only the app layer
forking or importing Click.

Read from the source with ``ast``; nothing is imported.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "briefgen"
MAX_LINES = 500

# The stages in import order: a stage may import from itself and earlier stages only. "base" is
# what every stage may use (errors, how paths are shown); the document tree's node types come
# next, since content, scope, templating and the renderers all speak them (the tree is built after
# templating, but its types depend on nothing). Importers turn data from elsewhere (ACLED, STIX,
# spreadsheets) into content and check it with the content reader, so they follow content. The
# app layer (the modules at the top: cli, batch, watch, build, output, scaffold) may import
# everything.
STAGES = ["base", "document", "content", "importers", "scope", "templating", "fonts", "theme",
          "figures", "render.pdf", "render.docx", "render.html", "app"]
BASE = {"briefgen.errors", "briefgen.workspace_paths", "briefgen.months"}
# Folders of the app layer: the HTTP server (briefgen serve) is the command line's sibling
APP_PACKAGES = {"serve"}


def _modules() -> dict[str, tuple[Path, bool]]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        found[".".join(parts)] = (path, is_package)
    return found


MODULES = _modules()
# Empty package files (briefgen/render/__init__.py ...) import nothing and belong to no stage
CODE = {name for name, (path, _) in MODULES.items() if path.read_text(encoding="utf-8").strip()}


def _imports(name: str) -> set[str]:
    """The briefgen modules ``name`` imports, anywhere in its body."""
    path, is_package = MODULES[name]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[:len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                for target in (f"{module}.{alias.name}", module):
                    if target in MODULES and target != name:
                        targets.add(target)
                        break
        elif isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names if alias.name in MODULES}
    return targets


GRAPH = {name: _imports(name) for name in MODULES}


def _stage(name: str) -> str:
    if name in BASE:
        return "base"
    parts = name.split(".")
    if len(parts) >= 2 and parts[1] in APP_PACKAGES:
        return "app"
    if len(parts) >= 3 and parts[1] == "render":
        return f"render.{parts[2]}"
    if len(parts) >= 2 and (PACKAGE / parts[1]).is_dir():
        return parts[1]
    return "app"


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_cycles():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_import_cycles():
    assert _cycles(GRAPH) == []


def test_each_stage_imports_only_earlier_stages():
    wrong = sorted(f"{name} ({_stage(name)}) imports {target} ({_stage(target)})"
                   for name, targets in GRAPH.items() for target in targets
                   if STAGES.index(_stage(target)) > STAGES.index(_stage(name)))
    assert not wrong, "\n".join(wrong)


def test_every_module_belongs_to_a_known_stage():
    stages = {_stage(name) for name in CODE}
    assert stages <= set(STAGES), stages - set(STAGES)


def test_modules_are_small():
    big = {str(path.relative_to(PACKAGE.parent)): n for path, _ in MODULES.values()
           if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not big, f"modules over {MAX_LINES} lines: split them by what they do: {big}"


def _calls_or_imports(name: str, forbidden_modules: set[str], forbidden_calls: set[str]) -> list:
    path, _ = MODULES[name]
    hits = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            hits += [a.name for a in node.names if a.name.split(".")[0] in forbidden_modules
                     or a.name in forbidden_modules]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] in forbidden_modules or node.module in forbidden_modules:
                hits.append(node.module)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                isinstance(node.func.value, ast.Name):
            call = f"{node.func.value.id}.{node.func.attr}"
            if call in forbidden_calls:
                hits.append(call)
    return hits


def test_library_stages_neither_fork_nor_exit_nor_import_click():
    """Processes, exits and the command line are the app layer's business."""
    forbidden = {"click", "multiprocessing", "concurrent.futures", "subprocess"}
    calls = {"os.fork", "sys.exit", "os._exit", "gc.disable", "gc.freeze"}
    wrong = {name: hits for name in MODULES if _stage(name) not in ("app",)
             if (hits := _calls_or_imports(name, forbidden, calls))}
    assert not wrong, wrong
