"""Click parameter types the command modules share."""

from __future__ import annotations

from datetime import datetime

import click

from incidentkit.core import times
from incidentkit.core.events import YearOutOfRange, parse_ts


class Timestamp(click.ParamType):
    """An ISO 8601 time (`--at`, `--since`, `--until`); a naive one is taken as UTC by `parse_ts`.

    `happened=True` (every `--at`) also refuses a time that cannot be when something
    happened (`core.times`: in the future or before 1970), with the core's message; the
    core checks again, for the window and every other caller."""

    name = "ISO8601"

    def __init__(self, *, happened: bool = False) -> None:
        self.happened = happened

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            when = parse_ts(str(value))
        except YearOutOfRange as exc:
            self.fail(times.year_refusal(str(value), exc.year), param, ctx)
        except ValueError:
            self.fail(f"{value!r} is not an ISO 8601 time (e.g. 2026-11-29T09:30:00+01:00)", param, ctx)
        reason = times.refusal(when) if self.happened else None
        if reason:
            self.fail(reason, param, ctx)
        return when
