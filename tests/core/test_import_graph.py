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

# Imports that break the rule today, each with who removes it. A new one fails the test; so does one
# on this list that is gone, so the list only shrinks. Empty it when the figures registry is in core.
KNOWN = {
    ("jigsaw.core.charts", "jigsaw.reports.blocks"): "perf, issue 20: Table moves into core",
    ("jigsaw.actions.figures", "jigsaw.reports.blocks"): "perf, issue 20: the figures registry moves into core",
    ("jigsaw.assurance.figures", "jigsaw.reports.blocks"): "perf, issue 20: the figures registry moves into core",
    ("jigsaw.governance.figures", "jigsaw.reports.blocks"): "perf, issue 20: the figures registry moves into core",
    ("jigsaw.learning.figures", "jigsaw.reports.blocks"): "perf, issue 20: the figures registry moves into core",
    ("jigsaw.performance.figures", "jigsaw.reports.blocks"): "perf, issue 20: the figures registry moves into core",
    ("jigsaw.policies.figures", "jigsaw.reports.blocks"): "perf, issue 20: the figures registry moves into core",
    ("jigsaw.training.figures", "jigsaw.reports.blocks"): "perf, issue 20: the figures registry moves into core",
    ("jigsaw.training.views", "jigsaw.reports.blocks"): "perf, issue 20: the figures registry moves into core",
    ("jigsaw.actions.views", "jigsaw.reports.blocks"): "perf, issue 20: the page-table helper moves into core",
    ("jigsaw.performance.queries", "jigsaw.reports.blocks"): "perf, issue 20: the page-table helper moves into core",
}


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
    found = violations()
    new = sorted(found - KNOWN.keys())
    assert not new, (
        "These imports break the dependency direction (core imports no app; no capability imports reports):\n"
        + "\n".join(f"  {importer} imports {imported}" for importer, imported in new)
    )


def test_the_list_of_known_breaks_only_shrinks():
    gone = sorted(KNOWN.keys() - violations())
    assert not gone, "These known breaks are fixed: take them off KNOWN in this file:\n" + "\n".join(
        f"  {importer} -> {imported} ({KNOWN[importer, imported]})" for importer, imported in gone
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
