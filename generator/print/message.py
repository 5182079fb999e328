"""The one message a poster carries: what a passer-by can do now, and when.

Chosen from the round's current phase as the views computed it (``RoundView.current_phase``,
``RoundView.voting``: the same phase the web shows), the area-development phase under way
(``ProcessView.current``) and the area's upcoming events; this module
only words it. The action and its date are set large enough to read from two metres.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from ..i18n import Localized, Translator
from ..views.area import AreaView, EventView, ProposalView


@dataclass(frozen=True, slots=True)
class Message:
    """The poster's message: ``action`` and ``when`` in display type, ``what`` under them."""

    kind: str             # vote, ideas, workshop, results, event, development, general
    action: str           # "Vote", "Bring your idea" …
    when: str             # a date or dates ("" when none)
    what: Markup | Localized  # one line saying what it is about
    event: EventView | None = None  # the event the message invites to (its facts are printed)
    items: tuple[ProposalView, ...] = ()  # the funded proposals, under "See the results"


def _workshop(area: AreaView, kinds: tuple[str, ...]) -> EventView | None:
    return next((e for e in area.upcoming_events if e.kind in kinds), None)


def poster_message(area: AreaView, tr: Translator) -> Message:
    """The message of ``area``'s posters in ``tr``'s language (see the module doc)."""
    _ = tr.gettext
    rnd = area.round
    phase = rnd.current_phase.kind if rnd is not None and rnd.current_phase else None
    voting = rnd.voting if rnd is not None and rnd.voting and rnd.voting.state != "past" else None
    about = Markup("")
    if rnd is not None:
        about = escape(_("%(amount)s for %(area)s: you decide what it is used for.")) % {
            "amount": tr.isolate(rnd.budget), "area": str(area.name)}
    if rnd is not None and phase == "ideas" and rnd.current_phase is not None:
        return Message("ideas", _("Bring your idea"), rnd.current_phase.dates, about)
    if voting is not None and voting.state == "current":
        return Message("vote", _("Vote"), voting.dates, about, _workshop(area, ("vote",)))
    # The round's co-creation workshops and the area-development phase under way
    # (process.yaml: workshops, outreach): the soonest of their coming events, before a vote
    # that is still weeks away.
    invites: list[tuple[EventView, str]] = []
    if phase == "co-creation":
        workshop = _workshop(area, ("workshop",))
        if workshop is not None:
            invites.append((workshop, _("Come to the workshop")))
    dev = area.process.current if area.process is not None else None
    if dev is not None and dev.kind in ("strategic-workshops", "bundle-workshops", "outreach"):
        outreach = dev.kind == "outreach"
        event = _workshop(area, ("outreach",) if outreach else ("workshop",))
        if event is not None:
            invites.append((event, _("Come along") if outreach else _("Come to the workshop")))
    if invites:
        event, action = min(invites, key=lambda i: area.upcoming_events.index(i[0]))
        return Message("workshop", action, event.when, event.title, event)
    if voting is not None:
        return Message("vote", _("Vote"), voting.dates, about, _workshop(area, ("vote",)))
    if rnd is not None and rnd.has_results:
        return Message("results", _("See the results"), "", rnd.title, items=rnd.funded[:5])
    event = area.upcoming_events[0] if area.upcoming_events else None
    if event is not None:
        return Message("event", _("Come along"), event.when, event.title, event)
    if dev is not None and (dev.what is not None or dev.how is not None):
        # No round and no event: the phase itself, as the area page's stepper names it.
        return Message("development", dev.label, dev.dates, dev.how or dev.what)  # type: ignore[arg-type]
    return Message("general", _("Have your say"), "",
                   escape(_("%(area)s: see what is being done and have your say"))
                   % {"area": str(area.name)})
