"""A template is untrusted: escapes into Python are refused, runaway renders are stopped (time,
output, memory), undefined variables are listed by name, and values are escaped for every output."""

from __future__ import annotations

import time
from email import message_from_bytes, policy

import pytest
from notice_helpers import RULES, TEMPLATES

from incidentkit.core.comms import markdown_text
from incidentkit.core.comms.context import notice_context
from incidentkit.core.comms.library import TemplateLibrary
from incidentkit.core.comms.outputs import eml_bytes, html_document
from incidentkit.core.comms.records import Draft
from incidentkit.core.comms.sample import sample_record
from incidentkit.core.comms.templates import parse_template
from incidentkit.core.comms.vocabulary import MAX_OUTPUT_BYTES, MAX_SECONDS
from incidentkit.core.comms.worker import Renderer, TemplateError

HEAD = "---\ntitle: Probe\naudience: individuals\nformat: email\nfields:\n  note:\n    label: Note\n---\n"
BODY_LINE = 9   # the first body line of a template made with HEAD


@pytest.fixture(scope="module")
def renderer():
    with Renderer() as r:
        yield r


@pytest.fixture(scope="module")
def context():
    return notice_context(sample_record(RULES, timeline=False), audience="individuals")


def run(renderer, context, body: str, values: dict[str, str] | None = None):
    template, problems = parse_template(HEAD + body, "probe.md.j2", origin="user")
    assert template is not None and problems == []
    library = TemplateLibrary([*TEMPLATES.templates, template])
    return renderer.render(template, sources=library.sources(), context=context, values=values or {})


def refused(renderer, context, body: str) -> str:
    with pytest.raises(TemplateError) as caught:
        run(renderer, context, body)
    return str(caught.value)


def test_the_limits_are_those_of_the_issue():
    assert (MAX_SECONDS, MAX_OUTPUT_BYTES) == (5.0, 10 * 1024 * 1024)
    assert Renderer().seconds == 5.0 and Renderer().max_bytes == 10 * 1024 * 1024


def test_reaching_pythons_internals_is_refused_with_a_clear_message(renderer, context):
    message = refused(renderer, context, "{{ ''.__class__.__mro__ }}")
    assert message == (f"probe.md.j2:{BODY_LINE}: refused: access to attribute '__class__' of a 'str' object: "
                       "a template may not reach Python's internals")


@pytest.mark.parametrize("body", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ fields.__class__ }}",
    "{{ organisation['__class__'] }}",
    "{{ range.__globals__ }}",
    "{{ self.__init__.__globals__ }}",
    "{{ '{0.__class__}'.format(organisation) }}",
    "{{ organisation.name.__len__ }}",
    "{{ scope.elements.append('x') }}",
])
def test_other_escapes_are_refused(renderer, context, body):
    message = refused(renderer, context, body)
    assert "refused" in message or "unsafe" in message or "undefined" in message


@pytest.mark.parametrize("name", ["lipsum", "cycler", "joiner", "namespace", "config", "request", "os"])
def test_no_helper_beyond_the_context_is_reachable(renderer, context, name):
    assert f"'{name}' is undefined" in refused(renderer, context, "{{ " + name + "() }}")


def test_every_undefined_variable_is_listed_by_name_with_its_line(renderer, context):
    message = refused(renderer, context, "{{ nope }}\n{{ organisation.nmae }}\n{{ vendor.name }}\n{{ alsonope }}\n")
    assert message == (f"probe.md.j2: undefined variables: nope (line {BODY_LINE}), "
                       f"nmae (line {BODY_LINE + 1}), alsonope (line {BODY_LINE + 3})")


def test_is_defined_and_default_still_work(renderer, context):
    done = run(renderer, context, "{{ nope | default('fallback') }} {% if nope is defined %}x{% endif %}")
    assert done.text.strip() == "fallback"


def test_a_template_running_past_its_time_is_stopped_with_its_line():
    with Renderer(seconds=1) as quick:
        context = notice_context(sample_record(RULES, timeline=False), audience="individuals")
        started = time.monotonic()
        message = refused(quick, context, "{% for a in range(100000) %}{% for b in range(100000) %}"
                                          "{% endfor %}{% endfor %}")
        assert message == f"probe.md.j2:{BODY_LINE}: the template ran for more than 1 s and was stopped"
        assert time.monotonic() - started < 3


