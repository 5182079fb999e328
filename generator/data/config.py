"""Project configuration: the ``extra.lahio`` section of ``mkdocs.yml``.

The generator reads ``mkdocs.yml`` as plain YAML (tags such as ``!ENV`` are tolerated and
ignored) so that nothing outside ``generator/site/`` imports MkDocs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem


@dataclass(frozen=True, slots=True)
class Language:
    """A language the site is published in.

    Attributes:
        code: the URL segment (``fi``, ``selko``, ``ar``).
        name: the language named in itself (``Suomi``, ``العربية``).
        html_lang: the BCP 47 tag for ``lang=""`` (selkosuomi is ``fi``: it has no subtag).
        locale: the Babel locale for numbers, money and dates.
        dir: ``ltr`` or ``rtl``.
        required: ``lahio build --strict`` fails when this language is incomplete.
        primary: listed first in the language switcher (HDS: fi, sv, en).
    """

    code: str
    name: str
    html_lang: str
    locale: str
    dir: str = "ltr"
    required: bool = False
    primary: bool = False


@dataclass(frozen=True, slots=True)
class Config:
    """What the generator needs from ``mkdocs.yml``."""

    root: Path
    site_name: str
    site_url: str
    languages: tuple[Language, ...]
    licence: str = "CC BY 4.0"
    organisation: str = "Kuopion kaupunki"
    feedback_url: str = "https://www.kuopio.fi/palaute"
    selko_logo: bool = False

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)

    @property
    def default(self) -> Language:
        return self.languages[0]

    def language(self, code: str) -> Language:
        for lang in self.languages:
            if lang.code == code:
                return lang
        raise KeyError(code)


class _TolerantLoader(yaml.SafeLoader):
    """SafeLoader that ignores MkDocs' custom tags (``!ENV``, ``!!python/name:``)."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_TolerantLoader.add_multi_constructor("!", _ignore_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)

_CODE_RE = re.compile(r"^[a-z]{2,8}$")


def load_config(root: Path, site_url: str | None = None) -> tuple[Config | None, list[Problem]]:
    """Read ``mkdocs.yml`` in ``root``; ``site_url`` overrides the configured one."""
    path = root / "mkdocs.yml"
    rel = "mkdocs.yml"
    try:
        raw = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_TolerantLoader)  # noqa: S506
    except FileNotFoundError:
        return None, [Problem(rel, 0, "", "not found; run lahio in the project folder")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [Problem(rel, mark.line + 1 if mark else 0, "", f"is not valid YAML: {exc}")]
    problems: list[Problem] = []
    if not isinstance(raw, dict):
        return None, [Problem(rel, 0, "", "expected a mapping of settings")]
    lahio = (raw.get("extra") or {}).get("lahio") or {}
    url = site_url or raw.get("site_url") or ""
    if not re.match(r"^https?://[^/]+(/.*)?$", url):
        problems.append(Problem(rel, 0, "site_url", "expected the site's public address, "
                                "e.g. https://www.kuopio.fi/lahiot/ (QR codes point to it)"))
    url = url if url.endswith("/") else url + "/"
    langs: list[Language] = []
    for i, item in enumerate(lahio.get("languages") or []):
        key = f"extra.lahio.languages[{i}]"
        if not isinstance(item, dict) or not _CODE_RE.match(str(item.get("code", ""))):
            problems.append(Problem(rel, 0, key, "expected code (a-z), name, locale"))
            continue
        try:
            langs.append(Language(
                code=item["code"], name=str(item["name"]),
                html_lang=str(item.get("html_lang", item["code"])),
                locale=str(item.get("locale", item["code"])),
                dir="rtl" if item.get("dir") == "rtl" else "ltr",
                required=bool(item.get("required", False)),
                primary=bool(item.get("primary", False)),
            ))
        except KeyError as exc:
            problems.append(Problem(rel, 0, key, f"is missing {exc.args[0]!r}"))
    if not langs:
        problems.append(Problem(rel, 0, "extra.lahio.languages",
                                "expected at least one language (the first is the default)"))
    elif langs[0].code != "fi":
        problems.append(Problem(rel, 0, "extra.lahio.languages[0]",
                                "the first language must be fi: every text falls back to it"))
    if problems:
        return None, problems
    return Config(
        root=root,
        site_name=str(raw.get("site_name", "Lähiöohjelma")),
        site_url=url,
        languages=tuple(langs),
        licence=str(lahio.get("licence", "CC BY 4.0")),
        organisation=str(lahio.get("organisation", "Kuopion kaupunki")),
        feedback_url=str(lahio.get("feedback_url", "https://www.kuopio.fi/palaute")),
        selko_logo=bool(lahio.get("selko_logo", False)),
    ), []
