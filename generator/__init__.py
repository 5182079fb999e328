"""Lähiö: programme data to sites, print and channels; each package's first line: its layer.

The pipeline runs one way (see README.md): ``data`` (load, validate) → ``views`` (per language)
→ ``site`` / ``print`` / ``channels`` → an atomic write into ``site/``. Who may import whom is
in ``pyproject.toml`` (import-linter contracts, checked with the tests):

    cli, authoring → build → site | print | channels → context → views → i18n → data → ground
    importers → data → ground

Ground: errors, messages, cache, outputs (the output folder), templating, render (QR, PDF),
textfiles (CSV, formula guards, YAML).
"""

__version__ = "0.1.0"
