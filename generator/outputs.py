"""The output folder: which stage writes which file, and how a build's folder is prepared.

A build writes into a temporary folder that replaces the site only when every stage succeeded
(the live site is never written into). To make that cheap, the site the last build replaced is
kept as a *spare* (``.site.spare`` beside ``site/``) and becomes the next build's starting
point: most of its files are hard links shared with the live site, so bringing it up to date
touches only what changed since. Every file in the folder may be shared with the live site, so
nothing is ever written in place: a stage removes a file before writing it (:func:`replace`).
"""

from __future__ import annotations

import os
import pickle
import shutil
from collections.abc import Iterable
from pathlib import Path

STAGES = ("site", "print", "channels")

#: Top-level folders written by one stage.
_FOLDERS = {"print": "print", "q": "print", "newsletter": "channels", "social": "channels",
            "data": "channels"}
#: Files a channel writes beside an area's pages (``<lang>/<area>/<name>``).
_AREA_CHANNEL_FILES = frozenset({"events.ics", "feed.xml", "sms.txt"})


def stage_of(rel: str) -> str:
    """The stage that writes ``rel`` (a ``/``-separated path relative to the site folder)."""
    parts = rel.split("/")
    if len(parts) > 1 and parts[0] in _FOLDERS:
        return _FOLDERS[parts[0]]
    if len(parts) == 3 and parts[2] in _AREA_CHANNEL_FILES:
        return "channels"
    return "site"


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


def replace(path: Path, data: str | bytes) -> None:
    """Write ``data`` (UTF-8 for text) to ``path`` as a new file, never through a shared link."""
    path.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(path, "xb") as fh:
        fh.write(data)


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


def _identity(folder: Path) -> list[int] | None:
    """A folder's identity: renaming keeps it; adding or removing a top-level entry changes it."""
    try:
        st = folder.stat()
    except OSError:
        return None
    return [st.st_dev, st.st_ino, st.st_mtime_ns]


def _listing(folder: Path, saved: tuple | None) -> dict[str, int]:
    """``files(folder)``, or the saved listing when it was taken of this very folder.

    The live site is never written into, so its listing taken by one build still describes it
    when it has become the spare the next build starts from (a rename keeps the identity).
    """
    if saved is not None and saved[0] is not None and saved[0] == _identity(folder):
        return saved[1]
    return files(folder)


def start_from(tmp: Path, live: Path | None, running: Iterable[str],
               listing: Path | None = None) -> set[str]:
    """Bring ``tmp`` (the spare, or empty) to the state a build of ``running`` starts from.

    Files of stages that do not run, and the site's files (the site stage renders only what
    changed), become the live site's own files (hard links); files of the other stages that
    run are removed, as they write theirs anew. A file already linked to the live one is left
    as it is, so an unchanged site costs a walk of the live folder and no writes. ``listing``
    (a file) keeps the live folder's listing for the next build, when it will be the spare.

    Returns:
        The files ``tmp`` now holds (relative ``/`` paths).
    """
    running = set(running)
    saved = None
    if listing is not None:
        try:
            saved = pickle.loads(listing.read_bytes())  # noqa: S301 - the build's own cache
        except Exception:  # noqa: BLE001 - missing or damaged: the folder is walked
            saved = None
    have = _listing(tmp, saved)
    live_files = files(live) if live is not None else {}
    want = {rel: ino for rel, ino in live_files.items()
            if stage_of(rel) == "site" or stage_of(rel) not in running}
    gone = [rel for rel, ino in have.items() if want.get(rel) != ino]
    for rel in gone:
        (tmp / rel).unlink(missing_ok=True)
    for rel, ino in want.items():
        if have.get(rel) != ino:
            link(live / rel, tmp / rel)  # type: ignore[operator]
    remove_empty_dirs(tmp, gone, want)
    if listing is not None and live is not None:
        try:
            listing.parent.mkdir(parents=True, exist_ok=True)
            listing.write_bytes(pickle.dumps((_identity(live), live_files),
                                             protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:  # a read-only project still builds, walking both folders
            pass
    return set(want)
