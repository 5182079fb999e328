"""Page addresses. Every page is a folder (``neulamaki/budget/``) relative to a language root."""

from __future__ import annotations

import functools
import posixpath

AREA_SUBPAGES = ("themes", "projects", "budget", "events")


def area_path(slug: str, sub: str = "") -> str:
    """``neulamaki/`` or ``neulamaki/budget/``."""
    return f"{slug}/{sub}/" if sub else f"{slug}/"


@functools.lru_cache(maxsize=8192)
def relative(from_path: str, to_path: str) -> str:
    """A relative link between two page folders of the same language (``""`` is home)."""
    if from_path == to_path:
        return "./"
    rel = posixpath.relpath(to_path or ".", from_path or ".")
    return "./" if rel == "." else rel + "/"


def to_root(from_path: str) -> str:
    """Relative link from a page of a language tree to the site root (``../../``)."""
    depth = from_path.count("/") + 1  # the language folder itself
    return "../" * depth
