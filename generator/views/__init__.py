"""Views layer: model + language → view objects, addresses, page metadata; imports i18n, data.

Nothing here knows about MkDocs or WeasyPrint; the site, print and channel stages all render
the same views.
"""
