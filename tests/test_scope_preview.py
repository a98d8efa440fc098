"""A vendor file's first rows as the column dialog shows them: read as the import reads
the file (encoding, delimiter, blank rows), with a guess at whether the first row names
the columns and which fields a header already names."""

from __future__ import annotations

from pathlib import Path

import pytest

from incidentkit.core.scope.preview import PREVIEW_ROWS, preview
from incidentkit.core.scope.text_files import SourceError


def test_an_unrecognised_header_above_email_addresses_is_taken_for_names(tmp_path: Path) -> None:
    path = tmp_path / "vendor.csv"
    path.write_text("Mail Addr;Land;Notes\nann@example.com;DE;" + "x" * 200 + "\n\n;;\nbob@example.com;FR;\n",
                    encoding="utf-8")
    shown = preview(path)
    assert shown.detail == "UTF-8, semicolon-separated" and shown.width == 3
    assert shown.header and shown.recognised == {}
    assert [row[:2] for row in shown.rows] == [["Mail Addr", "Land"], ["ann@example.com", "DE"],
                                               ["bob@example.com", "FR"]]  # blank rows skipped
    assert len(shown.rows[1][2]) == 80 and shown.rows[1][2].endswith("…")  # a long cell is cut


def test_a_file_of_records_only_has_no_header_and_its_rows_are_as_wide_as_the_widest(tmp_path: Path) -> None:
    path = tmp_path / "bare.csv"
    path.write_text("ann@example.com,DE\nbob@example.com,FR,extra\n", encoding="utf-8")
    shown = preview(path)
    assert not shown.header and shown.width == 3
    assert shown.rows == [["ann@example.com", "DE", ""], ["bob@example.com", "FR", "extra"]]


def test_a_recognised_header_says_which_fields_it_names(tmp_path: Path) -> None:
    path = tmp_path / "named.csv"
    path.write_text("Customer,E-mail,ZIP\n7,ann@example.com,94105\n", encoding="utf-8")
    shown = preview(path)
    assert shown.header and shown.recognised == {"email": 1, "zip": 2}


def test_json_lines_objects_give_their_keys_as_columns(tmp_path: Path) -> None:
    path = tmp_path / "people.jsonl"
    path.write_text('{"who": "ann@example.com", "Country": "DE"}\n{"who": "bob@example.com", "zip": "94105"}\n'
                    "not json\n", encoding="utf-8")
    shown = preview(path)
    assert shown.keys == ["who", "Country", "zip"] and shown.recognised == {"country": 1, "zip": 2}
    assert shown.rows == [["ann@example.com", "DE", ""], ["bob@example.com", "", "94105"]]


def test_at_most_the_first_rows_are_read_and_an_empty_file_has_none(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("".join(f"p{i}@example.com,DE\n" for i in range(1000)), encoding="utf-8")
    assert len(preview(path).rows) == PREVIEW_ROWS and len(preview(path, rows=3).rows) == 3
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert preview(empty).rows == [] and preview(empty).width == 0


def test_a_missing_file_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="nope.csv: cannot read"):
        preview(tmp_path / "nope.csv")
