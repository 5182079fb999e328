"""Project configuration: the ``extra.lahio`` section of ``mkdocs.yml``.

The generator reads ``mkdocs.yml`` as plain YAML (tags such as ``!ENV`` are tolerated and
ignored) so that nothing outside ``generator/site/`` imports MkDocs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from ..errors import Problem
from .schema import Context, Url, doc, is_missing, parse
from .yamlload import StrictLoader, YMap


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
    #: Brand colours and logo (``extra.lahio.brand`` in mkdocs.yml: the web's palette too).
    brand_primary: str = "#00558c"
    brand_accent: str = "#8a1c5b"
    brand_logo: str | None = None
    #: The sign-up page of the city's mailing service for the programme's newsletter.
    newsletter_url: str = ""
    #: SMS updates: the keyword residents text (the area's name follows it) and the number.
    sms_keyword: str = ""
    sms_number: str = ""
    #: ``extra.lahio.sample: true``: the whole site is example content (the sample). Every
    #: product then says so: pages, PDFs, social images, newsletters, feeds, SMS, open data.
    sample: bool = False

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


@dataclass(frozen=True, slots=True)
class LanguageSettings:
    """One language of ``extra.lahio.languages`` in ``mkdocs.yml``."""

    code: str = doc("The address segment: lower-case letters a-z (`fi`, `selko`, `ar`).")
    name: str = doc("The language named in itself (`Suomi`, `العربية`).")
    html_lang: str | None = doc("The language tag of the pages (default: the code).",
                                default=None)
    locale: str | None = doc("Babel's locale for numbers, money and dates (default: the "
                             "code).", default=None)
    dir: Literal["ltr", "rtl"] = doc("Writing direction.", default="ltr")
    required: bool = doc("`lahio build --strict` fails while this language is incomplete.",
                         default=False)
    primary: bool = doc("Listed first in the language switcher.", default=False)


@dataclass(frozen=True, slots=True)
class BrandSettings:
    """``extra.lahio.brand``: the pages' colours and logo."""

    primary: str | None = doc("Main colour as #rrggbb (header, buttons, links; white text on "
                              "it): at least 4.5:1 against white. Default: Kuopio blue "
                              "#00558c.", default=None)
    accent: str | None = doc("Second colour as #rrggbb, at least 4.5:1 against white.",
                             default=None)
    logo: str | None = doc("An image under theme/site/ shown before the site name, e.g. "
                           "assets/logo.svg.", default=None)


_HEX_RE = re.compile(r"#[0-9a-fA-F]{6}")


def contrast_on_white(colour: str) -> float:
    """WCAG contrast ratio of ``colour`` (#rrggbb) against white."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(int(colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


@dataclass(frozen=True, slots=True)
class SmsSettings:
    """``extra.lahio.sms``: text updates by SMS."""

    keyword: str = doc("The keyword residents text; the area's name follows it (`LAHIO`).")
    number: str = doc("The number they text it to (`16123`).")


@dataclass(frozen=True, slots=True)
class LahioSettings:
    """``extra.lahio`` in ``mkdocs.yml``: the project's own settings."""

    languages: tuple[LanguageSettings, ...] = doc("The languages, the default (fi) first.")
    licence: str = doc("Licence of the open data.", default="CC BY 4.0")
    organisation: str = doc("Who publishes the site.", default="Kuopion kaupunki")
    feedback_url: Url = doc("The city's feedback service.",
                            default=Url("https://www.kuopio.fi/palaute"))
    selko_logo: bool = doc("Print the selkotunnus (only with Selkokeskus's permission).",
                           default=False)
    brand: BrandSettings | None = doc("The pages' colours and logo.", default=None)
    newsletter_url: Url | None = doc("The sign-up page of the city's newsletter service "
                                     "(linked from every area page).", default=None)
    sms: SmsSettings | None = doc("SMS updates (shown on every area page when set).",
                                  default=None)
    sample: bool = doc("The whole site is example content (the sample): every page, PDF, "
                       "social image, newsletter, feed, SMS text and open-data row says so, and "
                       "names what is real (the Paavo statistics). Remove it for real content.",
                       default=False)


class _ConfigLoader(StrictLoader):
    """The data's strict loader (lines kept, duplicate keys refused, ``no`` stays a string)
    that also reads MkDocs' custom tags (``!ENV``, ``!!python/name:``) as plain values."""


def _ignore_tag(loader: _ConfigLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_ConfigLoader.add_multi_constructor("!", _ignore_tag)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)

_CODE_RE = re.compile(r"^[a-z]{2,8}$")
_URL_RE = re.compile(r"^https?://[^/]+(/.*)?$")


def _line(mapping: Any, key: str) -> int:
    lines = getattr(mapping, "key_lines", None) or {}
    return int(lines.get(key, getattr(mapping, "line", 0)))


def _known_locale(locale: str) -> bool:
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(locale)
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


