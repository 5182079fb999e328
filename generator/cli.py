"""The ``lahio`` command. Commands only: the work happens in the pipeline modules."""

from __future__ import annotations

import argparse
import gc
import signal
import sys
import time
from pathlib import Path

from .messages import err, localize
from .errors import DataError, LahioError


def _cmd_build(args: argparse.Namespace) -> int:
    from .build import STAGES, build

    only = tuple(args.only.split(",")) if args.only else STAGES
    unknown = [s for s in only if s not in STAGES]
    if unknown:
        print(f"lahio build: --only takes {', '.join(STAGES)}; got {', '.join(unknown)}",
              file=sys.stderr)
        return 2
    from .authoring.progress import Progress, choose_mode

    # A build makes many long-lived objects (loaded data, views, pages) and few reference
    # cycles: with the default threshold the collector walked them again every 700
    # allocations, a tenth of a rebuild. Cycles are still collected, only less often.
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    started = time.perf_counter()
    mode = choose_mode(sys.stderr, quiet=args.quiet)
    shown: list[Progress] = []

    def progress(steps: int) -> Progress:
        shown.append(Progress(steps, sys.stderr, mode))
        return shown[0]

    def log(message: str) -> None:
        # Notes go to stdout; a progress bar on the terminal is kept out of their way.
        if args.quiet:
            return
        message = localize(message)
        if shown:
            shown[0].echo(message)
        else:
            print(message)

    ctx = build(Path(args.root), Path(args.out) if args.out else None, site_url=args.site_url,
                only=only, strict=args.strict, jobs=args.jobs, log=log, progress=progress)
    for warning in ctx.warnings:
        print(localize(err("warning: {warning}", warning=warning)), file=sys.stderr)
    if not args.quiet:
        print(localize(err("Built {areas} areas in {count} languages ({langs}) into {out}/ in "
                           "{seconds} s", areas=len(ctx.programme.areas),
                           count=len(ctx.translators), langs=", ".join(ctx.translators),
                           out=args.out or "site",
                           seconds=f"{time.perf_counter() - started:.1f}")))
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from .authoring.soon import published_date, soon_problems
    from .context import build_date
    from .data.load import load

    root = Path(args.root).resolve()
    config, programme = load(root)
    print(localize(err("OK: {areas} areas, {pages} pages, no problems found",
                       areas=len(programme.areas), pages=len(programme.pages))))
    warnings = soon_problems(config, programme, build_date(), published_date(root / "site"))
    if not args.no_print:
        from .build import check_print

        found = check_print(root, config, programme,
                            log=lambda message: print(localize(message), file=sys.stderr))
        if found.products:  # none: no areas, or print failed (one of the warnings says so)
            print(localize(err("print: {products} products checked for fit ({rendered} laid "
                               "out now and kept for the next build, {cached} from the cache)",
                               products=found.products, rendered=found.rendered,
                               cached=found.products - found.rendered)))
        warnings += found.warnings
    for warning in warnings:
        print(localize(err("warning: {warning}", warning=warning)))
    return 1 if args.strict and warnings else 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from .data.load import load_config_only
    from .data.docs import write_docs

    config = load_config_only(Path(args.root).resolve())
    changed = write_docs(config.root, config.codes)
    for path in changed:
        print(f"wrote {path.relative_to(config.root)}")
    if not changed:
        print("docs/schema and docs/data-format.md are up to date")
    return 0


def _cmd_translations(args: argparse.Namespace) -> int:
    from .data.load import load
    from .i18n.report import (build_translation_report, incomplete_required,
                              render_translation_report)

    config, programme = load(Path(args.root).resolve())
    reports = build_translation_report(config, programme)
    if args.lang:
        unknown = [c for c in args.lang if c not in config.codes]
        if unknown:
            print(f"lahio translations: unknown language {', '.join(unknown)}; expected one of "
                  f"{', '.join(config.codes)}", file=sys.stderr)
            return 2
        reports = [r for r in reports if r.language.code in args.lang]
    print(render_translation_report(reports, details=not args.summary))
    if args.strict and incomplete_required(reports):
        return 1
    return 0


def _cmd_channels(args: argparse.Namespace) -> int:
    from .channels.report import format_table, read_logs, summary_lines, write_csv
    from .shortlinks import load_registry

    registry = load_registry(Path(args.root).resolve())
    report = read_logs([Path(p) for p in args.logs], registry)
    print(format_table(report))
    for line in summary_lines(report):
        print(line, file=sys.stderr)
    if report.unknown_codes:
        codes = ", ".join(sorted(report.unknown_codes))
        print(localize(err("codes not in qr-codes.yaml (counted as '?'): {codes}",
                           codes=codes)), file=sys.stderr)
    if args.csv:
        write_csv(report, Path(args.csv))
    return 0


