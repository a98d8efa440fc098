"""The Scope tab: people per jurisdiction, data exposed, the organisation, vendor file imports."""
