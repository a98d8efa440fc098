"""The incidents list, the incident header, the first-run page and the new-incident dialog."""
