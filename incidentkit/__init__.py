"""IncidentKit: offline-first incident response with markdown playbooks."""

__version__ = "0.1.0"
