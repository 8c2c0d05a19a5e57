"""No module of the project sits in an import cycle (issue 10).

The graph is grimp's (import-linter's own), read from the source, so it holds every import
a module makes, at its top or inside a function: a function-level import cannot hide a
cycle from it. Imports under `if TYPE_CHECKING:` are left out, since they never run.
"""

from __future__ import annotations

import grimp
import pytest

PACKAGES = ("blueprints", "consultations", "localities", "config")


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES, cache_dir=None, exclude_type_checking_imports=True)


def in_cycles(graph: grimp.ImportGraph) -> list[str]:
    """The modules that sit in an import cycle: each imports a module that leads back to it."""
    return sorted(
        module
        for module in graph.modules
        if any(
            graph.chain_exists(importer=imported, imported=module)
            for imported in graph.find_modules_directly_imported_by(module)
        )
    )


def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for module in ("pkg.a", "pkg.b", "pkg.c", "pkg.d"):
        graph.add_module(module)
    graph.add_import(importer="pkg.a", imported="pkg.b")
    graph.add_import(importer="pkg.b", imported="pkg.c")
    graph.add_import(importer="pkg.c", imported="pkg.a")
    graph.add_import(importer="pkg.d", imported="pkg.a")
    assert in_cycles(graph) == ["pkg.a", "pkg.b", "pkg.c"]


@pytest.mark.parametrize("package", PACKAGES)
def test_no_module_of_the_package_is_in_an_import_cycle(graph, package):
    in_package = [
        module
        for module in in_cycles(graph)
        if module == package or module.startswith(f"{package}.")
    ]
    assert in_package == [], "modules in an import cycle: " + ", ".join(in_package)
