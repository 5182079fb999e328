"""Fitting: what a printed product gives up when its texts do not fit its page.

A product that overflows is never an error that stops the build: each template has a rule, a
list of steps tried in order until the layout fits —

* ``picture`` — the area's picture left out first, before any text is shortened (a rule
  that names it among its blocks);
* ``sentences`` — the summary shortened at a sentence, ending with "…" and the web address
  (the whole text is one scan away);
* ``drop`` — the least important block left out (each template names its blocks, least
  important first);
* ``pages`` — the product flows onto a second page, where a second page is still usable (a
  handout, a results sheet, a ballot; never a poster or a flyer).

What was done is reported as a warning naming the product, the language and the field to edit
*in the file the communicator edits* (a machine-written file such as ``paavo.yaml`` or
``budget.decidim.yaml`` is never named), in the reader's language (:func:`generator.messages.err`);
``lahio check`` reports them too, and ``lahio build --strict`` makes them errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from markupsafe import Markup

from ..messages import err
from ..views.text import Rich


@dataclass(frozen=True, slots=True)
class Fit:
    """How a product is laid out: the template reads ``fit.shows(block)`` and ``fit.pages``."""

    sentences: int | None = None  # summary cut to this many sentences (None: whole)
    drop: tuple[str, ...] = ()    # blocks left out, in the order they were dropped
    pages: int = 1                # pages the product may take

    def shows(self, block: str) -> bool:
        """True when ``block`` is printed (not dropped to fit)."""
        return block not in self.drop


@dataclass(frozen=True, slots=True)
class Rule:
    """A template's fitting rule."""

    shortens_summary: bool = True
    drops: tuple[str, ...] = ()   # least important first
    max_pages: int = 1
    #: Block names in words, for the warning.
    names: dict[str, str] = field(default_factory=dict)


_BLOCKS = {"how_to_vote": err("how to vote"), "event2": err("the second event"),
           "contact": err("the contact"), "languages": err("the list of other languages"),
           "summary": err("the summary"), "projects": err("the projects"),
           "themes": err("the development themes"),
           "facts": err("the event's accessibility and sign-up lines"),
           "descriptions": err("the proposals' descriptions"), "picture": err("the picture"),
           "status": err("the status column"), "rule": err("the selection rule"),
           "online": err("the web address for voting online")}

RULES: dict[str, Rule] = {
    "poster.html": Rule(shortens_summary=False,
                        drops=("picture", "how_to_vote", "facts", "contact", "languages")),
    "notice.html": Rule(drops=("picture", "how_to_vote", "event2", "facts", "contact",
                               "summary", "languages")),
    "handout.html": Rule(drops=("picture", "languages", "contact"), max_pages=2),
    "ballot.html": Rule(shortens_summary=False, drops=("descriptions", "rule", "online"),
                        max_pages=2),
    "results.html": Rule(shortens_summary=False, drops=(), max_pages=2),
    "tally.html": Rule(shortens_summary=False, max_pages=2),
    "sheet.html": Rule(shortens_summary=False),
}

#: Blocks given up before any text is shortened: a picture is the first thing to go.
FIRST_DROPS = ("picture",)

_SENTENCE_END = re.compile(r"(?<=[.!?؟。])\s+")


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences (at ., !, ? and the Arabic question mark)."""
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


def shorten(summary: Rich | None, keep: int | None, url: str) -> Rich | None:
    """``summary`` cut to its first ``keep`` sentences, then "…" and ``url`` (None: as is)."""
    if summary is None or keep is None:
        return summary
    parts = sentences(summary.plain)
    if keep >= len(parts):
        return summary
    text = " ".join(parts[:keep])
    html = Markup("<p>{} … <bdi dir=\"ltr\" class=\"url\">{}</bdi></p>").format(text, url)
    return Rich(html, summary.lang, summary.fallback, f"{text} … {url}")


def steps(template: str, summary: Rich | None) -> Iterator[Fit]:
    """The layouts to try after the full one, in order; each gives up more than the last."""
    rule = RULES.get(template, Rule(shortens_summary=False))
    fit = Fit()
    for block in rule.drops:
        if block in FIRST_DROPS:
            fit = replace(fit, drop=(*fit.drop, block))
            yield fit
    if rule.shortens_summary and summary is not None:
        for keep in range(len(sentences(summary.plain)) - 1, 0, -1):
            fit = replace(fit, sentences=keep)
            yield fit
    for block in rule.drops:
        if block not in FIRST_DROPS:
            fit = replace(fit, drop=(*fit.drop, block))
            yield fit
    for pages in range(2, rule.max_pages + 1):
        fit = replace(fit, pages=pages)
        yield fit


def listed(parts: list[str], sep: str = ", ") -> str:
    """``parts`` joined with ``sep`` (``", "`` or ``"; "``), each translated with the whole."""
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    rest = listed(parts[1:], sep)
    return (err("{first}; {rest}", first=parts[0], rest=rest) if sep == "; "
            else err("{first}, {rest}", first=parts[0], rest=rest))


def describe(fit: Fit, skipped: set[str] | frozenset[str] = frozenset()) -> str:
    """What ``fit`` gave up, in words (for the warning); ``skipped``: blocks not shown anyway."""
    done: list[str] = []
    if fit.sentences is not None:
        done.append(err("the summary cut to {count} sentence(s) ending with \"…\" and the "
                        "web address", count=fit.sentences))
    if fit.drop:
        gone: list[str] = [_BLOCKS.get(b, b) for b in fit.drop if b not in skipped]
        if gone:
            done.append(err("left out {blocks}", blocks=listed(gone)))
    if fit.pages > 1:
        done.append(err("printed on {pages} pages", pages=fit.pages))
    return listed(done, "; ")


#: Files a person edits; the others are written by importers and never named in a message.
MACHINE_FILES = ("paavo.yaml", "budget.decidim.yaml", "budget.tally.yaml")


def what_to_edit(area: str, lang: str, fields: dict[tuple[str, str], int],
                 langs: dict[tuple[str, str], str]) -> str:
    """The field to edit so that nothing needs to be given up, in the file the user edits.

    The longest field a person wrote (the summary, as a rule). A text printed in Finnish
    because the language's translation is missing (``langs``: the fields printed in another
    language) is named as the translation to add.
    """
    editable = {k: n for k, n in fields.items()
                if k[0] not in MACHINE_FILES and not k[1].startswith("indicators[")}
    if not editable:
        return err("areas/{area}/area.yaml: summary ({lang}): a shorter text leaves more room",
                   area=area, lang=lang)
    key = max(editable, key=lambda k: (editable[k], k))
    file, name = key
    shown = langs.get(key)
    if shown is not None:
        return err("areas/{area}/{file}: {name}: there is no {lang} text, so the {shown} one "
                   "({chars} characters) is printed; add a short {lang} text to {name}",
                   area=area, file=file, name=name, lang=lang, shown=shown,
                   chars=editable[key])
    return err("areas/{area}/{file}: {name}.{lang} ({chars} characters): shorten it",
               area=area, file=file, name=name, lang=lang, chars=editable[key])


__all__ = ["FIRST_DROPS", "Fit", "RULES", "Rule", "describe", "listed", "sentences", "shorten",
           "steps", "what_to_edit"]
