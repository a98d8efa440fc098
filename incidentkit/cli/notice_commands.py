"""`incidentkit notice ...`: notice templates, drafts from the incident's record, checks, approval and sending."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import click

from incidentkit.cli.context import AppContext
from incidentkit.cli.group import cli
from incidentkit.cli.params import Timestamp
from incidentkit.core.comms.vocabulary import DETAILS, OUTPUT_SUFFIXES
from incidentkit.core.errors import IncidentKitError


def _print_json(value: object) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False))


@contextmanager
def _desk(app: AppContext) -> Iterator:  # -> NoticeDesk, with its render worker closed after
    from incidentkit.core.comms.desk import NoticeDesk
    from incidentkit.core.comms.worker import Renderer

    with Renderer() as renderer:
        yield NoticeDesk(app.store, paths=app.paths, renderer=renderer)


def _pairs(values: tuple[str, ...], files: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r} is not FIELD=VALUE", param_hint="--set")
        out[name.strip()] = value
    for item in files:
        name, sep, path = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r} is not FIELD=PATH", param_hint="--set-file")
        try:
            out[name.strip()] = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise IncidentKitError(f"{path}: cannot read the file: {getattr(exc, 'strerror', None) or exc}") from None
    return out


def _output_option(required: bool):  # noqa: ANN202
    return click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=required,
                        help=f"Write the notice here; the format follows the suffix ({', '.join(OUTPUT_SUFFIXES)}).")


_paper = click.option("--paper", type=click.Choice(["A4", "Letter"]), default="A4", show_default=True,
                      help="Paper size of a PDF letter.")


def _write(draft, output: Path | None, paper: str) -> None:  # noqa: ANN001 (a Draft)
    if output is None:
        return
    from incidentkit.core.comms.outputs import write_draft

    size = write_draft(draft, output, paper=paper)
    click.echo(f"{output}: {size:,} bytes, sha256 of the text {draft.sha256[:12]}", err=True)


@cli.group()
def notice() -> None:
    """Draft notices from the incident's record, check them against the law, approve and log them."""


@notice.command("templates")
@click.option("--json", "as_json", is_flag=True, help="Output as JSON (shape in docs/cli.md).")
@click.pass_obj
def notice_templates(app: AppContext, as_json: bool) -> None:
    """List the notice templates (built-in and the data folder's templates/) with their fields."""
    from incidentkit.cli import notice_output as out
    from incidentkit.core.comms.library import TemplateLibrary

    library = TemplateLibrary.discover(app.paths)
    if as_json:
        _print_json(out.templates_json(library))
    else:
        click.echo("\n".join(out.templates_text(library)))


@notice.command("details")
@click.argument("incident_id")
@click.option("--set", "values", multiple=True, metavar="KEY=VALUE",
              help=f"Record a detail (repeatable); an empty value clears it. Keys: {', '.join(DETAILS)}.")
@click.option("--reason", default="", help="Where the details come from.")
@click.option("--json", "as_json", is_flag=True, help="Output as JSON.")
@click.pass_obj
def notice_details(app: AppContext, incident_id: str, values: tuple[str, ...], reason: str, as_json: bool) -> None:
    """Show or record the incident's notice details: organisation and vendor names, contacts, breach window."""
    from incidentkit.core.comms.details import read_details, record_details

    if values:
        event = record_details(app.store, incident_id=incident_id, values=_pairs(values, ()), actor=app.actor,
                               reason=reason)
        click.echo(event.id if event else "unchanged", err=event is None)
        return
    details = read_details(app.store, incident_id)
    if as_json:
        _print_json({key: details.get(key, "") for key in DETAILS})
        return
    for key, words in DETAILS.items():
        click.echo(f"{key}: {details.get(key) or '(not recorded: ' + words + ')'}".replace("\n", " / "))


@notice.command("draft")
@click.argument("incident_id")
@click.argument("template_id")
@click.option("--set", "values", multiple=True, metavar="FIELD=VALUE", help="A field's value (repeatable).")
@click.option("--set-file", "files", multiple=True, metavar="FIELD=PATH", help="A field's value from a UTF-8 file.")
@click.option("--from", "based_on", metavar="DRAFT_ID", help="Start from this draft's field values (an edit).")
@click.option("--jurisdiction", "jurisdictions", multiple=True, metavar="CODE",
              help="Only for people in this jurisdiction (US-CA, FR; repeatable): counts and checks follow.")
@_output_option(required=False)
@_paper
@click.pass_obj
def notice_draft(app: AppContext, incident_id: str, template_id: str, values: tuple[str, ...], files: tuple[str, ...],
                 based_on: str | None, jurisdictions: tuple[str, ...], output: Path | None, paper: str) -> None:
    """Render a template with the incident's record and the fields given, record the draft, print its id."""
    from incidentkit.core.comms.actions import find_draft

    with _desk(app) as desk:
        given = _pairs(values, files)
        base = ""
        if based_on:
            earlier = find_draft(desk.drafts(incident_id), based_on)
            base = earlier.id
            names = {f.name for f in desk.templates.fields_of(desk.templates.get(template_id))}
            given = {**{k: v for k, v in earlier.fields.items() if k in names}, **given}
            jurisdictions = jurisdictions or earlier.jurisdictions
        draft = desk.draft(incident_id, template_id, actor=app.actor, values=given, jurisdictions=jurisdictions,
                           based_on=base)
        click.echo(draft.id)
        if draft.unfilled:
            click.echo(f"still to fill in: {'; '.join(draft.unfilled)}", err=True)
        _write(draft, output, paper)


