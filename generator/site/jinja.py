"""The Jinja environment shared by the generator's own templates (strict and autoescaping)."""

from __future__ import annotations

from pathlib import Path

import jinja2

from ..i18n import Translator


def make_env(template_dirs: list[Path], tr: Translator) -> jinja2.Environment:
    """An environment whose templates are looked up in ``template_dirs`` in order (user first).

    Undefined names are errors (``StrictUndefined``); every value is HTML-escaped unless it is
    ``Markup`` (Markdown rendered by the views). ``_``/``ngettext`` use ``tr``'s catalog;
    ``isolate`` (bidi isolation of numbers) and ``percent`` use its locale.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    env.install_gettext_callables(tr.gettext, tr.ngettext, newstyle=True)  # type: ignore[attr-defined]
    # Locale-aware helpers the templates need beyond the views' preformatted strings.
    env.globals.update(isolate=tr.isolate, percent=tr.percent)
    return env
