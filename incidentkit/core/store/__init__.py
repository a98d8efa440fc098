"""The append-only, hash-chained event log and the incidents it belongs to, in SQLite."""

from incidentkit.core.store.sqlite import AlreadyStored, Incident, Store, VerifyResult

__all__ = ["AlreadyStored", "Incident", "Store", "VerifyResult"]
