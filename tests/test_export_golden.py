"""Every export format, byte for byte, against files saved from a known-good build.

A realistic incident with fixed ids and times (amendments of entries and of a note, a
backdated entry, times in other offsets, an unparseable amended time, hostile text in
notes, titles, actors and step ids, skips, an unknown kind, renames, close and reopen)
is loaded through the importer into a real store and exported in every format under
several option sets, with a fixed generation time. The outputs must equal the files in
`tests/golden/export/`, so speeding up the export pipeline cannot change a byte of what
it writes. The window's timeline (`projections.timeline`) is held to a golden dump too.

After a deliberate change to an export's content, rewrite the files with
`python tests/test_export_golden.py` and review the diff.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest
from golden_helpers import GENERATED_AT, OPTION_SETS, build_incident
from incident_helpers import open_store

from incidentkit import __version__
from incidentkit.core.export.options import ExportOptions
from incidentkit.core.export.registry import EXPORTERS
from incidentkit.core.export.source import ExportData, load_export_data
from incidentkit.core.export.writer import write_stream
from incidentkit.core.projections import timeline

GOLDEN = Path(__file__).resolve().parent / "golden" / "export"
TEXT_FORMATS = [name for name, e in EXPORTERS.items() if e.is_text and name != "json"]


def _export(data: ExportData, fmt: str, options: ExportOptions) -> bytes:
    import io

    out = io.BytesIO()
    write_stream(EXPORTERS[fmt], data, options, out)
    raw = out.getvalue()
    if fmt == "json":  # the only content that changes with a release
        raw = raw.replace(f'"app_version": "{__version__}"'.encode(), b'"app_version": "X"')
    return raw


def _pdf_text(data: ExportData, options: ExportOptions) -> bytes:
    """The text of every line the PDF draws, in order, pages separated by form feeds."""
    import io

    from incidentkit.core.export import pdf

    pdf.ensure_gui_app()
    log: list[str] = []
    pdf.render(data, options, io.BytesIO(), log=log)
    return ("\n".join(log) + "\n").encode("utf-8")


def _timeline_dump(data: ExportData) -> bytes:
    lines = []
    for item in timeline(data.playbook, data.events):
        lines.append(repr((item.event.seq, item.occurred_at, item.title, item.detail, item.category,
                           item.amended_by, dict(item.original))))
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_all(store) -> dict[str, bytes]:
    """Every golden file's expected content, by file name."""
    data = replace(load_export_data(store, build_incident(store)), generated_at=GENERATED_AT)
    out = {"timeline.txt": _timeline_dump(data), "full.json": _export(data, "json", ExportOptions())}
    for label, options in OPTION_SETS.items():
        for fmt in TEXT_FORMATS:
            out[f"{label}.{fmt}{EXPORTERS[fmt].extension}"] = _export(data, fmt, options)
    for label in ("default", "berlin"):
        out[f"{label}.pdf.txt"] = _pdf_text(data, OPTION_SETS[label])
    return out


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    with open_store(tmp_path_factory.mktemp("golden") / "data") as store:
        return render_all(store)


def test_the_golden_files_are_all_there(rendered):
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(rendered)


@pytest.mark.parametrize("name", sorted(p.name for p in GOLDEN.iterdir()) if GOLDEN.is_dir() else [])
def test_export_is_byte_identical_to_golden(rendered, name):
    expected = (GOLDEN / name).read_bytes()
    assert rendered[name] == expected, f"{name} differs from tests/golden/export/{name}"


def _rewrite() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "data") as store:
        files = render_all(store)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for old in GOLDEN.iterdir():
        old.unlink()
    for name, content in files.items():
        (GOLDEN / name).write_bytes(content)
    print(f"wrote {len(files)} files to {GOLDEN}")


if __name__ == "__main__":
    sys.exit(_rewrite())
