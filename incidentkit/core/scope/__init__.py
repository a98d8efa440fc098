"""Scope: who is affected, where they live, and which data elements were exposed."""
