"""The Timeline tab: every event in a lazy table, its filter, and adding and amending entries."""
