"""Templating shared by every stage: the Jinja environment factory and the template folders.

The site, print and channel stages render their templates through :func:`make_env`, so all
of them are strict (undefined names are errors) and escape what comes from data.
"""

from __future__ import annotations

import re
from pathlib import Path
from collections.abc import Callable
from typing import Any, Protocol

import jinja2
from babel.core import Locale
from babel.lists import format_list
from markupsafe import Markup, escape

from .cache import write_file

_PACKAGE = Path(__file__).resolve().parent
#: The templates shipped with the generator, by the stage that renders them (a project's own
#: folders under ``theme/`` come first: see the callers of :func:`make_env`).
PAGE_TEMPLATES = _PACKAGE / "site" / "templates"
PRINT_TEMPLATES = _PACKAGE / "print" / "templates"
CHANNEL_TEMPLATES = _PACKAGE / "channels" / "templates"


class Translator(Protocol):
    """What templates need of a language (``generator.i18n.Translator`` is one)."""

    locale: Locale  # Babel's: how the language joins a list

    def gettext(self, message: str) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int) -> str: ...

    def isolate(self, value: object) -> Markup: ...

    def isolate_runs(self, text: str) -> Markup: ...

    def percent(self, value: float, digits: int = 1) -> str: ...


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory (and on disk once :func:`keep_compiled` is called),
    keyed by name and source checksum.

    Every environment :func:`make_env` creates has the same options, so compiled code can be
    shared between them: a preview rebuild (``lahio serve``) then skips recompiling templates
    that did not change, and a changed template is recompiled (its checksum differs; Jinja
    also checks its own and Python's version in each stored template).
    """

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}
        self.directory: Path | None = None

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self._store.get(bucket.key)
        if data is None and self.directory is not None:
            try:
                data = (self.directory / f"{bucket.key}.bc").read_bytes()
            except OSError:
                data = None
        if data is not None:
            bucket.bytecode_from_string(data)  # a stale or foreign file resets the bucket

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self._store[bucket.key] = bucket.bytecode_to_string()
        if self.directory is not None:
            write_file(self.directory / f"{bucket.key}.bc", data)


_BYTECODE = _MemoryBytecodeCache()
#: The site engine's theme templates (its environment has options of its own, so its compiled
#: code is kept apart from the generator's).
THEME_BYTECODE = _MemoryBytecodeCache()


#: Compiled templates of environments with other options than the default (newsletters,
#: social cards), one cache per set of options.
_VARIANTS: dict[str, _MemoryBytecodeCache] = {}
_KEPT: list[Path] = []


def keep_compiled(directory: Path) -> None:
    """Keep compiled templates in ``directory`` too, for the next build's processes."""
    _BYTECODE.directory = directory / "generator"
    THEME_BYTECODE.directory = directory / "theme"
    _KEPT[:] = [directory]
    for name, cache in _VARIANTS.items():
        cache.directory = directory / name


def _variant(autoescape: bool | Callable[[str | None], bool],
             keep_trailing_newline: bool) -> _MemoryBytecodeCache:
    """The compiled-template cache of environments with these options. A callable
    ``autoescape`` is known by its name: every caller passing one uses Jinja's
    ``select_autoescape`` (an extension rule); its decisions are in the compiled code, so a
    caller with another rule must pass another function."""
    rule = (("escape" if autoescape else "plain") if isinstance(autoescape, bool)
            else getattr(autoescape, "__qualname__", "rule"))
    name = f"{rule}-{'nl' if keep_trailing_newline else 'no-nl'}".replace("<", "").replace(
        ">", "").replace(".", "-")
    cache = _VARIANTS.get(name)
    if cache is None:
        cache = _VARIANTS[name] = _MemoryBytecodeCache()
        if _KEPT:
            cache.directory = _KEPT[0] / name
    return cache


def make_env(template_dirs: list[Path], tr: Translator, *,
             autoescape: bool | Callable[[str | None], bool] = True,
             keep_trailing_newline: bool = True) -> jinja2.Environment:
    """An environment whose templates are looked up in ``template_dirs`` in order (user first).

    Undefined names are errors (``StrictUndefined``); every value is HTML-escaped unless it is
    ``Markup`` (Markdown rendered by the views) or ``autoescape`` says otherwise (plain-text
    templates). ``_``/``ngettext`` use ``tr``'s catalog; ``isolate`` (bidi isolation of
    numbers) and ``percent`` use its locale.
    """
    default = autoescape is True and keep_trailing_newline
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=False,
        keep_trailing_newline=keep_trailing_newline,
        # Compiled code depends on the options: environments share it only with their like.
        bytecode_cache=_BYTECODE if default else _variant(autoescape, keep_trailing_newline),
    )
    env.install_gettext_callables(tr.gettext, tr.ngettext, newstyle=True)  # type: ignore[attr-defined]
    for name in ("gettext", "_"):
        env.globals[name] = _one_full_stop(env.globals[name])
    # Locale-aware helpers the templates need beyond the views' preformatted strings.
    env.globals.update(isolate=tr.isolate, isolate_runs=tr.isolate_runs,
                       percent=tr.percent, **text_helpers(tr))
    return env


