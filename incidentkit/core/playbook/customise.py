"""A copy of a playbook for a team to customise: the same markdown, a new version, maybe a new id.

Usage:

    from incidentkit.core.playbook.customise import copy_to_customise, custom_version
    path = copy_to_customise(builtin, paths.playbooks_dir)                 # keeps the id: replaces it
    path = copy_to_customise(builtin, folder, new_id="vendor-breach-acme")  # a second playbook beside it

Keeping the id makes the copy override the original for new incidents (a user playbook
wins over a built-in one with its id), and running incidents see it as a newer version
they can be upgraded to. A new id makes it a playbook of its own (its title says it is
customised), which running incidents never see. Only the front matter's `id`, `title`
and `version` lines change; everything else is the original text, so a later diff
against the next built-in version shows the team's own edits.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from incidentkit.core.errors import IncidentKitError
from incidentkit.core.playbook.ids import check_id
from incidentkit.core.playbook.model import Playbook

_FENCE = "---"


def custom_version(version: str) -> str:
    """`1.0.0` -> `1.0.0-custom.1`; `1.0.0-custom.1` -> `1.0.0-custom.2`. Sorts after the original."""
    match = re.fullmatch(r"(.*)-custom\.(\d+)", version)
    return f"{match.group(1)}-custom.{int(match.group(2)) + 1}" if match else f"{version}-custom.1"


def _set_keys(markdown: str, values: dict[str, str]) -> str:
    newline = "\r\n" if "\r\n" in markdown else "\n"
    lines = markdown.split(newline)
    if not lines or lines[0].rstrip() != _FENCE:
        lines[:0] = [_FENCE, _FENCE]
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in (_FENCE, "...")), None)
    if end is None:
        raise IncidentKitError("the playbook's front matter is never closed by a `---` line")
    for key, value in values.items():
        line = f"{key}: {json.dumps(value, ensure_ascii=False)}"
        at = next((i for i in range(1, end) if re.match(rf"{key}\s*:", lines[i])), None)
        if at is None:
            lines.insert(end, line)
            end += 1
        else:
            lines[at] = line
    return newline.join(lines)


def customised_markdown(playbook: Playbook, *, new_id: str | None = None) -> str:
    """The playbook's markdown with a custom version (and `new_id`, and a title saying so)."""
    values = {"version": custom_version(playbook.version)}
    if new_id is not None:
        reason = check_id(new_id)
        if reason:
            raise IncidentKitError(reason)
        values.update(id=new_id, title=f"{playbook.title} (customised)")
    return _set_keys(playbook.markdown, values)


def copy_to_customise(playbook: Playbook, folder: Path, *, new_id: str | None = None) -> Path:
    """Write the customisable copy into `folder` (created when missing) as `<id>.md`; refuses to
    replace a file. The copy is parsed before it is written, so it always loads."""
    from incidentkit.core.atomic_file import replace_atomically
    from incidentkit.core.playbook.parser import parse_playbook

    markdown = customised_markdown(playbook, new_id=new_id)
    target = folder / f"{new_id or playbook.id}.md"
    parse_playbook(markdown, str(target))
    if target.exists():
        raise IncidentKitError(f"{target} already exists: open it in your editor, or choose another id")
    data = markdown.encode("utf-8")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        replace_atomically(target, lambda raw: raw.write(data), prefix=".copy-")
    except OSError as exc:
        raise IncidentKitError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target
