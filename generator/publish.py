"""Publishing a build: one build at a time, and a swap that leaves a complete site at every instant.

- **Lock.** A build holds ``.lahio-cache/lock`` (``flock``) from before it reads the input until
  the new site is in place. A second build (or ``lahio serve``'s rebuild) in the same project
  waits for it, saying so, and then reads the input itself: the newer input always wins. The
  operating system releases the lock when the process dies, however it dies.
- **Swap.** ``site`` is a symbolic link to a versioned folder beside it (``.site.<n>/``). A build
  writes into ``.site.tmp-<pid>/``, renames it to the next ``.site.<n>/`` and replaces the link
  with one ``rename()`` of a new link: a reader sees the old site or the new one, never none. A
  ``site/`` folder left by an older version is exchanged for the link in one step too
  (``renameat2(RENAME_EXCHANGE)`` on Linux). The folder the link left becomes ``.site.spare/``,
  the next build's starting point.
- **Leftovers.** Folders of builds that died (``.site.tmp-*``, ``.site.link-*``, versions no
  link points to) are removed by the next build; a version the link left before it could be
  made the spare becomes the spare.
- **Workers** (forked pools) die with the build (``PR_SET_PDEATHSIG``) and leave Ctrl-C to it.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import re
import shutil
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import LahioError

#: The exit status of a build interrupted by SIGTERM (128 + 15) and by Ctrl-C (128 + 2).
EXIT_TERMINATED = 143
EXIT_INTERRUPTED = 130


class Interrupted(KeyboardInterrupt):
    """The build was asked to stop (Ctrl-C or SIGTERM); the previous site is left in place.

    A :class:`KeyboardInterrupt`, so whatever stops on Ctrl-C (the preview) stops on both.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


# ------------------------------------------------------------------------------------------
# Lock
# ------------------------------------------------------------------------------------------


def lock_path(root: Path) -> Path:
    return root / ".lahio-cache" / "lock"


