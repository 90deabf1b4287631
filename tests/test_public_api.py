"""The public API (sitegen.__all__) and the direction of imports between modules.

Imports only point down (STYLE.md): a module may import its own layer or lower ones, never a
higher one. The package's __init__ (the public API) and __main__ sit outside the layers.
"""

from __future__ import annotations

import ast
import importlib
import types
from pathlib import Path

import pytest

import sitegen

PACKAGE = Path(sitegen.__file__).parent

# Top to bottom. Beyond STYLE.md's sketch: serve, fetch and check are commands on top of
# build, beside scaffold, and so is review (moderating highlight files); event_model and
# highlight_model are model data, untrusted (cleaning what feeds bring) sits beside sanitize;
# recurrence (RRULE arithmetic) imports nothing of sitegen, so anything may use it. A new
# module fails test_every_module_has_a_layer until it is placed here.
LAYERS: list[set[str]] = [
    {"cli"},
    {"scaffold", "serve", "fetch", "check", "review"},
    {"build"},
    {"write", "cache", "cache_files", "output_cache"},
    {"outputs"},
    {"render"},
    {"assemble"},
    {"readers"},
    {"model", "event_model", "highlight_model", "urls", "sanitize", "untrusted"},
    {"config", "fields"},
    {"errors", "report", "yaml_source", "recurrence", "fingerprint"},
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}
OUTSIDE_LAYERS = {"sitegen", "sitegen.__main__"}
# What a layered module may take from the package itself (it is set before any import there).
FROM_PACKAGE_ROOT = {"__version__"}


def module_files() -> dict[str, Path]:
    """Every module of the package by dotted name (a package is its __init__.py)."""
    modules = {}
    for file in sorted(PACKAGE.rglob("*.py")):
        parts = ("sitegen", *file.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = file
    return modules


MODULES = module_files()


def layer(module: str) -> str:
    """The layer a module belongs to: its first name under sitegen."""
    return module.split(".")[1]


def imported_modules(module: str, file: Path) -> list[tuple[str, int]]:
    """Every sitegen module `module` imports, anywhere in the file, with its line."""
    tree = ast.parse(file.read_text(encoding="utf-8"), str(file))
    is_package = file.name == "__init__.py"
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, is_package, node)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.append((submodule if submodule in MODULES else base, node.lineno))
    return [(name, line) for name, line in found if name.split(".")[0] == "sitegen"]


def imported_from_package_root(file: Path) -> set[str]:
    """Names taken from `sitegen` itself that are not modules (`from sitegen import X`)."""
    tree = ast.parse(file.read_text(encoding="utf-8"), str(file))
    return {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == "sitegen"
        for alias in node.names
        if f"sitegen.{alias.name}" not in MODULES
    }


def _absolute(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


# --- the public API ---


def test_all_names_exist_and_are_unique() -> None:
    assert len(set(sitegen.__all__)) == len(sitegen.__all__)
    for name in sitegen.__all__:
        assert hasattr(sitegen, name), name


def test_all_matches_what_the_package_exports() -> None:
    exported = {
        name
        for name, value in vars(sitegen).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert set(sitegen.__all__) == exported | {"__version__"}


def test_exported_objects_come_from_sitegen() -> None:
    for name in sitegen.__all__:
        value = getattr(sitegen, name)
        if name == "__version__":
            assert isinstance(value, str)
        else:
            assert value.__module__.startswith("sitegen."), name


def test_the_public_api_is_the_documented_one() -> None:
    # A change here is a change to what deploy scripts and plugins may rely on: keep old
    # names working (CONTRACT.md) and update the README with the list.
    assert set(sitegen.__all__) >= {
        "BuildResult",
        "Problem",
        "SiteConfig",
        "SiteError",
        "__version__",
        "build_site",
        "load_config",
    }


@pytest.mark.parametrize("module", sorted(set(MODULES) - {"sitegen.__main__"}))
def test_every_all_of_a_module_names_what_it_defines(module: str) -> None:
    imported = importlib.import_module(module)
    for name in getattr(imported, "__all__", []):
        assert hasattr(imported, name), f"{module}.__all__ names {name}, which it lacks"


# --- layers ---


def test_every_module_has_a_layer() -> None:
    unplaced = sorted(
        module for module in MODULES if module not in OUTSIDE_LAYERS and layer(module) not in RANK
    )
    assert unplaced == [], "give these modules a layer in LAYERS (tests/test_public_api.py)"


def test_imports_only_point_down() -> None:
    upward = []
    for module, file in MODULES.items():
        if module in OUTSIDE_LAYERS or layer(module) not in RANK:
            continue
        rank = RANK[layer(module)]
        for target, line in imported_modules(module, file):
            if target == "sitegen":
                continue  # checked by the next test
            target_layer = layer(target)
            if RANK.get(target_layer, -1) < rank:
                where = file.relative_to(PACKAGE.parent).as_posix()
                upward.append(f"{where}:{line}: {layer(module)} imports {target}")
    assert upward == []


def test_layered_modules_take_only_the_version_from_the_package_root() -> None:
    for module, file in MODULES.items():
        if module in OUTSIDE_LAYERS:
            continue
        assert imported_from_package_root(file) <= FROM_PACKAGE_ROOT, module


def test_the_layer_check_sees_upward_imports(tmp_path: Path) -> None:
    # The checker itself: an upward import, written three ways, is found.
    file = tmp_path / "posts.py"
    file.write_text(
        "from sitegen.build import build_site\n"
        "import sitegen.cli\n"
        "def f():\n"
        "    from ..render import environment\n",
        encoding="utf-8",
    )
    targets = [name for name, _ in imported_modules("sitegen.readers.posts", file)]
    assert targets == ["sitegen.build", "sitegen.cli", "sitegen.render.environment"]
    assert all(RANK[layer(name)] < RANK["readers"] for name in targets)
