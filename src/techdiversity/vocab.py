"""The controlled vocabularies of the plan format (version 1).

Every slug list here is part of the public file format (``plan-format.md``): add
values, never rename them. ``TARGET_GROUPS`` is a suggestion list only; the format
keeps target groups open.
"""

from __future__ import annotations

__all__ = [
    "ASPECTS",
    "DIRECTIONS",
    "FIELD_VOCABULARIES",
    "FUNDING_SOURCES",
    "INDICATOR_KINDS",
    "INTEGRATION_TYPES",
    "LEVELS",
    "MEETING_KINDS",
    "OPEN_FIELDS",
    "PARTICIPATION",
    "PLAN_STATUSES",
    "RESOURCE_KINDS",
    "STAKEHOLDER_TYPES",
    "TARGET_GROUPS",
    "TESTING_PURPOSES",
    "TESTING_STATUSES",
]

PLAN_STATUSES: tuple[str, ...] = ("draft", "consulted", "adopted")

INDICATOR_KINDS: tuple[str, ...] = ("output", "result", "impact")

#: Which way an indicator should move: a falling unemployment rate is progress.
DIRECTIONS: tuple[str, ...] = ("increase", "decrease")

STAKEHOLDER_TYPES: tuple[str, ...] = (
    "public-authority",
    "private-company",
    "ngo",
    "academia",
    "citizens",
    "social-enterprise",
    "media",
    "other",
)

#: The participation ladder, lowest rung first (INDIMAE policy lessons, lesson 3).
PARTICIPATION: tuple[str, ...] = ("inform", "consult", "cooperate", "decide", "partner", "empower")

MEETING_KINDS: tuple[str, ...] = ("ulg", "consultation", "transnational", "other")

LEVELS: tuple[str, ...] = ("low", "medium", "high")

#: The five reasons to run a testing action (URBACT testing-action framework).
TESTING_PURPOSES: tuple[str, ...] = (
    "proof-of-concept",
    "political-buy-in",
    "activating-ulg",
    "innovation",
    "quick-win",
)

TESTING_STATUSES: tuple[str, ...] = ("planned", "running", "done")

FUNDING_SOURCES: tuple[str, ...] = (
    "erdf",
    "esf-plus",
    "cohesion-fund",
    "interreg",
    "horizon-europe",
    "national",
    "regional",
    "municipal",
    "private",
    "philanthropic",
    "other",
)

RESOURCE_KINDS: tuple[str, ...] = ("budget", "staff", "in-kind", "equipment", "premises", "other")

#: The URBACT integration self-assessment tool: five types of integration.
INTEGRATION_TYPES: tuple[str, ...] = (
    "policy-sector",
    "horizontal",
    "vertical",
    "territorial",
    "hard-and-soft-investments",
)

#: The 12 aspects of integrated urban development, in the order of the URBACT table.
ASPECTS: tuple[str, ...] = (
    "stakeholder-involvement-in-planning",
    "coherence-with-existing-strategies",
    "sustainable-urban-development",
    "integration-over-time",
    "stakeholder-involvement-in-implementation",
    "sectoral-integration",
    "spatial-integration",
    "territorial-integration",
    "multi-level-governance",
    "cross-cutting-thematic-aspects",
    "complementary-types-of-investment",
    "mobilising-all-available-funding",
)

#: Suggested target groups; the format accepts any slug here.
TARGET_GROUPS: tuple[str, ...] = (
    "women",
    "girls",
    "young-people",
    "students",
    "older-people",
    "migrants",
    "refugees",
    "ethnic-minorities",
    "roma",
    "lgbtiq",
    "people-with-disabilities",
    "unemployed",
    "low-income",
    "rural-residents",
    "entrepreneurs",
    "returnees",
)

#: (model class name, field) -> the vocabulary its slugs come from. The JSON Schema's
#: enums and the editor's completions are made from this table.
FIELD_VOCABULARIES: dict[tuple[str, str], tuple[str, ...]] = {
    ("PlanInfo", "status"): PLAN_STATUSES,
    ("Indicator", "kind"): INDICATOR_KINDS,
    ("Indicator", "direction"): DIRECTIONS,
    ("Stakeholder", "type"): STAKEHOLDER_TYPES,
    ("Stakeholder", "participation"): PARTICIPATION,
    ("Meeting", "kind"): MEETING_KINDS,
    ("Risk", "likelihood"): LEVELS,
    ("Risk", "impact"): LEVELS,
    ("TestingAction", "purposes"): TESTING_PURPOSES,
    ("TestingAction", "status"): TESTING_STATUSES,
    ("Resource", "kind"): RESOURCE_KINDS,
    ("Resource", "source"): FUNDING_SOURCES,
    ("Action", "integration_aspects"): ASPECTS,
    ("IntegrationAspect", "aspect"): ASPECTS,
}

#: Fields whose slugs are suggested, not required: target groups.
OPEN_FIELDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("Context", "target_groups"): TARGET_GROUPS,
    ("Objective", "target_groups"): TARGET_GROUPS,
    ("Action", "target_groups"): TARGET_GROUPS,
    ("Stakeholder", "represents"): TARGET_GROUPS,
}
