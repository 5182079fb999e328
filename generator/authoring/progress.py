"""Progress of a long build: a bar in a terminal, plain lines in CI and logs, nothing with -q.

A build is a known list of steps (views, one site build per language, print, channels), so
the display counts ``[3/10] site: ru``. In a terminal the same line is redrawn in place; when
stderr is not a terminal, or ``CI`` is set, each step is one line, so logs stay readable and
never fill with carriage returns. Progress goes to stderr: stdout keeps the build's report.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

BAR_WIDTH = 20


class Progress:
    """Counts steps of a build and shows them.

    Args:
        total: the number of steps announced by :meth:`step` calls.
        stream: where to write (default stderr).
        mode: ``"bar"`` (redrawn line), ``"lines"`` (one line per step) or ``"quiet"``; by
            default chosen by :func:`choose_mode`.
    """

    def __init__(self, total: int, stream: TextIO | None = None, mode: str | None = None) -> None:
        self.total = max(total, 1)
        self.stream = stream if stream is not None else sys.stderr
        self.mode = mode or choose_mode(self.stream)
        self.done = 0
        self.started = time.perf_counter()
        self._width = 0
        self._line = ""

    def step(self, label: str) -> None:
        """Announce that the step ``label`` starts (``site: ru``)."""
        self.done = min(self.done + 1, self.total)
        if self.mode == "quiet":
            return
        counter = f"[{self.done}/{self.total}]"
        if self.mode == "lines":
            self.stream.write(f"{counter} {label}\n")
        else:
            filled = round(BAR_WIDTH * (self.done - 1) / self.total)
            bar = "█" * filled + "░" * (BAR_WIDTH - filled)
            text = f"{bar} {counter} {label}  {time.perf_counter() - self.started:.1f} s"
            pad = max(self._width - len(text), 0)
            self._width = len(text)
            self._line = "\r" + text
            self.stream.write(self._line + " " * pad)
        self.stream.flush()

    def echo(self, message: str, out: TextIO | None = None) -> None:
        """Print ``message`` (to stdout by default) without mixing it into a drawn bar.

        The bar's line is cleared first and drawn again below the message.
        """
        out = out if out is not None else sys.stdout
        drawn = self.mode == "bar" and self._width > 0
        if drawn:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
        print(message, file=out, flush=True)
        if drawn:
            self.stream.write(self._line)
            self.stream.flush()

    def finish(self) -> None:
        """End the display (a bar is completed and its line ended)."""
        if self.mode == "bar" and self._width:
            text = f"{'█' * BAR_WIDTH} [{self.total}/{self.total}] done  " \
                   f"{time.perf_counter() - self.started:.1f} s"
            self.stream.write("\r" + text + " " * max(self._width - len(text), 0) + "\n")
            self.stream.flush()
            self._width = 0


def choose_mode(stream: TextIO, quiet: bool = False) -> str:
    """``quiet`` when asked; ``lines`` in CI (``CI`` set and not false) or when ``stream`` is
    not a terminal; else ``bar``."""
    if quiet:
        return "quiet"
    ci = os.environ.get("CI", "").strip().lower()
    if ci and ci not in ("0", "false", "no"):
        return "lines"
    isatty = getattr(stream, "isatty", None)
    return "bar" if isatty is not None and isatty() else "lines"
