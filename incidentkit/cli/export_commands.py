"""`incidentkit export` and `incidentkit import`: hand a timeline on, or load one back."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from incidentkit.cli.context import AppContext
from incidentkit.cli.group import cli
from incidentkit.cli.params import Timestamp
from incidentkit.core.errors import IncidentKitError
from incidentkit.core.export.json_import import import_file
from incidentkit.core.export.options import INCLUDE_CHOICES, PAPER_CHOICES, ExportOptions, resolve_tz
from incidentkit.core.export.registry import EXPORTERS, exporter_for_path, get_exporter
from incidentkit.core.export.source import load_export_data
from incidentkit.core.export.writer import write_file, write_stream


def _zone(ctx: click.Context, param: click.Parameter, value: str) -> str:
    try:
        resolve_tz(value)
    except IncidentKitError as exc:
        raise click.BadParameter(str(exc)) from None
    return value


@cli.command()
@click.argument("incident_id")
@click.option("-f", "--format", "fmt", type=click.Choice(list(EXPORTERS)),
              help="Output format. Default: guessed from the -o file name (.md .html .pdf .csv .jsonl .json).")
@click.option("-o", "--output", required=True, metavar="PATH",
              help="File to write (replaced atomically), or - for standard output (text formats).")
@click.option("--include", type=click.Choice(INCLUDE_CHOICES), default="all", show_default=True,
              help="all events; state changes only; or manual timeline entries and amendments only.")
@click.option("--since", type=Timestamp(), help="Only events that occurred at or after this time.")
@click.option("--until", type=Timestamp(), help="Only events that occurred at or before this time.")
@click.option("--tz", default="UTC", show_default=True, callback=_zone,
              help="Time zone for shown times: UTC, local or a name like Europe/Berlin.")
@click.option("--notes/--no-notes", default=True, show_default=True, help="Include step notes.")
@click.option("--paper", type=click.Choice(PAPER_CHOICES), default="A4", show_default=True,
              help="Page size of a PDF.")
@click.pass_obj
def export(app: AppContext, incident_id: str, fmt: str | None, output: str, include: str,
           since: datetime | None, until: datetime | None, tz: str, notes: bool, paper: str) -> None:
    """Export an incident's timeline (md, html, pdf, csv, timesketch-jsonl, timesketch-csv, json).

    Human-readable formats end with the event count, the time of export and the chain's
    head hash, to check against `incidentkit verify`. The json format always holds every
    event (the options do not apply) and is what `incidentkit import` reads.
    """
    to_stdout = output == "-"
    if fmt is None:
        guessed = None if to_stdout else exporter_for_path(Path(output))
        if guessed is None:
            raise click.UsageError("cannot tell the format from the output name; give --format")
        fmt = guessed.name
    exporter = get_exporter(fmt)
    if to_stdout and not exporter.is_text:
        raise click.UsageError(f"{fmt} is a binary format; write it to a file with -o PATH")
    options = ExportOptions(include=include, since=since, until=until, tz=tz,  # type: ignore[arg-type]
                            include_notes=notes, paper=paper)
    data = load_export_data(app.store, incident_id)
    if to_stdout:
        sys.stdout.flush()
        write_stream(exporter, data, options, sys.stdout.buffer)
        return
    path = write_file(exporter, data, options, Path(output))
    click.echo(f"exported {data.event_count} events of incident {data.incident.id} to {path}")


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as-new", is_flag=True,
              help="Import a marked copy: new incident and event ids (the chain is recomputed), the title "
                   "suffixed \"(imported copy)\", and an event naming the file, its sha256, the original "
                   "incident id and its head hash.")
@click.pass_obj
def import_(app: AppContext, file: Path, as_new: bool) -> None:
    """Import a JSON export into this database after verifying its hash chain.

    Refuses a file whose chain does not verify, and an incident this database already
    holds unless --as-new. Prints the imported incident's id.
    """
    incident = import_file(app.store, file, as_new=as_new, actor=app.actor)
    click.echo(incident.id)
