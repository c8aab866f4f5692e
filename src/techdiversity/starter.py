"""The starter plan written by ``techdiversity new``: commented YAML, or JSON."""

from __future__ import annotations

import re
from importlib import resources

from .slugs import slugify

__all__ = ["slugify", "starter_plan"]

_PLACEHOLDER = re.compile(r"__(ID|CITY|COUNTRY|TITLE)__")


def starter_plan(city: str = "My City", plan_id: str | None = None, country: str = "EU", format: str = "yaml") -> str:
    """A plan that passes ``techdiversity check`` without findings, as commented YAML or as JSON.

    ``city`` may be any text (quotes, colons, ``#``, ``__TITLE__``...): the values are
    written as quoted YAML scalars in one pass over the template, never pasted into
    its source, and the result is read back to make sure it says what was asked.
    :class:`ValueError` for an unusable id or country code, or a city the plan format
    cannot hold.
    """
    from .formats.yaml import dumps_yaml_scalar
    from .io import dumps, loads

    if format not in ("yaml", "json"):
        raise ValueError(f"cannot write a starter plan as {format!r}: use yaml or json")
    ident = plan_id or (slugify(city) + "-iap" if slugify(city) else "")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}", ident):
        raise ValueError(f"{ident!r} is not a usable plan id: use letters, digits, '.', '_', ':' or '-'")
    if not re.fullmatch(r"[A-Za-z]{2}", country):
        raise ValueError(f"{country!r} is not an ISO 3166-1 alpha-2 country code such as PL or GR")
    values = {
        "ID": ident,
        "CITY": city,
        "COUNTRY": country.upper(),
        "TITLE": f"{city}: an Integrated Action Plan for a diverse tech ecosystem",
    }
    template = resources.files("techdiversity").joinpath("templates/starter.yaml").read_text("utf-8")
    text = _PLACEHOLDER.sub(lambda m: dumps_yaml_scalar(values[m[1]]), template)
    from .errors import PlanError

    try:
        plan = loads(text, "yaml", path="<starter>")
    except PlanError as exc:
        reasons = "; ".join(d.message for d in exc.diagnostics)
        raise ValueError(f"the city name {city!r} cannot be written in a plan: {reasons}") from None
    info = plan.plan
    if (info.id, info.city, info.country, info.title) != (values["ID"], city, values["COUNTRY"], values["TITLE"]):
        raise ValueError(f"the city name {city!r} does not read back as written")  # pragma: no cover - a guard
    return text if format == "yaml" else dumps(plan, "json")
