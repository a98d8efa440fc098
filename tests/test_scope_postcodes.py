"""Canadian and Australian postal codes give the province or state: the shipped tables, their
sources, and a file's exact counts."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import pycountry
from scope_helpers import new_incident

from incidentkit.core.scope.importer import import_people
from incidentkit.core.scope.locations import Locator
from incidentkit.core.scope.postcodes import au_state, ca_province

NORTH_AND_SOUTH = (
    "email,country,state,postcode\n"
    "a1@example.com,Canada,,M5V 3L9\n"        # CA-ON (M: Toronto)
    "a2@example.com,CA,,h2x1y4\n"             # CA-QC: lower case, no space
    "a3@example.com,Canada,,K1A\n"            # CA-ON: the forward sortation area alone, with a country
    "a4@example.com,Canada,,X1A 2P3\n"        # CA: X is the Northwest Territories or Nunavut
    "a5@example.com,,,T5J 0N3\n"              # CA-AB: a whole Canadian code needs no country
    "a6@example.com,,,K1A\n"                  # unknown: three characters alone could be British
    "a7@example.com,Canada,Ontario,V6B 1A1\n"  # CA-ON: the province column wins over the code
    "a8@example.com,Canada,,Z9Z 9Z9\n"        # CA: no province's codes start with Z
    "b1@example.com,Australia,,2000\n"        # AU-NSW
    "b2@example.com,AU,,2600\n"               # AU-ACT, inside NSW's 2xxx
    "b3@example.com,AU,,2920\n"               # AU-ACT
    "b4@example.com,AU,,2921\n"               # AU-NSW
    "b5@example.com,Australia,,800\n"         # AU-NT: 0800 with the 0 a spreadsheet dropped
    "b6@example.com,AU,,0200\n"               # AU-ACT: PO boxes and large volume receivers
    "b7@example.com,AU,,2540\n"               # AU: Jervis Bay Territory and NSW share it
    "b8@example.com,AU,,6798\n"               # AU: Christmas Island, no state
    "b9@example.com,AU,,3000\n"               # AU-VIC
    "c1@example.com,AU,,4000\n"               # AU-QLD
    "c2@example.com,AU,,5000\n"               # AU-SA
    "c3@example.com,AU,,6000\n"               # AU-WA
    "c4@example.com,AU,,7000\n"               # AU-TAS
    "c5@example.com,AU,Victoria,2000\n"       # AU-VIC: the state column wins
    "c6@example.com,,,2000\n"                 # unknown: four digits alone name no country
    "c7@example.com,AU,,12345\n"              # AU: not an Australian postcode
)
NORTH_AND_SOUTH_COUNTS = {
    "CA-ON": 3, "CA-QC": 1, "CA": 2, "CA-AB": 1, "unknown": 2,
    "AU-NSW": 2, "AU-ACT": 3, "AU-NT": 1, "AU": 3, "AU-VIC": 2, "AU-QLD": 1, "AU-SA": 1, "AU-WA": 1, "AU-TAS": 1,
}


def _table(name: str) -> tuple[str, list[list[str]]]:
    text = resources.files("incidentkit.resources").joinpath("scope", name).read_text("utf-8")
    return text, list(csv.reader(line for line in text.splitlines() if line and not line.startswith("#")))[1:]


def test_a_file_with_canadian_and_australian_postal_codes_gives_exact_counts(tmp_path: Path) -> None:
    store, incident = new_incident(tmp_path)
    path = tmp_path / "north-and-south.csv"
    path.write_text(NORTH_AND_SOUTH, encoding="utf-8")
    summary = import_people(store, incident_id=incident, path=path, actor="ann")
    assert summary.columns["zip"] == "postcode"
    assert summary.people_in_file == 24 and summary.added == NORTH_AND_SOUTH_COUNTS
    assert [(line, reason) for line, reason, _detail, _rejected in sorted(summary.count.examples)] == [
        (7, "postal code not a US ZIP or Canadian postal code, no country"),
        (24, "postal code not a US ZIP or Canadian postal code, no country")]


def test_the_canadian_table_cites_its_source_and_names_real_provinces() -> None:
    text, rows = _table("ca-postal-letters.csv")
    assert "Source: Canada Post" in text and "https://en.wikipedia.org/wiki/Postal_codes_in_Canada" in text
    letters = dict(rows)
    assert "".join(letters) == "ABCEGHJKLMNPRSTVXY"
    assert letters["X"] == ""  # the Northwest Territories and Nunavut share it
    provinces = {s.code for s in pycountry.subdivisions.get(country_code="CA")}
    assert {f"CA-{p}" for p in letters.values() if p} == provinces - {"CA-NT", "CA-NU"}
    assert [ca_province(c) for c in ("A1A 1A1", "b3h 0a1", "C1A-7N8", "E1C", "X0A 0H0", "Y1A 0A1", "W1A 0AX",
                                     "K1A 0B", "12345")] == ["NL", "NS", "PE", "NB", "", "YT", None, None, None]
    assert ca_province("K1A", whole=True) is None and ca_province("K1A 0B1", whole=True) == "ON"


def test_the_australian_table_cites_its_source_and_covers_every_postcode_once() -> None:
    text, rows = _table("au-postcode-ranges.csv")
    assert "Source: Australia Post" in text and "https://en.wikipedia.org/wiki/Postcodes_in_Australia" in text
    ranges = [(int(first), int(last), state) for first, last, state in rows if state]
    states = {s.code for s in pycountry.subdivisions.get(country_code="AU")}
    assert {f"AU-{state}" for *_, state in ranges} == states
    covered: dict[int, str] = {}
    for first, last, state in ranges:
        for code in range(first, last + 1):
            assert code not in covered, f"postcode {code:04d} in two ranges"
            covered[code] = state
    assert sum(1 for code in covered if covered[code] == "ACT") == 100 + 19 + 21
    assert [au_state(c) for c in ("0200", "0299", "0800", "0999", "1000", "2599", "2600", "2618", "2619", "2899",
                                  "2900", "2920", "2921", "5999", "6797", "6798", "6799", "6800", "7151", "8000",
                                  "9999", "0100", "200", "12345", "2 00")] == [
        "ACT", "ACT", "NT", "NT", "NSW", "NSW", "ACT", "ACT", "NSW", "", "ACT", "ACT", "NSW", "SA", "WA", "", "",
        "WA", "", "VIC", "QLD", "", "ACT", None, None]


def test_places_with_postal_codes() -> None:
    locator = Locator()
    assert locator.place("Canada", "", "H3Z 2Y7").jurisdiction == "CA-QC"
    assert locator.place("Canada", "Atlantis", "R3C 4T3").jurisdiction == "CA-MB"  # the code places them after all
    assert locator.place("Australia", "", "0872").jurisdiction == "AU-NT"
    assert locator.place("", "", "94105").jurisdiction == "US-CA"  # a ZIP first, as before
    assert locator.place("Germany", "", "10115").jurisdiction == "DE"
