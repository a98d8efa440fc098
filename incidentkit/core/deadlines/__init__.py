"""Deadlines: notification rules as data, the milestones that start their clocks, obligations."""
