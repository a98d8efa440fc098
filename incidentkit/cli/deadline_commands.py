"""`incidentkit rules`: the notification rules this team's deadlines are computed from."""

from __future__ import annotations

import json

import click

from incidentkit.cli.context import AppContext
from incidentkit.cli.group import cli
from incidentkit.core.deadlines.describe import DISCLAIMER, VERIFY, duty_words, in_force_words, rule_json
from incidentkit.core.deadlines.library import RulesLibrary


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Output as JSON (shape in docs/cli.md).")
@click.pass_obj
def rules(app: AppContext, as_json: bool) -> None:
    """List the notification rules (built-in and the data folder's rules/), with sources and as-of dates."""
    library = RulesLibrary.discover(app.paths)
    if as_json:
        payload = {
            "rules": [rule_json(e.rule, e.source) for e in library.entries],
            "overridden": [{"id": e.rule.id, "source": e.source, "path": e.rule.path} for e in library.shadowed],
            "problems": [d.to_json() for d in library.problems],
            "disclaimer": DISCLAIMER,
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    if not library.entries:
        click.echo("No rules found.")
    for entry in library.entries:
        rule = entry.rule
        status = "" if rule.status == "in-force" else f"  [{rule.status}]"
        click.echo(f"{rule.id}  {rule.jurisdiction}  {rule.recipient}{status}  {rule.title}")
        click.echo(f"    {duty_words(rule)}")
        if in_force_words(rule):
            click.echo(f"    {in_force_words(rule)}")
        for fact in rule.verify():
            click.echo(f"    unknown ({VERIFY}): {fact}")
        for source in rule.sources:
            click.echo(f"    source: {source.citation} ({source.type}, as of {source.as_of})")
        if entry.source != "builtin":
            click.echo(f"    from: {entry.source} {rule.path}")
    for entry in library.shadowed:
        click.echo(f"overridden: {entry.rule.id} ({entry.source} {entry.rule.path})")
    if library.problems:
        click.echo("Problems:")
        for diagnostic in library.problems:
            click.echo(f"    {diagnostic.format()}")
    click.echo(DISCLAIMER)
