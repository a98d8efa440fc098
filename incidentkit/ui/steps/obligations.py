"""The obligations a step is about (its `rules` attribute), as the step detail shows them.

One line per obligation from the Deadlines tab's board, most urgent first: its status
in words (never colour alone), the duty and where, the deadline with the time left, or
why it does not apply; the duty is a link that opens it in the Deadlines tab
(`obligation:RULE_ID`), and a last link opens the tab itself (`deadlines:`). A step naming many
rules (`us-*-individuals`) lists those that apply and counts the rest. Everything shown
is escaped: rules files are a team's own text. The deadlines modules load with the first
board shown, not with the step detail (which the first paint shows).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING

from incidentkit.ui.widgets.times import local_time

if TYPE_CHECKING:
    from incidentkit.core.deadlines.obligations import Obligation

ALL_SHOWN = 4        # this many or fewer: every one, the not-applicable too, with its reason
APPLYING_SHOWN = 8   # more: the first of those that apply, and counts
OBLIGATION_LINK = "obligation:"
TAB_LINK = "deadlines:"


def line(o: Obligation, now: datetime) -> str:
    """`Due · Notify the CNIL (EU) · by 2026-03-05 10:00 CET, 12 h left`, the duty a link."""
    from incidentkit.core.deadlines.describe import STATUS_WORDS, countdown
    from incidentkit.core.deadlines.records import iso

    where = f" ({escape(o.jurisdiction)})" if o.jurisdiction else ""
    words = STATUS_WORDS[o.status].capitalize()
    if o.status == "not-applicable":
        when = escape(o.reason)
    elif o.status in ("met", "met-late") and o.notification is not None:
        when = f"sent {escape(local_time(iso(o.notification.at) or ''))}"
    elif o.deadline is not None:
        latest = {"latest": " at the latest", "target": " (target)"}.get(o.deadline_kind, "")
        when = f"by {escape(local_time(iso(o.deadline) or ''))}{latest}, {escape(countdown(o.deadline, now))}"
    else:
        when = "no fixed deadline"
    if o.status == "needs-input":  # the first thing missing; the Deadlines tab has them all
        first, *rest = o.reason.split("; ")
        when += f"; needs input: {escape(first)}" + (f" (and {len(rest)} more)" if rest else "")
    return (f'<b>{escape(words)}</b> · <a href="{OBLIGATION_LINK}{escape(o.rule_id, quote=True)}">'
            f"{escape(o.title)}</a>{where} · {when}")


def obligations_html(patterns: Sequence[str], board: Sequence[Obligation] | None, now: datetime) -> str:
    """The block for a step naming `patterns`, from the board's obligations (None: not read yet)."""
    if not patterns:
        return ""
    head = "<b>Obligations</b> (" + escape(" ".join(patterns)) + ")"
    tab = f'<a href="{TAB_LINK}">Open the Deadlines tab</a>'
    if board is None:
        return f"{head}: the deadlines are not computed yet. {tab}"
    from incidentkit.core.deadlines.steps import obligations_of, unmatched

    found = obligations_of(patterns, board)
    lines = []
    missing = unmatched(patterns, [o.rule_id for o in board])
    if len(found) <= ALL_SHOWN:
        lines = [line(o, now) for o in found]
    else:
        applying = [o for o in found if o.applies]
        lines = [line(o, now) for o in applying[:APPLYING_SHOWN]]
        more = len(applying) - APPLYING_SHOWN
        if more > 0:
            lines.append(f"and {more} more that apply")
        rest = len(found) - len(applying)
        if rest:
            lines.append(f"{rest} more do not apply (the Deadlines tab says why)")
    if missing:
        lines.append("No rule is called " + ", ".join(f"<code>{escape(p)}</code>" for p in missing))
    return head + "<br>" + "<br>".join(lines + [tab])
