"""The window's actions (text, icon, shortcut) and the menus and toolbar that show them.

Keyboard first: Space completes the selected step, S skips, R reopens, A assigns,
N jumps to the next open step. Single keys only fire where no text is being typed:
line and text editors claim printable keys before shortcuts see them.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QToolBar

from incidentkit.ui.widgets.icons import icon


@dataclass
class WindowActions:
    new_incident: QAction
    done: QAction
    skip: QAction
    reopen: QAction
    assign: QAction
    next_open: QAction
    find: QAction
    export: QAction
    add_entry: QAction  # the Timeline tab's own Add entry (its panel is built after the first paint)
    playbooks: QAction  # the playbook author's dialog
    upgrade: QAction    # move the shown incident onto a newer version of its playbook
    settings: QAction
    about: QAction
    quit: QAction

    def step_actions(self) -> tuple[QAction, ...]:
        return (self.done, self.skip, self.reopen, self.assign)


def _action(window: QMainWindow, text: str, icon_name: str, shortcut: QKeySequence | str | None, tip: str) -> QAction:
    action = QAction(icon(icon_name), text, window)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{tip} ({keys})" if keys else tip)
    action.setStatusTip(tip)
    window.addAction(action)
    return action


def make_actions(window: QMainWindow) -> WindowActions:
    a = WindowActions(
        new_incident=_action(window, "&New incident…", "document-new", QKeySequence.StandardKey.New,
                             "Start an incident from a playbook"),
        done=_action(window, "&Done", "object-select", "Space", "Mark the selected step done"),
        skip=_action(window, "&Skip…", "media-skip-forward", "S", "Skip the selected step, giving a reason"),
        reopen=_action(window, "&Reopen", "edit-undo", "R", "Reopen the selected step"),
        assign=_action(window, "&Assign…", "system-users", "A", "Assign the selected step to someone"),
        next_open=_action(window, "&Next open step", "go-next", "N", "Jump to the next step still open"),
        find=_action(window, "&Find steps", "edit-find", QKeySequence.StandardKey.Find, "Filter the steps by text"),
        export=_action(window, "&Export…", "document-save-as", "Ctrl+E", "Export the incident's timeline"),
        add_entry=_action(window, "&Add entry…", "list-add", "Ctrl+T", "Add an entry to the timeline"),
        playbooks=_action(window, "&Playbooks…", "folder-open", None,
                          "Your playbooks folder, a copy of the built-in playbook to customise, problems and a preview"),
        upgrade=_action(window, "&Upgrade playbook…", "system-software-update", None,
                        "Move this incident onto the newer version of its playbook"),
        settings=_action(window, "Se&ttings…", "preferences-system", QKeySequence.StandardKey.Preferences,
                         "Your name, playbook folders, the data folder"),
        about=_action(window, "&About IncidentKit", "help-about", None, "Version and data folder"),
        quit=_action(window, "&Quit", "application-exit", QKeySequence.StandardKey.Quit, "Quit IncidentKit"),
    )
    a.settings.setMenuRole(QAction.MenuRole.PreferencesRole)
    a.about.setMenuRole(QAction.MenuRole.AboutRole)
    a.quit.setMenuRole(QAction.MenuRole.QuitRole)
    if a.settings.shortcut().isEmpty():
        a.settings.setShortcut(QKeySequence("Ctrl+,"))
    if a.quit.shortcut().isEmpty():
        a.quit.setShortcut(QKeySequence("Ctrl+Q"))
    return a


def install_menus(window: QMainWindow, a: WindowActions, show_problems: QAction) -> QToolBar:
    """Menus and the toolbar. `show_problems` is the problems dock's toggle."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    for action in (a.new_incident, a.export, None, a.playbooks, a.upgrade, None, a.settings, None, a.quit):
        file_menu.addSeparator() if action is None else file_menu.addAction(action)
    step_menu = bar.addMenu("&Step")
    for action in (*a.step_actions(), None, a.next_open, a.find):
        step_menu.addSeparator() if action is None else step_menu.addAction(action)
    bar.addMenu("&Timeline").addAction(a.add_entry)
    view_menu = bar.addMenu("&View")
    show_problems.setIcon(icon("dialog-warning"))
    view_menu.addAction(show_problems)
    bar.addMenu("&Help").addAction(a.about)

    toolbar = QToolBar("Main", window)
    toolbar.setObjectName("main-toolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for action in (a.new_incident, None, a.done, a.skip, a.next_open, None, a.add_entry, a.export):
        toolbar.addSeparator() if action is None else toolbar.addAction(action)
    window.addToolBar(toolbar)
    return toolbar
