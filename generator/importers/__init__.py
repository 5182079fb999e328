"""Importers (beside build): other systems' exports to readable YAML; import only data and ground.

Each importer owns machine-written files of its own beside the hand-edited ones (for example
``areas/<slug>/paavo.yaml``, ``budget.decidim.yaml``, ``budget.tally.yaml``), each starting
with a comment saying so. The loader lets the hand-edited file win over the imported one, so
nothing a person edited is ever overwritten, and importing the same export twice writes the
same bytes. Imported data goes through the same validation as hand-written data.
"""
