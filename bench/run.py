"""Build speed and scale of the generator, side by side with two reference sites.

    make bench                      # = .venv/bin/python -m bench.run
    .venv/bin/python -m bench.run --sizes 2,20 --runs 3 --print-sizes 2

For every N in ``--sizes`` it writes a project of N synthetic areas (bench/synth.py) in all
configured languages, and the reference sites of /work/shared/bench/peer_site.py (or
``$LAHIO_PEER_SITE``) with the same number of pages, and measures in the same run:

- cold full build: ``site``, ``print`` and both (no previous site, no cache);
- rebuilds of the site after one area's text changed: the first one after the cold build
  (no spare site to start from yet) and the next one (the steady state of a communicator's
  edit–build cycle), the latter checked byte for byte against a cold build of the same input;
- peak memory (largest process, ``getrusage`` of the children);
- HTML bytes of an area page and first-view bytes (gzip: the HTML and the CSS it loads);
- the ratios to Hugo and to the hand-made MkDocs site.

Each time is the median of ``--runs`` runs; a spread (max-min) above 10 % of the median is
flagged as noisy. CPU seconds (user+system, all processes) are printed too: on a shared machine
they vary less than wall time. Nothing here is part of the tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from .synth import ROOT, edit_one_area, make_project

PEER_SITE = Path(os.environ.get("LAHIO_PEER_SITE", "/work/shared/bench/peer_site.py"))
VENV_BIN = Path(sys.executable).parent
LAHIO = str(VENV_BIN / "lahio")
EPOCH = "1795867200"  # the build date pinned, as in the tests: builds are comparable


def measure(cwd: Path, *cmd: str) -> dict:
    """Run ``cmd`` in a fresh measuring process; wall, CPU seconds, peak MB."""
    out = subprocess.run([sys.executable, str(Path(__file__).with_name("_measure.py")),
                          str(cwd), *cmd], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if result["rc"] != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} failed in {cwd}:\n{result['stderr']}")
    return result


def clean(project: Path) -> None:
    for name in ("site", ".site.spare", ".lahio-cache"):
        shutil.rmtree(project / name, ignore_errors=True)
    registry = project / "qr-codes.yaml"  # print appends short links: start from none
    registry.unlink(missing_ok=True)


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def stats(values: list[float]) -> dict:
    med = statistics.median(values)
    spread = (max(values) - min(values)) / med if med else 0.0
    return {"median": med, "spread": spread, "noisy": spread > 0.10, "runs": values}


def fmt(s: dict | None, unit: str = "s") -> str:
    if not s:
        return "–"
    return f"{s['median']:.2f} {unit}" + (f" (noisy ±{s['spread'] * 100:.0f} %)"
                                          if s["noisy"] else "")


_STYLESHEET = re.compile(r'<link\b[^>]*rel="stylesheet"[^>]*href="([^"]+)"')


def first_view(page: Path) -> tuple[int, int]:
    """(HTML bytes, gzip bytes of the HTML + every stylesheet it links)."""
    html = page.read_bytes()
    total = len(gzip.compress(html, 6, mtime=0))
    for href in _STYLESHEET.findall(html.decode("utf-8")):
        css = (page.parent / href.split("?")[0]).resolve()
        if css.is_file():
            total += len(gzip.compress(css.read_bytes(), 6, mtime=0))
    return len(html), total


def count_pages(site: Path, langs: list[str]) -> int:
    """Content pages (``index.html`` under each language; not 404 or the language chooser)."""
    return sum(1 for lang in langs for _ in (site / lang).rglob("index.html"))


def pdf_pages(folder: Path) -> int:
    """Pages of every PDF under ``folder``, read back with PDFium (object streams included)."""
    import pypdfium2

    pages = 0
    for path in folder.rglob("*.pdf"):
        pdf = pypdfium2.PdfDocument(path)
        pages += len(pdf)
        pdf.close()
    return pages


def bench_ours(project: Path, n: int, runs: int, print_runs: int) -> dict:
    env_cmd = ["env", f"SOURCE_DATE_EPOCH={EPOCH}", "NO_MKDOCS_2_WARNING=1", LAHIO]
    site_cmd = [*env_cmd, "build", "-q", "--only", "site"]
    cold, cpu, warm, warm_cpu, first, first_cpu, rss, identical = [], [], [], [], [], [], [], []
    pending_warm: str | None = None
    for r in range(runs + 1):
        clean(project)
        m = measure(project, *site_cmd)
        if pending_warm is not None:  # the warm output of the previous round, same input
            identical.append(pending_warm == digest(project / "site"))
        if r == runs:
            break
        cold.append(m["wall"])
        cpu.append(m["cpu"])
        rss.append(m["maxrss_mb"])
        # The first rebuild after a cold build has no spare site to start from (it links the
        # whole site once); every later rebuild has one. Both are measured, after an edit.
        edit_one_area(project, 0, 2 * r + 1)
        f = measure(project, *site_cmd)
        first.append(f["wall"])
        first_cpu.append(f["cpu"])
        edit_one_area(project, 0, 2 * r + 2)
        w = measure(project, *site_cmd)
        warm.append(w["wall"])
        warm_cpu.append(w["cpu"])
        pending_warm = digest(project / "site")
    site = project / "site"
    langs = sorted(p.name for p in site.iterdir() if (p / "404.html").is_file())
    result = {
        "site": stats(cold), "site_cpu": stats(cpu), "warm": stats(warm),
        "warm_cpu": stats(warm_cpu), "first_warm": stats(first), "first_warm_cpu": stats(first_cpu),
        "warm_identical": identical,
        "peak_mb": max(rss), "pages": count_pages(site, langs), "languages": sorted(langs),
    }
    result["area_html"], result["first_view_gz"] = first_view(site / "fi" / "alue-000" / "index.html")
    if print_runs:
        p_wall, p_cpu, both, both_cpu, p_rss = [], [], [], [], []
        for _ in range(print_runs):
            clean(project)
            m = measure(project, *env_cmd, "build", "-q", "--only", "print")
            p_wall.append(m["wall"])
            p_cpu.append(m["cpu"])
            p_rss.append(m["maxrss_mb"])
        pages = pdf_pages(project / "site" / "print")
        again = measure(project, *env_cmd, "build", "-q", "--only", "print")
        for _ in range(print_runs):
            clean(project)
            m = measure(project, *env_cmd, "build", "-q", "--only", "site,print")
            both.append(m["wall"])
            both_cpu.append(m["cpu"])
            p_rss.append(m["maxrss_mb"])
        result.update({"print": stats(p_wall), "print_cpu": stats(p_cpu), "pdf_pages": pages,
                       "pdf_pages_per_s": pages / statistics.median(p_wall),
                       "print_unchanged": again["wall"], "both": stats(both),
                       "both_cpu": stats(both_cpu), "peak_mb": max(result["peak_mb"], *p_rss)})
    return result


def bench_refs(out: Path, n_ref: int, langs: list[str], runs: int, skip_peer: bool) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run([sys.executable, str(PEER_SITE), str(out), str(n_ref), ",".join(langs)],
                   check=True)
    result: dict = {"n": n_ref, "pages": 4 * n_ref * len(langs) + len(langs)}
    hugo, hugo_cpu = [], []
    for _ in range(runs):
        for name in ("public", "resources"):
            shutil.rmtree(out / "hugo" / name, ignore_errors=True)
        m = measure(out / "hugo", "hugo", "--quiet")
        hugo.append(m["wall"])
        hugo_cpu.append(m["cpu"])
    result["hugo"], result["hugo_cpu"] = stats(hugo), stats(hugo_cpu)
    page = out / "hugo" / "public" / langs[0] / "area-000" / "index.html"
    result["hugo_area_html"], result["hugo_first_view_gz"] = first_view(page)
    if not skip_peer:
        peer, peer_cpu = [], []
        for _ in range(runs):
            shutil.rmtree(out / "peer" / "site", ignore_errors=True)
            m = measure(out / "peer", str(VENV_BIN / "mkdocs"), "build", "-q")
            peer.append(m["wall"])
            peer_cpu.append(m["cpu"])
        result["peer"], result["peer_cpu"] = stats(peer), stats(peer_cpu)
        # mkdocs-static-i18n puts the default language at the root, the others under /<lang>/.
        page = out / "peer" / "site" / "area-000" / "index.html"
        result["peer_area_html"], result["peer_first_view_gz"] = first_view(page)
    return result


def versions() -> dict:
    def run(*cmd: str) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
        except OSError:
            return "not installed"

    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for pkg in ("mkdocs", "mkdocs-material", "mkdocs-static-i18n", "Jinja2", "Markdown",
                "weasyprint"):
        try:
            found[pkg] = version(pkg)
        except PackageNotFoundError:
            found[pkg] = "not installed"
    found["hugo"] = (run("hugo", "version").split(" ") + ["", "not installed"])[1]
    found["python"] = sys.version.split()[0]
    found["cpus"] = os.cpu_count()
    found["machine"] = run("uname", "-srm")
    return found


def report(n: int, ours: dict, refs: dict) -> str:
    site = ours["site"]["median"]
    lines = [f"\n## N = {n} areas, {len(ours['languages'])} languages",
             f"pages: ours {ours['pages']} (5 per area + the general pages, per language; plus "
             f"one 404 page per language and the language chooser) — references "
             f"{refs['pages']} (4·{refs['n']}·L + L)",
             f"site, cold          {fmt(ours['site'])}   CPU {fmt(ours['site_cpu'])}",
             f"site, 1st rebuild   {fmt(ours['first_warm'])}   CPU {fmt(ours['first_warm_cpu'])}"
             f"   = {ours['first_warm']['median'] / site * 100:.0f} % of cold (one-area edit, "
             f"no spare site yet)",
             f"site, warm (1 area) {fmt(ours['warm'])}   CPU {fmt(ours['warm_cpu'])}   "
             f"= {ours['warm']['median'] / site * 100:.0f} % of cold "
             f"(CPU {ours['warm_cpu']['median'] / ours['site_cpu']['median'] * 100:.0f} %); "
             f"byte-identical to a cold "
             f"build: {all(ours['warm_identical']) if ours['warm_identical'] else 'not checked'} "
             f"({len(ours['warm_identical'])} checked)"]
    if "print" in ours:
        lines += [f"print runs: {len(ours['print']['runs'])}",
                  f"print, cold         {fmt(ours['print'])}   CPU {fmt(ours['print_cpu'])}   "
                  f"{ours['pdf_pages']} PDF pages = {ours['pdf_pages_per_s']:.1f} pages/s",
                  f"print, unchanged    {ours['print_unchanged']:.2f} s (second run, same input)",
                  f"site + print, cold  {fmt(ours['both'])}   CPU {fmt(ours['both_cpu'])}"]
    else:
        lines.append("print: not measured at this N (--print-sizes)")
    lines += [f"peak memory         {ours['peak_mb']:.0f} MB (largest process)",
              f"Hugo                {fmt(refs['hugo'])}   CPU {fmt(refs['hugo_cpu'])}   "
              f"site/Hugo = {site / refs['hugo']['median']:.2f}×"]
    if "peer" in refs:
        lines.append(f"hand-made MkDocs    {fmt(refs['peer'])}   CPU {fmt(refs['peer_cpu'])}   "
                     f"hand-made/site = {refs['peer']['median'] / site:.1f}× faster")
    lines.append(f"area page HTML      ours {ours['area_html']:,} B   Hugo "
                 f"{refs['hugo_area_html']:,} B" + (f"   hand-made {refs['peer_area_html']:,} B"
                                                    if "peer" in refs else ""))
    lines.append(f"first view (gzip)   ours {ours['first_view_gz']:,} B   Hugo "
                 f"{refs['hugo_first_view_gz']:,} B" + (
                     f"   hand-made {refs['peer_first_view_gz']:,} B" if "peer" in refs else ""))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="2,20,100", help="numbers of areas (default 2,20,100)")
    parser.add_argument("--print-sizes", default="2",
                        help="sizes at which print is measured too (default 2: the print stage "
                             "renders ~11 PDFs per area and language)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--print-runs", type=int, default=1,
                        help="runs of the print measurements (default 1: they take minutes)")
    parser.add_argument("--work", default=str(ROOT / ".lahio-cache" / "bench"),
                        help="scratch folder (default .lahio-cache/bench)")
    parser.add_argument("--skip-peer", action="store_true", help="no hand-made MkDocs site")
    parser.add_argument("--json", help="also write all numbers to this file")
    args = parser.parse_args(argv)
    if shutil.which("hugo") is None:
        print("bench: Debian's hugo is missing; run tools/setup.sh --bench", file=sys.stderr)
        return 2
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    info = versions()
    print(f"# Lähiö build benchmark, {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC")
    print(", ".join(f"{k} {v}" for k, v in info.items()), flush=True)
    results = {"versions": info, "sizes": {}}
    print_sizes = {int(s) for s in args.print_sizes.split(",") if s}
    for n in (int(s) for s in args.sizes.split(",")):
        project = make_project(work / f"project-{n}", n)
        ours = bench_ours(project, n, args.runs, args.print_runs if n in print_sizes else 0)
        langs = ours["languages"]
        # The references get at least as many pages as ours: 4·N'·L + L ≥ our count.
        n_ref = max(1, math.ceil((ours["pages"] - len(langs)) / (4 * len(langs))))
        # mkdocs-static-i18n takes ISO 639-1 codes only: Estonian stands in for plain Finnish.
        ref_langs = [("et" if code == "selko" else code) for code in langs]
        refs = bench_refs(work / f"refs-{n}", n_ref, ref_langs, args.runs, args.skip_peer)
        results["sizes"][n] = {"ours": ours, "refs": refs}
        print(report(n, ours, refs), flush=True)
    sizes = sorted(results["sizes"])
    if len(sizes) > 1:
        small, large = (results["sizes"][s]["ours"]["area_html"] for s in (sizes[0], sizes[-1]))
        print(f"\narea page HTML at N={sizes[0]} vs N={sizes[-1]}: {small:,} B vs {large:,} B "
              f"({(large - small) / small * 100:+.1f} %)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
