"""Short links for printed QR codes: ``/q/<code>/`` on the site's own domain.

The registry ``qr-codes.yaml`` (project root, committed) records one code per
area × channel × language. Codes are stable: once written, a code always leads to the same
area, channel and language, and a code is never reused for anything else, so a poster printed
years ago keeps working when pages move.

Format::

    codes:
      - code: n7k2          # 4+ characters of a-z and 2-9 (no 0/o, 1/l look-alikes)
        area: neulamaki     # area slug
        channel: poster     # poster, flyer, sticker, handout, ballot, social, …
        lang: fi            # language code
        target: fi/neulamaki/   # page it leads to, relative to the site root

(Assignment of new codes and the redirect pages are built on top of this module.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .data.yamlload import YList, YMap, load_yaml
from .errors import DataError, Problem

REGISTRY = "qr-codes.yaml"


@dataclass(frozen=True, slots=True)
class ShortLink:
    """One registered short link."""

    code: str
    area: str
    channel: str
    lang: str
    target: str


def load_registry(root: Path) -> dict[str, ShortLink]:
    """Read ``qr-codes.yaml``; an absent file is an empty registry.

    Raises:
        DataError: the file is malformed (every problem located).
    """
    path = root / REGISTRY
    if not path.exists():
        return {}
    raw, problems = load_yaml(path, REGISTRY)
    links: dict[str, ShortLink] = {}
    if not problems:
        items = raw.get("codes") if isinstance(raw, YMap) else None
        if not isinstance(items, YList):
            problems.append(Problem(REGISTRY, 1, "codes", "expected a list of codes"))
            items = YList()
            items.item_lines = []
        for i, (item, line) in enumerate(zip(items, items.item_lines, strict=True)):
            keys = ("code", "area", "channel", "lang", "target")
            if not isinstance(item, YMap) or any(not isinstance(item.get(k), str) for k in keys):
                problems.append(Problem(REGISTRY, line, f"codes[{i}]",
                                        "expected code, area, channel, lang and target"))
                continue
            if item["code"] in links:
                problems.append(Problem(REGISTRY, line, f"codes[{i}].code",
                                        f"code {item['code']!r} is used twice; codes are unique"))
                continue
            links[item["code"]] = ShortLink(*(str(item[k]) for k in keys))
    if problems:
        raise DataError(problems, root)
    return links
