#!/usr/bin/env python3
"""The module graph checks itself: every `#include "modeshift/<module>/..."` must name the
including module or one it depends on (directly or through its declared dependencies), every
declared dependency must be used, and the graph must have no cycle.

A module's dependencies are the `modeshift::<name>` targets named in sim/src/<name>/CMakeLists.txt;
the viewer's are those named in viewer/CMakeLists.txt. All modules share one public include root
(sim/include), so without this check a wrong-way include compiles whenever the target happens to
be linked anyway.

Usage: tools/check_includes.py [--root DIR]   exit 0: clean; 1: violations (listed); 2: bad tree
       tools/check_includes.py --self-test    checks the tree, then that a planted wrong-way
                                              include in a copy of it is caught
       tools/check_includes.py --graph        prints the module graph (docs/architecture.md)
"""
import argparse
import pathlib
import re
import shutil
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]modeshift/([A-Za-z0-9_]+)/')
TARGET = re.compile(r"modeshift::([A-Za-z0-9_]+)")
SOURCE_SUFFIXES = {".cpp", ".hpp", ".h", ".cc", ".inl"}


def declared_deps(cmake_file: pathlib.Path, self_name: str) -> set[str]:
    text = "\n".join(line.split("#", 1)[0] for line in cmake_file.read_text().splitlines())
    return {t for t in TARGET.findall(text) if t != self_name}


def sources(*folders: pathlib.Path):
    for folder in folders:
        if folder.is_dir():
            for f in sorted(folder.rglob("*")):
                if f.suffix in SOURCE_SUFFIXES and f.is_file():
                    yield f


def load_graph(root: pathlib.Path) -> dict[str, set[str]]:
    graph = {}
    for cm in sorted((root / "sim/src").glob("*/CMakeLists.txt")):
        name = cm.parent.name
        graph[name] = declared_deps(cm, name)
    for name, deps in graph.items():
        unknown = deps - graph.keys() - {"sim"}
        if unknown:
            raise SystemExit(f"check_includes: sim/src/{name}/CMakeLists.txt names unknown "
                             f"module(s) {sorted(unknown)}")
    return graph


def closure(graph: dict[str, set[str]], start: set[str]) -> set[str]:
    if "sim" in start:  # modeshift::sim = every module
        return set(graph)
    seen, todo = set(), list(start)
    while todo:
        m = todo.pop()
        if m not in seen:
            seen.add(m)
            todo.extend(graph.get(m, ()))
    return seen


def find_cycle(graph: dict[str, set[str]]):
    state, stack = {}, []

    def visit(m):
        state[m] = 1
        stack.append(m)
        for d in sorted(graph[m]):
            if state.get(d) == 1:
                return stack[stack.index(d):] + [d]
            if d not in state:
                found = visit(d)
                if found:
                    return found
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state:
            found = visit(m)
            if found:
                return found
    return None


def included_modules(files) -> dict[str, list[tuple[pathlib.Path, int]]]:
    used = {}
    for f in files:
        for n, line in enumerate(f.read_text(errors="replace").splitlines(), 1):
            m = INCLUDE.match(line)
            if m:
                used.setdefault(m.group(1), []).append((f, n))
    return used


def check(root: pathlib.Path) -> list[str]:
    graph = load_graph(root)
    problems = []
    cycle = find_cycle(graph)
    if cycle:
        problems.append("module dependency cycle: " + " -> ".join(cycle))

    units = {m: (deps, [root / "sim/src" / m, root / "sim/include/modeshift" / m])
             for m, deps in graph.items()}
    viewer_cmake = root / "viewer/CMakeLists.txt"
    if viewer_cmake.exists():
        units["viewer"] = (declared_deps(viewer_cmake, "viewer"), [root / "viewer"])

    for unit, (deps, folders) in sorted(units.items()):
        allowed = closure(graph, deps) | {unit}
        used = included_modules(sources(*folders))
        for mod, places in sorted(used.items()):
            if mod not in allowed:
                for f, n in places:
                    problems.append(f"{f.relative_to(root)}:{n}: {unit} includes modeshift/{mod}/ "
                                    f"but does not declare a dependency on it")
        # A declared dependency nothing includes is a false edge in the graph (a module that
        # links the engine only for types it never uses inverts the layering).
        # It is needed when the unit includes it, or a module reachable only through it.
        for d in sorted(deps - {"sim"}):
            through_others = closure(graph, deps - {d})
            only_via_d = {m for m in used if m in closure(graph, {d}) - through_others - {unit}}
            if d not in used and not only_via_d:
                problems.append(f"{unit}: declares modeshift::{d} but includes nothing of it")
    return problems


def self_test(root: pathlib.Path) -> int:
    problems = check(root)
    if problems:
        print("\n".join(problems))
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        copy = pathlib.Path(tmp)
        for part in ("sim", "viewer"):
            shutil.copytree(root / part, copy / part)
        victim = copy / "sim/src/core/error.cpp"
        victim.write_text('#include "modeshift/engine/simulation.hpp"\n' + victim.read_text())
        caught = check(copy)
        if not any("core includes modeshift/engine/" in p for p in caught):
            print("self-test: a planted include of the engine in core was not reported")
            return 1
    print("check_includes: module graph clean; a planted wrong-way include is caught")
    return 0


def print_graph(graph: dict[str, set[str]]) -> None:
    """Modules bottom-up (each after its dependencies), with their direct module dependencies."""
    done, order = set(), []
    while len(order) < len(graph):
        ready = sorted(m for m in graph if m not in done and graph[m] - {"sim"} <= done)
        if not ready:
            raise SystemExit("check_includes: the module graph has a cycle")
        order += ready
        done |= set(ready)
    width = max(map(len, order))
    for m in order:
        deps = ", ".join(sorted(graph[m])) or "-"
        print(f"{m:<{width}}  needs {deps}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=pathlib.Path,
                    default=pathlib.Path(__file__).resolve().parent.parent)
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("--graph", action="store_true")
    args = ap.parse_args()
    if not (args.root / "sim/src").is_dir():
        print(f"check_includes: {args.root} has no sim/src", file=sys.stderr)
        return 2
    if args.self_test:
        return self_test(args.root)
    if args.graph:
        print_graph(load_graph(args.root))
        return 0
    problems = check(args.root)
    for p in problems:
        print(p)
    if not problems:
        print("check_includes: module graph clean")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
