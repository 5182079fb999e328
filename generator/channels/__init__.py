"""The channel stage: calendars, feeds, newsletters, open data, short links."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..build import BuildContext


def build_channels(ctx: BuildContext) -> None:
    """Write the channel outputs. (Not yet implemented: writes nothing.)"""
