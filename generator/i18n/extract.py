"""Babel extraction of Python UI strings, f-strings included.

Babel's Python extractor reads the token stream; before Python 3.12 an f-string is one string
token, so ``f"{_('Sign up')}: {url}"`` was never extracted and the string stayed English in
every language. This extractor yields what Babel's finds plus every ``_()``, ``gettext()``,
``ngettext()`` or ``plural()`` call inside an f-string, found with :mod:`ast`.
Used from ``babel.cfg`` as ``[generator.i18n.extract.extract_python: **.py]``.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from babel.messages.extract import extract_python as babel_extract_python


def _fstring_calls(tree: ast.AST, names: Collection[str]) -> Iterator[tuple[int, str, Any]]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.JoinedStr):
            continue
        for inner in ast.walk(node):
            if not (isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name)
                    and inner.func.id in names):
                continue
            args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                    for a in inner.args]
            if not args or args[0] is None:
                continue
            yield inner.lineno, inner.func.id, args[0] if len(args) == 1 else tuple(args)


def extract_python(fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str],
                   options: Any) -> Iterator[Any]:
    """Babel's extraction, then the calls inside f-strings that it cannot see."""
    source = fileobj.read()
    import io

    yield from babel_extract_python(io.BytesIO(source), keywords, comment_tags, options)
    try:
        tree = ast.parse(source.decode(options.get("encoding", "utf-8")))
    except SyntaxError:
        return
    for lineno, name, message in _fstring_calls(tree, set(keywords)):
        yield lineno, name, message, []
