"""The website stage: views → Markdown trees → one MkDocs build per language.

This package is the only door to MkDocs. :mod:`.pages` writes engine-neutral Markdown (page
bodies rendered from the views); :mod:`.engine` generates one config per language that
INHERITs the project's ``mkdocs.yml`` and runs the builds in parallel processes.
"""
