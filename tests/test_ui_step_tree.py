"""The step tree model and its filter proxy, checked with qtmodeltester on a hand-made playbook."""

from __future__ import annotations

from types import MappingProxyType

import pytest
from PySide6.QtCore import QModelIndex, Qt

from incidentkit.core.playbook.model import Phase, Playbook, Step
from incidentkit.core.projections import IncidentState, PhaseProgress, StepState
from incidentkit.ui.steps.tree_model import (
    IS_PHASE_ROLE,
    STEP_ID_ROLE,
    StepFilterProxy,
    StepTreeModel,
)


def _playbook() -> Playbook:
    scope = Phase(
        id="scope",
        title="Scope",
        line=3,
        steps=(
            Step(id="confirm", text="Confirm the breach in writing", line=4, phase_id="scope", role="legal"),
            Step(id="data", text="List the **data** exposed", line=5, phase_id="scope", role="security"),
            Step(id="data-emails", text="Emails", line=6, phase_id="scope", parent_id="data", depth=1),
            Step(id="data-cards", text="Card numbers", line=7, phase_id="scope", parent_id="data", depth=1,
                 role="payments"),
        ),
    )
    notify = Phase(
        id="notify",
        title="Notify",
        line=9,
        steps=(Step(id="regulator", text="Tell the regulator", line=10, phase_id="notify", role="legal"),),
    )
    return Playbook(
        id="vendor-breach", title="Vendor breach", version="1", summary="", phases=(scope, notify),
        markdown="", sha256="0" * 64, roles=MappingProxyType({"legal": "Legal counsel", "security": "Security lead"}),
    )


def _state(steps: dict[str, StepState]) -> IncidentState:
    return IncidentState(
        incident_id="i1", title="t", status="open", aware_at=None, opened_at=None, closed_at=None,
        steps=steps,
        phases=(PhaseProgress("scope", "Scope", done=1, skipped=1, total=4),
                PhaseProgress("notify", "Notify", done=0, skipped=0, total=1)),
        event_count=3, last_seq=3, head_hash="",
    )


STATES = {
    "confirm": StepState("confirm", status="done", by="alice", at="2026-11-29T03:00:00+00:00"),
    "data-cards": StepState("data-cards", status="skipped", by="bob", reason="we hold no card data"),
    "regulator": StepState("regulator", assignee="carol"),
}


@pytest.fixture
def model(qapp) -> StepTreeModel:
    m = StepTreeModel()
    m.set_incident(_playbook(), _state(STATES))
    return m


def test_model_passes_qtmodeltester(qtmodeltester, model):
    qtmodeltester.check(model, force_py=True)


def test_proxy_passes_qtmodeltester_while_filtering(qtmodeltester, model):
    proxy = StepFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_text("card")
    qtmodeltester.check(proxy, force_py=True)


def test_phases_show_progress_and_steps_nest(model):
    scope = model.index(0, 0)
    assert model.data(scope) == "Scope  2/4"
    assert model.data(scope, IS_PHASE_ROLE) is True
    assert model.rowCount(scope) == 2
    data = model.index(1, 0, scope)
    assert model.data(data, STEP_ID_ROLE) == "data"
    assert [model.data(model.index(r, 0, data)) for r in range(model.rowCount(data))] == ["Emails", "Card numbers"]


