"""Where a jurisdiction counts its days: a representative time zone and a holiday calendar.

A rule counts calendar and business days in its jurisdiction's time zone (its own
`time_zone` when it names one). Each US state and territory gets its most populous
zone; the US (federal law: the SEC, HHS) America/New_York; the EU Europe/Brussels;
other countries their capital's zone, here or from the tz database's zone.tab; `global`
UTC. Business days skip the public holidays of the `holidays` package: a country, a
subdivision (`US-CA` adds California's to the federal ones), or for `EU` the TARGET2
calendar of the European Central Bank.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

_NY, _CHI, _DEN, _LA = "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"
ZONES: dict[str, str] = {
    "US": _NY, "EU": "Europe/Brussels", "global": "UTC",
    "US-AL": _CHI, "US-AK": "America/Anchorage", "US-AZ": "America/Phoenix", "US-AR": _CHI, "US-CA": _LA,
    "US-CO": _DEN, "US-CT": _NY, "US-DE": _NY, "US-DC": _NY, "US-FL": _NY, "US-GA": _NY,
    "US-HI": "Pacific/Honolulu", "US-ID": "America/Boise", "US-IL": _CHI,
    "US-IN": "America/Indiana/Indianapolis", "US-IA": _CHI, "US-KS": _CHI, "US-KY": "America/Kentucky/Louisville",
    "US-LA": _CHI, "US-ME": _NY, "US-MD": _NY, "US-MA": _NY, "US-MI": "America/Detroit", "US-MN": _CHI,
    "US-MS": _CHI, "US-MO": _CHI, "US-MT": _DEN, "US-NE": _CHI, "US-NV": _LA, "US-NH": _NY, "US-NJ": _NY,
    "US-NM": _DEN, "US-NY": _NY, "US-NC": _NY, "US-ND": _CHI, "US-OH": _NY, "US-OK": _CHI, "US-OR": _LA,
    "US-PA": _NY, "US-RI": _NY, "US-SC": _NY, "US-SD": _CHI, "US-TN": _CHI, "US-TX": _CHI, "US-UT": _DEN,
    "US-VT": _NY, "US-VA": _NY, "US-WA": _LA, "US-WV": _NY, "US-WI": _CHI, "US-WY": _DEN,
    "US-PR": "America/Puerto_Rico", "US-GU": "Pacific/Guam", "US-VI": "America/St_Thomas",
    "US-AS": "Pacific/Pago_Pago", "US-MP": "Pacific/Saipan",
    # Countries spanning several zones: the capital's.
    "CA": "America/Toronto", "CA-QC": "America/Toronto", "AU": "Australia/Sydney", "BR": "America/Sao_Paulo",
    "RU": "Europe/Moscow", "CN": "Asia/Shanghai", "IN": "Asia/Kolkata", "ID": "Asia/Jakarta",
    "MX": "America/Mexico_City", "NZ": "Pacific/Auckland", "ES": "Europe/Madrid", "PT": "Europe/Lisbon",
    "CL": "America/Santiago", "AR": "America/Argentina/Buenos_Aires", "KZ": "Asia/Almaty",
}
# Holiday calendars the `holidays` package names differently from ISO 3166.
_FINANCIAL = {"EU": "XECB"}


@lru_cache(maxsize=None)
def zone_for(jurisdiction: str, override: str = "") -> ZoneInfo:
    """The zone a rule for `jurisdiction` counts its days in."""
    name = override or ZONES.get(jurisdiction) or _zone_tab().get(jurisdiction.split("-")[0]) or "UTC"
    return ZoneInfo(name)


@lru_cache(maxsize=1)
def _zone_tab() -> dict[str, str]:
    """Country code -> the first zone listed for it in the tz database's zone.tab ({} when absent):
    the system's copy, else the tzdata package's."""
    import zoneinfo

    folders = [Path(p) for p in zoneinfo.TZPATH]
    try:
        import tzdata

        folders.append(Path(tzdata.__file__).parent / "zoneinfo")
    except ImportError:
        pass
    found: dict[str, str] = {}
    for folder in folders:
        try:
            text = (folder / "zone.tab").read_text(encoding="utf-8")
        except OSError:
            continue
        for line in text.splitlines():
            parts = line.split("\t")
            if len(parts) >= 3 and not line.startswith("#"):
                found.setdefault(parts[0], parts[2])
        break
    return found


def public_holidays(calendar: str, year: int) -> frozenset[date]:
    """Public holidays of `calendar` (`US`, `US-CA`, `GB`, `EU`) in `year`; none for an unknown one.

    The `holidays` package is imported here only: it costs about 0.1 s to load, so the
    deadlines keep what it says in a JSON file (`clock.HolidayCalendars`)."""
    import holidays

    country, _, subdivision = calendar.partition("-")
    try:
        if calendar in _FINANCIAL:
            found = holidays.financial_holidays(_FINANCIAL[calendar], years=year)
        else:
            found = holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    except (NotImplementedError, KeyError, ValueError):
        return frozenset()
    return frozenset(found)
