"""Click parameter types the command modules share."""

from __future__ import annotations

from datetime import datetime

import click

from incidentkit.core.events import parse_ts


class Timestamp(click.ParamType):
    """An ISO 8601 time (`--at`, `--since`, `--until`); a naive one is taken as UTC by `parse_ts`."""

    name = "ISO8601"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            return parse_ts(str(value))
        except ValueError:
            self.fail(f"{value!r} is not an ISO 8601 time (e.g. 2026-11-29T09:30:00+01:00)", param, ctx)
