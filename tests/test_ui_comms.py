"""The Communications tab on a real database and a real render worker: a template rendered with the
incident's record beside its checks, saved, approved, exported, marked sent; an edit that needs
its own approval; a hostile template shown as an error; the tab in the window, built when first shown."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest
from notice_helpers import NOW, RULES, TEMPLATES, WITH_PASSWORDS, open_incident
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialogButtonBox

from incidentkit.core import events as ev
from incidentkit.core.comms.library import TemplateLibrary
from incidentkit.core.comms.templates import parse_template
from incidentkit.core.comms.worker import Renderer
from incidentkit.core.paths import AppPaths
from incidentkit.core.store import Store
from incidentkit.ui.app import build_window
from incidentkit.ui.comms.dialogs import SendDialog
from incidentkit.ui.comms.panel import CommunicationsPanel
from incidentkit.ui.settings import Settings


@pytest.fixture(scope="module")
def renderer():
    with Renderer() as r:
        yield r


def make_panel(qtbot, store, renderer, templates=TEMPLATES) -> tuple[CommunicationsPanel, str]:
    incident = open_incident(store)
    panel = CommunicationsPanel(None, lambda: "ann", renderer=renderer, desk_options=dict(
        templates=templates, rules=RULES, profile_of=lambda _s, _i: WITH_PASSWORDS, clock=lambda: NOW))
    qtbot.addWidget(panel)
    panel.resize(1300, 820)
    panel.set_incident(store, incident)
    qtbot.waitUntil(lambda: not panel.busy(), timeout=20000)
    return panel, incident


def kinds(store: Store, incident: str) -> list[str]:
    return [e.kind for e in store.events(incident)]


def test_the_people_affected_come_first_and_the_notice_renders_beside_its_checks(qtbot, store, renderer):
    panel, _ = make_panel(qtbot, store, renderer)
    titles = [panel.template_box.itemText(i) for i in range(panel.template_box.count())]
    assert titles[:2] == ["Customer notice (email)", "Customer notice (postal letter)"]
    assert titles[-1] == "Counsel's chronology"
    assert panel.form.values()["greeting"] == "Dear customer,"            # the defaults fill the form
    assert "Notice of Data Breach" in panel.view.toPlainText()
    assert "Harbor & Pine Outfitters" in panel.view.toPlainText()
    ca = next(panel.checks.topLevelItem(i) for i in range(panel.checks.topLevelItemCount())
              if panel.checks.topLevelItem(i).text(0).startswith("us-ca-individuals"))
    assert ca.text(1) == "all met" and ca.childCount() == 13
    assert "Cal. Civ. Code § 1798.82(d)" in ca.child(1).toolTip(0)
    assert panel.save_button.isEnabled() and not panel.approve_button.isEnabled()


def test_save_approve_edit_and_send(qtbot, store, renderer, tmp_path):
    panel, incident = make_panel(qtbot, store, renderer)
    with qtbot.waitSignal(panel.changed):
        draft = panel.save_draft()
    assert draft is not None and kinds(store, incident)[-1] == ev.NOTICE_DRAFTED
    assert panel.approve_button.isEnabled() and not panel.save_button.isEnabled()
    group = panel.drafts.topLevelItem(0)
    assert group.text(0) == "For the people affected" and group.child(0).text(1) == "draft, not approved"
    assert panel.approve_draft("legal", "read twice")
    assert panel.drafts.topLevelItem(0).child(0).text(2) == "ann (legal)"
    assert "approved by ann (legal)" in panel.status.text()
    # Export the approved text as an email.
    path = panel.export(tmp_path / "notice.eml")
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["X-IncidentKit-Draft"] == draft.id
    # A one-character edit makes a new draft that nobody approved yet.
    editor = panel.form.editors["greeting"]
    editor.setText("Dear customer;")
    editor.textEdited.emit("Dear customer;")
    assert not panel.approve_button.isEnabled()
    qtbot.waitUntil(lambda: not panel.busy() and panel.preview is not None, timeout=10000)
    edited = panel.save_draft()
    assert edited.id != draft.id and edited.based_on == draft.id and edited.state == "draft"
    # Marking it sent without approval asks for a reason; the dialog will not record without one.
    dialog = SendDialog(edited, [], panel)
    dialog.audience.setText("test batch")
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    dialog.reason.setText("counsel approved by phone")
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    assert panel.record_sent(dialog.sending())
    assert kinds(store, incident)[-1] == ev.NOTICE_SENT
    # The approved one, sent under the California obligation, is recorded for the deadlines too.
    panel.drafts.setCurrentItem(panel.drafts.topLevelItem(0).child(1))
    assert panel.draft.id == draft.id
    dialog = SendDialog(panel.draft, [o for o in panel.desk.record(incident).board.obligations
                                      if o.rule_id == "us-ca-individuals"], panel)
    dialog.audience.setText("California residents")
    dialog.count.setValue(1000)
    dialog.rules[0].setChecked(True)
    dialog.when.set_utc(NOW)
    assert panel.record_sent(dialog.sending())
    assert kinds(store, incident)[-2:] == [ev.NOTICE_SENT, "notification.sent"]


def test_a_hostile_template_shows_its_error_and_nothing_else(qtbot, store, renderer):
    hostile, _ = parse_template("---\nid: hostile\ntitle: Hostile\naudience: individuals\nformat: email\n---\n"
                                "# Hi\n\n{{ ''.__class__.__mro__ }}\n", "hostile.md.j2", origin="user")
    panel, _ = make_panel(qtbot, store, renderer, TemplateLibrary([*TEMPLATES.templates, hostile]))
    panel.choose_template("hostile")
    qtbot.waitUntil(lambda: not panel.busy(), timeout=10000)
    assert panel.preview is None and not panel.save_button.isEnabled()
    error = panel.checks.topLevelItem(0)
    assert error.text(0) == "Cannot render the template"
    assert "hostile.md.j2:9: refused: access to attribute '__class__'" in error.text(1)


def test_details_are_recorded_and_the_notice_follows(qtbot, store, renderer):
    panel, incident = make_panel(qtbot, store, renderer)
    with qtbot.waitSignal(panel.changed):
        assert panel.record_details({"vendor": "Mailfast Ltd"})
    qtbot.waitUntil(lambda: not panel.busy() and "Mailfast Ltd" in panel.view.toPlainText(), timeout=10000)
    assert kinds(store, incident)[-1] == ev.NOTICE_DETAILS
    assert not panel.record_details({"email": "not an address"})    # refused with a message, nothing written


def test_the_window_builds_the_tab_when_it_is_first_shown(qtbot, tmp_path, store):
    incident = open_incident(store)
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    settings.set_organisation_name("Harbor & Pine Outfitters")
    window = build_window(store=store, paths=AppPaths(store.path.parent), settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.tabs.tabText(3) == "Communications"
    qtbot.wait(50)
    assert window._comms is None                                  # no render worker until the tab is shown
    window.tabs.setCurrentWidget(window.comms_page)
    qtbot.waitUntil(lambda: window._comms is not None and window._comms.incident_id == incident, timeout=5000)
    qtbot.waitUntil(lambda: not window.comms_busy(), timeout=20000)
    assert window._comms.desk.defaults == {"organisation": "Harbor & Pine Outfitters"}
    window.close()
    assert window._comms.renderer._proc is None                  # the worker stops with the window


def test_on_a_small_screen_each_check_shows_its_result_and_wraps_its_text(qtbot, store, renderer):
    panel, _ = make_panel(qtbot, store, renderer)
    panel.resize(820, 560)
    qtbot.waitUntil(lambda: panel.checks.width() < 400)
    checks = panel.checks
    header, viewport = checks.header(), checks.viewport().width()
    # The result column was off to the right of a narrow pane, behind a scroll bar.
    assert header.sectionPosition(1) + header.sectionSize(1) <= viewport
    ca = next(checks.topLevelItem(i) for i in range(checks.topLevelItemCount())
              if checks.topLevelItem(i).text(0).startswith("us-ca-individuals"))
    longest = max((ca.child(i) for i in range(ca.childCount())), key=lambda item: len(item.text(0)))
    qtbot.waitUntil(lambda: checks.visualItemRect(longest).height() > 1.5 * checks.fontMetrics().lineSpacing())
    # A field's label is as wide as the pane (a form layout wrapped it in a narrow column).
    label = panel.form.labels["vendor_role"] if "vendor_role" in panel.form.labels else next(
        iter(panel.form.labels.values()))
    assert label.width() >= panel.form.viewport().width() - 40


def test_the_template_list_does_not_hold_the_window_wide(qtbot, store, renderer):
    panel, _ = make_panel(qtbot, store, renderer)
    # The longest template title held it (and so every tab of the window) about 900 px wide.
    assert panel.minimumSizeHint().width() < 800


def test_an_incident_with_drafts_opens_on_the_newest(qtbot, store, renderer):
    panel, incident = make_panel(qtbot, store, renderer)
    first = panel.save_draft()
    panel.choose_template("phishing-warning")
    qtbot.waitUntil(lambda: not panel.busy(), timeout=20000)
    newest = panel.save_draft()
    assert first is not None and newest is not None
    panel.set_incident(None, None)
    panel.set_incident(store, incident)
    # It opened on a fresh customer notice saying "Not saved yet" beside the drafts already made.
    assert panel.draft is not None and panel.draft.id == newest.id
    assert panel.template_box.currentData() == "phishing-warning"
    assert panel.status.text().startswith(f"Draft {newest.id[:8]}")
