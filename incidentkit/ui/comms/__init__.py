"""The Communications tab: notices drafted from the incident's record, checked, approved, exported and logged."""
