"""The output folder: which stage writes which file, and how a build's folder is prepared.

A build writes into a temporary folder that replaces the site only when every stage succeeded
(the live site is never written into). To make that cheap, the site the last build replaced is
kept as a *spare* (``.site.spare`` beside ``site/``) and becomes the next build's starting
point: most of its files are hard links shared with the live site, so bringing it up to date
touches only what changed since. Every file in the folder may be shared with the live site, so
nothing is ever written in place: a stage removes a file before writing it (:func:`replace`).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from .cache import write_file
from .errors import LahioError

STAGES = ("site", "print", "channels")

def files(folder: Path) -> dict[str, int]:
    """Every file under ``folder`` (relative ``/`` path → inode), read without a stat per file."""
    found: dict[str, int] = {}
    stack = [("", str(folder))]
    while stack:
        prefix, path = stack.pop()
        try:
            entries = os.scandir(path)
        except FileNotFoundError:
            continue
        with entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append((rel + "/", entry.path))
                else:
                    found[rel] = entry.inode()
    return found


def link(src: Path, dest: Path) -> None:
    """Hard-link ``src`` to ``dest`` (a copy where links are impossible), parents created."""
    try:
        os.link(src, dest)
    except FileNotFoundError:
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.link(src, dest)
    except OSError:  # another file system, or one without hard links
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest)


class OutputError(LahioError):
    """A file of the site could not be written (outside the build folder, or a full disk)."""


def inside(out: Path, rel: str) -> Path:
    """The path of ``rel`` in the build folder ``out``.

    Raises:
        OutputError: ``rel`` is absolute, climbs out (``..``), or holds a NUL: whatever a
            stage was given, it never writes outside the build folder.
    """
    norm = os.path.normpath(rel) if rel else ""
    if (not norm or "\0" in rel or os.path.isabs(rel) or norm == "."
            or norm == ".." or norm.startswith("../")):
        raise OutputError(f"refused to write {rel!r}: the path leads outside the build folder")
    return out / norm


def write(out: Path, rel: str, data: str | bytes) -> Path:
    """Write ``data`` (UTF-8 for text) to ``rel`` under the build folder ``out``: the one way a
    stage writes a file (see :func:`inside` and :func:`replace`). Returns the path."""
    path = inside(out, rel)
    replace(path, data, rel)
    return path


def copy(out: Path, rel: str, src: Path) -> Path:
    """Copy the file ``src`` to ``rel`` under the build folder ``out`` (as :func:`write`)."""
    return write(out, rel, src.read_bytes())


def replace(path: Path, data: str | bytes, rel: str | None = None) -> None:
    """Write ``data`` (UTF-8 for text) to ``path`` as a new file, never through a shared link.

    The file is written beside its place and renamed over it: a hard link the old file shared
    with the live site keeps the live bytes, and a reader never sees half a file.

    Raises:
        OutputError: the file could not be written (a full disk, no permission), naming it.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "xb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        where = rel or path.name
        raise OutputError(f"site/{where}: could not be written: {exc.strerror or exc}; "
                          "the previous site is unchanged") from exc


def folders_of(paths: Iterable[str]) -> set[str]:
    """Every folder (and parent folder) holding one of ``paths``."""
    found: set[str] = set()
    for rel in paths:
        rel = os.path.dirname(rel)
        while rel and rel not in found:
            found.add(rel)
            rel = os.path.dirname(rel)
    return found


def remove_empty_dirs(folder: Path, removed: Iterable[str], kept: Iterable[str]) -> None:
    """Remove the folders of the removed files ``removed`` that hold none of ``kept``."""
    needed = folders_of(kept)
    for rel in sorted(folders_of(removed) - needed, key=lambda d: d.count("/"), reverse=True):
        try:
            (folder / rel).rmdir()
        except OSError:  # something else is there still
            pass


def identity(folder: Path) -> list[int] | None:
    """A folder's identity: renaming keeps it; adding or removing a top-level entry changes it."""
    try:
        st = folder.stat()
    except OSError:
        return None
    return [st.st_dev, st.st_ino, st.st_mtime_ns]


class Listings:
    """What the live site and the spare hold, kept between builds so neither is walked.

    The live site is never written into, and each build knows what it wrote (see
    :meth:`finish`), so the listing a build leaves describes the folder that becomes the live
    site, and the listing it started from describes the folder that becomes the spare. Each
    is used only for the very folder it was taken of (:func:`identity`).
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.saved: list[tuple[list[int], dict[str, int]]] = []
        if path is not None:
            try:
                saved = pickle.loads(path.read_bytes())  # noqa: S301 - the build's own cache
                self.saved = saved if isinstance(saved, list) else []
            except Exception:  # noqa: BLE001 - missing or damaged: the folders are walked
                self.saved = []
        self.live: tuple[list[int] | None, dict[str, int]] | None = None

    def of(self, folder: Path) -> dict[str, int]:
        """``files(folder)``, from a saved listing when there is one of this very folder."""
        here = identity(folder)
        for ident, listing in self.saved:
            if here is not None and ident == here:
                return dict(listing)
        return files(folder)

    def finish(self, folder: Path, listing: dict[str, int] | None) -> None:
        """Keep ``listing`` (what ``folder``, the new live site, holds; None: walk it) and the
        live site's listing (the next spare)."""
        if self.path is None:
            return
        kept = [(identity(folder), files(folder) if listing is None else listing)]
        if self.live is not None:
            kept.append(self.live)
        write_file(self.path, pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))


def update(listing: dict[str, int], folder: Path, changed: Iterable[str]) -> dict[str, int]:
    """``listing`` of ``folder`` after the files ``changed`` were written or removed."""
    for rel in changed:
        try:
            listing[rel] = os.lstat(folder / rel).st_ino
        except FileNotFoundError:
            listing.pop(rel, None)
    return listing


def start_from(tmp: Path, live: Path | None, running: Iterable[str],
               listings: Listings | None = None, *,
               stage_of: Callable[[str], str]) -> dict[str, int]:
    """Bring ``tmp`` (the spare, or empty) to the state a build of ``running`` starts from.

    ``stage_of`` tells which stage writes a file (a path relative to the site folder); the
    output layout is the stages' to know (``generator/views/urls.py``), not this module's.

    Files of stages that do not run, and the site's files (the site stage renders only what
    changed), become the live site's own files (hard links); files of the other stages that
    run are removed, as they write theirs anew. A file already linked to the live one is left
    as it is, so an unchanged site costs no writes (and, with ``listings``, no walk).

    Returns:
        The files ``tmp`` now holds (relative ``/`` paths → inode).
    """
    running = set(running)
    listings = listings or Listings(None)
    have = listings.of(tmp)
    live_files = listings.of(live) if live is not None else {}
    if live is not None:
        listings.live = (identity(live), live_files)
    want = {rel: ino for rel, ino in live_files.items()
            if stage_of(rel) == "site" or stage_of(rel) not in running}
    gone = [rel for rel, ino in have.items() if want.get(rel) != ino]
    for rel in gone:
        (tmp / rel).unlink(missing_ok=True)
    for rel, ino in want.items():
        if have.get(rel) != ino:
            link(live / rel, tmp / rel)  # type: ignore[operator]
    remove_empty_dirs(tmp, gone, want)
    return want
