"""Results of pure build steps kept between builds, keyed by a hash of everything they read.

A step whose inputs did not change (an area's files, the configuration, the generator's own
code and templates, the build date) gives the same result, so the next build can take it from
``.lahio-cache/`` instead of computing it again. An entry is used only when its key is equal;
a changed input, a new generator version or an unreadable cache file means a miss, never a
wrong result, so a warm build is byte-identical to a cold one (tests/test_incremental.py).
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

#: Libraries whose output ends up in cached results (formatting, Markdown, templates, YAML).
_LIBRARIES = ("babel", "jinja2", "markdown", "markupsafe", "pyyaml")


def digest(*parts: str | bytes) -> str:
    """SHA-256 of ``parts``, each length-prefixed (so ``("ab", "c")`` ≠ ``("a", "bc")``)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


@functools.cache
def code_fingerprint() -> str:
    """A hash of the generator itself: every file of the package and the library versions."""
    package = Path(__file__).parent
    parts: list[str | bytes] = []
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            parts += [path.relative_to(package).as_posix(), path.read_bytes()]
    for name in _LIBRARIES:
        try:
            parts.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name} -")
    return digest(*parts)


def folder_fingerprint(folder: Path) -> str:
    """A hash of every file under ``folder`` (names and bytes); empty when it does not exist."""
    parts: list[str | bytes] = []
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return digest(*parts)


class Store:
    """One pickle file of named entries, each ``(key, pickled value)``.

    :meth:`get` returns a value only for an equal key; the entries used or put during a build
    are the ones :meth:`save` keeps, so entries of deleted areas do not pile up.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._old: dict[str, tuple[str, Any]] = {}
        self._new: dict[str, tuple[str, Any]] = {}
        self._changed = False
        try:
            with path.open("rb") as fh:
                stored = pickle.load(fh)  # noqa: S301 - the build's own cache folder
            if isinstance(stored, dict) and stored.get("code") == code_fingerprint():
                self._old = stored["entries"]
        except Exception:  # noqa: BLE001 - a missing, old or damaged cache is only a miss
            self._old = {}

    def get(self, name: str, key: str) -> Any | None:
        entry = self._old.get(name)
        if entry is None or entry[0] != key:
            return None
        self._new[name] = entry
        try:
            return pickle.loads(entry[1])  # noqa: S301 - the build's own cache folder
        except Exception:  # noqa: BLE001 - a damaged entry is only a miss
            del self._new[name]
            return None

    def put(self, name: str, key: str, value: Any) -> None:
        # Each value is pickled on its own: saving after one change does not pickle the rest.
        self._new[name] = (key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        self._changed = True

    def save(self) -> None:
        """Write the entries used or put, when they differ from what was read."""
        if not self._changed and self._new.keys() == self._old.keys():
            return
        data = pickle.dumps({"code": code_fingerprint(), "entries": self._new},
                            protocol=pickle.HIGHEST_PROTOCOL)
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
            os.replace(tmp, self.path)
        except OSError:  # a read-only project still builds, only without a cache
            tmp.unlink(missing_ok=True)
