"""Model + language → finished view objects (translated, formatted, URLs resolved).

Nothing here knows about MkDocs or WeasyPrint; the site, print and channel stages all render
the same views.
"""
