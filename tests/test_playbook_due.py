"""A step's `due` and `severity`: parsed into types, warned about with file:line:col, and the due time."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from incidentkit.cli.group import cli
from incidentkit.core.playbook.due import Due, DueError, due_after, parse_due
from incidentkit.core.playbook.parser import parse_playbook


@pytest.mark.parametrize(("text", "amount", "unit"), [
    ("72 hours", 72, "hours"),
    ("1 hour", 1, "hours"),
    ("72h", 72, "hours"),
    ("  24   Hours ", 24, "hours"),
    ("90 minutes", 90, "minutes"),
    ("30 days", 30, "calendar_days"),
    ("30 calendar days", 30, "calendar_days"),
    ("4 business days", 4, "business_days"),
    ("4 Working Days", 4, "business_days"),
    ("2 weeks", 14, "calendar_days"),
    ("1 month", 1, "months"),
    ("6 calendar months", 6, "months"),
])
def test_durations_read(text: str, amount: int, unit: str) -> None:
    due = parse_due(text)
    assert (due.amount, due.unit, due.text) == (amount, unit, text.strip())


@pytest.mark.parametrize(("text", "says"), [
    ("soon", "is not a duration"),
    ("without undue delay", "is not a duration"),
    ("1.5 hours", "is not a duration"),
    ("-3 days", "is not a duration"),
    ("72", "is not a duration"),
    ("3 fortnights", "unknown unit 'fortnights'"),
    ("0 hours", "is zero"),
    ("99999 days", "longer than ten years"),
    ("", "is not a duration"),
])
def test_what_does_not_read_says_why(text: str, says: str) -> None:
    with pytest.raises(DueError, match=says):
        parse_due(text)


def test_describe_and_json() -> None:
    assert parse_due("72h").describe() == "72 hours"
    assert parse_due("1 working day").describe() == "1 business day"
    assert parse_due("2 weeks").to_json() == {"text": "2 weeks", "amount": 14, "unit": "calendar_days"}


AWARE = datetime(2026, 11, 27, 16, 30, tzinfo=timezone.utc)  # a Friday


def test_due_after_each_unit() -> None:
    assert due_after(AWARE, parse_due("72 hours")) == AWARE + timedelta(hours=72)
    assert due_after(AWARE, parse_due("45 minutes")) == AWARE + timedelta(minutes=45)
    assert due_after(AWARE, parse_due("30 days")) == datetime(2026, 12, 27, 16, 30, tzinfo=timezone.utc)
    # Friday + 4 business days skips the weekend: Thursday, same time of day.
    assert due_after(AWARE, parse_due("4 business days")) == datetime(2026, 12, 3, 16, 30, tzinfo=timezone.utc)
    # A calendar month, clamped to the month's last day.
    jan31 = datetime(2027, 1, 31, 9, 0, tzinfo=timezone.utc)
    assert due_after(jan31, parse_due("1 month")) == datetime(2027, 2, 28, 9, 0, tzinfo=timezone.utc)
    assert due_after(jan31, parse_due("13 months")) == datetime(2028, 2, 29, 9, 0, tzinfo=timezone.utc)


def test_business_days_take_the_callers_holidays() -> None:
    christmas = {date(2026, 12, 25)}
    thursday = datetime(2026, 12, 24, 10, 0, tzinfo=timezone.utc)
    due = parse_due("1 business day")
    assert due_after(thursday, due).date() == date(2026, 12, 25)
    assert due_after(thursday, due, is_business_day=lambda d: d.weekday() < 5 and d not in christmas).date() == \
        date(2026, 12, 28)
    with pytest.raises(ValueError, match="no 1 business days"):
        due_after(thursday, due, is_business_day=lambda d: False)


MD = """\
# Clocks

## Notify

- [ ] Tell the regulator {#dpa due="72 hours" severity=critical}
- [ ] Tell the card brands {#cards due=soon severity=urgent}
- [ ] Write it down {#write}
"""


def test_steps_carry_typed_due_and_severity() -> None:
    playbook = parse_playbook(MD, "clocks.md")
    dpa, cards, write = playbook.steps()
    assert dpa.due == Due(72, "hours", "72 hours") and dpa.severity == "critical"
    assert cards.due is None and cards.severity is None  # kept as text in attrs, warned about
    assert cards.attrs["due"] == "soon"
    assert write.due is None and write.severity is None


def test_an_unreadable_due_is_a_warning_at_its_column(tmp_path) -> None:
    path = tmp_path / "clocks.md"
    path.write_text(MD, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0, result.output  # a warning: the playbook still loads
    line = next(x for x in result.output.splitlines() if "due 'soon'" in x)
    col = MD.splitlines()[5].index("due=soon") + 1
    assert line.startswith(f"{path}:6:{col}: warning: due 'soon' is not a duration")
    assert "`72 hours`" in line
