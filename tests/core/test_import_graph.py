"""The dependency direction: core is the foundation and imports no app; capabilities do not
import the report (the report consumes their figures through core's registry)."""

import ast
from pathlib import Path

import jigsaw

SOURCE = Path(jigsaw.__file__).parent
APPS = ("governance", "learning", "actions", "assurance", "performance", "training", "policies", "reports")


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = ".".join(path.relative_to(SOURCE.parent).with_suffix("").parts[: -node.level])
                base = f"{package}.{node.module}" if node.module else package
                names.add(base)
                names.update(f"{base}.{alias.name}" for alias in node.names)
            elif node.module:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def imports_of(app: str) -> dict[str, set[str]]:
    return {
        str(path.relative_to(SOURCE)): imported_modules(path)
        for path in (SOURCE / app).rglob("*.py")
        if "migrations" not in path.parts
    }


def test_core_imports_no_app():
    offenders = {
        path: sorted(name for name in names if name.split(".")[:2] in [["jigsaw", app] for app in APPS])
        for path, names in imports_of("core").items()
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_no_capability_imports_the_report():
    offenders = {}
    for app in APPS[:-1]:
        for path, names in imports_of(app).items():
            bad = sorted(name for name in names if name == "jigsaw.reports" or name.startswith("jigsaw.reports."))
            if bad:
                offenders[path] = bad
    assert offenders == {}
