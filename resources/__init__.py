"""Icons and desktop files, shipped inside the wheel as package data (incidentkit.resources)."""
