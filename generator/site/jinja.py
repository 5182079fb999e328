"""The Jinja environment shared by the generator's own templates (strict and autoescaping)."""

from __future__ import annotations

from pathlib import Path

import jinja2

from ..i18n import Translator


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory, keyed by name and source checksum.

    Every environment :func:`make_env` creates has the same options, so compiled code can be
    shared between them: a preview rebuild (``lahio serve``) then skips recompiling templates
    that did not change, and a changed template is recompiled (its checksum differs).
    """

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = _MemoryBytecodeCache()


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
        bytecode_cache=_BYTECODE,
    )
    env.install_gettext_callables(tr.gettext, tr.ngettext, newstyle=True)  # type: ignore[attr-defined]
    # Locale-aware helpers the templates need beyond the views' preformatted strings.
    env.globals.update(isolate=tr.isolate, isolate_runs=tr.isolate_runs,
                       percent=tr.percent)
    return env
