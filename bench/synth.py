"""Synthetic projects for the benchmark: N areas made by varying the two sample areas.

Every area gets its own slug (``alue-007``), name, budget round id and figures (populations,
costs, votes…), so no two area pages are alike; the general pages, theme and configuration are
the sample's.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = {"neulamaki": ("Neulamä", "Neulamäki"), "mannisto": ("Männistö", "Männistö")}
_NUMBER = re.compile(r"^(\s*(?:value|cost|budget|voters): )(\d+)$", re.M)


def vary(text: str, source: str, slug: str, i: int) -> str:
    """One area file of ``source`` rewritten as area number ``i`` (unique names and figures)."""
    _, name = SOURCES[source]
    text = text.replace(f"{source}-", f"{slug}-")            # budget round ids
    # The area's name gets its number (the sample's texts keep their length: the printed
    # products are one page each, and a longer text could push one onto a second page).
    text = re.sub(r"^name: .*$", lambda m: m.group(0).replace(name, f"{name} {i}"), text,
                  flags=re.M)
    return _NUMBER.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + i}", text)


def make_project(dest: Path, n: int) -> Path:
    """Write a project with ``n`` areas into ``dest`` (replacing it); returns ``dest``."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for part in ("content", "theme"):
        shutil.copytree(ROOT / part, dest / part)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    names = sorted(SOURCES)
    for i in range(n):
        source = names[i % len(names)]
        slug = f"alue-{i:03d}"
        folder = dest / "areas" / slug
        folder.mkdir(parents=True)
        for f in sorted((ROOT / "areas" / source).glob("*.yaml")):
            (folder / f.name).write_text(vary(f.read_text(encoding="utf-8"), source, slug, i),
                                         encoding="utf-8")
        if (ROOT / "areas" / source / "images").is_dir():  # the pictures the YAML names
            shutil.copytree(ROOT / "areas" / source / "images", folder / "images")
    return dest


def edit_one_area(project: Path, i: int = 0, k: int = 1) -> Path:
    """Change one area's Finnish summary (the warm-rebuild edit); returns the file changed.

    The first figure of the summary's first line becomes the last digit of ``k`` ("6 900
    asukasta" → "3 900 asukasta"): consecutive edits always differ and the text keeps its
    length, so printed products that just fit on their page still do.
    """
    path = project / "areas" / f"alue-{i:03d}" / "area.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "summary:\n  fi: >-\n"
    assert marker in text, path
    start = text.index(marker) + len(marker)
    end = text.index("\n", start)
    line = text[start:end]
    digit = re.search(r"\d", line)
    assert digit, f"{path}: the Finnish summary's first line has no figure to change"
    line = f"{line[:digit.start()]}{k % 10}{line[digit.end():]}"
    path.write_text(text[:start] + line + text[end:], encoding="utf-8")
    return path
