"""`incidentkit validate` and `incidentkit playbooks [convert]`: check playbook, rules and template files,
list the library, turn a runbook into a playbook."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

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


@cli.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Output as JSON.")
@click.pass_context
def playbooks(ctx: click.Context, as_json: bool) -> None:
    """List the available playbooks (built-in, user folder, --playbooks folders) and any that fail to load."""
    if ctx.invoked_subcommand is None:
        _list_playbooks(ctx.obj, as_json)


def _list_playbooks(app: AppContext, as_json: bool) -> None:
    library = PlaybookLibrary.discover(app.paths, app.extra_playbook_dirs)
    if as_json:
        payload = {
            "playbooks": [e.to_json() for e in library.playbooks],
            "overridden": [{"id": e.playbook.id, "source": e.source, "path": e.path} for e in library.shadowed],
            "failed": [{"id": f.playbook_id, "source": f.source, "path": f.path, "error": f.error.format()}
                       for f in library.failed.values()],
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
        failure = library.failed.get(entry.playbook.id)
        by = f" by {failure.path}, which does not load" if failure else ""
        click.echo(f"overridden: {entry.playbook.id} ({entry.source} {entry.path}){by}")
    if library.problems:
        click.echo("Failed to load:")
        for diagnostic in library.problems:
            click.echo(f"    {diagnostic.format()}")


@playbooks.command("convert")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option("-o", "--output", required=True, metavar="OUT.md",
              help="The playbook to write (replaced atomically), or - for standard output.")
def convert(file: str, output: str) -> None:
    """Turn a runbook (numbered lists and bullets under headings) into a playbook; report what was done.

    Top-level list items become steps with explicit ids, `##` headings the phases, nested
    text their guidance; tables and code are kept. The output validates; the report says
    what could not be placed.
    """
    from incidentkit.core.errors import IncidentKitError
    from incidentkit.core.playbook.convert import convert_file

    to_stdout = output == "-"
    if not to_stdout and os.path.exists(file) and os.path.exists(output) and os.path.samefile(file, output):
        raise click.UsageError("the output is the runbook itself: write to a new file, then replace it yourself")
    result = convert_file(file)
    report = result.report.lines()
    if to_stdout:
        sys.stdout.write(result.markdown)
        click.echo("\n".join(report), err=True)
        return
    from incidentkit.core.atomic_file import replace_atomically

    data = result.markdown.encode("utf-8")
    try:
        replace_atomically(Path(output), lambda raw: raw.write(data), prefix=".convert-")
    except OSError as exc:
        raise IncidentKitError(f"cannot write {output}: {exc.strerror or exc}") from None
    click.echo("\n".join(report))
    warnings = result.playbook.warnings
    click.echo(f"wrote {output}: a valid playbook" + (f" with {len(warnings)} warning(s):" if warnings else ""))
    for warning in warnings:
        click.echo(f"  {warning.format()}")
