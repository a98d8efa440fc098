"""The core is headless: nothing under incidentkit/core imports Qt (PDF export aside, lazily)."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "incidentkit" / "core"

# Modules allowed to import Qt *inside a function*, never at module level.
LAZY_QT_ALLOWED = {"export/pdf.py"}


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


def test_checker_catches_a_qt_import(tmp_path):
    tree = ast.parse("import os\nfrom PySide6.QtCore import QObject\n")
    assert _qt_imports(tree, top_level_only=False) == [2]
    tree = ast.parse("def f():\n    from PySide6 import QtGui\n")
    assert _qt_imports(tree, top_level_only=True) == []
    assert _qt_imports(tree, top_level_only=False) == [2]