def test_done_skipped_owner_and_assignee_columns(model):
    confirm = model.index_for_step("confirm")
    assert model.data(confirm, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.data(confirm.siblingAtColumn(1)) == "Legal counsel"
    assert model.data(confirm.siblingAtColumn(3)) == "Done"  # compact: who and when are in the tooltip
    done_tip = model.data(confirm.siblingAtColumn(3), Qt.ItemDataRole.ToolTipRole)
    assert done_tip.startswith("Done by alice, 2026-11-29 ") and "03:00" in done_tip
    step_tip = model.data(confirm, Qt.ItemDataRole.ToolTipRole)
    assert step_tip.splitlines() == ["Confirm the breach in writing", done_tip]
    cards = model.index_for_step("data-cards")
    assert model.data(cards, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.PartiallyChecked
    assert model.data(cards, Qt.ItemDataRole.FontRole).italic()
    assert "we hold no card data" in model.data(cards, Qt.ItemDataRole.ToolTipRole)
    assert model.data(cards.siblingAtColumn(3)) == "Skipped"
    assert model.data(cards.siblingAtColumn(3), Qt.ItemDataRole.ToolTipRole) == "Skipped by bob: we hold no card data"
    assert model.data(cards.siblingAtColumn(1)) == "payments"  # no display name declared: the key
    regulator = model.index_for_step("regulator")
    assert model.data(regulator.siblingAtColumn(2)) == "carol"
    assert model.data(regulator, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert model.data(regulator.siblingAtColumn(3)) == ""
    assert model.data(regulator.siblingAtColumn(3), Qt.ItemDataRole.ToolTipRole) == ""
    assert model.data(regulator, Qt.ItemDataRole.ToolTipRole) == "Tell the regulator"


def test_ticking_a_box_asks_rather_than_writes(qtbot, model):
    emails = model.index_for_step("data-emails")
    with qtbot.waitSignal(model.check_requested) as blocker:
        model.setData(emails, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert blocker.args == ["data-emails", True]
    assert model.data(emails, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert not model.setData(model.index(0, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)


def test_set_state_updates_rows_in_place(qtbot, model):
    with qtbot.waitSignal(model.dataChanged):
        model.set_state(_state({**STATES, "regulator": StepState("regulator", status="done", by="dan")}))
    regulator = model.index_for_step("regulator").siblingAtColumn(3)
    assert model.data(regulator) == "Done"
    assert model.data(regulator, Qt.ItemDataRole.ToolTipRole) == "Done by dan"
    model.set_state(_state({**STATES, "regulator": StepState("regulator", by="erin")}))  # reopened
    assert model.data(regulator) == ""
    assert model.data(regulator, Qt.ItemDataRole.ToolTipRole) == "Reopened by erin"


def _visible_step_ids(proxy: StepFilterProxy, parent: QModelIndex = QModelIndex()) -> list[str]:
    found = []
    for row in range(proxy.rowCount(parent)):
        index = proxy.index(row, 0, parent)
        if not proxy.data(index, IS_PHASE_ROLE):
            found.append(proxy.data(index, STEP_ID_ROLE))
        found += _visible_step_ids(proxy, index)
    return found


def test_filter_by_text_keeps_ancestors(model):
    proxy = StepFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_text("CARD")
    assert _visible_step_ids(proxy) == ["data", "data-cards"]  # the parent step stays to hold its match
    assert proxy.rowCount() == 1  # only the Scope phase
    proxy.set_text("carol")  # matches the assignee column
    assert _visible_step_ids(proxy) == ["regulator"]
    proxy.set_text("alice")  # who did it is not shown in a column, but it is searched
    assert _visible_step_ids(proxy) == ["confirm"]
    proxy.set_text("no card data")  # and so is the reason for a skip
    assert _visible_step_ids(proxy) == ["data", "data-cards"]
    proxy.set_text("")
    assert len(_visible_step_ids(proxy)) == 5


def test_filter_by_role(model):
    proxy = StepFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_role("legal")
    assert _visible_step_ids(proxy) == ["confirm", "regulator"]
    proxy.set_text("regulator")
    assert _visible_step_ids(proxy) == ["regulator"]


def test_titles_with_inline_markdown_show_without_markers_and_paint_rich(qtbot):
    from PySide6.QtGui import QFont, QTextCursor
    from PySide6.QtWidgets import QTreeView

    from incidentkit.ui.steps.rich_titles import RICH_ROLE, RichTitleDelegate, title_document

    model = StepTreeModel()
    model.set_incident(_playbook(), _state(STATES))
    data = model.index_for_step("data")
    assert data.data(Qt.ItemDataRole.DisplayRole) == "List the data exposed"  # what filters and tooltips read
    assert data.data(RICH_ROLE) == "List the **data** exposed"
    assert model.index_for_step("confirm").data(RICH_ROLE) is None  # plain titles: Qt paints them alone
    assert "**" not in data.data(Qt.ItemDataRole.ToolTipRole)
    assert model.has_rich_titles()

    document = title_document("List the **data** exposed")
    cursor = QTextCursor(document)
    cursor.setPosition(document.toPlainText().index("data") + 1)
    assert cursor.charFormat().fontWeight() == QFont.Weight.Bold and document.toPlainText() == "List the data exposed"

    view = QTreeView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setItemDelegateForColumn(0, RichTitleDelegate(view))
    view.expandAll()
    view.resize(500, 300)
    assert not view.grab().isNull()  # every row painted, the rich one by the delegate


def test_the_tree_gets_the_rich_delegate_only_for_playbooks_with_markup(qtbot):
    from incidentkit.ui.steps.pane import StepsPane
    from incidentkit.ui.steps.rich_titles import RichTitleDelegate

    pane = StepsPane()
    qtbot.addWidget(pane)
    pane.model.set_incident(_playbook(), _state(STATES))
    pane._paint_rich_titles(pane.model.has_rich_titles())
    assert isinstance(pane.tree.itemDelegateForColumn(0), RichTitleDelegate)
    plain = Playbook(id="p", title="P", version="1", summary="", phases=(Phase(id="s", title="S", line=1, steps=(
        Step(id="a", text="Plain title", line=2, phase_id="s"),)),), markdown="", sha256="0" * 64)
    pane.model.set_incident(plain, None)
    assert not pane.model.has_rich_titles()
    pane._paint_rich_titles(False)
    assert pane.tree.itemDelegateForColumn(0) is None
