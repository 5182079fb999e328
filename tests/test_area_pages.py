"""An area's pages are one registry: a sixth page is one entry and one template
(docs/area-pages.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.views import urls

from .conftest import copy_project, views_context

# The template of docs/area-pages.md, as a project would add it.
CONTACTS = """{% from "_macros.html" import localnav, crumbs with context %}
<div class="lahio-page lahio-contacts">
{{ crumbs(area) }}
<h1>{{ _("Contacts") }}: {{ t(area.name) }}</h1>
{{ localnav(area, area.slug ~ "/contacts/") }}
<ul>
{%- for c in area.contacts %}
  <li>{{ c.name }}{% if c.role %} – {{ t(c.role) }}{% endif %}</li>
{%- endfor %}
</ul>
</div>
"""


def test_a_sixth_area_page_is_one_entry_and_one_template(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path / "p")
    (project / "theme" / "pages").mkdir(parents=True, exist_ok=True)
    (project / "theme" / "pages" / "contacts.html").write_text(CONTACTS, encoding="utf-8")
    entry = urls.AreaPage("contacts", "contacts.html", lambda _: _("Contacts"),
                          lambda area: bool(area.area.contacts))
    monkeypatch.setattr(urls, "AREA_PAGES", (*urls.AREA_PAGES, entry))

    ctx = views_context(project, tmp_path / "out")
    programme = ctx.programme
    with_contacts = [a.slug for a in programme.areas if a.area.contacts]
    assert with_contacts
    for code in ("fi", "ar"):
        tree = ctx.trees[code]
        for slug in with_contacts:
            page = tree.files[f"{slug}/contacts.md"]
            area = programme.area(slug)
            assert all(c.name in page for c in area.area.contacts)
            # Every page of the area links to it from the area's navigation.
            assert f"{slug}/contacts/" in [item.path for item in
                                           next(v for v in tree.areas if v.slug == slug).nav]
        assert "contacts/" in tree.files[f"{with_contacts[0]}/index.md"]
    # The sixth page comes last, after the five of the registry.
    view = next(v for v in ctx.trees["fi"].areas if v.slug == with_contacts[0])
    assert view.nav[-1].path == f"{with_contacts[0]}/contacts/"
