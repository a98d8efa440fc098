"""The Deadlines tab: every notification clock of the incident, most urgent first, and a picture of them."""
