"""A step's `rules="..."`: the playbook attribute, the obligations it picks from a board, the
built-in playbook's Notify steps, and the window's step detail linking to the Deadlines tab."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from deadline_helpers import SHIPPED, board, marks, profile
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from incidentkit.core import operations
from incidentkit.core.deadlines.steps import obligations_of, unmatched
from incidentkit.core.paths import AppPaths
from incidentkit.core.playbook.library import PlaybookLibrary
from incidentkit.core.playbook.parser import parse_playbook
from incidentkit.core.scope.edits import set_counts, set_elements
from incidentkit.core.store import Store
from incidentkit.ui.app import build_window
from incidentkit.ui.deadlines.model import OBLIGATION_ROLE
from incidentkit.ui.settings import Settings
from incidentkit.ui.steps.obligations import obligations_html

RULE_IDS = [r.id for r in SHIPPED]


def test_the_rules_attribute_reads_as_words_and_odd_words_are_warned_about():
    text = ("---\nid: t\ntitle: T\n---\n# T\n\n## Notify\n\n"
            '- [ ] Tell the regulator {#tell rules="gdpr-33-regulator  us-*-attorney-general"}\n'
            '- [ ] Odd {#odd rules="GDPR/33"}\n')
    playbook = parse_playbook(text, "t.md")
    assert playbook.step("tell").rules == ("gdpr-33-regulator", "us-*-attorney-general")
    assert playbook.step("odd").rules == ("GDPR/33",)
    assert [d.format() for d in playbook.warnings] == [
        "t.md:10:17: warning: rules: 'GDPR/33' is not a rule id (a-z, 0-9, '-', '_', '.'; '*' for any characters)"]


def test_obligations_of_a_step_keep_the_boards_order_and_never_take_steps():
    found = board(profile({"US-CA": 900, "US-TX": 300, "FR": 10}, {"email", "password"}),
                  marks(aware="2026-03-02T09:00:00Z"), now="2026-03-03T09:00:00Z")
    ordered = tuple(found.values())
    picked = obligations_of(("us-*-attorney-general", "gdpr-33-regulator"), ordered)
    ids = [o.rule_id for o in picked]
    assert ids == [o.rule_id for o in ordered if o.rule_id in ids]      # most urgent first, as the board
    assert {"gdpr-33-regulator", "us-ca-attorney-general", "us-tx-attorney-general"} <= set(ids)
    assert all(i == "gdpr-33-regulator" or (i.startswith("us-") and i.endswith("-attorney-general")) for i in ids)
    assert obligations_of(("*",), ordered) == ordered
    assert unmatched(("gdpr-33-regulator", "gdpr-99-*", "nope"), RULE_IDS) == ("gdpr-99-*", "nope")


def test_every_rules_word_of_the_built_in_playbook_names_a_shipped_rule():
    playbook = PlaybookLibrary.discover(None).builtin("vendor-data-breach").playbook
    linked = {s.id: s.rules for s in playbook.steps() if s.rules}
    assert {"notify-gdpr-art33", "notify-uk-ico", "notify-us-states", "notify-us-regulators", "notify-hipaa",
            "notify-sec-8k", "notify-pci", "notify-other-regimes"} <= set(linked)
    assert {s.phase_id for s in playbook.steps() if s.rules} == {"notify", "customer-communications"}
    assert linked["comms-send-notice"] == ("*-individuals*",)           # every notice to the people affected
    for step_id, patterns in linked.items():
        assert unmatched(patterns, RULE_IDS) == (), step_id
    # Each shipped rule outside the US states is reached from a Notify step, except the vendors' duties.
    reached = set(obligations_of(tuple(w for p in linked.values() if p != ("*",) for w in p),
                                 board(profile({}, set()), marks(aware="2026-03-02T09:00:00Z"),
                                       now="2026-03-03T09:00:00Z").values()))
    missed = {r.id for r in SHIPPED} - {o.rule_id for o in reached}
    assert {i for i in missed if not i.startswith("us-") and not any(
        r.id == i and r.owed_by == "vendor" for r in SHIPPED)} == set()


def test_the_block_escapes_rule_text_and_counts_what_does_not_apply():
    found = board(profile({"US-CA": 900}, {"email", "password"}), marks(aware="2026-03-02T09:00:00Z"),
                  now="2026-03-03T09:00:00Z")
    now = datetime(2026, 3, 3, 9, tzinfo=timezone.utc)
    html = obligations_html(("us-*-individuals*",), tuple(found.values()), now)
    assert 'href="obligation:us-ca-individuals"' in html and "do not apply" in html
    assert html.count('href="obligation:') <= 8
    assert "x-&lt;b&gt;" in obligations_html(("x-<b>",), (), now)
    assert "not computed yet" in obligations_html(("gdpr-33-regulator",), None, now)
    assert obligations_html((), None, now) == ""


@pytest.fixture
def window(qtbot, tmp_path: Path):
    store = Store(tmp_path / "incidentkit.db")
    playbook = PlaybookLibrary.discover(None).builtin("vendor-data-breach").playbook
    aware = datetime.now(timezone.utc) - timedelta(hours=60)
    incident = operations.open_incident(store, playbook=playbook, title="Mailer breach", actor="ann",
                                        aware_at=aware).id
    set_counts(store, incident_id=incident, counts={"FR": 400, "GB": 30, "US-CA": 900}, actor="ann")
    set_elements(store, incident_id=incident, elements=["name", "email", "password"], actor="ann")
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    win = build_window(store=store, paths=AppPaths(tmp_path), settings=settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win._deadlines is not None and win.deadlines.board is not None, timeout=5000)
    yield win
    win.close()
    store.close()


def test_a_notify_step_shows_its_obligations_and_opens_them_in_the_deadlines_tab(qtbot, window):
    detail = window.steps.detail
    assert window.steps.select_step("scope-assemble-team")
    assert not detail.obligations.isVisible()                           # a step naming no rules
    assert window.steps.select_step("notify-gdpr-art33")
    QApplication.processEvents()
    text = detail.obligations.text()
    gdpr = next(o for o in window.deadlines.board.obligations if o.rule_id == "gdpr-33-regulator")
    assert detail.obligations.isVisible() and gdpr.status == "due"
    assert 'href="obligation:gdpr-33-regulator"' in text and "<b>Due</b> · " in text
    assert "h left" in text and "Open the Deadlines tab" in text
    detail.obligations.linkActivated.emit("obligation:gdpr-33-regulator")
    assert window.tabs.currentWidget() is window.deadlines_page
    selected = window.deadlines.selected()
    assert selected is not None and selected.rule_id == "gdpr-33-regulator"


def test_a_link_to_an_obligation_that_does_not_apply_shows_the_rules_that_do_not(qtbot, window):
    assert window.steps.select_step("notify-sec-8k")
    text = window.steps.detail.obligations.text()
    assert "<b>Not applicable</b> · " in text and "public company" in text
    window.steps.detail.obligations.linkActivated.emit("obligation:sec-8k-item-1-05")
    assert window.deadlines.show_all.isChecked()
    assert window.deadlines.selected().rule_id == "sec-8k-item-1-05"
    window.tabs.setCurrentWidget(window.steps)
    window.steps.detail.obligations.linkActivated.emit("deadlines:")
    assert window.tabs.currentWidget() is window.deadlines_page


def test_the_step_detail_follows_the_board(qtbot, window):
    from incidentkit.core.deadlines.actions import record_notification

    assert window.steps.select_step("notify-gdpr-art33")
    rule = next(r for r in window.deadlines.rules if r.id == "gdpr-33-regulator")
    window.commands.run(record_notification, incident_id=window.session().id, rule=rule,
                        at=datetime.now(timezone.utc), reference="CNIL-1")
    qtbot.waitUntil(lambda: "<b>Met</b> · " in window.steps.detail.obligations.text(), timeout=3000)
    model = window.deadlines.model
    assert any(model.data(model.index(r, 0), OBLIGATION_ROLE).status == "met" for r in range(model.rowCount()))
