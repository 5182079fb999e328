"""The brand colours set in mkdocs.yml (and the stylesheet's defaults) are readable: white text
on the primary colour and both colours as text on white reach WCAG AA's 4.5:1."""

from __future__ import annotations

import re

import yaml

from .conftest import ROOT


def _luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_formula_matches_known_pairs() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48   # the classic just-failing grey
    assert contrast("#ffffff", "#ffffff") == 1.0


def test_brand_colours_in_mkdocs_yml_reach_aa_on_white() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    brand = config["extra"]["lahio"]["brand"]
    for key in ("primary", "accent"):
        colour = brand[key]
        assert re.fullmatch(r"#[0-9a-fA-F]{6}", colour), f"brand.{key}: {colour!r} is not #rrggbb"
        assert contrast(colour, "#ffffff") >= 4.5, f"brand.{key} {colour} on white"


def test_stylesheet_colours_reach_aa() -> None:
    css = (ROOT / "theme" / "site" / "assets" / "lahio.css").read_text("utf-8")
    colours = dict(re.findall(r"--lahio-([a-z-]+):\s*(#[0-9a-fA-F]{6})", css))
    for name in ("ink", "muted", "brand", "accent", "funded", "warn", "focus"):
        assert contrast(colours[name], "#ffffff") >= 4.5, f"--lahio-{name} on white"
    assert contrast(colours["brand"], colours["soft"]) >= 4.5, "links on the soft background"
    assert contrast(colours["line"], "#ffffff") >= 3.0, "borders (non-text contrast)"


def test_a_pale_brand_colour_stops_the_build_with_its_line(project) -> None:
    from generator.data.config import load_config

    path = project / "mkdocs.yml"
    text = path.read_text("utf-8")
    assert 'primary: "#00558c"' in text
    path.write_text(text.replace('primary: "#00558c"', 'primary: "#7fb2d9"')
                    .replace('accent: "#8a1c5b"', 'accent: "8a1c5b"'), "utf-8")
    config, problems = load_config(project)
    assert config is None
    lines = text.splitlines()
    messages = {p.key: (p.line, p.message) for p in problems}
    line, message = messages["extra.lahio.brand.primary"]
    assert "primary:" in lines[line - 1] and "4.5:1" in message
    line, message = messages["extra.lahio.brand.accent"]
    assert "accent:" in lines[line - 1] and "#rrggbb" in message
