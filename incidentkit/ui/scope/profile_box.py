"""The parts of the profile set by hand: data elements, encryption, the organisation.

Each is a checklist (or a choice) that shows the recorded value and asks for a change
through a signal; the panel writes it through the core (one event) and shows the result.
The organisation list starts from the Settings' defaults until the incident records its
own: the first change (or "Record these") pins the whole set for this incident.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incidentkit.core.scope.profile import ScopeProfile
from incidentkit.core.scope.vocabulary import DATA_ELEMENTS, ENCRYPTION_STATES, ORGANISATION_FLAGS
from incidentkit.ui.widgets.hint import hint_label

TokenRole = Qt.ItemDataRole.UserRole + 1


class Checklist(QListWidget):
    """A checkable list of vocabulary tokens; `toggled(tokens)` after the user changes one."""

    toggled = Signal(list)

    def __init__(self, vocabulary: dict[str, str], parent: QWidget | None = None, *, words_only: bool = False) -> None:
        super().__init__(parent)
        self._quiet = False
        self.setWordWrap(True)  # long flag names wrap instead of scrolling sideways
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for token, words in vocabulary.items():
            item = QListWidgetItem(words[0].upper() + words[1:] if words_only else f"{token} — {words}")
            item.setToolTip(token)
            item.setData(TokenRole, token)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(item)
        self.itemChanged.connect(self._changed)

    def tokens(self) -> list[str]:
        return [self.item(i).data(TokenRole) for i in range(self.count())
                if self.item(i).checkState() == Qt.CheckState.Checked]

    def set_tokens(self, tokens: frozenset[str] | set[str]) -> None:
        self._quiet = True
        try:
            for i in range(self.count()):
                item = self.item(i)
                item.setCheckState(Qt.CheckState.Checked if item.data(TokenRole) in tokens else Qt.CheckState.Unchecked)
        finally:
            self._quiet = False

    def check(self, token: str, on: bool = True) -> None:
        """Tick or untick one token as a user would (emits `toggled`)."""
        for i in range(self.count()):
            if self.item(i).data(TokenRole) == token:
                self.item(i).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _changed(self, _item: QListWidgetItem) -> None:
        if not self._quiet:
            self.toggled.emit(self.tokens())


class ProfileBox(QWidget):
    """Elements, encryption and organisation of one incident."""

    elements_requested = Signal(list)
    encryption_requested = Signal(str)
    organisation_requested = Signal(list, bool)   # flags, whether they are the Settings' defaults as they were
    defaults_requested = Signal(list)             # save these flags as the Settings' defaults

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.elements = Checklist(DATA_ELEMENTS)
        self.elements.toggled.connect(self.elements_requested)
        self.encryption = QComboBox()
        for key, words in ENCRYPTION_STATES.items():
            self.encryption.addItem(words, key)
        self.encryption.activated.connect(lambda i: self.encryption_requested.emit(self.encryption.itemData(i)))
        self.organisation = Checklist(ORGANISATION_FLAGS, words_only=True)
        self.organisation.toggled.connect(lambda flags: self.organisation_requested.emit(flags, False))
        self.org_hint = hint_label("")
        self.record_org = QPushButton("Record these")
        self.record_org.setToolTip("Pin this profile for the incident as it is (defaults from Settings)")
        self.record_org.clicked.connect(lambda: self.organisation_requested.emit(self.organisation.tokens(), True))
        self.save_default = QPushButton("Use as default")
        self.save_default.setToolTip("New incidents start from this organisation profile (kept in Settings)")
        self.save_default.clicked.connect(lambda: self.defaults_requested.emit(self.organisation.tokens()))

        data_box = QGroupBox("Data exposed")
        data = QVBoxLayout(data_box)
        data.addWidget(self.elements, 1)
        enc = QHBoxLayout()
        enc.addWidget(hint_label("Encrypted:", wrap=False))
        enc.addWidget(self.encryption, 1)
        data.addLayout(enc)
        org_box = QGroupBox("Organisation")
        org = QVBoxLayout(org_box)
        org.addWidget(self.organisation, 1)
        org.addWidget(self.org_hint)
        buttons = QHBoxLayout()
        buttons.addWidget(self.record_org)
        buttons.addWidget(self.save_default)
        buttons.addStretch(1)
        org.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(data_box, 3)
        layout.addWidget(org_box, 2)

    def show_profile(self, profile: ScopeProfile, defaults: list[str], *, editable: bool) -> None:
        self.elements.set_tokens(profile.elements)
        self.encryption.setCurrentIndex(max(0, self.encryption.findData(profile.encrypted)))
        if profile.organisation_known:
            self.organisation.set_tokens(profile.organisation)
            self.org_hint.setText("Recorded for this incident.")
        else:
            self.organisation.set_tokens(set(defaults))
            self.org_hint.setText("Not yet recorded for this incident: these are the defaults from Settings. "
                                  "A change, or Record these, pins them.")
        self.record_org.setVisible(not profile.organisation_known)
        for widget in (self.elements, self.encryption, self.organisation, self.record_org):
            widget.setEnabled(editable)
