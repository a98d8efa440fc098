"""The Communications tab: pick a template, fill its fields, see the notice beside its checks,
save it as a draft, approve it, export it, mark it sent; the drafts listed by audience.

`set_incident(store, incident_id)` shows an incident; `refresh()` reads its drafts again
(after a write, here or elsewhere). Every write is one core action (`comms.actions`,
`comms.details`) and emits `changed`. Renders run on a pool thread (the template runs in
the render worker's process; a runaway one takes up to its 5 s limit), and only the
latest render is shown. The render worker starts with the first render and stops with
the panel.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from incidentkit.core.comms.desk import NoticeDesk, Preview, PreviewJob
from incidentkit.core.comms.records import STATES, Draft
from incidentkit.core.comms.vocabulary import AUDIENCES
from incidentkit.core.comms.worker import Renderer
from incidentkit.core.errors import IncidentKitError
from incidentkit.core.paths import AppPaths
from incidentkit.ui.comms.checks_view import ChecksView
from incidentkit.ui.comms.drafts_view import DraftsView
from incidentkit.ui.comms.fields_form import FieldsForm
from incidentkit.ui.comms.writes import PanelWrites
from incidentkit.ui.widgets.markdown_view import MarkdownView
from incidentkit.ui.widgets.message import show_error

DEBOUNCE_MS = 350


class _Delivery(QObject):
    """Carries a render's result from the pool thread to the panel's thread."""

    done = Signal(int, object, str)


class CommunicationsPanel(PanelWrites, QWidget):
    changed = Signal()
    rendered = Signal()            # a preview (or its error) is shown

    def __init__(self, paths: AppPaths | None, actor: Callable[[], str], parent: QWidget | None = None, *,
                 defaults: Callable[[], Mapping[str, str]] = dict, desk_options: Mapping[str, object] | None = None,
                 renderer: Renderer | None = None) -> None:
        super().__init__(parent)
        self._paths, self._actor, self._defaults = paths, actor, defaults
        self._desk_options = dict(desk_options or {})
        self._own_renderer = renderer is None
        self.renderer = renderer or Renderer()
        self.desk: NoticeDesk | None = None
        self.incident_id: str | None = None
        self.draft: Draft | None = None            # the recorded draft shown, when not edited since
        self.preview: Preview | None = None        # the latest render of the form
        self.error = ""
        self._generation = self._shown = 0
        self._delivery = _Delivery(self)
        self._delivery.done.connect(self._rendered)

        self.template_box = QComboBox()
        self.template_box.setAccessibleName("Template")
        # As wide as the room allows, not as its longest title: that held every tab of the
        # window wide enough to squeeze the incidents list to a sliver on a small screen.
        self.template_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.template_box.setMinimumContentsLength(24)
        self.audience = QLabel()
        self.jurisdictions = QLineEdit()
        self.jurisdictions.setPlaceholderText("everyone")
        self.jurisdictions.setToolTip("Only for the people in these jurisdictions (US-CA, FR, ...): the counts "
                                      "and the checks follow. Empty: everyone affected.")
        wide_enough = self.jurisdictions.fontMetrics().horizontalAdvance("everyone (US-CA)")
        self.jurisdictions.setMinimumWidth(wide_enough + 16)   # the placeholder was cut to "everyo…"
        self.jurisdictions.setMaximumWidth(220)
        self.details_button = QPushButton("Details…")
        self.details_button.setToolTip("The organisation, the vendor, contacts and the breach window, on the record")
        self.form = FieldsForm()
        self.view = MarkdownView()
        self.view.setAccessibleName("The notice as rendered")
        self.checks = ChecksView()
        self.drafts = DraftsView()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.save_button = QPushButton("Save draft")
        self.approve_button = QPushButton("Approve…")
        self.export_button = QPushButton("Export…")
        self.sent_button = QPushButton("Mark as sent…")

        top = QHBoxLayout()
        top.addWidget(QLabel("Template:"))
        top.addWidget(self.template_box, 1)
        top.addWidget(self.audience, 1)
        top.addWidget(QLabel("People in:"))
        top.addWidget(self.jurisdictions)
        top.addWidget(self.details_button)
        work = QSplitter(Qt.Orientation.Horizontal)
        work.setChildrenCollapsible(False)
        for widget in (self.form, self.view, self.checks):
            work.addWidget(widget)
        work.setSizes([250, 470, 480])  # the checks wrap their lines: they need room as much as the notice
        actions = QHBoxLayout()
        actions.addWidget(self.status, 1)
        for button in (self.save_button, self.approve_button, self.export_button, self.sent_button):
            actions.addWidget(button)
        outer = QSplitter(Qt.Orientation.Vertical)
        outer.setChildrenCollapsible(False)
        outer.addWidget(work)
        outer.addWidget(self.drafts)
        outer.setSizes([520, 170])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(outer, 1)
        layout.addLayout(actions)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.render)
        self.template_box.activated.connect(lambda _i: self.choose_template(self.template_box.currentData()))
        self.jurisdictions.textEdited.connect(lambda _t: self._edited())
        self.form.edited.connect(self._edited)
        self.drafts.currentItemChanged.connect(lambda *_: self._draft_chosen())
        self.details_button.clicked.connect(self.edit_details)
        self.save_button.clicked.connect(self.save_draft)
        self.approve_button.clicked.connect(self.approve)
        self.export_button.clicked.connect(lambda: self.export())
        self.sent_button.clicked.connect(self.mark_sent)
        self._update_buttons()

    # reading ------------------------------------------------------------------------
    def set_incident(self, store, incident_id: str | None) -> None:  # store: a Store, or None
        self.incident_id = incident_id
        self.desk = None if store is None or not incident_id else NoticeDesk(
            store, paths=self._paths, renderer=self.renderer, defaults=self._defaults(), **self._desk_options)
        self.draft, self.preview, self.error = None, None, ""
        self.template_box.clear()
        if self.desk is not None:
            order = list(AUDIENCES)        # the people affected first, counsel last
            for template in sorted(self.desk.templates.notices(),
                                   key=lambda t: (order.index(t.audience) if t.audience in order else 99, t.title)):
                self.template_box.addItem(template.title, template.id)
        self.refresh()
        if self.desk is not None and self.template_box.count() and not self._show_latest_draft():
            self.choose_template(self.template_box.itemData(0))

    def _show_latest_draft(self) -> bool:
        """An incident with drafts opens on the newest, where its communications stand (a fresh
        form said "Not saved yet" beside a notice already approved and sent)."""
        group = self.drafts.topLevelItem(0)             # the newest draft's audience, newest first
        if group is None or not group.childCount():
            return False
        self.drafts.setCurrentItem(group.child(0))      # shown by _draft_chosen
        return self.draft is not None

    def refresh(self) -> None:
        """Read the drafts again; keep what is shown."""
        if self.desk is None:
            self.drafts.clear()
            self.view.set_markdown("")
            self.checks.show_report(None)
            self._update_buttons()
            return
        keep = self.draft.id if self.draft else None
        try:
            drafts = self.desk.drafts(self.incident_id)
        except IncidentKitError as exc:
            show_error(self, "Communications", str(exc))
            return
        self.drafts.blockSignals(True)
        self.drafts.set_drafts(drafts, keep)
        self.drafts.blockSignals(False)
        if keep:
            self.draft = next((d for d in drafts if d.id == keep), None)
        self._update_buttons()

    def choose_template(self, template_id: str) -> None:
        """Start a new notice from a template: its fields at their defaults."""
        if self.desk is None:
            return
        template = self.desk.templates.get(template_id)
        self.template_box.setCurrentIndex(self.template_box.findData(template_id))
        self.audience.setText(f"for {AUDIENCES.get(template.audience, template.audience)}")
        self.draft = None
        self.drafts.blockSignals(True)
        self.drafts.setCurrentItem(None)
        self.drafts.blockSignals(False)
        self.form.set_fields(self.desk.templates.fields_of(template), {})
        self.render()

    def _edited(self) -> None:
        self.draft = None
        self._update_buttons()
        self._debounce.start()

    def _draft_chosen(self) -> None:
        draft = self.drafts.selected_draft()
        if draft is None or self.desk is None:
            return
        self._generation += 1                       # a render still running is no longer wanted
        self._shown = self._generation
        self.draft, self.preview, self.error = draft, None, ""
        template = self.desk.templates.find(draft.template_id)
        self.template_box.setCurrentIndex(self.template_box.findData(draft.template_id))
        if template is not None:
            self.audience.setText(f"for {AUDIENCES.get(template.audience, template.audience)}")
            self.form.set_fields(self.desk.templates.fields_of(template), draft.fields, given=True)
        self.jurisdictions.setText(", ".join(draft.jurisdictions))
        self.view.set_markdown(draft.text)
        try:
            self.checks.show_report(self.desk.check(self.incident_id, draft))
        except IncidentKitError as exc:
            self.checks.show_report(None, str(exc))
        self._update_buttons()

    def _chosen(self) -> tuple[str, ...]:
        return tuple(p.strip().upper() for p in self.jurisdictions.text().replace(";", ",").split(",") if p.strip())

    def render(self) -> None:
        """Render the form's template with the fields edited (the rest default) off this thread;
        the result shows when it arrives."""
        if self.desk is None or self.template_box.currentData() is None:
            return
        self._generation += 1
        generation, renderer = self._generation, self.renderer
        try:
            job: PreviewJob = self.desk.job(self.incident_id, self.template_box.currentData(),
                                            values=self.form.given(),
                                            jurisdictions=self._chosen())
        except IncidentKitError as exc:
            self._delivery.done.emit(generation, None, str(exc))
            return
        delivery = self._delivery

        def work() -> None:
            try:
                delivery.done.emit(generation, job.run(renderer), "")
            except IncidentKitError as exc:
                delivery.done.emit(generation, None, str(exc))

        QThreadPool.globalInstance().start(work)

    def _rendered(self, generation: int, preview: Preview | None, error: str) -> None:
        if generation != self._generation or self.desk is None:
            return
        self._shown = generation
        self.preview, self.error = preview, error
        if preview is None:
            self.view.set_markdown("")
            self.checks.show_report(None, error)
        else:
            self.form.show_defaults(preview.rendered.fields)
            self.form.mark_unfilled(preview.rendered.unfilled)
            self.view.set_markdown(preview.rendered.text)
            self.checks.show_report(self.desk.check(self.incident_id, preview))
        self._update_buttons()
        self.rendered.emit()

    def busy(self) -> bool:
        """A render asked for and not shown yet."""
        return self._debounce.isActive() or self._shown != self._generation

    def _update_buttons(self) -> None:
        recorded = self.draft is not None
        self.save_button.setEnabled(not recorded and self.preview is not None)
        self.approve_button.setEnabled(recorded and not self.draft.unfilled)
        self.export_button.setEnabled(recorded)
        self.sent_button.setEnabled(recorded and not self.draft.unfilled)
        self.details_button.setEnabled(self.desk is not None)
        if self.draft is not None:
            d = self.draft
            approvals = ", ".join(a.by + (f" ({a.role})" if a.role else "") for a in d.approvals)
            sent = f"sent {len(d.sendings)} time{'s' if len(d.sendings) > 1 else ''}" if d.sendings else ""
            said = "; ".join(p for p in (f"approved by {approvals}" if approvals else STATES["draft"], sent) if p)
            self.status.setText(f"Draft {d.id[:8]}: {said} · sha256 {d.sha256[:12]}")
        elif self.preview is not None:
            self.status.setText("Not saved yet: save it as a draft to approve, export or send it.")
        else:
            self.status.setText(self.error)

    # writing ------------------------------------------------------------------------
    def save_draft(self) -> Draft | None:
        if self.preview is None or self.desk is None:
            return None
        based_on = self.drafts.selected_draft()
        try:
            draft = self.desk.record_preview(self.preview, actor=self._actor(),
                                             based_on=based_on.id if based_on else "")
        except IncidentKitError as exc:
            show_error(self, "Save draft", str(exc))
            return None
        return self._wrote(draft)

    def _wrote(self, draft: Draft | None) -> Draft | None:
        if draft is not None:
            self.draft = draft
        self.refresh()
        if self.draft is not None:
            self.draft = next((d for d in self.desk.drafts(self.incident_id) if d.id == self.draft.id), self.draft)
        self._update_buttons()
        self.changed.emit()
        return self.draft

    def shutdown(self) -> None:
        """Stop the render worker (it also stops by itself when this process ends)."""
        if self._own_renderer:
            self.renderer.close()

