"""Kuopio's time zone: every time in the data is local Kuopio time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

TZID = "Europe/Helsinki"
TZ = ZoneInfo(TZID)


def local(value: dt.datetime) -> dt.datetime:
    """A naive local time from the data, made aware in Kuopio's time zone."""
    return value.replace(tzinfo=TZ)
