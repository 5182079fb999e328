"""Print-stage speed on the sample: PDF pages per second, cold (empty cache) and warm.

    .venv/bin/python -m bench.print_speed [--runs 3] [--workers N]

Copies the sample project into a temporary folder, then, in a new process each time (so that
loading the PDF engine is counted, as in a build), builds the views and times only the print
stage (HTML, QR codes, PDF rendering, cache, redirects): cold with no ``.lahio-cache/``, warm
with the cache the cold run left. Every product is one page (the stage fails otherwise), so
pages = PDFs. Medians of ``--runs`` of wall and CPU seconds are printed, CPU of the stage's
process and its workers together (on a shared machine CPU time varies less than wall time).
Needs only the package, not the test extras. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The sample project's inputs (not its outputs: no site/, no .lahio-cache/).
PROJECT_PARTS = ("areas", "content", "theme", "data", "mkdocs.yml", "qr-codes.yaml",
                 "selection.yaml")


def copy_project(dest: Path) -> Path:
    """Copy the sample project's inputs into ``dest`` (the tests have their own copy of this;
    the benchmark must run without the test extras)."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / part)
    return dest


def _cpu() -> float:
    own, kids = os.times(), os.times()
    return own.user + own.system + kids.children_user + kids.children_system


def measure_once(project: Path, out: Path, workers: int | None) -> tuple[float, float, int]:
    """Build the views of ``project``, then time the print stage into ``out``: wall and CPU
    seconds, PDFs made."""
    import generator.print as stage
    from generator.build import build_views
    from generator.context import BuildContext, build_date
    from generator.data.load import load
    from generator.i18n import Translator

    stage.WORKERS = workers
    config, programme = load(project)
    translators = {lang.code: Translator(lang) for lang in config.languages}
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    ctx = BuildContext(project, config, programme, build_date(), out, None, translators,
                       log=lambda _m: None)
    build_views(ctx)
    cpu0, t0 = _cpu(), time.perf_counter()
    stage.build_print(ctx)
    wall, cpu = time.perf_counter() - t0, _cpu() - cpu0
    return wall, cpu, len(list((out / "print").glob("*/*/*.pdf")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None,
                        help="render processes (default: the stage's, one per core)")
    parser.add_argument("--once", nargs=2, metavar=("PROJECT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1795867200")
    if args.once:
        print(json.dumps(measure_once(Path(args.once[0]), Path(args.once[1]), args.workers)))
        return
    import generator.print as stage

    workers = args.workers or stage.default_workers()
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "project")
        results: dict[str, list[tuple[float, float, int]]] = {"cold": [], "warm": []}
        for _run in range(args.runs):
            for kind in ("cold", "warm"):
                if kind == "cold":
                    shutil.rmtree(project / ".lahio-cache", ignore_errors=True)
                command = [sys.executable, "-m", "bench.print_speed", "--once", str(project),
                           str(Path(tmp) / f"out-{kind}")]
                if args.workers:
                    command += ["--workers", str(args.workers)]
                run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                                     check=True)
                results[kind].append(tuple(json.loads(run.stdout.splitlines()[-1])))
        for kind, runs in results.items():
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            pages = runs[0][2]
            print(f"{kind}: {pages} pages in {wall:.2f} s wall ({cpu:.2f} s CPU) = "
                  f"{pages / wall:.1f} pages/s, {pages / cpu:.1f} pages per CPU s, "
                  f"{workers} worker(s), median of {len(runs)}")


if __name__ == "__main__":
    main()
