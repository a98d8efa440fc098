"""Playbooks: the markdown format, its parser and validator, and the library of playbook folders."""
