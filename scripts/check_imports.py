#!/usr/bin/env python3
"""Checks that the module graph is what Package.swift and docs/ARCHITECTURE.md say it is.

- every `import` of a package module in Sources/<Module> is a declared dependency of <Module>;
- every declared package-module dependency is imported somewhere in <Module> (no dead edges);
- each target depends only on targets declared before it (the stage order);
- the module table in docs/ARCHITECTURE.md lists the modules in Package.swift's order.

Exit 0 when all hold; else one line per problem and exit 1. Run by `make lint`.
"""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
package = (root / "Package.swift").read_text()

# Targets in declaration order: name -> list of dependency strings (package-local names only).
targets = []  # (kind, name, deps)
for m in re.finditer(r'\.(target|executableTarget|systemLibrary|testTarget)\(\s*name:\s*"([^"]+)"', package):
    kind, name = m.group(1), m.group(2)
    # The target's argument list runs to the matching close paren.
    depth, i = 0, m.end() - 1
    start = package.index("(", m.start())
    i = start
    while True:
        c = package[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                break
        i += 1
    body = package[start:i]
    deps = []
    d = re.search(r"dependencies:\s*\[(.*?)\]", body, re.S)
    if d:
        text = re.sub(r"\.product\([^)]*\)", "", d.group(1))
        deps = re.findall(r'"([^"]+)"', text)
    targets.append((kind, name, deps))

local = {name for _, name, _ in targets}
order = {name: i for i, (_, name, _) in enumerate(targets)}
problems = []

for kind, name, deps in targets:
    if kind in ("systemLibrary", "testTarget"):
        continue   # a test target may import what its dependencies bring
    folder = root / ("Tests" if kind == "testTarget" else "Sources") / name
    imported = set()
    for f in folder.rglob("*.swift"):
        for line in f.read_text().splitlines():
            im = re.match(r"\s*(?:@testable\s+)?(?:@_exported\s+)?import\s+(\w+)", line)
            if im and im.group(1) in local:
                imported.add(im.group(1))
                if im.group(1) not in deps:
                    problems.append(f"{f.relative_to(root)}: imports {im.group(1)}, not a dependency of {name} in Package.swift")
    for dep in deps:
        if dep in local and dep not in imported:
            problems.append(f"Package.swift: {name} declares {dep} but no file of Sources/{name} imports it")
        if dep in local and order[dep] > order[name]:
            problems.append(f"Package.swift: {name} depends on {dep}, which is declared after it (stages import only backwards)")

# The module table in ARCHITECTURE.md, in order.
arch = (root / "docs" / "ARCHITECTURE.md").read_text()
table = arch[arch.index("| module |"):]
table = table[:table.index("\n\n")]
documented = re.findall(r"^\| `(\w+)` \|", table, re.M)
declared = [name for kind, name, _ in targets if kind != "testTarget"]
if documented != declared:
    problems.append("docs/ARCHITECTURE.md: module table order " + " ".join(documented)
                    + " differs from Package.swift " + " ".join(declared))

for p in problems:
    print(p)
sys.exit(1 if problems else 0)
