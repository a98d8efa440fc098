"""Tooltips over untrusted text show it literally: Qt would otherwise render a first line
that looks like HTML (and load the file an <img> names)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGuiNamespace
from PySide6.QtGui import QTextDocument

from incidentkit.core import events as ev
from incidentkit.core.events import Event
from incidentkit.core.projections import TimelineItem
from incidentkit.ui.incidents.list_model import IncidentListModel, IncidentRow
from incidentkit.ui.timeline.model import COL_WHAT, TimelineModel
from incidentkit.ui.widgets.plain_tip import plain_tip

HOSTILE = '<img src="file:///etc/passwd"> <b>urgent</b>'
WHEN = "2026-11-27T09:10:00.000000+00:00"


def shown(tip: str) -> str:
    """The text a tooltip label shows for `tip` (rich text exactly when Qt would treat it so)."""
    document = QTextDocument()
    document.setHtml(tip) if QtGuiNamespace.mightBeRichText(tip) else document.setPlainText(tip)
    return document.toPlainText()


def test_html_in_a_timeline_title_is_shown_as_written(qapp):
    event = Event(id="ev1", incident_id="inc", seq=1, kind=ev.TIMELINE_ENTRY, step_id=None, actor="mallory",
                  occurred_at=WHEN, recorded_at=WHEN, payload={"title": HOSTILE})
    model = TimelineModel()
    model.set_items([TimelineItem(event=event, occurred_at=WHEN, title=HOSTILE, detail="line two")])
    assert shown(model.index(0, COL_WHAT).data(Qt.ItemDataRole.ToolTipRole)).startswith(HOSTILE + "\n\nline two")


def test_html_in_an_incident_title_is_shown_as_written(qapp):
    model = IncidentListModel()
    model.set_rows([IncidentRow("a", HOSTILE, "open", 0, 62, WHEN)])
    assert shown(model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)).startswith(HOSTILE + "\nOpen")


def test_ordinary_text_is_left_as_it_is():
    assert plain_tip("Completed: a < b\nsecond line") == "Completed: a < b\nsecond line"
