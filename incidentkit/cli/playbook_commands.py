"""`incidentkit validate` and `incidentkit playbooks`: check playbook, rules and template files, list the library."""

from __future__ import annotations

import json

import click

from incidentkit.cli.context import AppContext
from incidentkit.cli.group import cli
from incidentkit.core.playbook.library import PlaybookLibrary


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Output as `path:line:col: severity: message` lines or as JSON.")
def validate(paths: tuple[str, ...], fmt: str) -> None:
    """Check playbook, rules and notice template files (folders are searched for *.md, *.yaml and *.j2);
    exit 1 if there is any error."""
    from incidentkit.core.comms.validate import validate_paths  # the parsers: only for this command

    report = validate_paths(paths)
    if fmt == "json":
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        for diagnostic in report.diagnostics():
            click.echo(diagnostic.format())
        click.echo(report.summary())
    if report.errors:
        # SystemExit, not ctx.exit: `main()` runs click with standalone_mode=False, which
        # turns ctx.exit(1) into a return value it does not pass on.
        raise SystemExit(1)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Output as JSON.")
@click.pass_obj
def playbooks(app: AppContext, as_json: bool) -> None:
    """List the available playbooks (built-in, user folder, --playbooks folders) and any that fail to load."""
    library = PlaybookLibrary.discover(app.paths, app.extra_playbook_dirs)
    if as_json:
        payload = {
            "playbooks": [e.to_json() for e in library.playbooks],
            "overridden": [{"id": e.playbook.id, "source": e.source, "path": e.path} for e in library.shadowed],
            "problems": [d.to_json() for d in library.problems],
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    if not library.playbooks:
        click.echo("No playbooks found.")
    for entry in library.playbooks:
        p = entry.playbook
        click.echo(f"{p.id}  v{p.version}  {p.title}")
        click.echo(f"    {p.step_count} steps; phases: {', '.join(ph.title for ph in p.phases)}")
        click.echo(f"    source: {entry.source} {entry.path}")
    for entry in library.shadowed:
        click.echo(f"overridden: {entry.playbook.id} ({entry.source} {entry.path})")
    if library.problems:
        click.echo("Failed to load:")
        for diagnostic in library.problems:
            click.echo(f"    {diagnostic.format()}")
