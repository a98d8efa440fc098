"""The core's one checked write (`core/writes.py`): the deadlines', notices' and scope's actions and
the upgrade refuse what the operations refuse (control characters, impossible times, a closed
incident), and what spans lines in them (a postal address, a notice's field, a vendor's header)
is accepted and survives a JSON export and import."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from incident_helpers import MARKDOWN, tiny_playbook
from notice_helpers import desk_for, open_incident
from scope_helpers import write_xlsx

from incidentkit.core import operations as ops
from incidentkit.core.comms.details import record_details
from incidentkit.core.comms.worker import Renderer
from incidentkit.core.deadlines.actions import record_milestone, record_notification
from incidentkit.core.deadlines.library import RulesLibrary
from incidentkit.core.errors import StateError
from incidentkit.core.export.json_import import import_file
from incidentkit.core.export.writer import export_incident
from incidentkit.core.scope.edits import set_counts, set_elements
from incidentkit.core.scope.importer import import_people
from incidentkit.core.store import Store
from incidentkit.core.text import TextRefused
from incidentkit.core.times import ImpossibleTime
from incidentkit.core.upgrade import upgrade_incident

AN_HOUR_AGO = datetime.now(timezone.utc) - timedelta(hours=1)
TOMORROW = datetime.now(timezone.utc) + timedelta(days=1)


def a_rule():
    return RulesLibrary.discover(None).get("gdpr-33-regulator")


def test_a_control_character_in_a_milestone_reason_is_refused(store, incident):
    with pytest.raises(TextRefused, match=r"^the reason contains a control character \(U\+001B ESCAPE\)"):
        record_milestone(store, incident_id=incident, name="discovered", at=AN_HOUR_AGO, actor="ann",
                         reason="vendor email \x1b[2J")
    with pytest.raises(TextRefused, match="^the reason contains a line break at character 4: it must be one line"):
        record_milestone(store, incident_id=incident, name="discovered", at=AN_HOUR_AGO, actor="ann",
                         reason="one\ntwo")
    assert store.event_count(incident) == 1


def test_a_future_time_for_a_milestone_or_a_notification_is_refused(store, incident):
    with pytest.raises(ImpossibleTime, match="is in the future"):
        record_milestone(store, incident_id=incident, name="discovered", at=TOMORROW, actor="ann")
    with pytest.raises(ImpossibleTime, match="is in the future"):
        record_notification(store, incident_id=incident, rule=a_rule(), at=TOMORROW, reference="case 1", actor="ann")
    with pytest.raises(ImpossibleTime, match="is before 1970"):
        record_milestone(store, incident_id=incident, name="discovered", at=datetime(1969, 12, 31, tzinfo=timezone.utc),
                         actor="ann")
    assert store.event_count(incident) == 1
    record_notification(store, incident_id=incident, rule=a_rule(), at=AN_HOUR_AGO, reference="case 1", actor="ann")
    assert store.event_count(incident) == 2


def test_a_control_character_in_a_notification_reference_is_refused(store, incident):
    with pytest.raises(TextRefused, match=r"^the reference contains a control character \(U\+0007 BELL\)"):
        record_notification(store, incident_id=incident, rule=a_rule(), at=AN_HOUR_AGO, reference="case\x07",
                            actor="ann")
    assert store.event_count(incident) == 1


def test_a_control_character_in_a_notice_detail_is_refused(tmp_path):
    with Store(tmp_path / "incidentkit.db") as store:
        incident = open_incident(store, details=False)
        with pytest.raises(TextRefused, match=r"^the notice detail 'organisation' contains a control character "
                                              r"\(U\+0000 NULL\)"):
            record_details(store, incident_id=incident, values={"organisation": "Acme\x00"}, actor="ann")
        with pytest.raises(TextRefused, match="^the notice detail 'postal_address' contains a control character"):
            record_details(store, incident_id=incident, values={"postal_address": "1 Main St\n\x1b[31mX"}, actor="ann")
        with pytest.raises(TextRefused, match="^the notice detail 'vendor' contains a line break"):
            record_details(store, incident_id=incident, values={"vendor": "Mail\nfast"}, actor="ann")
        assert store.event_count(incident) == 1


def test_a_control_character_in_a_scope_reason_is_refused(store, incident):
    with pytest.raises(TextRefused, match=r"^the reason contains a control character \(U\+0008 BACKSPACE\)"):
        set_elements(store, incident_id=incident, elements=["email"], actor="ann", reason="vendor said\x08")
    with pytest.raises(TextRefused, match="^the reason contains a line break"):
        set_counts(store, incident_id=incident, counts={"US-CA": 10}, actor="ann", reason="a\nb")
    assert store.event_count(incident) == 1


def test_the_other_actions_refuse_a_closed_incident_too(store, incident):
    ops.close_incident(store, incident_id=incident, actor="ann")
    for write in (lambda: record_milestone(store, incident_id=incident, name="discovered", at=AN_HOUR_AGO, actor="ann"),
                  lambda: set_elements(store, incident_id=incident, elements=["email"], actor="ann"),
                  lambda: upgrade_incident(store, incident_id=incident, actor="ann",
                                           playbook=tiny_playbook(MARKDOWN.replace('"1.0"', '"1.1"')))):
        with pytest.raises(StateError, match="is closed: reopen it first"):
            write()
    assert store.event_count(incident) == 2
    ops.rename_incident(store, incident_id=incident, title="Acme (closed)", actor="ann")  # allowed when closed


def test_an_upgrade_to_a_step_text_with_a_control_character_names_the_file_and_line(store, incident):
    newer = tiny_playbook(MARKDOWN.replace('"1.0"', '"1.1"') + "- [ ] Tell the board \x1b[5m {#board}\n")
    with pytest.raises(TextRefused, match=r"^tiny\.md:18: step 'board': its text contains a control character "
                                          r"\(U\+001B ESCAPE\)"):
        upgrade_incident(store, incident_id=incident, playbook=newer, actor="ann")
    assert store.event_count(incident) == 1


def test_multi_line_notice_details_and_fields_are_kept_and_import_back(tmp_path):
    with Store(tmp_path / "a.db") as store, Renderer() as renderer:
        incident = open_incident(store)
        record_details(store, incident_id=incident, values={"postal_address": "1 Main St\nSpringfield, IL"},
                       actor="ann")
        draft = desk_for(store, renderer).draft(incident, "customer-notice-email", actor="ann",
                                                values={"what_happened": "Line one.\n\nLine two."})
        assert draft.fields["what_happened"] == "Line one.\n\nLine two."
        with pytest.raises(TextRefused, match=r"^the field 'what_happened' contains a control character"):
            desk_for(store, renderer).draft(incident, "customer-notice-email", actor="ann",
                                            values={"what_happened": "Line one.\x1b"})
        export_incident(store, incident, "json", tmp_path / "notice.json")
    with Store(tmp_path / "b.db") as copy:
        imported = import_file(copy, tmp_path / "notice.json")
        assert copy.event_count(imported.id) == store_events(tmp_path / "a.db", incident)


def test_a_wrapped_header_in_a_vendor_file_is_kept_and_imports_back(store, incident, tmp_path):
    vendor = write_xlsx(tmp_path / "affected.xlsx", [["E-mail\nAddress", "Country"], ["a@example.com", "FR"],
                                                     ["b@example.com", "GB"]])
    summary = import_people(store, incident_id=incident, path=vendor, actor="ann")
    assert summary.event is not None and summary.event.payload["columns"]["email"] == "E-mail\nAddress"
    export_incident(store, incident, "json", tmp_path / "scope.json")
    with Store(tmp_path / "copy.db") as copy:
        imported = import_file(copy, tmp_path / "scope.json")
        assert copy.event_count(imported.id) == store.event_count(incident)


def store_events(path: Path, incident: str) -> int:
    with Store(path) as store:
        return store.event_count(incident)