def test_a_render_stuck_in_one_long_operation_is_killed_and_the_next_one_works():
    with Renderer(seconds=1) as quick:
        context = notice_context(sample_record(RULES, timeline=False), audience="individuals")
        started = time.monotonic()
        # One sort of ten million items (about 25 s): no line of the template runs until it returns,
        # and it cannot finish within the limit and its grace on a fast machine (unique alone took 3 s,
        # and sometimes finished in time).
        message = refused(quick, context, "{{ ((range(100000) | list) * 100) | sort | unique | list | length }}")
        assert message.endswith("the template ran for more than 1 s and was stopped")
        assert time.monotonic() - started < 5
        assert run(quick, context, "still {{ vendor.name }}").text == "still Epsilon Data Management\n"


@pytest.mark.slow
def test_the_default_time_limit_is_five_seconds(renderer, context):
    started = time.monotonic()
    message = refused(renderer, context, "{% for a in range(100000) %}{% for b in range(100000) %}"
                                         "{% endfor %}{% endfor %}")
    assert "ran for more than 5 s" in message
    assert 5 <= time.monotonic() - started < 7


def test_more_than_ten_megabytes_of_output_is_stopped(renderer, context):
    message = refused(renderer, context, "{% for i in range(100000) %}{{ 'x' * 120 }}{% endfor %}")
    assert message == "probe.md.j2: the template wrote more than 10 MB and was stopped"


def test_a_huge_string_or_number_is_refused_before_it_is_made(renderer, context):
    assert "more than a notice can hold" in refused(renderer, context, "{{ 'x' * 100000000 }}")
    assert "too large for a notice" in refused(renderer, context, "{{ 10 ** 10000000 }}")


def test_a_template_that_needs_too_much_memory_is_stopped(renderer, context):
    message = refused(renderer, context, "{{ 'x' | center(3000000000) }}")
    assert "too much memory" in message
    assert run(renderer, context, "ok").text == "ok\n"


def test_field_values_are_text_in_every_output(renderer, context):
    hostile = "# Urgent\n[click here](https://evil.example) <script>alert(1)</script> *now* 1. reply"
    text = run(renderer, context, "# Notice\n\n{{ fields.note }}\n", {"note": hostile}).text
    html = html_document(text)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<a " not in html and "<em>" not in html and html.count("<h1") == 1
    assert "[click here](https://evil.example)" in markdown_text.plain_text(text)
    assert [b.kind for b in markdown_text.blocks(text)] == ["heading", "paragraph"]


def test_a_line_break_in_a_value_cannot_add_an_email_header(renderer, context):
    text = run(renderer, context, "# Your account {{ fields.note }}\n\nHello\n",
               {"note": "update\nBcc: everyone@evil.example\nX-Injected: yes"}).text
    draft = Draft("d" * 32, "probe", "1", "", "Probe", "individuals", (), markdown_text.title(text), {}, (),
                  {"organisation": "Acme\nBcc: x@evil.example", "email": "notices@acme.example"}, text, "0" * 64,
                  "", "ann", "2026-03-03T09:00:00Z")
    message = message_from_bytes(eml_bytes(draft), policy=policy.default)
    assert message["Subject"] == "Your account update"
    assert message["Bcc"] is None and message["X-Injected"] is None
    assert message["From"].addresses[0].display_name == "Acme Bcc: x@evil.example"
    assert message["From"].addresses[0].addr_spec == "notices@acme.example"


def test_compiled_templates_are_kept_but_a_changed_template_is_compiled_again(renderer, context):
    assert run(renderer, context, "first {{ vendor.name }}").text == "first Epsilon Data Management\n"
    assert run(renderer, context, "first {{ vendor.name }}").text == "first Epsilon Data Management\n"
    assert run(renderer, context, "second {{ vendor.name }}").text == "second Epsilon Data Management\n"
    assert "nope (line" in refused(renderer, context, "first {{ nope }}")
    assert run(renderer, context, "first {{ vendor.name }}").text == "first Epsilon Data Management\n"
