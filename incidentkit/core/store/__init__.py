"""The append-only, hash-chained event log and the incidents it belongs to, in SQLite."""

from incidentkit.core.store.records import AlreadyStored, Incident, LogSummary, VerifyResult
from incidentkit.core.store.sqlite import Store

__all__ = ["AlreadyStored", "Incident", "LogSummary", "Store", "VerifyResult"]