#: A sentence's own full stop right after a filled-in value that already ends with one
#: ("12–31 янв. 2027 г." + "."), the value's isolating tag between them or not.
_DOUBLE_STOP = re.compile(r"(?<![.])\.((?:</bdi>|</span>)?)\.(?![.])")


def one_full_stop(text: str) -> str:
    """``text`` (a sentence filled in with values) ending with one full stop, not two; an
    ellipsis stays. The type is kept: a ``Markup`` stays ``Markup``."""
    if ".." not in text.replace("</bdi>", "").replace("</span>", ""):
        return text
    return type(text)(_DOUBLE_STOP.sub(r".\1", str(text)))


def _one_full_stop(gettext: Any) -> Any:
    """``gettext`` whose filled-in sentences end with one full stop (:func:`one_full_stop`)."""

    @jinja2.pass_context
    def wrapped(context: Any, string: str, **variables: Any) -> str:
        text = context.call(gettext, string, **variables)
        return one_full_stop(text) if variables else text

    return wrapped


def text_helpers(tr: Translator) -> dict[str, object]:
    """``t``, ``r``, ``ri``, ``tq``, ``num`` and ``fb``: the macros of ``_macros.html`` as functions.

    They run for every text of every page; a Jinja macro call costs many times a function
    call. The output is the macros' own, character for character (tests/test_engine.py
    renders both): a text falling back to Finnish is marked ``lang="fi"`` and followed by the
    note, every plain string is escaped and rendered Markdown (``Markup``) is kept.
    """
    # Jinja's new-style gettext marks a translation safe and always %-formats it.
    note = Markup(tr.gettext("not yet translated, shown in Finnish")) % {}
    fallback = Markup('<span class="lahio-fallback">(') + note + Markup(")</span>")

    def fb() -> Markup:
        return fallback

    def shown(attr: str, finnish: str) -> Any:
        """A helper showing ``x.<attr>``, wrapped by ``finnish`` when it fell back."""
        def show(x: Any) -> Markup:
            if x is None:
                return Markup("")
            value = escape(getattr(x, attr))
            return Markup(finnish.format(value, fallback)) if x.fallback else value
        return show

    # Finnish shown on a right-to-left page keeps its own direction: without dir="ltr" its
    # full stop would land at the wrong end and a phone number would split.
    t = shown("text", '<span lang="fi" dir="ltr">{}</span> {}')
    r = shown("html", '<div lang="fi" dir="ltr">{}</div>\n<p>{}</p>')
    ri = shown("html", '<span lang="fi" dir="ltr">{}</span> {}')
    tq = shown("text", '<span lang="fi" dir="ltr">{}</span>')

    def join_list(items: list[Any]) -> Markup:
        """Items (HTML) joined as the language joins a list: "A, B ja C", "A وB وC"."""
        html = [str(escape(item)) for item in items]
        return Markup(format_list(html, locale=tr.locale)) if html else Markup("")

    return {"fb": fb, "t": t, "r": r, "ri": ri, "tq": tq, "num": tr.isolate,
            "join_list": join_list}
