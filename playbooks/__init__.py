"""The built-in playbooks, shipped inside the wheel as package data (incidentkit.playbooks)."""
