"""The print stage: posters, flyers and handouts as PDF (WeasyPrint)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..build import BuildContext


def build_print(ctx: BuildContext) -> None:
    """Write ``site/print/<area>/<lang>/*.pdf``. (Not yet implemented: writes nothing.)"""
