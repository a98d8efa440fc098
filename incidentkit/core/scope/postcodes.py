"""Postal codes to the state or province they lie in: US ZIP codes, Canadian postal codes and
Australian postcodes, in the three countries whose breach laws are per subdivision.

Each country's table is a data file in `resources/scope/` that cites its source
(`us-zip-prefixes.csv`, `ca-postal-letters.csv`, `au-postcode-ranges.csv`), read on first
use. A lookup gives the subdivision's ISO 3166-2 suffix (`CA`, `ON`, `NSW`), "" for a code
that names only its country (a Canadian X: the Northwest Territories or Nunavut), or None
for text that is not such a code.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_right
from collections.abc import Iterator
from functools import cache
from importlib import resources

_ZIP = re.compile(r"([0-9]{5})(?:-?[0-9]{4})?")
# A Canadian postal code (letter, digit, letter, then digit, letter, digit) or its first half
# alone, the forward sortation area; a space or hyphen may part the halves.
_CA_POSTAL = re.compile(r"([A-Z])[0-9][A-Z](?:[ -]?([0-9][A-Z][0-9]))?")


def data_rows(name: str) -> Iterator[list[str]]:
    """The rows of a `resources/scope/` CSV after its comment lines and header."""
    text = resources.files("incidentkit.resources").joinpath("scope", name).read_text(encoding="utf-8")
    rows = csv.reader(line for line in text.splitlines() if line and not line.startswith("#"))
    next(rows)
    yield from rows


@cache
def _zip_table() -> tuple[dict[str, str], list[int], list[tuple[int, int, str]]]:
    prefixes: dict[str, str] = {}
    exceptions: list[tuple[int, int, str]] = []
    for first, last, state in data_rows("us-zip-prefixes.csv"):
        if len(first) == 3:
            for p in range(int(first), int(last) + 1):
                prefixes[f"{p:03d}"] = state
        else:
            exceptions.append((int(first), int(last), state))
    exceptions.sort()
    return prefixes, [e[0] for e in exceptions], exceptions


def zip_state(text: str, *, pad: bool = False) -> str | None:
    """The US state (`CA`) of a ZIP or ZIP+4 code, or None. `pad` restores the leading
    zeros a spreadsheet drops (`2134` is 02134) when the country is known to be the US."""
    text = text.strip()
    if pad and text.isdigit() and 3 <= len(text) < 5:
        text = text.zfill(5)
    match = _ZIP.fullmatch(text)
    if match is None:
        return None
    digits = match.group(1)
    prefixes, starts, exceptions = _zip_table()
    i = bisect_right(starts, int(digits)) - 1
    if i >= 0 and exceptions[i][0] <= int(digits) <= exceptions[i][1]:
        return exceptions[i][2]
    return prefixes.get(digits[:3])


@cache
def _ca_letters() -> dict[str, str]:
    return {letter: province for letter, province in data_rows("ca-postal-letters.csv")}


def ca_province(text: str, *, whole: bool = False) -> str | None:
    """The province or territory (`ON`) of a Canadian postal code (`K1A 0B1`) or its forward
    sortation area (`K1A`); "" for one that gives only the country; None when `text` is not
    one. `whole` accepts only the full six characters: without a country, three characters
    alone could be another country's code (a British outward code)."""
    match = _CA_POSTAL.fullmatch(text.strip().upper())
    if match is None or (whole and match.group(2) is None):
        return None
    return _ca_letters().get(match.group(1))


@cache
def _au_table() -> dict[int, str]:
    """Every postcode a row of the table names, to its state ("" for the country only);
    a later row overrides an earlier one."""
    table: dict[int, str] = {}
    for first, last, state in data_rows("au-postcode-ranges.csv"):
        table.update(dict.fromkeys(range(int(first), int(last) + 1), state))
    return table


def au_state(text: str) -> str | None:
    """The state or territory (`NSW`) of an Australian postcode; "" for one that gives only the
    country; None when `text` is not one. Three digits are a postcode whose leading 0 a
    spreadsheet dropped (`800` is 0800, Darwin)."""
    text = text.strip()
    if not (text.isascii() and text.isdigit() and 3 <= len(text) <= 4):
        return None
    return _au_table().get(int(text), "")


def postal_subdivision(country: str, text: str) -> str | None:
    """The subdivision of `country` (US, CA or AU) a postal code gives; None for none."""
    if country == "US":
        return zip_state(text, pad=True)
    if country == "CA":
        return ca_province(text) or None
    if country == "AU":
        return au_state(text) or None
    return None
