"""The Deadlines tab on a real database: most urgent first, status by icon and words, why, sources,
Mark as sent, Export to calendar, the picture, and the next deadline in the incident header."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, QSettings, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

from incidentkit.core import operations
from incidentkit.core.deadlines.actions import record_milestone
from incidentkit.core.deadlines.board import read_board
from incidentkit.core.deadlines.library import RulesLibrary
from incidentkit.core.paths import AppPaths
from incidentkit.core.playbook.parser import parse_playbook
from incidentkit.core.scope.profile import ScopeProfile
from incidentkit.ui.app import build_window
from incidentkit.ui.commands import Commands
from incidentkit.ui.deadlines.detail import obligation_html
from incidentkit.ui.deadlines.mark_sent import MarkSentDialog, SentNotice
from incidentkit.ui.deadlines.model import LEFT, OBLIGATION_ROLE, STATUS
from incidentkit.ui.deadlines.panel import DeadlinesPanel, header_line
from incidentkit.ui.settings import Settings

PLAYBOOK = """---
id: due-ui
title: Due UI
---
# Due UI

## Notify

- [ ] Brief the board {#brief due="4 hours"}
- [ ] Plain {#plain}
"""
NOW = datetime(2026, 3, 3, 9, 0, tzinfo=timezone.utc)
AWARE = NOW - timedelta(hours=60)                      # GDPR's 72 hours: 12 h left
SCOPE = ScopeProfile(imported={"US-CA": 900, "FR": 400, "GB": 30}, elements=frozenset({"name", "email", "password"}),
                     encrypted="no")
RULES = RulesLibrary.discover(None).rules


@pytest.fixture
def incident(store) -> str:
    playbook = parse_playbook(PLAYBOOK, "due.md")
    return operations.open_incident(store, playbook=playbook, title="Mailer breach", actor="ann", aware_at=AWARE).id


@pytest.fixture
def panel(qtbot, store, incident) -> DeadlinesPanel:
    holder = QWidget()
    qtbot.addWidget(holder)
    commands = Commands(parent=holder, store=store, actor=lambda: "ann", session=lambda _id: None)
    widget = DeadlinesPanel(None, commands.run, holder, rules=RULES, profile_of=lambda _s, _i: SCOPE,
                            clock=lambda: NOW)
    widget.resize(1200, 700)
    widget.set_incident(store, incident)
    return widget


def rows(panel: DeadlinesPanel) -> list:
    return [panel.model.data(panel.model.index(r, STATUS), OBLIGATION_ROLE) for r in range(panel.model.rowCount())]


def test_the_model_passes_qts_checks(qtmodeltester, panel):
    qtmodeltester.check(panel.model)


def test_most_urgent_first_with_status_words_icons_and_countdowns(panel):
    shown = rows(panel)
    ids = [o.rule_id for o in shown]
    assert ids[0] == "step:brief"                                        # 4 h after awareness: overdue
    assert ids[1:3] == ["gdpr-33-regulator", "ukgdpr-33-regulator"]     # 12 h left
    model = panel.model
    assert model.data(model.index(0, STATUS)) == "overdue"
    assert model.data(model.index(0, LEFT)) == "56 h overdue"
    assert model.data(model.index(1, LEFT)) == "12 h left"
    assert not model.data(model.index(1, STATUS), Qt.ItemDataRole.DecorationRole).isNull()
    assert all(o.applies for o in shown)
    panel.show_all.setChecked(True)
    assert any(not o.applies for o in rows(panel))


def test_countdowns_move_with_the_clock_without_a_read(panel):
    panel.model.set_now(NOW + timedelta(hours=6))
    assert panel.model.data(panel.model.index(1, LEFT)) == "6 h left"


def test_the_detail_says_why_and_links_only_web_sources(panel):
    panel.table.selectRow(1)
    html = panel.detail.toHtml()
    assert "400 people affected in EU" in html and "Sources" in html and "as of 2016" in html
    assert 'href="https://gdprhub.eu/Article_33_GDPR"' in html
    assert "Guidance, not legal advice" in html


def test_hostile_text_in_a_rule_is_escaped_and_odd_links_are_not_links(panel):
    o = rows(panel)[1]
    from dataclasses import replace

    from incidentkit.core.deadlines.model import Source

    hostile = replace(o, title="<script>alert(1)</script>", sources=(
        Source("<b>x</b>", "statute", "2026", "javascript:alert(1)"),))
    html = obligation_html(hostile, NOW)
    assert "<script>" not in html and "&lt;script&gt;" in html and "javascript:" not in html


def test_mark_as_sent_records_the_notice_and_the_obligation_is_met(qtbot, panel, store, incident, tmp_path):
    notice = tmp_path / "notice.pdf"
    notice.write_bytes(b"the notice")
    panel.table.selectRow(1)
    assert panel.mark_sent_button.isEnabled()
    dialog = MarkSentDialog(panel.selected())
    qtbot.addWidget(dialog)
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()   # a reference is needed
    with qtbot.waitSignal(panel.changed):
        event = panel.record_sent("gdpr-33-regulator", SentNotice(NOW - timedelta(hours=1), "CNIL-1", "portal",
                                                                  "CNIL", notice))
    panel.add_events([event])  # as the window's change signal brings it back
    found = {o.rule_id: o for o in rows(panel)}
    assert found["gdpr-33-regulator"].status == "met"
    assert found["gdpr-33-regulator"].notification.sha256
    board = read_board(store, incident, rules=RULES, now=NOW, profile=SCOPE)
    assert [n.reference for n in board.notifications] == ["CNIL-1"]


def test_mark_as_sent_is_off_for_steps_and_refusals_are_shown(qtbot, panel):
    from PySide6.QtWidgets import QMessageBox

    panel.table.selectRow(0)
    assert not panel.mark_sent_button.isEnabled()                          # a step: done in the Steps tab
    assert not panel.record_sent("gdpr-33-regulator", SentNotice(NOW, "x", "", "", Path("/no/such/file")))
    box = panel.parent().findChild(QMessageBox)
    assert box is not None and box.text() == "/no/such/file: no such file"
    box.close()


def test_export_to_calendar(panel, tmp_path):
    path = panel.export_calendar(tmp_path / "d.ics")
    text = path.read_text()
    # The step, GDPR, the ICO, California's residents and (at the latest) its Attorney General.
    assert text.count("BEGIN:VEVENT") == 5 and text.count("BEGIN:VALARM") == 10


def test_the_picture_draws_each_dated_deadline_as_its_mark(qtbot, panel):
    panel.show()
    qtbot.waitExposed(panel)
    image: QImage = panel.strip.grab().toImage()
    assert image.width() > 100
    placed = panel.strip._placed
    assert {o.rule_id for _r, o in placed} >= {"gdpr-33-regulator", "step:brief"}
    rect, first = placed[0]
    assert panel.strip.obligation_at(QPointF(rect.center())) is first


def test_needs_input_names_what_is_missing(panel, store, incident):
    found = {o.rule_id: o for o in rows(panel)}
    assert found["us-ca-attorney-general"].status == "needs-input"
    record_milestone(store, incident_id=incident, name="risk-assessed", at=NOW - timedelta(hours=2), actor="ann",
                     level="high")
    panel.refresh()
    found = {o.rule_id: o for o in rows(panel)}
    assert found["gdpr-34-individuals"].status == "due"


def test_header_line():
    assert header_line(None) == ""


def test_the_window_has_the_tab_and_the_header_shows_the_next_deadline(qtbot, tmp_path, store, incident):
    paths = AppPaths(store.path.parent)
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    window = build_window(store=store, paths=paths, settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == ["Steps", "Scope", "Deadlines",
                                                                           "Communications", "Timeline"]
    qtbot.waitUntil(lambda: window._deadlines is not None and window.deadlines.incident_id == incident, timeout=3000)
    text = window.header.deadline.text()
    assert text.startswith("Overdue: Brief the board (playbook): ") and window.header.deadline.isVisible()
    window.tabs.setCurrentWidget(window.deadlines_page)
    QApplication.processEvents()
    assert window.deadlines.isVisible()
