"""How the deadlines board prints: readable text (most urgent first) and stable JSON."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from incidentkit.core.deadlines.board import Board
from incidentkit.core.deadlines.describe import (
    DISCLAIMER,
    STATUS_MARKS,
    STATUS_WORDS,
    VERIFY,
    countdown,
    local_time,
)
from incidentkit.core.deadlines.obligations import Obligation
from incidentkit.core.deadlines.records import iso


def board_json(board: Board, *, show_all: bool, zone_name: str) -> dict[str, Any]:
    return {
        "incident": board.incident_id,
        "title": board.title,
        "now": iso(board.now),
        "time_zone": zone_name,
        "aware_at": iso(board.milestones["aware"].at) if "aware" in board.milestones else None,
        "milestones": [m.to_json() for m in board.milestones.values()],
        "notifications": [n.to_json() for n in board.notifications],
        "obligations": [o.to_json() for o in board.shown(all=show_all)],
        "disclaimer": DISCLAIMER,
    }


def board_text(board: Board, *, show_all: bool, zone: tzinfo | None) -> list[str]:
    lines = [f"Deadlines: {board.title} ({board.incident_id[:8]}), now {local_time(board.now, zone)}"]
    upcoming = board.next_deadline
    if upcoming is not None:
        lines.append(f"Next: {upcoming.title} ({upcoming.jurisdiction or 'playbook'}) by "
                     f"{local_time(upcoming.deadline, zone)}, {countdown(upcoming.deadline, board.now)}")
    shown = board.shown(all=show_all)
    if not shown:
        lines.append("Nothing applies yet (`--all` shows every rule and why it does not apply).")
    for o in shown:
        lines.append("")
        lines.extend(obligation_lines(o, board, zone))
    lines.append("")
    lines.append("Milestones: " + "; ".join(f"{m.name} {local_time(m.at, zone)}" for m in board.milestones.values()))
    lines.append(DISCLAIMER)
    return lines


def obligation_lines(o: Obligation, board: Board, zone: tzinfo | None) -> list[str]:
    when = local_time(o.deadline, zone) or "no fixed deadline"
    if o.deadline_kind in ("target", "latest") and o.deadline is not None:
        when += " (team target)" if o.deadline_kind == "target" else " (at the latest)"
    left = countdown(o.deadline, board.now) if o.status in ("due", "overdue", "needs-input") else ""
    head = f"{STATUS_MARKS[o.status]} {STATUS_WORDS[o.status]:<14}  {when}" + (f"  {left}" if left else "")
    lines = [head, f"   {o.rule_id}  {o.jurisdiction or 'playbook'}  {o.recipient}: {o.title}",
             f"   why: {o.reason}"]
    if o.clock_start is not None and o.clock_start.at is not None:
        note = f" ({o.clock_start.note})" if o.clock_start.note else ""
        lines.append(f"   clock: {o.clock_start.milestone} {local_time(o.clock_start.at, zone)}{note}")
    if o.notification is not None:
        n = o.notification
        lines.append(f"   sent: {local_time(n.at, zone)} ref {n.reference}" + (f" via {n.channel}" if n.channel else ""))
    for fact in o.verify:
        lines.append(f"   unknown ({VERIFY}): {fact}")
    for source in o.sources:
        lines.append(f"   source: {source.citation} ({source.type}, as of {source.as_of})")
    return lines
