"""Print-stage speed on the sample: PDF pages per second, cold (empty cache) and warm.

    .venv/bin/python -m bench.print_speed [--runs 3] [--workers N]

Copies the sample project into a temporary folder, builds the views once, then times only the
print stage (HTML, QR codes, PDF rendering, cache, redirects): cold with an empty
``.lahio-cache/print/``, warm with the cache the cold run left. Every product is one page (the
stage fails otherwise), so pages = PDFs. Medians of ``--runs`` of wall and CPU seconds are
printed, CPU of this process and its workers together (on a shared machine CPU time varies
less than wall time). Needs only the package, not the test extras. Not a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
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


def main() -> None:
    import generator.print as stage
    from generator.build import build_views
    from generator.context import BuildContext, build_date
    from generator.data.load import load
    from generator.i18n import Translator

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None,
                        help="render processes (default: the stage's, one per core)")
    args = parser.parse_args()
    stage.WORKERS = args.workers
    workers = args.workers or stage.default_workers()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1795867200")

    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "project")
        config, programme = load(project)
        translators = {lang.code: Translator(lang) for lang in config.languages}
        results: dict[str, list[tuple[float, float, int]]] = {"cold": [], "warm": []}
        for _run in range(args.runs):
            for kind in ("cold", "warm"):
                if kind == "cold":
                    shutil.rmtree(project / ".lahio-cache", ignore_errors=True)
                out = Path(tmp) / f"out-{kind}"
                shutil.rmtree(out, ignore_errors=True)
                out.mkdir()
                ctx = BuildContext(project, config, programme, build_date(), out, None,
                                   translators, log=lambda _m: None)
                build_views(ctx)
                cpu0, t0 = _cpu(), time.perf_counter()
                stage.build_print(ctx)
                wall, cpu = time.perf_counter() - t0, _cpu() - cpu0
                pages = len(list((out / "print").glob("*/*/*.pdf")))
                results[kind].append((wall, cpu, pages))
        for kind, runs in results.items():
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            pages = runs[0][2]
            print(f"{kind}: {pages} pages in {wall:.2f} s wall ({cpu:.2f} s CPU) = "
                  f"{pages / wall:.1f} pages/s, {pages / cpu:.1f} pages per CPU s, "
                  f"{workers} worker(s), median of {len(runs)}")


if __name__ == "__main__":
    main()