def _cmd_new_area(args: argparse.Namespace) -> int:
    from .authoring.newarea import create_area

    made = create_area(Path(args.root), args.slug, args.name, postal_code=args.postal_code)
    for rel in made.files:
        print(f"wrote {rel}")
    print(f"Next: fill in the texts marked KIRJOITA TÄHÄN / WRITE HERE, then run `lahio serve` "
          f"to preview areas/{args.slug} or `lahio build` to publish it.")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from .authoring.serve import serve

    return serve(Path(args.root), port=args.port, lang=args.lang)


def _cmd_guide_images(args: argparse.Namespace) -> int:
    from .authoring.guideimages import write_guide_images

    for path in write_guide_images(Path(args.root), Path(args.site) if args.site else None):
        print(f"wrote {path}")
    return 0


def _cmd_import_paavo(args: argparse.Namespace) -> int:
    from .data.load import load_config_only
    from .importers.paavo import area_postal_codes, import_paavo

    root = Path(args.root).resolve()
    config = load_config_only(root)
    city: dict[str, float] = {}
    for item in args.city or []:
        key, _sep, value = item.partition("=")
        try:
            city[key.strip()] = float(value)
        except ValueError:
            print(f"lahio import paavo: --city takes id=number, e.g. mediaanitulo=21500; "
                  f"got {item!r}", file=sys.stderr)
            return 2
    years = {"population": args.year_population or args.year,
             "employment": args.year_employment or args.year,
             "income": args.year_income or args.year,
             "households": args.year_households or args.year}
    # Only the areas' postal codes are needed: the import must work before data/paavo.yaml
    # (which selection.yaml refers to) exists.
    areas = area_postal_codes(config)
    result = import_paavo(root, Path(args.file), areas, years, city)
    for path in result.written:
        print(f"wrote {path.relative_to(root)}")
    for path in result.unchanged:
        print(f"unchanged {path.relative_to(root)}")
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    return 0


def _cmd_import_decidim(args: argparse.Namespace) -> int:
    from .data.load import load_config_only
    from .importers.decidim import import_decidim, parse_selection

    if not args.area:
        print("lahio import decidim: say which rows go to which area with --area, e.g. "
              "--area neulamaki=budget:11", file=sys.stderr)
        return 2
    locale_map = {}
    for pair in args.locale or ():
        decidim, _, ours = pair.partition("=")
        if not decidim or not ours:
            print(f"lahio import decidim: --locale takes DECIDIM=OURS, e.g. fi-pl=selko; got "
                  f"{pair!r}", file=sys.stderr)
            return 2
        locale_map[decidim] = ours
    config = load_config_only(Path(args.root).resolve())
    result = import_decidim(
        config, [parse_selection(a) for a in args.area], Path(args.projects).resolve(),
        Path(args.results).resolve() if args.results else None, budget=args.budget,
        locale_map=locale_map, shown=(args.projects, args.results))
    for message in result.messages:
        print(message)
    return 0


