"""Top layer, beside the CLI: new areas, live preview, build progress; may import any layer."""
