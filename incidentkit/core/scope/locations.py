"""Where a record's person lives: a country, state and postal code as vendors write them,
to one jurisdiction code (`DE`, `US-CA`, `CA-ON`, or `unknown`).

ISO 3166 comes from pycountry (codes, names, official and common names); the spellings
ISO lacks ("USA", "U.K.", "Deutschland") are a data file in `resources/scope/`, and so are
the postal codes' tables (`postcodes.py`). pycountry takes about a tenth of a second to load, so everything is
built on the first `Locator()`, never at import.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import cache

from incidentkit.core.scope.postcodes import ca_province, data_rows, postal_subdivision, zip_state
from incidentkit.core.scope.vocabulary import SUBDIVIDED_COUNTRIES, UNKNOWN_JURISDICTION

# Territories ISO lists both as countries and as US subdivisions: their people are counted
# as US-PR etc., where US federal rules and their own breach laws both find them.
US_TERRITORIES = frozenset({"PR", "GU", "VI", "AS", "MP", "UM"})
# Military mail "states" (APO/FPO): in the US, but no state of residence.
_US_MILITARY = frozenset({"aa", "ae", "ap"})
# Without a country, a state column's value is looked up in these countries, in order
# ("WA" is Washington before Western Australia).
_STATE_ONLY_ORDER = ("US", "CA", "AU")
_IGNORED = re.compile(r"[.'’,()]")
_SPACES = re.compile(r"\s+")
_SHOWN = 30  # characters of an unrecognised value quoted in a report line

UNKNOWN = sys.intern(UNKNOWN_JURISDICTION)


def fold(text: str) -> str:
    """A name as matching sees it: case, accents, dots, commas and extra spaces ignored."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _IGNORED.sub("", text.replace("&", " and ").replace("-", " "))
    text = _SPACES.sub(" ", text).strip()
    return text[4:] if text.startswith("the ") and len(text) > 4 else text


def shown(value: str) -> str:
    """A value quoted in a report line: cut short, control characters escaped."""
    text = value if len(value) <= _SHOWN else value[:_SHOWN - 1] + "…"
    return repr(text) if not text.isprintable() else f"'{text}'"


@cache
def _countries() -> dict[str, str]:
    import pycountry

    names: dict[str, str] = {}
    for variant, alpha_2 in data_rows("country-variants.csv"):
        names[fold(variant)] = alpha_2
    for c in pycountry.countries:
        for value in (c.alpha_2, c.alpha_3, c.name, getattr(c, "official_name", ""), getattr(c, "common_name", "")):
            if value:
                names[fold(value)] = c.alpha_2  # ISO's own names win over a variant
    return names


@cache
def _subdivisions(country: str) -> dict[str, str]:
    """A subdivided country's subdivisions by folded code suffix, full code and name."""
    import pycountry

    found: dict[str, str] = {}
    for sub in pycountry.subdivisions.get(country_code=country) or ():
        suffix = sub.code.split("-", 1)[1]
        for value in (suffix, sub.code, sub.name):
            found[fold(value)] = suffix
    if country == "US":
        found.update({"washington dc": "DC", "washington d c": "DC", "dc": "DC"})
    return found


def cell_text(value: object) -> str:
    """A spreadsheet or JSON cell as text: whole numbers without `.0` (a ZIP read as 2134.0)."""
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class Place:
    """Where one distinct (country, state, postal code) puts a person, and what was not understood."""

    jurisdiction: str
    problem: str | None = None      # what was not understood (a reason, counted); None when all was
    detail: str = ""                # the value in question, for the report line


class Locator:
    """`place(country, state, postal)` for raw cell values, each distinct triple worked out once."""

    def __init__(self) -> None:
        self._countries = _countries()

    def country(self, text: str) -> str | None:
        """ISO alpha-2 of a country's code, name or common variant; None when not recognised."""
        return self._countries.get(fold(text))

    def subdivision(self, country: str, text: str) -> str | None:
        """A subdivision's suffix (`CA` of US-CA) from its code or name; None when not recognised."""
        return _subdivisions(country).get(fold(text))

    def place(self, country: object, state: object = "", postal: object = "") -> Place:
        c, s, z = cell_text(country).strip(), cell_text(state).strip(), cell_text(postal).strip()
        if c:
            return self._in_country(c, s, z)
        if s:
            for candidate in _STATE_ONLY_ORDER:
                sub = self.subdivision(candidate, s)
                if sub is not None:
                    return self._code(candidate, sub)
            if fold(s) in _US_MILITARY:
                return Place(sys.intern("US"))
            return Place(UNKNOWN, "state not recognised, no country", shown(s))
        if z:
            state = zip_state(z)
            if state is not None:
                return self._code("US", state)
            province = ca_province(z, whole=True)  # unmistakable: letters and digits in turn
            if province is not None:
                return self._code("CA", province) if province else Place(sys.intern("CA"))
            return Place(UNKNOWN, "postal code not a US ZIP or Canadian postal code, no country", shown(z))
        return Place(UNKNOWN)

    def _in_country(self, c: str, s: str, z: str) -> Place:
        alpha_2 = self.country(c)
        if alpha_2 is None:
            return Place(UNKNOWN, "country not recognised", shown(c))
        if alpha_2 in US_TERRITORIES:
            return self._code("US", alpha_2)
        if alpha_2 not in SUBDIVIDED_COUNTRIES:
            return Place(sys.intern(alpha_2))
        problem = detail = None
        sub = self.subdivision(alpha_2, s) if s else None
        if s and sub is None and not (alpha_2 == "US" and fold(s) in _US_MILITARY):
            problem, detail = "state not recognised (counted in the country)", f"{shown(s)} in {alpha_2}"
        if sub is None and z:
            sub = postal_subdivision(alpha_2, z)
        if sub is None:
            return Place(sys.intern(alpha_2), problem, detail or "")
        return self._code(alpha_2, sub)

    @staticmethod
    def _code(country: str, sub: str) -> Place:
        return Place(sys.intern(f"{country}-{sub}"))


def jurisdiction_name(code: str) -> str:
    """A jurisdiction's English name for display (`US-CA` California, United States)."""
    if code == UNKNOWN_JURISDICTION:
        return "Location unknown"
    import pycountry

    if "-" in code:
        sub = pycountry.subdivisions.get(code=code)
        country = pycountry.countries.get(alpha_2=code.split("-", 1)[0])
        if sub is not None:
            return f"{sub.name}, {getattr(country, 'common_name', None) or country.name}" if country else sub.name
    country = pycountry.countries.get(alpha_2=code)
    if country is not None:
        return getattr(country, "common_name", None) or country.name
    return code


def valid_code(code: str) -> str | None:
    """`code` as a jurisdiction (upper-cased ISO country or subdivision, or `unknown`), or None."""
    text = code.strip()
    if text.lower() == UNKNOWN_JURISDICTION:
        return UNKNOWN
    import pycountry

    upper = text.upper()
    if "-" in upper:
        return upper if pycountry.subdivisions.get(code=upper) is not None else None
    return upper if len(upper) == 2 and pycountry.countries.get(alpha_2=upper) is not None else None
