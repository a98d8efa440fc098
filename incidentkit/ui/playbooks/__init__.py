"""The playbook library in the window: the list of playbooks, their problems, and reloading on change."""
