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

Assignment (:func:`assign_codes`): a new area × channel × language gets the next free code of
a fixed sequence (:func:`code_for`), in sorted order, so two builds of the same input assign the
same codes. New entries are *appended* to the file (comments and existing entries are kept);
nothing is ever renumbered or removed, and a code whose area was removed stays taken.
The build writes the file (:func:`append_to_registry`) only after the input validated and the
printed products rendered, and only when a code is new: it is the one file a build writes
into the project. Commit it.

Redirect pages (:func:`write_redirects`): ``site/q/<code>/index.html`` for every code in the
registry: a meta refresh, a visible link and ``rel=canonical``, all relative, so the site works
under any sub-path. The target carries the channel (``?k=poster``) so access logs can count
scans per channel. A code whose page moved under a year leads to its newest year's page, one whose
area is no longer published to the language's home page (:func:`redirect_target`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import outputs
from .data.yamlload import YList, YMap, load_yaml
from .messages import err
from .errors import DataError, LahioError, Problem

REGISTRY = "qr-codes.yaml"

#: What a code may be (it is a folder name of the site: ``q/<code>/``).
CODE_RE = re.compile(r"[a-z0-9]{3,12}")
#: What a target may be: a relative path of the site's own pages.
_TARGET_RE = re.compile(r"[a-z0-9][a-z0-9/_-]*")

#: Letters and digits of a code: a-z and 2-9 without the look-alikes 0/o and 1/l.
ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
CODE_LENGTH = 4
_SPACE = len(ALPHABET) ** CODE_LENGTH  # 2**20 codes
# An odd multiplier is a bijection modulo 2**20: consecutive codes look unrelated (a mistyped
# code rarely hits another area's) while the sequence stays fixed and reproducible.
_STEP = 637_157
_OFFSET = 421_009

_HEADER = """\
# Short links of printed QR codes: <site_url>q/<code>/ leads to `target` (relative to the site
# root). Written by `lahio build` when a new area, channel or language needs a code; commit it.
# Never change or remove an entry: the code may be printed on paper somewhere.
codes:
"""


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
            if not CODE_RE.fullmatch(item["code"]):
                problems.append(Problem(REGISTRY, item.key_lines["code"], f"codes[{i}].code", err(
                    "{code!r} is not a short-link code; expected 3 to 12 lower-case letters "
                    "a-z and digits (it becomes the address q/<code>/)", code=item["code"])))
                continue
            if not _TARGET_RE.fullmatch(item["target"]) or ".." in item["target"].split("/"):
                problems.append(Problem(REGISTRY, item.key_lines["target"], f"codes[{i}].target", err(
                    "{target!r} is not a page of the site; expected a path relative to the "
                    "site root such as 'fi/neulamaki/'", target=item["target"])))
                continue
            if item["code"] in links:
                problems.append(Problem(REGISTRY, item.key_lines["code"], f"codes[{i}].code",
                                        f"code {item['code']!r} is used twice; codes are unique"))
                continue
            links[item["code"]] = ShortLink(*(str(item[k]) for k in keys))
    if problems:
        raise DataError(problems, root)
    return links


def code_for(n: int) -> str:
    """The ``n``-th code of the fixed sequence (``n`` ≥ 0); distinct for every ``n`` < 2**20."""
    value = (n * _STEP + _OFFSET) % _SPACE
    chars = []
    for _ in range(CODE_LENGTH):
        value, digit = divmod(value, len(ALPHABET))
        chars.append(ALPHABET[digit])
    return "".join(chars)


@dataclass(frozen=True, slots=True)
class Wanted:
    """A short link a product needs: area × channel × language, and the page it leads to."""

    area: str
    channel: str
    lang: str
    target: str


def assign_codes(registry: dict[str, ShortLink],
                 wanted: Iterable[Wanted]) -> tuple[dict[tuple[str, str, str], ShortLink],
                                                    list[ShortLink]]:
    """Find or assign a code for every wanted link.

    Existing entries win (their target is never changed). New keys are handled in sorted
    order and get the next codes of :func:`code_for` that nobody holds yet.

    Args:
        registry: the codes already registered (:func:`load_registry`).
        wanted: the links the build needs.

    Returns:
        Every wanted key mapped to its link, and the newly assigned links (in order).
    """
    by_key: dict[tuple[str, str, str], ShortLink] = {}
    for link in sorted(registry.values(), key=lambda sl: sl.code):
        by_key.setdefault((link.area, link.channel, link.lang), link)
    taken = set(registry)
    new: list[ShortLink] = []
    n = 0
    out: dict[tuple[str, str, str], ShortLink] = {}
    for w in sorted(set(wanted), key=lambda w: (w.area, w.channel, w.lang)):
        key = (w.area, w.channel, w.lang)
        if key not in by_key:
            while code_for(n) in taken:
                n += 1
            link = ShortLink(code_for(n), w.area, w.channel, w.lang, w.target)
            taken.add(link.code)
            by_key[key] = link
            new.append(link)
        out[key] = by_key[key]
    return out, new


