"""Slugs: plain lower-case ASCII words joined by hyphens, from any text."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["slugify"]


def slugify(text: str) -> str:
    """A plan id from a city name: ``Bielsko-Biała`` -> ``bielsko-biala``."""
    ascii_text = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