def _cmd_import_tally(args: argparse.Namespace) -> int:
    from .data.load import load_config_only
    from .importers.tally import import_tally

    config = load_config_only(Path(args.root).resolve())
    result = import_tally(config, args.area, Path(args.file).resolve(), shown=args.file)
    for message in result.messages:
        print(message)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``lahio`` console command."""
    parser = argparse.ArgumentParser(prog="lahio", description="Kuopio neighbourhood programme: "
                                     "YAML and Markdown to websites, print and channels.")
    parser.add_argument("--root", default=".", help="project folder (default: current)")
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="validate and build site/ (atomically)")
    b.add_argument("--out", help="output folder (default: site)")
    b.add_argument("--site-url", help="public address, overriding mkdocs.yml's site_url")
    b.add_argument("--only", help="build only these stages: site,print,channels")
    b.add_argument("--strict", action="store_true", help="fail on any warning")
    b.add_argument("--jobs", type=int, help="parallel processes (default: CPU count)")
    b.add_argument("-q", "--quiet", action="store_true")
    b.set_defaults(func=_cmd_build)

    c = sub.add_parser("check", help="validate all data and warn of what will read wrong or "
                       "not fit in print, without building")
    c.add_argument("--no-print", action="store_true", help="leave out whether every print "
                   "product fits (a check of the data only, in a second)")
    c.add_argument("--strict", action="store_true", help="exit 1 when there are warnings")
    c.set_defaults(func=_cmd_check)

    s = sub.add_parser("schema", help="write JSON Schemas (docs/schema/) and docs/data-format.md")
    s.set_defaults(func=_cmd_schema)

    t = sub.add_parser("translations", help="how complete each language is, and what is "
                       "missing (file:line: key)")
    t.add_argument("--lang", action="append", help="only this language (repeatable)")
    t.add_argument("--summary", action="store_true", help="only the table of shares")
    t.add_argument("--strict", action="store_true",
                   help="exit 1 when a required language is incomplete")
    t.set_defaults(func=_cmd_translations)

    ch = sub.add_parser("channels", help="count short-link visits in web-server access logs "
                        "by area, channel, language and week")
    ch.add_argument("logs", nargs="+", help="access logs (combined log format)")
    ch.add_argument("--csv", help="also write the counts to this CSV file")
    ch.set_defaults(func=_cmd_channels)

    na = sub.add_parser("new-area", help="write commented files for a new area that build at once")
    na.add_argument("slug", help="the area's address: a-z, digits and hyphens, e.g. petonen")
    na.add_argument("--name", required=True, help='the name residents know, e.g. "Petonen"')
    na.add_argument("--postal-code", help="fill in the Paavo figures of this postal area "
                    "(from data/paavo.yaml, written by lahio import paavo)")
    na.set_defaults(func=_cmd_new_area)

    sv = sub.add_parser("serve", help="preview on http://127.0.0.1:8000/, rebuilt and "
                        "reloaded on every change")
    sv.add_argument("--port", type=int, default=8000)
    sv.add_argument("--lang", help="language built first (default: the site's first); the "
                    "others are built when you open them")
    sv.set_defaults(func=_cmd_serve)

    gi = sub.add_parser("guide-images", help="redraw the guide's pictures (docs/img/) from a "
                        "built site")
    gi.add_argument("--site", help="the built site (default: site/)")
    gi.set_defaults(func=_cmd_guide_images)

    imp = sub.add_parser("import", help="import outside data into machine-owned YAML files")
    imp_sub = imp.add_subparsers(dest="source", required=True)
    ip = imp_sub.add_parser("paavo", help="Statistics Finland's Paavo CSV → areas/*/paavo.yaml "
                            "and data/paavo.yaml (the table the area selection ranks)")
    ip.add_argument("file", help="Paavo CSV (attribute names such as he_vakiy, or a PxWeb "
                    "export); -1 or .. = withheld")
    ip.add_argument("--year", type=int, help="reference year of every variable group, unless "
                    "given per group below")
    for group, example in (("population", "he_*: 2017"), ("employment", "pt_*: 2016"),
                           ("income", "hr_*: 2016"), ("households", "te_*: 2017")):
        ip.add_argument(f"--year-{group}", type=int, help=f"reference year of the {group} "
                        f"figures ({example} in Paavo 2019)")
    ip.add_argument("--city", action="append", metavar="ID=VALUE",
                    help="a city-wide comparison figure Paavo's postal areas cannot give, e.g. "
                    "mediaanitulo=21500 (repeatable)")
    ip.set_defaults(func=_cmd_import_paavo)

    idc = imp_sub.add_parser("decidim", help="Decidim open-data CSVs (budgets projects, "
                             "accountability results) → areas/<slug>/budget.decidim.yaml")
    idc.add_argument("projects", help="…-open-data-projects.csv (votes, costs, selection)")
    idc.add_argument("results", nargs="?", help="…-open-data-results.csv (status and progress "
                     "of the funded projects), optional")
    idc.add_argument("--area", action="append", metavar="SLUG=budget:ID",
                     help="the rows of one area: budget:ID (Decidim's budget/id; a bare number "
                     "means the same), scope:ID or taxonomy:ID (repeatable)")
    idc.add_argument("--budget", type=int, metavar="EUROS", help="money to share; needed only "
                     "when the area has no budget.yaml yet (a starter one is written)")
    idc.add_argument("--locale", action="append", metavar="DECIDIM=OURS",
                     help="map a platform locale to a site language, e.g. fi-pl=selko")
    idc.set_defaults(func=_cmd_import_decidim)

    it = imp_sub.add_parser("tally", help="counted paper votes (the filled-in tally.csv) → "
                            "areas/<slug>/budget.tally.yaml")
    it.add_argument("area", help="the area's slug, e.g. neulamaki")
    it.add_argument("file", help="the tally sheet with paper_votes filled in "
                    "(site/print/<area>/<lang>/tally.csv)")
    it.set_defaults(func=_cmd_import_tally)

    args = parser.parse_args(argv)
    from .publish import EXIT_INTERRUPTED, EXIT_TERMINATED, Interrupted, stop_on_signals

    if argv is None:  # the command itself (not a call from Python): Ctrl-C and SIGTERM end
        stop_on_signals()  # the build cleanly, with one line
    try:
        return int(args.func(args))
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except LahioError as exc:
        print(f"lahio: {exc}", file=sys.stderr)
        return 1
    except (Interrupted, KeyboardInterrupt) as exc:
        term = isinstance(exc, Interrupted) and exc.signum == signal.SIGTERM
        print(f"lahio: {'stopped (SIGTERM)' if term else 'interrupted'}; the previous site is "
              "unchanged", file=sys.stderr)
        return EXIT_TERMINATED if term else EXIT_INTERRUPTED
    except OSError as exc:  # a full disk, a folder without permission: one line, located
        where = f"{exc.filename}: " if exc.filename else ""
        unchanged = "; the previous site is unchanged" if args.command == "build" else ""
        print(f"lahio: {where}{exc.strerror or exc}{unchanged}", file=sys.stderr)
        return 1
    finally:
        if argv is None:
            # The process ends now: a last cycle collection over a build's objects would take
            # a tenth of a second, and their memory goes back to the system anyway (the
            # command has closed its files and removed its temporary folders by now).
            gc.freeze()


if __name__ == "__main__":
    sys.exit(main())