def append_to_registry(root: Path, new: list[ShortLink]) -> None:
    """Append ``new`` entries to ``qr-codes.yaml`` (creating it with a header if absent).

    Existing lines are left exactly as they are. Does nothing when ``new`` is empty, so an
    unchanged project is never written to.
    """
    if not new:
        return
    path = root / REGISTRY
    text = path.read_text(encoding="utf-8-sig") if path.exists() else _HEADER
    if not text.endswith("\n"):
        text += "\n"
    # Follow the file's own indentation of list items (a person may have re-indented it).
    indent = "  "
    for line in text.splitlines():
        item = re.match(r"^([ ]*)- ", line)
        if item:
            indent = item.group(1)
    text = re.sub(r"^codes:[ ]*\[\][ ]*$", "codes:", text, flags=re.M)
    before = len(_codes_in(text))
    for link in new:
        text += (f"{indent}- {{code: \"{link.code}\", area: {link.area}, channel: {link.channel}, "
                 f"lang: {link.lang}, target: {link.target}}}\n")
    if len(_codes_in(text)) != before + len(new):
        raise LahioError(f"{REGISTRY}: new short links could not be added safely; keep the "
                         "file as a 'codes:' list with one '- {code: …}' entry per line")
    tmp = path.with_name(f".{REGISTRY}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _codes_in(text: str) -> list[object]:
    """The ``codes`` list of a registry text, or [] when it does not parse as one."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return []
    codes = data.get("codes") if isinstance(data, dict) else None
    return codes if isinstance(codes, list) else []


def short_url(site_url: str, code: str) -> str:
    """The absolute short address printed and encoded: ``<site_url>q/<code>/``."""
    return f"{site_url}q/{code}/"


def redirect_target(link: ShortLink, pages: set[str]) -> str:
    """Where ``link`` leads, relative to the site root, with the channel as ``?k=``.

    ``pages`` holds every page of the site (``fi/neulamaki/budget/2023/``). A code leads to
    its target while that page exists. A page that moved under a year (``budget/`` once the
    area's last round was archived and no new one began) is followed to its newest year
    (``budget/2023/``); otherwise the code leads to its area's page, and a code of an area
    that is no longer published to its language's home page, never to a missing page.
    """
    return f"{resolve_target(link, pages)}?k={link.channel}"


def resolve_target(link: ShortLink, pages: set[str]) -> str:
    """The existing page ``link`` leads to (see :func:`redirect_target`), without the channel."""
    target = link.target
    if target in pages:
        return target
    years = sorted(p for p in pages
                   if p.startswith(target) and re.fullmatch(r"\d{4}/", p[len(target):]))
    if years:
        return years[-1]
    area = f"{link.lang}/{link.area}/"
    return area if area in pages else f"{link.lang}/"


def render_redirect(link: ShortLink, pages: set[str], title: str, html_lang: str) -> str:
    """The static redirect page of ``link`` (it lives at ``q/<code>/index.html``)."""
    href = html.escape("../../" + redirect_target(link, pages), quote=True)
    canonical = html.escape("../../" + redirect_target(link, pages).split("?")[0],
                            quote=True)
    return (
        "<!doctype html>\n"
        f'<html lang="{html.escape(html_lang)}">\n'
        "<head>\n<meta charset=\"utf-8\">\n"
        f'<meta http-equiv="refresh" content="0; url={href}">\n'
        f'<link rel="canonical" href="{canonical}">\n'
        '<meta name="robots" content="noindex">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n</head>\n"
        f'<body>\n<p><a href="{href}">{html.escape(title)}</a></p>\n</body>\n</html>\n'
    )


def write_redirects(out: Path, registry: dict[str, ShortLink], pages: set[str],
                    titles: dict[str, tuple[str, str]]) -> int:
    """Write ``q/<code>/index.html`` for every code in ``registry``; returns how many.

    Args:
        out: the site folder being built.
        registry: every registered code.
        pages: every page of the site (see :func:`redirect_target`).
        titles: (link text, HTML lang) per language code; Finnish for other codes.
    """
    for code, link in sorted(registry.items()):
        title, html_lang = titles.get(link.lang) or titles.get("fi") or ("Lähiöohjelma", "fi")
        # Codes are checked when the registry is read (CODE_RE); the writer refuses any path
        # outside the build folder all the same, and never writes through a shared link.
        outputs.write(out, f"q/{code}/index.html",
                      render_redirect(link, pages, title, html_lang))
    return len(registry)
