"""Vendor files for the scope tests: XLSX through XlsxWriter, ODS written by hand (a ZIP of
XML, as LibreOffice writes it), and an incident to import them into."""

from __future__ import annotations

import codecs

import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from incident_helpers import open_store, tiny_playbook

from incidentkit.core.store import Store


def new_incident(tmp_path: Path) -> tuple[Store, str]:
    store = open_store(tmp_path)
    return store, store.create_incident(tiny_playbook(), "Vendor breach", actor="ann").id


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], *, sheet: str = "Affected",
               formulas: dict[tuple[int, int], tuple[str, str]] | None = None) -> Path:
    """`rows` as typed cells (str, int, float); `formulas` puts (formula, its stored result) at (row, col)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    ws = book.add_worksheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                ws.write_string(r, c, value)
            else:
                ws.write_number(r, c, value)
    for (r, c), (formula, result) in (formulas or {}).items():
        ws.write_formula(r, c, formula, None, result)
    book.close()
    return path


_ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""
_ODS_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content '
             'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
             'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
             'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
             '<office:body><office:spreadsheet>')


def _ods_cell(value: object) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, (int, float)):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def write_ods(path: Path, rows: Sequence[Sequence[object]], *, sheet: str = "Affected") -> Path:
    body = "".join("<table:table-row>" + "".join(map(_ods_cell, row)) + "</table:table-row>" for row in rows)
    content = f'{_ODS_HEAD}<table:table table:name="{escape(sheet)}">{body}</table:table></office:spreadsheet></office:body></office:document-content>'
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


MESSY = (
    "E-mail Address;Full Name;Country;State/Province;Zip Code\r\n"
    "ann@example.com;Ann;USA;California;94105\r\n"              # 2  US-CA
    "BOB@Example.com ;Bob;United States;ny;\r\n"                # 3  US-NY
    "carl@example.com;Carl;U.S.;TX;\r\n"                        # 4  US-TX
    "dora@example.com;Dora;;;10001\r\n"                         # 5  ZIP only: US-NY
    "erik@example.de;Erik;Deutschland;;10115\r\n"               # 6  DE
    "fay@example.co.uk;Fay;U.K.;;SW1A 1AA\r\n"                  # 7  GB
    "\r\n"                                                      # 8  blank
    "gus@example.com;Gus;Atlantis;;\r\n"                        # 9  unknown, noted
    ";Hal;US;CA;\r\n"                                           # 10 rejected: no identifier
    "ann@example.com;Ann again;USA;CA;94105\r\n"                # 11 the same person again
    "ivy@example.com;Ivy;Canada;Québec;\r\n"                    # 12 CA-QC
    "jon@example.com;Jon\r\n"                                   # 13 ragged: no location, unknown
    '=HYPERLINK("http://evil.example","x");Formula;US;CA;\r\n'  # 14 rejected: not an email
    'kim@example.com;"=SUM(A1:A9)";Germany;;\r\n'               # 15 DE (a formula-looking name is data)
    "lee@example.com;Lee;US;Puerto Rico;\r\n"                   # 16 US-PR
    "mia@example.com;Mia;;;02134\r\n"                           # 17 ZIP only: US-MA
    ";;;;\r\n"                                                  # 18 blank
)
MESSY_COUNTS = {"US-CA": 1, "US-NY": 2, "US-TX": 1, "DE": 2, "GB": 1, "unknown": 2, "CA-QC": 1, "US-PR": 1,
                "US-MA": 1}


def messy_file(tmp_path: Path) -> Path:
    path = tmp_path / "affected.csv"
    path.write_bytes(codecs.BOM_UTF8 + MESSY.encode("utf-8"))
    return path
