"""A small playbook and a store opened on a tmp folder, for the store and projection tests."""

from __future__ import annotations

from pathlib import Path

from incidentkit.core.playbook.model import Playbook
from incidentkit.core.playbook.parser import parse_playbook
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
    return parse_playbook(markdown, "tiny.md")


def open_store(tmp_path: Path) -> Store:
    return Store(tmp_path / "incidentkit.db", backups_dir=tmp_path / "backups")
