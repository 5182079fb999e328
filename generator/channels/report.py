"""``lahio channels``: which printed and shared channels bring people to the site.

Reads ordinary web-server access logs (combined or common log format) and counts the visits to
short links (``/q/<code>/``, also under a sub-path such as ``/lahiot/q/<code>/``, with or
without a query string) by area, channel, language and ISO week, using the short-link registry.
Only page loads by people count: GET answered with 2xx or 3xx, not HEAD (link checkers) and
not known bots (by user agent). One visit is counted once: the same client (address and user
agent) asking for the same code again within :data:`VISIT_GAP` — a redirect to the address with
a slash, then the page — is the same visit. Logs rotated and compressed by logrotate
(``access.log.2.gz``) are read as they are. No cookies, no trackers: the server's own log is
all it needs. Lines that are not log lines are counted and reported, never fatal.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..messages import err, localize
from ..errors import LahioError
from ..shortlinks import ShortLink

#: host ident user [time] "METHOD target PROTOCOL" status size ["referer" "agent"]
_LINE = re.compile(
    r'^(?P<host>\S+) \S+ \S+ \[(?P<time>[^\]]+)\] "(?P<method>[A-Z]+) (?P<target>\S+)'
    r'(?: [^"]*)?" (?P<status>\d{3}) (?:\d+|-)(?: "[^"]*" "(?P<agent>[^"]*)")?')
#: User agents of crawlers, link previews and scripts: not people scanning a code.
_BOT = re.compile(r"bot|crawl|spider|slurp|facebookexternalhit|embedly|preview|monitor|"
                  r"curl|wget|python-requests|python-urllib|go-http-client|headless|"
                  r"lychee|linkcheck", re.I)
#: Requests of one client for one code closer together than this are one visit.
VISIT_GAP = dt.timedelta(minutes=30)
#: ``/q/<code>`` as the last path segment(s), with an optional slash or index.html.
_SHORT = re.compile(r"(?:^|/)q/(?P<code>[a-z0-9]+)(?:/|/index\.html)?$")
UNKNOWN = "?"
COLUMNS = ("area", "channel", "lang", "week", "visits")


@dataclass
class Report:
    """Counts of short-link visits.

    Attributes:
        counts: (area, channel, lang, ISO week) → visits. Codes missing from the registry count
            under area, channel and language ``?``.
        lines: lines read.
        junk: lines that are not access-log lines.
        unknown_codes: visits to codes that are not in the registry, by code.
    """

    counts: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)
    lines: int = 0
    junk: int = 0
    unknown_codes: Counter[str] = field(default_factory=Counter)
    #: Short-link requests not counted: ``bot``, ``head`` and ``repeat`` (same visit).
    skipped: Counter[str] = field(default_factory=Counter)
    #: (client address, user agent, code) → time of its last request.
    last_seen: dict[tuple[str, str, str], dt.datetime] = field(default_factory=dict)

    def rows(self) -> list[tuple[str, str, str, str, int]]:
        """Rows sorted by area, channel, language and week."""
        return [(*key, n) for key, n in sorted(self.counts.items())]


def iso_week(day: dt.date) -> str:
    """``2027-W02``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _parse_time(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(value, "%d/%b/%Y:%H:%M:%S %z")
    except ValueError:
        return None


def count_visits(lines: Iterable[str], registry: dict[str, ShortLink],
                 report: Report | None = None) -> Report:
    """Count short-link visits in ``lines`` (adds to ``report`` when given).

    The week is the one of the server's local time in the log line.
    """
    report = report or Report()
    for line in lines:
        report.lines += 1
        m = _LINE.match(line.strip())
        when = _parse_time(m["time"]) if m else None
        if m is None or when is None:
            report.junk += 1
            continue
        if m["method"] not in ("GET", "HEAD") or not "200" <= m["status"] < "400":
            continue
        path = m["target"].split("?", 1)[0].split("#", 1)[0]
        short = _SHORT.search(path)
        if short is None:
            continue
        if m["method"] == "HEAD":
            report.skipped["head"] += 1
            continue
        agent = m["agent"] or ""
        if _BOT.search(agent):
            report.skipped["bot"] += 1
            continue
        client = (m["host"], agent, short["code"])
        last = report.last_seen.get(client)
        report.last_seen[client] = when
        if last is not None and abs(when - last) < VISIT_GAP:
            report.skipped["repeat"] += 1
            continue
        link = registry.get(short["code"])
        if link is None:
            report.unknown_codes[short["code"]] += 1
            key = (UNKNOWN, UNKNOWN, UNKNOWN, iso_week(when.date()))
        else:
            key = (link.area, link.channel, link.lang, iso_week(when.date()))
        report.counts[key] += 1
    return report


def read_logs(paths: Iterable[Path], registry: dict[str, ShortLink]) -> Report:
    """Count visits in every log file: plain text, or gzip-compressed as logrotate leaves
    older logs (undecodable bytes are replaced).

    Raises:
        LahioError: a file cannot be read (every such file is named; nothing is counted).
    """
    paths = list(paths)
    unreadable = []
    for path in paths:
        try:
            with path.open("rb"):
                pass
        except OSError as exc:
            unreadable.append(err("{path}: cannot be read ({reason}); give the path of a web "
                                  "server's access log, e.g. /var/log/nginx/access.log",
                                  path=str(path), reason=exc.strerror or str(exc)))
    if unreadable:
        raise LahioError("\n".join(localize(m) for m in unreadable))
    report = Report()
    for path in paths:
        with path.open("rb") as raw:
            compressed = raw.read(2) == b"\x1f\x8b"
        opener = gzip.open if compressed else open
        with opener(path, "rt", encoding="utf-8", errors="replace") as fh:
            count_visits(fh, registry, report)
    return report


def summary_lines(report: Report) -> list[str]:
    """What was read and what was not counted, for the terminal (in the reader's language)."""
    lines = [localize(err("{lines} lines read, {junk} not access-log lines",
                          lines=report.lines, junk=report.junk))]
    skipped = report.skipped
    if skipped:
        lines.append(localize(err(
            "not counted: {bots} requests by bots, {heads} HEAD requests, {repeats} repeated "
            "requests of one visit", bots=skipped["bot"], heads=skipped["head"],
            repeats=skipped["repeat"])))
    return lines


def format_table(report: Report) -> str:
    """The counts as an aligned text table with a total row."""
    rows = [COLUMNS, *[(a, c, lg, w, str(n)) for a, c, lg, w, n in report.rows()]]
    rows.append(("total", "", "", "", str(sum(report.counts.values()))))
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    return "\n".join("  ".join(cell.rjust(w) if i == 4 else cell.ljust(w)
                               for i, (cell, w) in enumerate(zip(r, widths, strict=True))).rstrip()
                     for r in rows)


def write_csv(report: Report, path: Path) -> None:
    """The counts as CSV (header ``area,channel,lang,week,visits``)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerows(report.rows())
