"""``lahio channels``: which printed and shared channels bring people to the site.

Reads ordinary web-server access logs (combined or common log format) and counts the visits to
short links (``/q/<code>/``, also under a sub-path such as ``/lahiot/q/<code>/``, with or
without a query string) by area, channel, language and ISO week, using the short-link registry.
Only successful page loads count: GET or HEAD answered with 2xx or 3xx. No cookies, no
trackers: the server's own log is all it needs. Lines that are not log lines are counted and
reported, never fatal.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..shortlinks import ShortLink

#: host ident user [time] "METHOD target PROTOCOL" status size ["referer" "agent"]
_LINE = re.compile(
    r'^\S+ \S+ \S+ \[(?P<time>[^\]]+)\] "(?P<method>[A-Z]+) (?P<target>\S+)(?: [^"]*)?" '
    r"(?P<status>\d{3}) (?:\d+|-)")
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
        link = registry.get(short["code"])
        if link is None:
            report.unknown_codes[short["code"]] += 1
            key = (UNKNOWN, UNKNOWN, UNKNOWN, iso_week(when.date()))
        else:
            key = (link.area, link.channel, link.lang, iso_week(when.date()))
        report.counts[key] += 1
    return report


def read_logs(paths: Iterable[Path], registry: dict[str, ShortLink]) -> Report:
    """Count visits in every log file (plain text; undecodable bytes are replaced)."""
    report = Report()
    for path in paths:
        with path.open(encoding="utf-8", errors="replace") as fh:
            count_visits(fh, registry, report)
    return report


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
