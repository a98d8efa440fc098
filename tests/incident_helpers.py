"""A small playbook built by hand (no parser) and a store opened on a tmp folder, for store tests."""

from __future__ import annotations

import hashlib
from pathlib import Path

from incidentkit.core.playbook_model import Phase, Playbook, Step
from incidentkit.core.store import Store

MARKDOWN = """\
---
id: tiny
title: Tiny playbook
version: "1.0"
summary: Two phases, three steps.
---

# Tiny playbook

## Scope

- [ ] Confirm the breach in writing {#confirm}
- [ ] Count affected people {#count}

## Notify

- [ ] Notify the regulator {#notify role=legal}
"""


def tiny_playbook(markdown: str = MARKDOWN) -> Playbook:
    scope = Phase(
        id="scope",
        title="Scope",
        line=9,
        steps=(
            Step(id="confirm", text="Confirm the breach in writing", line=11, phase_id="scope", explicit_id=True),
            Step(id="count", text="Count affected people", line=12, phase_id="scope", explicit_id=True),
        ),
    )
    notify = Phase(
        id="notify",
        title="Notify",
        line=14,
        steps=(Step(id="notify", text="Notify the regulator", line=16, phase_id="notify", role="legal",
                    explicit_id=True),),
    )
    return Playbook(
        id="tiny",
        title="Tiny playbook",
        version="1.0",
        summary="Two phases, three steps.",
        phases=(scope, notify),
        markdown=markdown,
        sha256=hashlib.sha256(markdown.encode("utf-8")).hexdigest(),
    )


def open_store(tmp_path: Path) -> Store:
    return Store(tmp_path / "incidentkit.db", backups_dir=tmp_path / "backups")