def load_config(root: Path, site_url: str | None = None) -> tuple[Config | None, list[Problem]]:
    """Read ``mkdocs.yml`` in ``root``; ``site_url`` overrides the configured one.

    The project's own keys (``site_url``, ``site_name``, ``extra.lahio``) are validated as the
    data is: every problem with its line, a misspelt key named with the closest known one.
    """
    rel = "mkdocs.yml"
    path = root / rel
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return None, [Problem(rel, 0, "", "not found; run lahio in the project folder")]
    try:
        raw = yaml.load(text, Loader=_ConfigLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [Problem(rel, mark.line + 1 if mark else 0, "", f"is not valid YAML: {exc}")]
    problems: list[Problem] = []
    if not isinstance(raw, YMap):
        return None, [Problem(rel, 0, "", "expected a mapping of settings")]
    extra = raw.get("extra")
    lahio = extra.get("lahio") if isinstance(extra, dict) else None
    url = site_url or raw.get("site_url") or ""
    if not isinstance(url, str) or not _URL_RE.match(url):
        problems.append(Problem(rel, 0 if site_url else _line(raw, "site_url"), "site_url",
                                "expected the site's public address, "
                                "e.g. https://www.kuopio.fi/lahiot/ (QR codes point to it)"))
        url = ""
    url = url if url.endswith("/") else url + "/"
    ctx = Context(rel, ())
    settings = None
    if isinstance(lahio, YMap):
        settings = parse(LahioSettings, lahio, ctx, "extra.lahio")
    else:
        ctx.error(_line(extra, "lahio") if isinstance(extra, YMap) else _line(raw, "extra"),
                  "extra.lahio", "expected the project's settings (languages, organisation…)")
    problems += ctx.problems
    langs: list[Language] = []
    items = lahio.get("languages") if isinstance(lahio, YMap) else None
    if isinstance(items, list):
        # Each language that parsed is checked further, even when others did not (every
        # problem at once); the parse problems were reported above.
        for i, where in enumerate(items):
            key = f"extra.lahio.languages[{i}]"
            item = parse(LanguageSettings, where, Context(rel, ()), key) if isinstance(
                where, YMap) else None
            if item is None or is_missing(item):
                continue
            if not _CODE_RE.match(item.code):
                problems.append(Problem(rel, _line(where, "code"), f"{key}.code",
                                        f"{item.code!r}: expected lower-case letters a-z, "
                                        "2 to 8 of them (the address segment)"))
                continue
            locale = item.locale or item.code
            if not _known_locale(locale):
                problems.append(Problem(rel, _line(where, "locale" if item.locale else "code"),
                                        f"{key}.locale", f"{locale!r} is not a locale Babel "
                                        "knows; expected one such as fi, sv, en, ru, uk, ar"))
                continue
            langs.append(Language(code=item.code, name=item.name,
                                  html_lang=item.html_lang or item.code, locale=locale,
                                  dir=item.dir, required=item.required, primary=item.primary))
        if not problems and settings is not None and not is_missing(settings):
            if not langs:
                problems.append(Problem(rel, _line(lahio, "languages"), "extra.lahio.languages",
                                        "expected at least one language (the first is the "
                                        "default)"))
            elif langs[0].code != "fi":
                problems.append(Problem(rel, _line(items[0], "code") if items else 0,
                                        "extra.lahio.languages[0]",
                                        "the first language must be fi: every text falls "
                                        "back to it"))
    brand = lahio.get("brand") if isinstance(lahio, YMap) else None
    if isinstance(brand, YMap):
        for key in ("primary", "accent"):
            colour = brand.get(key)
            if not isinstance(colour, str):
                continue
            if not _HEX_RE.fullmatch(colour):
                problems.append(Problem(rel, _line(brand, key), f"extra.lahio.brand.{key}",
                                        f"{colour!r}: expected a colour as #rrggbb"))
            elif contrast_on_white(colour) < 4.5:
                problems.append(Problem(
                    rel, _line(brand, key), f"extra.lahio.brand.{key}",
                    f"{colour} has a contrast of {contrast_on_white(colour):.2f}:1 against "
                    "white; expected at least 4.5:1 (WCAG AA), e.g. a darker shade"))
    logo = brand.get("logo") if isinstance(brand, YMap) else None
    if isinstance(logo, str) and logo.strip():
        theme = (root / "theme" / "site").resolve()
        found = (theme / logo.lstrip("/")).resolve()
        if not found.is_relative_to(theme) or not found.is_file():
            problems.append(Problem(rel, _line(brand, "logo"), "extra.lahio.brand.logo",
                                    f"{logo!r} not found under theme/site/; put the logo "
                                    "there (e.g. theme/site/assets/logo.svg) or remove the "
                                    "key"))
    site_name = raw.get("site_name", "Lähiöohjelma")
    if not isinstance(site_name, str) or not site_name.strip():
        problems.append(Problem(rel, _line(raw, "site_name"), "site_name",
                                "expected the site's name, a text"))
    # One palette for the web and print: ``extra.lahio.brand`` (checked above).
    brand = brand if isinstance(brand, dict) else {}
    colours = {f"brand_{key}": str(brand[key]).lower() for key in ("primary", "accent")
               if isinstance(brand.get(key), str) and _HEX_RE.fullmatch(str(brand[key]))}
    if problems or settings is None or is_missing(settings):
        return None, problems
    return Config(
        **colours,
        brand_logo=str(brand['logo']) if brand.get('logo') else None,
        root=root,
        site_name=str(site_name),
        site_url=url,
        languages=tuple(langs),
        licence=settings.licence,
        organisation=settings.organisation,
        feedback_url=str(settings.feedback_url),
        selko_logo=settings.selko_logo,
        newsletter_url=str(settings.newsletter_url or ""),
        sms_keyword=settings.sms.keyword if settings.sms else "",
        sms_number=settings.sms.number if settings.sms else "",
        sample=settings.sample,
    ), []
