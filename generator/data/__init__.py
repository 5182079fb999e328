"""Load and validate the programme's YAML and Markdown into typed, frozen models."""
