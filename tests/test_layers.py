"""The core is headless: nothing under incidentkit/core imports Qt (PDF export aside, lazily)."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "incidentkit" / "core"

# Modules allowed to import Qt *inside a function*, never at module level.
LAZY_QT_ALLOWED = {"export/pdf.py", "export/pdf_layout.py", "comms/letter_pdf.py"}


def _qt_imports(tree: ast.AST, top_level_only: bool) -> list[int]:
    nodes = tree.body if top_level_only else list(ast.walk(tree))  # type: ignore[attr-defined]
    lines = []
    for node in nodes:
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        if any(n.split(".")[0] in {"PySide6", "shiboken6", "incidentkit"} and
               (n.startswith(("PySide6", "shiboken6", "incidentkit.ui"))) for n in names):
            lines.append(node.lineno)
    return lines


def test_core_imports_no_qt():
    offenders = []
    for path in sorted(CORE.rglob("*.py")):
        rel = path.relative_to(CORE).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        lines = _qt_imports(tree, top_level_only=rel in LAZY_QT_ALLOWED)
        offenders += [f"incidentkit/core/{rel}:{n}" for n in lines]
    assert offenders == [], f"core modules import Qt or the UI: {offenders}"


def test_the_pdf_layout_is_imported_only_inside_the_pdf_export():
    offenders = []
    for path in sorted(CORE.rglob("*.py")):
        rel = path.relative_to(CORE).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.endswith("export.pdf_layout"):
                inside = rel in LAZY_QT_ALLOWED and node not in tree.body  # type: ignore[attr-defined]
                if not inside:
                    offenders.append(f"incidentkit/core/{rel}:{node.lineno}")
    assert offenders == []


def test_checker_catches_a_qt_import(tmp_path):
    tree = ast.parse("import os\nfrom PySide6.QtCore import QObject\n")
    assert _qt_imports(tree, top_level_only=False) == [2]
    tree = ast.parse("def f():\n    from PySide6 import QtGui\n")
    assert _qt_imports(tree, top_level_only=True) == []
    assert _qt_imports(tree, top_level_only=False) == [2]


def _incidentkit_imports(path: Path) -> list[tuple[int, str]]:
    """Every `incidentkit...` module the file imports, at any depth, with its line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("incidentkit")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("incidentkit"):
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return found


def test_the_store_knows_no_folding_rules():
    """Storage persists events; which events decide a state is the projections' business."""
    offenders = [f"incidentkit/core/store/{path.name}:{line}: {name}"
                 for path in sorted((CORE / "store").glob("*.py"))
                 for line, name in _incidentkit_imports(path)
                 if name.startswith(("incidentkit.core.projections", "incidentkit.core.deciding",
                                     "incidentkit.core.operations",
                                     "incidentkit.core.titles", "incidentkit.core.export"))]
    assert offenders == []


def test_the_store_checker_sees_a_folding_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from incidentkit.core.projections import GROUP_OF\n")
    assert _incidentkit_imports(probe) == [(2, "incidentkit.core.projections.GROUP_OF")]
