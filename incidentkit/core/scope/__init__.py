"""Scope: who is affected, where they live, and which data elements were exposed.

`scope_profile(events) -> ScopeProfile` is the fold the deadlines and the notices read.
"""

from incidentkit.core.scope.fold import scope_profile
from incidentkit.core.scope.profile import ImportRecord, ScopeProfile

__all__ = ["ImportRecord", "ScopeProfile", "scope_profile"]
