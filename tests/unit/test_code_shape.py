"""The shape of the code, checked like behaviour: the import graph of ``quizapp`` has no
cycle (imports inside functions included; imports for the type checker alone are not
run and do not count), and no module is longer than a reader takes in at once."""

from __future__ import annotations

from pathlib import Path

import grimp

import quizapp

PACKAGE = Path(quizapp.__file__).parent
#: the most lines a module may have
MAX_LINES = 600
#: generated schema migrations: long by nature, never edited by hand
NOT_MEASURED = (PACKAGE / "store" / "migrations",)


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(start: str) -> None:
        # iterative depth-first search: (module, the modules it imports still to visit)
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, imported = work[-1]
            child = next(imported, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child))))
                    )
                elif child in on_stack:
                    low[module] = min(low[module], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == module:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return groups


def test_the_import_graph_has_no_cycle() -> None:
    graph = grimp.build_graph("quizapp", exclude_type_checking_imports=True, cache_dir=None)
    cycles = import_cycles(graph)
    described = []
    for group in cycles:
        edges = [
            f"{a} -> {b} (line {', '.join(str(d['line_number']) for d in details)})"
            for a in group
            for b in group
            if (details := graph.get_import_details(importer=a, imported=b))
        ]
        described.append("\n  ".join(edges))
    assert not cycles, "modules that import each other:\n  " + "\n\n  ".join(described)


def test_the_cycle_finder_finds_a_cycle_through_a_function_level_import() -> None:
    graph = grimp.ImportGraph()
    for module in ("a", "a.app", "a.screen", "a.widget"):
        graph.add_module(module)
    graph.add_import(importer="a.app", imported="a.screen", line_number=3, line_contents="")
    graph.add_import(importer="a.screen", imported="a.widget", line_number=4, line_contents="")
    graph.add_import(importer="a.widget", imported="a.app", line_number=9, line_contents="")
    assert import_cycles(graph) == [["a.app", "a.screen", "a.widget"]]
    graph.remove_import(importer="a.widget", imported="a.app")
    assert import_cycles(graph) == []


def test_no_module_is_longer_than_600_lines() -> None:
    long = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if any(path.is_relative_to(skipped) for skipped in NOT_MEASURED):
            continue
        with path.open(encoding="utf-8") as f:
            lines = sum(1 for _ in f)
        if lines > MAX_LINES:
            long[str(path.relative_to(PACKAGE.parent))] = lines
    assert not long, f"split these modules by concept (at most {MAX_LINES} lines): {long}"