@notice.command("check")
@click.argument("incident_id")
@click.argument("draft_id")
@click.option("--rule", "rule_ids", multiple=True, metavar="RULE_ID",
              help="Check against these rules instead of the obligations the draft serves (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Output as JSON (shape in docs/cli.md).")
@click.pass_obj
def notice_check(app: AppContext, incident_id: str, draft_id: str, rule_ids: tuple[str, ...], as_json: bool) -> None:
    """Check a draft against the content rules of the obligations it serves, and its plain language;
    exit 1 when a requirement is missing or a placeholder is left."""
    from incidentkit.cli import notice_output as out
    from incidentkit.core.comms.actions import find_draft

    with _desk(app) as desk:
        draft = find_draft(desk.drafts(incident_id), draft_id)
        report = desk.check(incident_id, draft, rule_ids=rule_ids)
    if as_json:
        _print_json({"draft": draft.id, **report.to_json()})
    else:
        click.echo("\n".join(out.check_text(draft, report)))
    if report.missing or report.unfilled:
        raise SystemExit(1)


@notice.command("approve")
@click.argument("incident_id")
@click.argument("draft_id")
@click.option("--role", default="", help="In which role you approve (legal, privacy, comms, ...).")
@click.option("--note", default="", help="A note kept with the approval.")
@click.pass_obj
def notice_approve(app: AppContext, incident_id: str, draft_id: str, role: str, note: str) -> None:
    """Approve a draft's exact text (its sha256); prints the event id."""
    from incidentkit.core.comms.actions import approve_draft

    click.echo(approve_draft(app.store, incident_id=incident_id, draft_id=draft_id, actor=app.actor, role=role,
                             note=note).id)


@notice.command("sent")
@click.argument("incident_id")
@click.argument("draft_id")
@click.option("--audience", required=True, help="Who it went to, in words ('California residents').")
@click.option("--count", type=click.IntRange(min=1), required=True, help="How many people or recipients.")
@click.option("--at", "at", type=Timestamp(), help="When it was sent (ISO 8601). Default: now.")
@click.option("--channel", default="", help="How (email, post, website, portal).")
@click.option("--batch", default="", help="Which batch (default: the next number).")
@click.option("--reference", default="", help="A reference: the mailing's id, a receipt.")
@click.option("--rule", "rule_ids", multiple=True, metavar="RULE_ID",
              help="An obligation this sending meets (repeatable): it is recorded for the deadlines too.")
@click.option("--unapproved", metavar="REASON",
              help="Record a text that was never approved as sent, with the reason for the override.")
@click.pass_obj
def notice_sent(app: AppContext, incident_id: str, draft_id: str, audience: str, count: int, at: datetime | None,
                channel: str, batch: str, reference: str, rule_ids: tuple[str, ...], unapproved: str | None) -> None:
    """Record that a draft was sent; refused when its text was never approved. Prints the event id."""
    from incidentkit.core.comms.actions import record_sent
    from incidentkit.core.deadlines.library import RulesLibrary

    library = RulesLibrary.discover(app.paths)
    rules = [library.get(r) for r in rule_ids]
    written = record_sent(app.store, incident_id=incident_id, draft_id=draft_id, audience=audience, count=count,
                          actor=app.actor, at=at, channel=channel, batch=batch, reference=reference, rules=rules,
                          unapproved_reason=unapproved)
    click.echo(written[0].id)


@notice.command("list")
@click.argument("incident_id")
@click.option("--json", "as_json", is_flag=True, help="Output as JSON (shape in docs/cli.md).")
@click.pass_obj
def notice_list(app: AppContext, incident_id: str, as_json: bool) -> None:
    """Every draft by audience: template, state, approvals, sendings and the sha256 of its text."""
    from incidentkit.cli import notice_output as out
    from incidentkit.core.comms.actions import read_drafts

    drafts = read_drafts(app.store, incident_id)
    if as_json:
        _print_json({"drafts": [d.to_json() for d in drafts]})
    else:
        click.echo("\n".join(out.list_text(drafts)))


@notice.command("show")
@click.argument("incident_id")
@click.argument("draft_id")
@click.pass_obj
def notice_show(app: AppContext, incident_id: str, draft_id: str) -> None:
    """Print a draft's text (the Markdown whose sha256 is approved)."""
    from incidentkit.core.comms.actions import find_draft, read_drafts

    click.echo(find_draft(read_drafts(app.store, incident_id), draft_id).text, nl=False)


@notice.command("export")
@click.argument("incident_id")
@click.argument("draft_id")
@_output_option(required=True)
@_paper
@click.pass_obj
def notice_export(app: AppContext, incident_id: str, draft_id: str, output: Path, paper: str) -> None:
    """Write a recorded draft to a file (.txt, .md, .html, .eml or .pdf)."""
    from incidentkit.core.comms.actions import find_draft, read_drafts

    _write(find_draft(read_drafts(app.store, incident_id), draft_id), output, paper)
