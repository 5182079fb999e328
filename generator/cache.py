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
import re
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

PROTOCOL = pickle.HIGHEST_PROTOCOL

#: Libraries whose output ends up in cached results (formatting, Markdown, templates, YAML).
_LIBRARIES = ("babel", "jinja2", "markdown", "markupsafe", "pyyaml")


def write_file(path: Path, data: bytes) -> None:
    """Write a cache file whole or not at all (a temporary file renamed over it).

    The cache is only ever a shortcut: when the project's folder cannot be written, the
    build goes on without it (nothing is raised).
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


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


def view_digests(views: Any) -> list[str]:
    """A digest of each area view of a language, in order.

    A view is everything a later stage shows of an area in one language (translated,
    formatted, its fallbacks recorded), so it is what an area's print and channel outputs are
    keyed by. The views are kept pickled (``site.pages.Views``): the bytes are hashed without
    unpickling them; a plain list of views is pickled here.
    """
    blob = getattr(views, "blob", None)
    return [digest(blob(n) if blob else pickle.dumps(views[n], protocol=PROTOCOL))
            for n in range(len(views))]


#: Entry names used as file names as they are; any other name is hashed.
_SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,80}")


class Store:
    """A folder of named entries, one pickle file each: ``(code, key)`` then the value.

    :meth:`get` returns a value only for an equal key and generator; the entries used or put
    during a build are the ones :meth:`save` keeps, so entries of deleted areas do not pile up.
    One file per entry: a build that changed one area writes that area's entry only, and a
    build reads only the entries it asks for.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._used: set[str] = set()
        self._new: dict[str, bytes] = {}

    def _file(self, name: str) -> Path:
        if not _SAFE_NAME.fullmatch(name):
            name = digest(name)
        return self.folder / f"{name}.pickle"

    def get_pickled(self, name: str, key: str) -> bytes | None:
        """The pickled value of ``name`` when its key is ``key`` (unpickled by the caller)."""
        try:
            with self._file(name).open("rb") as fh:
                header = pickle.load(fh)  # noqa: S301 - the build's own cache folder
                if header != (code_fingerprint(), key):
                    return None
                data = fh.read()
        except Exception:  # noqa: BLE001 - a missing, old or damaged entry is only a miss
            return None
        self._used.add(name)
        return data

    def get(self, name: str, key: str) -> Any | None:
        data = self.get_pickled(name, key)
        if data is None:
            return None
        try:
            return pickle.loads(data)  # noqa: S301 - the build's own cache folder
        except Exception:  # noqa: BLE001 - a damaged entry is only a miss
            self._used.discard(name)
            return None

    def put(self, name: str, key: str, value: Any) -> None:
        # Pickled now: the value may change after this (the caller keeps using it).
        self._new[name] = (pickle.dumps((code_fingerprint(), key), protocol=PROTOCOL)
                           + pickle.dumps(value, protocol=PROTOCOL))

    def save(self) -> None:
        """Write the entries put; remove those neither used nor put (deleted areas)."""
        keep = {self._file(n).name for n in self._used | self._new.keys()}
        try:
            for name in os.listdir(self.folder):
                if name.endswith(".pickle") and name not in keep:
                    (self.folder / name).unlink(missing_ok=True)
        except OSError:  # no folder yet, or a read-only project
            pass
        for name, data in self._new.items():
            write_file(self._file(name), data)
        self._new.clear()


class FileDigests:
    """Digests of files' bytes, remembered with each file's stat (as git's index does).

    A file whose size, modification and change times and inode are what they were is not read
    again. A file changed less than two seconds before it was read is not remembered: a
    second change within the file system's clock tick could leave its stat as it was.
    """

    #: How old a file's last change must be for its digest to be kept (nanoseconds).
    SETTLED_NS = 2_000_000_000

    def __init__(self, path: Path) -> None:
        self.path = path
        self._new: dict[str, tuple[tuple[int, ...], str]] = {}
        try:
            stored = pickle.loads(path.read_bytes())  # noqa: S301 - the build's own cache
            self._old = stored if isinstance(stored, dict) else {}
        except Exception:  # noqa: BLE001 - missing or damaged: every file is read
            self._old = {}

    def digest(self, path: Path) -> str:
        """SHA-256 of the bytes of ``path`` (raises OSError as reading it would)."""
        name = str(path)
        st = os.stat(path)
        sig = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)
        known = self._old.get(name)
        if known is not None and known[0] == sig:
            self._new[name] = known
            return known[1]
        value = hashlib.sha256(path.read_bytes()).hexdigest()
        if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > self.SETTLED_NS:
            self._new[name] = (sig, value)
        return value

    def save(self) -> None:
        if self._new != self._old:
            write_file(self.path, pickle.dumps(self._new, protocol=PROTOCOL))
