"""The timeline's line (and detail) for each scope event: who set what, in words."""

from __future__ import annotations

from typing import Any

from incidentkit.core import events as ev
from incidentkit.core.events import Event
from incidentkit.core.scope.vocabulary import DATA_ELEMENTS, ENCRYPTION_STATES, ORGANISATION_FLAGS


def _n(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else "?"


def _listed(tokens: Any, words: dict[str, str]) -> str:
    items = [words.get(t, t) for t in tokens if isinstance(t, str)] if isinstance(tokens, list) else []
    return ", ".join(items) if items else "none"


def _reason(payload: dict[str, Any]) -> str:
    reason = payload.get("reason")
    return reason if isinstance(reason, str) else ""


def scope_title(event: Event) -> tuple[str, str]:
    """`(title, detail)` of a `scope.*` event; the kind itself for one this version does not know."""
    p, kind = event.payload, event.kind
    if kind == ev.SCOPE_IMPORTED:
        title = (f"Scope: imported {p.get('file_name', '?')}: {_n(p.get('people_added'))} people added "
                 f"({_n(p.get('rows_read'))} rows, {_n(p.get('rows_rejected'))} rejected)")
        detail = f"sha256 {p.get('sha256', '?')}"
        added = p.get("added")
        if isinstance(added, dict) and added:
            detail += "; " + ", ".join(f"{code} {_n(n)}" for code, n in added.items())
        return title, detail
    if kind == ev.SCOPE_COUNTS_SET:
        counts = p.get("counts") if isinstance(p.get("counts"), dict) else {}
        stated = ", ".join(f"{code} {_n(n)}" for code, n in counts.items())
        return f"Scope: counts stated: {stated or 'none'}", _reason(p)
    if kind == ev.SCOPE_ELEMENTS_SET:
        return f"Scope: data exposed: {_listed(p.get('elements'), DATA_ELEMENTS)}", _reason(p)
    if kind == ev.SCOPE_ENCRYPTION_SET:
        state = p.get("encrypted")
        words = ENCRYPTION_STATES.get(state, str(state)) if isinstance(state, str) else "?"
        return f"Scope: data {words}", _reason(p)
    if kind == ev.SCOPE_ORGANISATION_SET:
        return f"Scope: organisation: {_listed(p.get('flags'), ORGANISATION_FLAGS)}", _reason(p)
    return kind, ""
