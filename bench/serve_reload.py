"""``lahio serve``: from saving an area file to the browser showing the reloaded page.

    .venv/bin/python -m bench.serve_reload [--runs 5]

Starts ``lahio serve`` on a copy of the sample project, opens the Finnish page of one area
in Chromium (Playwright with Debian's ``/usr/bin/chromium``), then, ``--runs`` times, writes a
new word into that area's Finnish summary and waits until the page has reloaded by itself
(the preview's reload script) and shows the word. The time from the file written to the
reloaded page's ``load`` event is printed per run, with the median. Not a test.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from .full_build import SAMPLE_AREA, sample_project
from .run import EPOCH, LAHIO

MARKER = "summary:\n  fi: >-\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, timeout: float = 300) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 - our own server
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"serve_reload: {url} did not answer in {timeout:.0f} s")


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(prog="bench.serve_reload", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    with tempfile.TemporaryDirectory(prefix="lahio-serve-") as tmp:
        project = sample_project(Path(tmp) / "p")
        port = free_port()
        server = subprocess.Popen([LAHIO, "serve", "--port", str(port)], cwd=project, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times = []
        try:
            url = f"http://127.0.0.1:{port}/fi/{SAMPLE_AREA}/"
            wait_up(url)
            area_file = project / "areas" / SAMPLE_AREA / "area.yaml"
            original = area_file.read_text(encoding="utf-8")
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium")
                page = browser.new_page(viewport={"width": 360, "height": 800})
                page.goto(url)
                time.sleep(1.5)  # the reload script has read the preview's version once
                for n in range(args.runs):
                    word = f"Uusisana{n}x"
                    with page.expect_event("load", timeout=60_000) as _loaded:
                        area_file.write_text(
                            original.replace(MARKER, f"{MARKER}    {word}.\n", 1),
                            encoding="utf-8")
                        saved = time.perf_counter()
                    reloaded = time.perf_counter() - saved
                    if word not in page.content():
                        raise SystemExit(f"serve_reload: run {n + 1}: the reloaded page does "
                                         f"not show {word!r}")
                    times.append(reloaded)
                    print(f"  run {n + 1}: saved → reloaded page in {reloaded:.2f} s",
                          flush=True)
                    time.sleep(1.0)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"lahio serve, save → reloaded page: median {statistics.median(times):.2f} s "
          f"(min {min(times):.2f}, max {max(times):.2f}, {len(times)} runs); load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
