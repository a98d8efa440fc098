"""The breach profile of one incident: people per jurisdiction, data elements, organisation.

`ScopeProfile` is what the scope events fold to and what the deadlines and the
notices read. Counts are distinct people. A jurisdiction is an ISO 3166 code: a
country (`DE`, `GB`) or a subdivision where the law is per subdivision (`US-CA`,
`CA-ON`, `AU-NSW`), or `unknown` for records with no usable location.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from incidentkit.core.scope.vocabulary import EEA_COUNTRIES, UNKNOWN_JURISDICTION

_EMPTY: Mapping[str, int] = MappingProxyType({})


@dataclass(frozen=True)
class ImportRecord:
    """One imported file, as evidence: what it was and what it gave."""

    event_id: str
    file_name: str
    size: int
    sha256: str
    rows_read: int
    rows_rejected: int
    people_added: int
    at: str                        # occurred_at of the import event (as amended)
    by: str                        # its actor
    rows_unlocated: int = 0        # rows counted as `unknown` because their location was not understood
    located: int = 0               # people counted as `unknown` before whom this file located
    file_format: str = ""          # csv, xlsx, ods, jsonl
    encoding: str = ""             # of a text file, as detected
    dedup_key: str = ""            # which de-duplication set counted it (see `ScopeProfile.dedup_keys`)
    location_conflicts: int = 0    # people it placed at two known locations, or elsewhere than counted before


@dataclass(frozen=True)
class ScopeProfile:
    """Imported distinct people and stated counts are kept apart and never added together."""

    imported: Mapping[str, int] = field(default_factory=lambda: _EMPTY)   # jurisdiction -> distinct people
    stated: Mapping[str, int] = field(default_factory=lambda: _EMPTY)     # jurisdiction -> count the vendor gave
    people_imported: int = 0                                             # distinct people over all imports
    elements: frozenset[str] = frozenset()
    encrypted: str = "unknown"                                           # a key of ENCRYPTION_STATES
    organisation: frozenset[str] = frozenset()                           # keys of ORGANISATION_FLAGS
    imports: tuple[ImportRecord, ...] = ()
    elements_known: bool = False                                         # a scope.elements_set was recorded
    organisation_known: bool = False                                     # a scope.organisation_set was recorded
    # The de-duplication sets the imports were counted in. More than one means some imports
    # ran in another database (an export does not carry the keyed hashes), so a person in
    # two files may be counted twice: `people_imported` is then an upper bound.
    dedup_keys: frozenset[str] = frozenset()

    @property
    def may_double_count(self) -> bool:
        return len(self.dedup_keys) > 1

    @property
    def location_conflicts(self) -> int:
        """People the imports saw at two different known locations (each counted where first
        located), summed over the imports: someone reported by two imports counts twice here."""
        return sum(r.location_conflicts for r in self.imports)

    def count(self, jurisdiction: str) -> int:
        """People in exactly this jurisdiction: the larger of the imported and the stated count
        (they may be the same people, so they are never summed)."""
        return max(self.imported.get(jurisdiction, 0), self.stated.get(jurisdiction, 0))

    @cached_property  # people_in reads it once per rule: hundreds of times per deadlines board
    def by_jurisdiction(self) -> dict[str, int]:
        """Every jurisdiction with anyone in it (including `unknown`), by `count`."""
        codes = sorted(set(self.imported) | set(self.stated))
        return {code: self.count(code) for code in codes if self.count(code)}

    @property
    def people(self) -> int:
        """Distinct people in all: each jurisdiction's `count` summed, so the total agrees with
        the rows shown (never less than the imported people, nor than the stated counts' sum)."""
        return max(self.people_imported, sum(self.by_jurisdiction.values()))

    @property
    def unknown(self) -> int:
        return self.count(UNKNOWN_JURISDICTION)

    def people_in(self, jurisdiction: str) -> int:
        """People a rule for `jurisdiction` covers: `US-CA` itself; `US` every `US-*` and `US`;
        `EU` every EEA country and its subdivisions; `global` everyone."""
        if jurisdiction == "global":
            return self.people
        counts = self.by_jurisdiction
        if jurisdiction == "EU":
            return sum(n for code, n in counts.items() if code.split("-")[0] in EEA_COUNTRIES)
        if "-" in jurisdiction:
            return counts.get(jurisdiction, 0)
        return sum(n for code, n in counts.items() if code.split("-")[0] == jurisdiction)
