"""`incidentkit scope import|show|set`: who is affected, where, and which data, headless.

The scope modules (pycountry, python-calamine) load inside the commands: every command
module is imported whenever any command runs.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from incidentkit.cli.context import AppContext
from incidentkit.cli.group import cli


def _echo_lines(lines, *, err: bool = False) -> None:
    for line in lines:
        click.echo(line, err=err)


@cli.group()
def scope() -> None:
    """Who is affected, where they live and which data leaked: import vendor files, show and set the profile."""


@scope.command("import")
@click.argument("incident_id")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--map", "maps", multiple=True, metavar="FIELD=COLUMN",
              help="Which column holds a field (email, key, country, state, zip): a header name or a "
                   "1-based number. Repeatable. A file without a header row needs it.")
@click.option("--dry-run", is_flag=True, help="Read and count, show what would be added, record nothing.")
@click.pass_obj
def scope_import(app: AppContext, incident_id: str, file: Path, maps: tuple[str, ...], dry_run: bool) -> None:
    """Count the distinct people in a vendor's file (CSV, XLSX, ODS, JSON Lines) per jurisdiction.

    Rows that cannot be used are listed on stderr by line and reason, never with personal
    data. Exits 0 with a summary, or 1 when no row could be counted.
    """
    from incidentkit.cli.scope_output import summary_lines
    from incidentkit.core.scope.columns import ColumnError, parse_map
    from incidentkit.core.scope.counting import problem_lines
    from incidentkit.core.scope.importer import NothingRead, import_people

    try:
        mapping = parse_map(maps)
    except ColumnError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        summary = import_people(app.store, incident_id=incident_id, path=file, actor=app.actor,
                                mapping=mapping, dry_run=dry_run)
    except NothingRead as exc:
        if exc.count is not None:
            _echo_lines(problem_lines(file.name, exc.count), err=True)
        raise
    _echo_lines(problem_lines(file.name, summary.count), err=True)
    _echo_lines(summary_lines(summary))


@scope.command("show")
@click.argument("incident_id")
@click.option("--json", "as_json", is_flag=True, help="Output as JSON (shape in docs/cli.md).")
@click.pass_obj
def scope_show(app: AppContext, incident_id: str, as_json: bool) -> None:
    """Show the breach profile: people per jurisdiction, data elements, encryption, organisation, imports."""
    from incidentkit.cli.scope_output import profile_lines
    from incidentkit.core.scope.edits import read_profile
    from incidentkit.core.scope.fold import profile_json

    profile = read_profile(app.store, incident_id)
    if as_json:
        click.echo(json.dumps(profile_json(profile), indent=2, ensure_ascii=False))
    else:
        _echo_lines(profile_lines(profile))


def _split(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [part for part in value.split(",") if part.strip()]


def _counts(values: tuple[str, ...]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in values:
        code, sep, number = item.partition("=")
        number = number.strip().replace(",", "").replace("_", "")
        if not sep or not number.isdigit():
            raise click.BadParameter(f"{item!r}: expected JURISDICTION=N, e.g. US-CA=1200", param_hint="--count")
        counts[code.strip()] = int(number)
    return counts


@scope.command("set")
@click.argument("incident_id")
@click.option("--elements", metavar="LIST", help="Comma-separated data elements exposed (replaces the list), "
                                                  "e.g. name,email,password; empty for none.")
@click.option("--count", "counts", multiple=True, metavar="CODE=N",
              help="A count the vendor stated for a jurisdiction (ISO 3166 code or unknown); 0 withdraws it. Repeatable.")
@click.option("--encrypted", type=click.Choice(["yes", "no", "key-exposed", "unknown"]),
              help="Whether the data was encrypted, and whether the key was exposed too.")
@click.option("--org", metavar="LIST", help="Comma-separated organisation flags (replaces the set), "
                                             "e.g. public-company,hipaa-covered-entity; empty for none.")
@click.option("--reason", default="", help="Why (recorded with each change).")
@click.pass_obj
def scope_set(app: AppContext, incident_id: str, elements: str | None, counts: tuple[str, ...],
              encrypted: str | None, org: str | None, reason: str) -> None:
    """Record data elements, stated counts, encryption or the organisation profile; prints each event id.

    Data elements: name, email, password, username, postal-address, phone, date-of-birth,
    ssn, drivers-license, passport, tax-id, financial-account, payment-card, health,
    health-insurance, biometric, precise-geolocation, online-identifier. Organisation
    flags: see docs/scope.md. A value that is already recorded is not recorded again.
    """
    from incidentkit.core.scope import edits

    if elements is None and not counts and encrypted is None and org is None:
        raise click.UsageError("nothing to set: give --elements, --count, --encrypted or --org")
    parsed_counts = _counts(counts)
    store, actor = app.store, app.actor
    written = []
    if elements is not None:
        written.append(edits.set_elements(store, incident_id=incident_id, elements=_split(elements) or [],
                                          actor=actor, reason=reason))
    if parsed_counts:
        written.append(edits.set_counts(store, incident_id=incident_id, counts=parsed_counts, actor=actor,
                                        reason=reason))
    if encrypted is not None:
        written.append(edits.set_encryption(store, incident_id=incident_id, encrypted=encrypted, actor=actor,
                                            reason=reason))
    if org is not None:
        written.append(edits.set_organisation(store, incident_id=incident_id, flags=_split(org) or [],
                                              actor=actor, reason=reason))
    events = [e for e in written if e is not None]
    if not events:
        click.echo("nothing changed: the profile already says so", err=True)
    for event in events:
        click.echo(event.id)
