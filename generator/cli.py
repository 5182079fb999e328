"""The ``lahio`` command. Commands only: the work happens in the pipeline modules."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .errors import DataError, LahioError


def _cmd_build(args: argparse.Namespace) -> int:
    from .build import STAGES, build

    only = tuple(args.only.split(",")) if args.only else STAGES
    unknown = [s for s in only if s not in STAGES]
    if unknown:
        print(f"lahio build: --only takes {', '.join(STAGES)}; got {', '.join(unknown)}",
              file=sys.stderr)
        return 2
    started = time.perf_counter()
    ctx = build(Path(args.root), Path(args.out) if args.out else None, site_url=args.site_url,
                only=only, strict=args.strict, jobs=args.jobs,
                log=(lambda _msg: None) if args.quiet else print)
    for warning in ctx.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not args.quiet:
        langs = ", ".join(ctx.translators)
        print(f"Built {len(ctx.programme.areas)} areas in {len(ctx.translators)} languages "
              f"({langs}) into {args.out or 'site'}/ in {time.perf_counter() - started:.1f} s")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from .build import load

    _config, programme = load(Path(args.root).resolve())
    print(f"OK: {len(programme.areas)} areas, {len(programme.pages)} pages, no problems found")
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from .build import load_config_only
    from .data.docs import write_docs

    config = load_config_only(Path(args.root).resolve())
    changed = write_docs(config.root, config.codes)
    for path in changed:
        print(f"wrote {path.relative_to(config.root)}")
    if not changed:
        print("docs/schema and docs/data-format.md are up to date")
    return 0


def _cmd_translations(args: argparse.Namespace) -> int:
    from .build import load
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

    c = sub.add_parser("check", help="validate all data without building")
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

    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except LahioError as exc:
        print(f"lahio: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
