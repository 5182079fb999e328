"""The communicator's loop: a whole ``lahio build`` (site, print, channels), cold and again.

    .venv/bin/python -m bench.full_build                       # the sample, 3 runs
    .venv/bin/python -m bench.full_build --sizes sample,20,100 --runs 3 --stages

For each size (``sample``: the sample project with its selection report and short links; a
number N: N synthetic areas of bench/synth.py) it measures in one run, with the build date
pinned as in the tests:

- **cold**: no previous site, no cache (the median is the reference);
- **first rebuild**: ``lahio build`` again at once (it makes the spare site);
- **nothing changed**: ``lahio build`` once more;
- **one-area edit**: a figure of one area's Finnish summary changed, then ``lahio build``;
  the last one's site is compared byte for byte with a cold build of the same input;
- with ``--stages``: cold ``--only site``, ``--only print`` and ``--only channels`` apart, and
  the print stage's PDF pages per second.

The four are measured in turn, ``--runs`` rounds of them, so that each round's builds ran at
the same time (this virtual machine's speed drifts over minutes). Each line gives wall and CPU
seconds (user + system of every process), their medians' ratio to the cold median, and each
round's wall ratio to that round's cold build. The machine is shared: the load average is
printed at the start and the end, and the CPU ratio is the steadier one. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from .run import EPOCH, LAHIO, digest, measure
from .synth import ROOT, edit_one_area, make_project

#: The sample project's inputs (as bench/print_speed.py copies them).
PROJECT_PARTS = ("areas", "content", "theme", "data", "mkdocs.yml", "qr-codes.yaml",
                 "selection.yaml")
#: The sample area whose summary is edited.
SAMPLE_AREA = "mannisto"


def sample_project(dest: Path) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / part)
    return dest


def edit(project: Path, size: str, k: int) -> None:
    """Change the first figure of one area's Finnish summary to the last digit of ``k``."""
    if size != "sample":
        edit_one_area(project, 0, k)
        return
    path = project / "areas" / SAMPLE_AREA / "area.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "summary:\n  fi: >-\n"
    start = text.index(marker) + len(marker)
    line = text[start:text.index("\n", start)]
    digit = re.search(r"\d", line)
    if digit is None:  # no figure: a word is appended instead (the text grows by a little)
        new = f"{line} ({k % 10})"
    else:
        new = f"{line[:digit.start()]}{k % 10}{line[digit.end():]}"
    path.write_text(text[:start] + new + text[start + len(line):], encoding="utf-8")


def clean(project: Path) -> None:
    for name in ("site", ".site.spare", ".lahio-cache"):
        shutil.rmtree(project / name, ignore_errors=True)


def build(project: Path, *only: str) -> dict:
    args = [a for stage in only for a in ("--only", stage)]
    return measure(project, LAHIO, "build", "-q", *args)


def summary(runs: list[dict], cold: dict | None = None) -> dict:
    wall = statistics.median(r["wall"] for r in runs)
    cpu = statistics.median(r["cpu"] for r in runs)
    out = {"wall": wall, "cpu": cpu, "walls": [round(r["wall"], 3) for r in runs],
           "cpus": [round(r["cpu"], 3) for r in runs]}
    if cold:
        out["wall_ratio"] = wall / cold["wall"]
        out["cpu_ratio"] = cpu / cold["cpu"]
    return out


def line(label: str, s: dict) -> str:
    text = f"  {label:<40} wall {s['wall']:7.2f} s  cpu {s['cpu']:7.2f} s"
    if "wall_ratio" in s:
        text += f"   = {100 * s['wall_ratio']:5.1f} % wall, {100 * s['cpu_ratio']:5.1f} % cpu of cold"
    return text + (f"   (runs, wall / cpu: {', '.join(f'{w:.2f}/{c:.2f}' for w, c in zip(s['walls'], s['cpus'], strict=True))} s)")


def loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def bench_size(size: str, work: Path, runs: int, stages: bool) -> dict:
    project = work / f"p-{size}"
    if size == "sample":
        sample_project(project)
    else:
        make_project(project, int(size))
    result: dict = {"size": size, "load_start": loadavg()}
    # Rounds of cold build, first rebuild (it makes the spare site), nothing changed and
    # one-area edit, one after the other: this virtual machine's speed drifts over minutes,
    # and a ratio is only fair between builds made at the same time.
    rounds: list[tuple[dict, dict, dict, dict]] = []
    for k in range(1, runs + 1):
        clean(project)
        cold_k = build(project)
        first = build(project)
        nothing = build(project)
        edit(project, size, k)
        rounds.append((cold_k, first, nothing, build(project)))
    result["cold"] = cold = summary([r[0] for r in rounds])
    print(line(f"{size}: cold full build", cold), flush=True)
    for index, (key, label) in enumerate((("first", "first rebuild (makes the spare)"),
                                          ("nothing", "nothing changed"),
                                          ("edit", "one-area edit")), start=1):
        result[key] = summary([r[index] for r in rounds], cold)
        per_round = [r[index]["wall"] / r[0]["wall"] for r in rounds]
        result[key]["wall_ratios"] = per_round
        print(line(f"{size}: {label}", result[key])
              + f"; each round's ratio {', '.join(f'{100 * x:.1f}' for x in per_round)} %",
              flush=True)
    # The last edit's site against a cold build of the same input.
    twin = work / f"p-{size}-cold"
    if twin.exists():
        shutil.rmtree(twin)
    twin.mkdir()
    for part in PROJECT_PARTS:
        src = project / part
        if src.is_dir():
            shutil.copytree(src, twin / part)
        elif src.exists():
            shutil.copy2(src, twin / part)
    build(twin)
    result["identical"] = digest(project / "site") == digest(twin / "site")
    print(f"  {size}: edited rebuild = cold build byte for byte: {result['identical']}",
          flush=True)
    shutil.rmtree(twin)
    if stages:
        for stage in ("site", "print", "channels"):
            clean(project)
            s = result[f"cold_{stage}"] = summary([build(project, stage)])
            print(line(f"{size}: cold --only {stage}", s), flush=True)
            if stage == "print":
                pdfs = sum(1 for _ in (project / "site" / "print").rglob("*.pdf"))
                result["print_pages_per_s"] = {"pdfs": pdfs, "per_s_wall": pdfs / s["wall"],
                                               "per_cpu_s": pdfs / s["cpu"]}
                print(f"  {size}: print cold: {pdfs} one-page PDFs = "
                      f"{pdfs / s['wall']:.1f} pages/s wall "
                      f"({pdfs / s['cpu']:.1f} per CPU second)", flush=True)
    result["load_end"] = loadavg()
    print(f"  {size}: load average {result['load_start']} at the start, {result['load_end']} "
          "at the end", flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.full_build", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="sample", help="sample and/or numbers of areas")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--stages", action="store_true",
                        help="also cold builds of each stage alone and print pages/s")
    parser.add_argument("--json", help="also write all numbers to this file")
    args = parser.parse_args(argv)
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    print(f"bench.full_build: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"load average {loadavg()}", flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="lahio-full-") as tmp:
        for size in args.sizes.split(","):
            results.append(bench_size(size.strip(), Path(tmp), args.runs, args.stages))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0 if all(r["identical"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