@contextlib.contextmanager
def build_lock(root: Path, say: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the project's build lock; wait (saying so once) while another build holds it."""
    path = lock_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            (say or _stderr)(f"waiting for another build to finish (pid {holder}) …")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------
# Output folder: names, guard, leftovers, swap
# ------------------------------------------------------------------------------------------


def tmp_folder(out: Path) -> Path:
    """Where this process builds (beside the site)."""
    return out.with_name(f".{out.name}.tmp-{os.getpid()}")


def spare_folder(out: Path) -> Path:
    """Where the site a build replaced is kept for the next build (beside the site)."""
    return out.with_name(f".{out.name}.spare")


def _version_re(out: Path) -> re.Pattern[str]:
    return re.compile(re.escape(f".{out.name}.") + r"(\d+)")


def live_folder(out: Path) -> Path | None:
    """The folder the site is served from: the link's target, or an older version's folder."""
    if out.is_symlink():
        target = out.parent / os.readlink(out)
        return target if target.is_dir() else None
    return out if out.is_dir() else None


def made_by_lahio(out: Path) -> bool:
    """True when ``out`` is a link to one of its own versioned folders (what a build makes)."""
    if not out.is_symlink():
        return False
    target = os.readlink(out)
    return "/" not in target and bool(_version_re(out).fullmatch(target))


#: Files and folders of a project that are its input (the output may be none of them).
INPUTS = ("areas", "content", "theme", "data", "docs", "generator", "mkdocs.yml",
          "qr-codes.yaml", "selection.yaml", ".git")


def check_out(root: Path, out: Path, default: bool) -> None:
    """Refuse an output folder that would destroy anything not made by a build.

    Raises:
        LahioError: ``out`` is the project, holds it, lies inside one of its inputs, or is an
            existing non-empty folder (or file) that is not a site made by ``lahio build``
            (``site/`` of the project itself is accepted: older versions made it a folder).
    """
    given = out
    out = Path(os.path.abspath(out))
    real = Path(os.path.realpath(out.parent)) / out.name
    root = root.resolve()
    if real == root or root.is_relative_to(real):
        raise LahioError(f"--out {given}: the output folder may not be the project or hold "
                         "it; choose a folder such as site/")
    for name in INPUTS:
        part = root / name
        if real == part or real.is_relative_to(part):
            raise LahioError(f"--out {given}: the output folder may not be inside the "
                             f"project's input ({name}); choose a folder such as site/")
    if default or not (out.exists() or out.is_symlink()) or made_by_lahio(out):
        return
    if out.is_dir() and not out.is_symlink() and not any(out.iterdir()):
        return
    raise LahioError(f"--out {given}: this folder exists and was not made by lahio build; "
                     "a build replaces its output folder, so it would delete what is there. "
                     "Choose a new or empty folder")


def clean_leftovers(out: Path) -> None:
    """Remove what builds that died left beside ``out`` (call it holding the lock)."""
    parent = out.parent
    if not parent.is_dir():
        return
    live = live_folder(out)
    spare = spare_folder(out)
    versions = _version_re(out)
    orphans: list[tuple[int, Path]] = []
    prefix = f".{out.name}."
    for entry in sorted(os.scandir(parent), key=lambda e: e.name):
        name = entry.name
        if not name.startswith(prefix):
            continue
        path = parent / name
        rest = name[len(prefix):]
        m = versions.fullmatch(name)
        if m:
            if live is None or path != live:
                orphans.append((int(m.group(1)), path))
        elif rest.startswith(("tmp-", "old-")):
            _remove(path)
        elif rest.startswith("link-"):
            path.unlink(missing_ok=True)
    # A version the link no longer points to is a complete site: the newest becomes the spare
    # when there is none (the build that made it died before it could do that).
    for _n, path in sorted(orphans, reverse=True):
        if not spare.exists():
            path.rename(spare)
        else:
            _remove(path)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap ``a`` and ``b`` in one step (Linux ``renameat2``); False where it is not offered."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap(tmp: Path, out: Path) -> None:
    """Publish ``tmp`` as ``out`` in one step; the replaced site becomes the next spare."""
    versions = _version_re(out)
    taken = [int(m.group(1)) for name in os.listdir(out.parent)
             if (m := versions.fullmatch(name))]
    version = out.with_name(f".{out.name}.{max(taken, default=0) + 1}")
    tmp.rename(version)
    link = out.with_name(f".{out.name}.link-{os.getpid()}")
    link.unlink(missing_ok=True)
    os.symlink(version.name, link)
    old = live_folder(out)
    if out.is_symlink() or not out.exists():
        os.replace(link, out)  # the one step a reader could notice: old site → new site
    elif _exchange(link, out):
        old = link  # the older version's folder now has the link's name
    else:  # no atomic exchange here: a moment without a site, once, when migrating
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
        os.replace(link, out)
    if old is not None and old.exists():
        spare = spare_folder(out)
        if spare.exists():
            gone = out.with_name(f".{out.name}.tmp-old-{os.getpid()}")
            spare.rename(gone)
            shutil.rmtree(gone, ignore_errors=True)
        old.rename(spare)


# ------------------------------------------------------------------------------------------
# Workers and signals
# ------------------------------------------------------------------------------------------

_PR_SET_PDEATHSIG = 1


def worker_start() -> None:
    """Initializer of every forked pool worker: it dies with the build, Ctrl-C is the build's."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: workers end when their pipe closes
        pass
    if os.getppid() == 1:  # the build died before this worker could ask to die with it
        os._exit(1)


def _raise_interrupted(signum: int, _frame: object) -> None:
    raise Interrupted(signum)


def stop_on_signals() -> None:
    """Turn SIGTERM and Ctrl-C into :class:`Interrupted` (cleaned up, one line, no traceback)."""
    signal.signal(signal.SIGTERM, _raise_interrupted)
    signal.signal(signal.SIGINT, _raise_interrupted)
