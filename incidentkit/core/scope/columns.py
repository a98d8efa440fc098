"""Which column of a vendor's file holds what: header names in common spellings, or `--map`.

Fields: `email` (the identifier, lower-cased and trimmed), `key` (another identifier
column, taken as written but trimmed; it wins over `email`), `country`, `state` and
`zip`. A column is a header name (any case, spacing or punctuation) or a 1-based number.
A file whose first row names none of the fields (nor a `--map` column) has no header.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from incidentkit.core.errors import IncidentKitError

FIELDS = ("email", "key", "country", "state", "zip")
IDENTIFIERS = ("key", "email")  # the first one mapped identifies a person

# Header names as vendors spell them, compared after `header_key` (lower case, letters
# and digits only): "E-mail Address", "email_address" and "EmailAddress" are one name.
ALIASES: dict[str, frozenset[str]] = {
    "email": frozenset({"email", "emailaddress", "mail", "emailid", "emails", "emailaddr", "primaryemail",
                        "customeremail", "useremail", "contactemail"}),
    "key": frozenset(),
    "country": frozenset({"country", "countrycode", "countryname", "countryregion", "nation", "ctry",
                          "countryiso", "isocountry", "countryiso2", "residencecountry", "mailingcountry",
                          "billingcountry", "addresscountry"}),
    "state": frozenset({"state", "province", "region", "stateprovince", "stateorprovince", "statecode",
                        "stateprovinceregion", "provincestate", "subdivision", "territory", "county",
                        "mailingstate", "billingstate", "addressstate", "stateregion"}),
    "zip": frozenset({"zip", "zipcode", "postalcode", "postcode", "postal", "zippostalcode", "postalzip",
                      "zip5", "mailingzip", "billingzip", "addresszip", "mailingpostalcode",
                      "billingpostalcode"}),
}
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


class ColumnError(IncidentKitError):
    """The columns cannot be worked out (an unknown field, a missing column, no identifier)."""


def header_key(name: object) -> str:
    return _NOT_ALNUM.sub("", str(name).casefold())


def parse_map(items: Sequence[str]) -> dict[str, str | int]:
    """`["email=E-mail", "country=3"]` to `{"email": "E-mail", "country": 3}` (numbers 1-based)."""
    mapping: dict[str, str | int] = {}
    for item in items:
        field, sep, column = item.partition("=")
        field, column = field.strip().lower(), column.strip()
        if not sep or not column:
            raise ColumnError(f"--map {item!r}: expected FIELD=COLUMN, e.g. email=\"E-mail Address\" or country=3")
        if field not in FIELDS:
            raise ColumnError(f"--map {item!r}: unknown field {field!r} (fields: {', '.join(FIELDS)})")
        if column.isdigit():
            if int(column) < 1:
                raise ColumnError(f"--map {item!r}: column numbers start at 1")
            mapping[field] = int(column)
        else:
            mapping[field] = column
    return mapping


def has_header(first_row: Sequence[object], mapping: Mapping[str, str | int]) -> bool:
    """Whether the first row names columns: a field's alias, or a column `--map` names."""
    keys = {header_key(cell) for cell in first_row if cell not in (None, "")}
    named = {header_key(c) for c in mapping.values() if isinstance(c, str)}
    return bool(keys & named) or any(keys & aliases for aliases in ALIASES.values())


def alias_columns(header: Sequence[object], *, skip: Collection[str] = (),
                  taken: set[int] | None = None) -> dict[str, int]:
    """The fields (not in `skip`) whose name in a common spelling heads a column of `header`:
    field -> the index of the first such column not `taken`."""
    keys = [header_key(h) for h in header]
    taken = set() if taken is None else set(taken)
    found: dict[str, int] = {}
    for field, aliases in ALIASES.items():
        if field in skip:
            continue
        i = next((i for i, k in enumerate(keys) if k in aliases and i not in taken), None)
        if i is not None:
            found[field] = i
            taken.add(i)
    return found


@dataclass(frozen=True)
class ColumnMap:
    """Field -> where its value is: a list index (text and spreadsheets) or a key (JSON objects).

    `names` are the columns as the file names them (or `column 3`), for the import's record."""

    where: Mapping[str, int | str]
    names: Mapping[str, str]

    @property
    def identifier(self) -> str:
        return next(f for f in IDENTIFIERS if f in self.where)


def resolve(header: Sequence[object] | None, width: int, mapping: Mapping[str, str | int], *,
            by_key: bool = False) -> ColumnMap:
    """The column of each field. `header` is None for a file without one (then only numbers
    map); `width` is the first row's number of cells; `by_key` when rows are JSON objects
    (then a column is the object's key)."""
    where: dict[str, int | str] = {}
    names: dict[str, str] = {}
    keys = [header_key(h) for h in header] if header is not None else []
    for field, column in mapping.items():
        if isinstance(column, int):
            if by_key:
                raise ColumnError(f"--map {field}={column}: JSON Lines objects are mapped by key name")
            if column > width:
                raise ColumnError(f"--map {field}={column}: the file's first row has only {width} columns")
            where[field] = column - 1
            names[field] = str(header[column - 1]) if header is not None else f"column {column}"
        else:
            if header is None:
                raise ColumnError(f"--map {field}={column!r}: the file has no header row; give a column number")
            wanted = header_key(column)
            if wanted not in keys:
                shown = ", ".join(repr(str(h)) for h in header[:12]) + (", ..." if len(header) > 12 else "")
                raise ColumnError(f"--map {field}={column!r}: no such column (columns: {shown})")
            i = keys.index(wanted)
            where[field], names[field] = (header[i] if by_key else i), str(header[i])  # type: ignore[assignment]
    if header is not None:
        taken = {i for i, h in enumerate(header) if (h if by_key else i) in where.values()}
        for field, i in alias_columns(header, skip=where, taken=taken).items():
            where[field], names[field] = (header[i] if by_key else i), str(header[i])  # type: ignore[assignment]
    if not any(f in where for f in IDENTIFIERS):
        hint = "no header row, so" if header is None else "no column is named like an email address;"
        raise ColumnError(f"{hint} say which column identifies a person: --map email=COLUMN or --map key=COLUMN")
    return ColumnMap(where, names)
