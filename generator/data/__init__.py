"""Data layer: load and validate YAML and Markdown into frozen models; imports only ground."""
