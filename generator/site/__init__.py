"""Stage ``site``: pages through the site engine; imports context and below, alone imports MkDocs.

:mod:`.pages` writes engine-neutral Markdown (page bodies rendered from the views);
:mod:`.stage` hands each language to the site engine (:mod:`.interface`), then writes the
language chooser and the sitemap. :mod:`.engine`, the only module that imports MkDocs and
Material, generates one config per language that INHERITs the project's ``mkdocs.yml`` and
runs the builds in parallel processes.
"""
