"""The starter plan written by ``techdiversity new``."""

from __future__ import annotations

import json
import re
import unicodedata
from importlib import resources

__all__ = ["slugify", "starter_plan"]


def slugify(text: str) -> str:
    """A plan id from a city name: ``Bielsko-Biała`` -> ``bielsko-biala``."""
    ascii_text = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def starter_plan(city: str = "My City", plan_id: str | None = None, country: str = "EU") -> str:
    """A commented plan that passes ``techdiversity check`` without findings."""
    ident = plan_id or (slugify(city) + "-iap" if slugify(city) else "")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}", ident):
        raise ValueError(f"{ident!r} is not a usable plan id: use letters, digits, '.', '_', ':' or '-'")
    template = resources.files("techdiversity").joinpath("templates/starter.yaml").read_text("utf-8")
    if not re.fullmatch(r"[A-Za-z]{2}", country):
        raise ValueError(f"{country!r} is not an ISO 3166-1 alpha-2 country code such as PL or GR")
    country_code = country.upper()
    return (
        template.replace("__ID__", ident)
        .replace("__CITY__", json.dumps(city, ensure_ascii=False))
        .replace("__COUNTRY__", country_code)
        .replace(
            "__TITLE__",
            json.dumps(f"{city}: an Integrated Action Plan for a diverse tech ecosystem", ensure_ascii=False),
        )
    )
