"""The direction of dependencies: core is the foundation every capability builds on, so it imports
none of them; the annual report reads the capabilities' figures, so no capability imports the
report. Read from the source (every import statement, including those inside functions), not
from what happens to be loaded."""

from __future__ import annotations

import ast
from pathlib import Path

import jigsaw

PACKAGE = Path(jigsaw.__file__).parent
CAPABILITIES = {"governance", "learning", "actions", "assurance", "performance", "training", "policies"}


def _module_name(path: Path, package: Path) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, package: Path) -> set[str]:
    """The jigsaw modules `path` imports, relative imports resolved."""
    module = _module_name(path, package)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
                if node.module:
                    found.add(target)
                else:  # `from .. import reports` names modules
                    found.update(f"{target}.{alias.name}" for alias in node.names)
            else:
                found.add(node.module)
    return {name for name in found if name == "jigsaw" or name.startswith("jigsaw.")}


def _app(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def violations(package: Path = PACKAGE) -> set[tuple[str, str]]:
    found = set()
    for path in package.rglob("*.py"):
        if "migrations" in path.parts:
            continue  # Django writes them; they name other apps' migrations as dependencies only
        importer = _module_name(path, package)
        for imported in _imports(path, package):
            if _app(importer) == "core" and _app(imported) in CAPABILITIES | {"reports"}:
                found.add((importer, imported))
            elif _app(importer) in CAPABILITIES and _app(imported) == "reports":
                found.add((importer, imported))
    return found


def test_core_imports_no_app_and_no_capability_imports_the_report():
    found = sorted(violations())
    assert not found, (
        "These imports break the dependency direction (core imports no app; no capability imports reports):\n"
        + "\n".join(f"  {importer} imports {imported}" for importer, imported in found)
    )


def test_the_reader_sees_imports_inside_functions_and_relative_ones(tmp_path):
    """The check itself can fail: a core module importing an app inside a function, and an app
    reaching the report through a relative import, are both found."""
    jigsaw_dir = tmp_path / "jigsaw"
    (jigsaw_dir / "core").mkdir(parents=True)
    (jigsaw_dir / "training").mkdir()
    (jigsaw_dir / "__init__.py").write_text("")
    (jigsaw_dir / "core" / "__init__.py").write_text("")
    (jigsaw_dir / "training" / "__init__.py").write_text("")
    (jigsaw_dir / "core" / "helpers.py").write_text("def f():\n    from jigsaw.training import models\n")
    (jigsaw_dir / "training" / "views.py").write_text("from ..reports.blocks import Table\nfrom ..core import dates\n")
    assert violations(jigsaw_dir) == {
        ("jigsaw.core.helpers", "jigsaw.training"),
        ("jigsaw.training.views", "jigsaw.reports.blocks"),
    }
