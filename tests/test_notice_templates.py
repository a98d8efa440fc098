"""The shipped notice templates: golden renders of each for the Epsilon scenario, the library
(built-in, overridden by id from the data folder), and `incidentkit validate` on templates."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from notice_helpers import RULES, TEMPLATES, golden

from incidentkit.cli.group import cli
from incidentkit.core.comms.context import notice_context
from incidentkit.core.comms.library import TemplateLibrary
from incidentkit.core.comms.markdown_text import plain_text
from incidentkit.core.comms.outputs import html_document
from incidentkit.core.comms.sample import sample_record
from incidentkit.core.comms.worker import Renderer
from incidentkit.core.paths import AppPaths

UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
# The jurisdiction each template is drafted for in the scenario (none: everyone).
CHOSEN = {"regulator-notification": ("FR",), "us-attorney-general-notice": ("US-CA",)}
SHIPPED = ["counsel-chronology", "customer-notice-email", "customer-notice-letter", "executive-brief",
           "holding-statement", "phishing-warning", "regulator-notification", "support-script",
           "us-attorney-general-notice", "website-notice"]


@pytest.fixture(scope="module")
def renderer():
    with Renderer() as r:
        yield r


@pytest.fixture(scope="module")
def record():
    return sample_record(RULES)


def render(renderer, record, template_id: str, values: dict[str, str] | None = None) -> str:
    template = TEMPLATES.get(template_id)
    context = notice_context(record, audience=template.audience, jurisdictions=CHOSEN.get(template_id, ()))
    return renderer.render(template, sources=TEMPLATES.sources(), context=context, values=values or {},
                           fields=TEMPLATES.fields_of(template)).text


def check_golden(name: str, actual: str) -> None:
    path = golden(name)
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == actual, f"{name} differs (UPDATE_GOLDEN=1 to accept)"


def test_every_shipped_notice_is_listed():
    assert [t.id for t in TEMPLATES.notices()] == SHIPPED
    assert TEMPLATES.problems == []
    assert {t.id for t in TEMPLATES.templates if t.partial} == {"customer-notice-sections", "phishing-advice"}


@pytest.mark.parametrize("template_id", SHIPPED)
def test_golden_render_for_the_epsilon_scenario(renderer, record, template_id):
    check_golden(f"{template_id}.md", render(renderer, record, template_id))


def test_golden_plain_text_and_html_of_the_email_notice(renderer, record):
    text = render(renderer, record, "customer-notice-email")
    check_golden("customer-notice-email.txt", plain_text(text))
    check_golden("customer-notice-email.html", html_document(text))


def test_the_customer_notice_says_what_the_playbook_asks(renderer, record):
    text = render(renderer, record, "customer-notice-email")
    # The playbook's phishing warning: what we never do, how to recognise us, where to report.
    assert "We will never ask for your password, your full card number or your card's security code" in text
    assert "Our real emails come from addresses ending in @harborpine.example" in text
    assert "forward it to phishing@harborpine.example" in text
    # The facts come from the record: the vendor, the awareness date, the data in words.
    assert "On 2 March 2026, Epsilon Data Management told us" in text
    assert "The information involved was names and email addresses." in text
    assert "Harbor & Pine Outfitters" in text                      # & stays itself


def test_the_chronology_shows_both_times_and_the_correction_beside_the_original(renderer, record):
    text = render(renderer, record, "counsel-chronology")
    row = next(line for line in text.splitlines() if "Vendor confirmed in writing" in line)
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1] == "2 March 2026, 09:45 EST"                  # the corrected time (14:45 UTC)
    assert cells[2] == "2 March 2026, 11:30 EST"                  # recorded, unchanged by the correction
    assert cells[3] == "raj"
    assert "occurred at: 2 March 2026, 11:00 EST" in cells[5]     # as first recorded
    assert "occurred at: 2 March 2026, 09:45 EST" in cells[6] and "because the email's headers show" in cells[6]
    assert not any("Amended:" in line for line in text.splitlines())   # beside what it corrects, not a row


def test_a_required_field_left_empty_shows_a_placeholder(renderer, record):
    text = render(renderer, record, "executive-brief", {"cost": "", "decisions": "Approve the notice."})
    assert "\\[to fill in: Expected cost and insurance position\\]" in text
    assert "Approve the notice." in text


def test_a_team_template_overrides_a_builtin_one_by_id(tmp_path):
    paths = AppPaths(tmp_path)
    (tmp_path / "templates").mkdir()
    source = TEMPLATES.get("holding-statement").path.replace("templates/", "")
    builtin = (Path(__file__).resolve().parent.parent / "resources" / "templates" / source).read_text("utf-8")
    (tmp_path / "templates" / "ours.md.j2").write_text(
        builtin.replace('id: holding-statement', 'id: holding-statement\n# our own words').replace(
            'version: "1.0"', 'version: "1.0-acme"'), encoding="utf-8")
    library = TemplateLibrary.discover(paths)
    assert library.get("holding-statement").version == "1.0-acme"
    assert library.get("holding-statement").origin == "user"
    assert [t.origin for t in library.shadowed] == ["builtin"]


def test_validate_reports_template_errors_with_path_and_line(tmp_path):
    bad = tmp_path / "bad.md.j2"
    bad.write_text("---\ntitle: Bad\naudience: individuals\nformat: email\ncolour: red\n---\n# Hi\n\n"
                   "{{ organisaton.name }}\n{{ fields.missing }}\n{% include 'no-such' %}\n", encoding="utf-8")
    runtime = tmp_path / "runtime.md.j2"
    runtime.write_text("---\ntitle: Runtime\naudience: individuals\nformat: email\n---\n# Hi\n\n"
                       "{{ organisation.nmae }}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"{bad}:5:1: error: front matter: unknown key 'colour'" in lines[0]
    assert any(line.startswith(f"{bad}:9:1: error: unknown variable 'organisaton'") for line in lines)
    assert any(line.startswith(f"{bad}:10:1: error: the field 'missing' is not declared") for line in lines)
    assert any(line.startswith(f"{bad}:11:1: error: no template 'no-such' to include") for line in lines)
    assert any(line.startswith(f"{runtime}:8:1: error: 'nmae' is undefined (it has: ") for line in lines)
    assert lines[-1] == "2 files: 5 errors, 0 warnings"


def test_the_shipped_templates_validate_clean():
    folder = Path(__file__).resolve().parent.parent / "resources" / "templates"
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(folder)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["errors"] == 0 and len(doc["files"]) == 12
    assert {f["kind"] for f in doc["files"]} == {"template"}
