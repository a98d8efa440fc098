"""The window's start path stays lean: opening an up-to-date database loads no sqlite-utils, and the
first paint of an incident no markdown parser.

Each check runs in a fresh interpreter (a test process has everything imported already)
and looks at `sys.modules` after the work, so an import that creeps back onto the start
path fails here rather than only showing in bench_gui_start.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from incident_helpers import open_store, tiny_playbook

from incidentkit.core.store import database
from incidentkit.core.store import migrations as mig


def loaded_after(code: str, *modules: str) -> list[str]:
    """Which of `modules` a fresh interpreter has imported after running `code`."""
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {list(modules)!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_the_schema_version_is_the_length_of_the_migration_chain() -> None:
    assert database.SCHEMA_VERSION == len(mig.migration_names())


def test_opening_an_up_to_date_database_loads_neither_sqlite_utils_nor_the_migrations(tmp_path: Path) -> None:
    open_store(tmp_path).close()
    code = ("from incidentkit.core.store import Store\n"
            f"store = Store({str(tmp_path / 'incidentkit.db')!r})\n"
            "assert store.last_backup is None and store.incidents() == []")
    assert loaded_after(code, "sqlite_utils", "incidentkit.core.store.migrations") == []


def test_opening_an_incident_a_second_time_reads_its_cached_parse(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        inc = store.create_incident(tiny_playbook(), "x", actor="ann")
    code = ("from incidentkit.core.store import Store\n"
            f"store = Store({str(tmp_path / 'incidentkit.db')!r})\n"
            f"assert store.playbook({inc.id!r}).step('notify').role == 'legal'")
    parser = ("incidentkit.core.playbook.parser", "markdown_it", "yaml")
    assert loaded_after(code, *parser) == list(parser)  # the first open parses and keeps the result
    assert loaded_after(code, *parser) == []


def test_the_problems_list_still_shows_a_severity_icon_looked_up_on_first_use(qapp) -> None:
    from PySide6.QtCore import Qt

    from incidentkit.core.playbook.model import Diagnostic
    from incidentkit.ui.playbooks.problems_panel import ProblemsModel

    model = ProblemsModel()
    model.set_problems([Diagnostic("a.md", 3, 1, "error", "bad"), Diagnostic("b.md", 1, 1, "warning", "meh")])
    icons = [model.index(row, 0).data(Qt.ItemDataRole.DecorationRole) for row in range(2)]
    assert all(icon is not None and not icon.isNull() for icon in icons)
    assert icons[0].cacheKey() != icons[1].cacheKey()


def test_the_first_paint_of_an_incident_loads_no_markdown_parser(tmp_path: Path) -> None:
    from incidentkit.core.paths import AppPaths
    from incidentkit.core.store import Store

    paths = AppPaths(tmp_path / "data")
    with Store.open(paths) as store:
        inc = store.create_incident(tiny_playbook(), "x", actor="ann")
    with Store.open(paths) as store:
        store.playbook(inc.id)  # parsed once and cached, as by any earlier run of the app
    # Checked after build + show, before any event runs: just after the first paint the
    # window loads the playbook library, whose parser does use markdown-it.
    code = ("from PySide6.QtCore import QSettings\n"
            "from PySide6.QtWidgets import QApplication\n"
            "from incidentkit.core.paths import AppPaths\n"
            "from incidentkit.core.store import Store\n"
            "from incidentkit.ui.app import build_window\n"
            "from incidentkit.ui.widgets.markdown_view import MarkdownView\n"
            "from incidentkit.ui.settings import Settings\n"
            "from pathlib import Path\n"
            "app = QApplication([])\n"
            f"paths = AppPaths(Path({str(paths.data_dir)!r}))\n"
            f"settings = Settings(QSettings({str(tmp_path / 'settings.ini')!r}, QSettings.Format.IniFormat))\n"
            "window = build_window(store=Store.open(paths), paths=paths, settings=settings)\n"
            "window.show()\n"
            "assert window.findChild(MarkdownView).toPlainText().strip() == 'Confirm the breach in writing'")
    # Nor the Scope tab's panel, pycountry or python-calamine: the tab builds its panel when shown.
    assert loaded_after(code, "markdown_it", "pycountry", "python_calamine", "incidentkit.ui.scope.panel") == []
