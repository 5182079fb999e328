"""Precompressed copies: ``X.gz`` and ``X.br`` beside every text file ``X`` of the site.

A web server sends them instead of compressing each answer itself (nginx ``gzip_static``;
``brotli_static`` where its Brotli module is installed). They are byte-identical from build to
build: gzip at level 9 with no file name and time 0, Brotli at quality 8.

Only what changed is compressed again. A build's folder starts as hard links to the live site,
so a file that did not change keeps its inode: the inodes compressed last time are kept in
``.lahio-cache/compressed.json`` and such a file (with both copies beside it) is skipped
without being read (its size and time are compared too). A file a stage wrote anew is read,
and its copies are hard links to a store keyed by its content (``.lahio-cache/compressed/``):
bytes compressed before (calendars and feeds are rewritten by every build) are neither
compressed nor written again.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from pathlib import Path

import brotli

from .. import outputs
from ..cache import write_file

#: What is compressed: text formats only (PDF, PNG and the like are compressed already).
#: (Pagefind's index files, ``.pf_*``, come compressed from Pagefind.)
SUFFIXES = (".html", ".css", ".js", ".svg", ".xml", ".json", ".txt", ".ics", ".csv", ".md",
            ".webmanifest")
COPIES = (".gz", ".br")
#: Server configuration is never sent to visitors.
_SKIP_PREFIXES = ("_server/",)


def wanted(rel: str) -> bool:
    """True for a file that gets compressed copies."""
    return rel.endswith(SUFFIXES) and not rel.startswith(_SKIP_PREFIXES)


def gzip_bytes(data: bytes) -> bytes:
    """gzip at level 9 with no file name and time 0: the same bytes every time."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def brotli_bytes(data: bytes) -> bytes:
    """Brotli at quality 8 in text mode.

    Qualities 10 and 11 make the sample's text ~9 % smaller but take ~25 times as long (40 s
    instead of 1.5 s for a cold build of the sample): not worth a cold build's time.
    """
    return brotli.compress(data, mode=brotli.MODE_TEXT, quality=8)


class _Store:
    """Compressed copies by the SHA-256 of their source (two files per content)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()

    def put(self, data: bytes, dest: Path) -> None:
        """Give the text file ``dest`` (whose bytes are ``data``) its two copies, hard links to
        the store's files (compressed now when the store has no copies of these bytes)."""
        key = hashlib.sha256(data).hexdigest()
        self.used.add(key)
        for suffix, make in zip(COPIES, (gzip_bytes, brotli_bytes), strict=True):
            stored = self.folder / key[:2] / f"{key}{suffix}"
            target = dest.with_name(dest.name + suffix)
            # A copy is never written in place (it may be shared with the live site): the
            # old name goes, the stored file is linked under it.
            target.unlink(missing_ok=True)
            try:
                os.link(stored, target)
                continue
            except FileNotFoundError:
                copy = make(data)
                write_file(stored, copy)
            except OSError:  # another file system, or one without hard links
                copy = stored.read_bytes()
            try:
                os.link(stored, target)
            except OSError:  # the store could not be written: the copy is written itself
                outputs.replace(target, copy)


def precompress(folder: Path, listing: dict[str, int] | None, cache: Path) -> set[str]:
    """Write the ``.gz`` and ``.br`` copies of every text file in ``folder`` that needs them,
    and remove copies whose file is gone.

    Args:
        folder: the build folder.
        listing: what ``folder`` holds (relative path → inode), or None to walk it.
        cache: ``.lahio-cache``.

    Returns:
        The files written or removed (relative paths).
    """
    held = outputs.files(folder) if listing is None else listing
    record_path = cache / "compressed.json"
    try:
        last: dict[str, object] = json.loads(record_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        last = {}
    store = _Store(cache / "compressed")
    done: dict[str, list[int]] = {}
    changed: set[str] = set()
    for rel, ino in sorted(held.items()):
        if not wanted(rel):
            if rel.endswith(COPIES) and rel[:-3] not in held:
                (folder / rel).unlink(missing_ok=True)  # its file is gone
                changed.add(rel)
            continue
        path = folder / rel
        was = last.get(rel)
        if isinstance(was, list) and was[:1] == [ino] and all(rel + s in held for s in COPIES):
            # The same inode, size and time: the very file compressed last time (an inode
            # alone could be a freed one given to a new file).
            st = os.lstat(path)
            if was == [ino, st.st_size, st.st_mtime_ns]:
                done[rel] = was
                continue
        store.put(path.read_bytes(), path)
        changed.update(rel + s for s in COPIES)
        st = os.lstat(path)
        done[rel] = [st.st_ino, st.st_size, st.st_mtime_ns]
    write_file(record_path, json.dumps(done, sort_keys=True).encode("utf-8"))
    return changed
