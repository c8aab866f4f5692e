"""The peer: what a researcher would write instead of techdiversity.

Pydantic v2 models of the same plan format (same field names, unknown keys
forbidden, the vocabularies as ``Literal`` types, ids and dates checked by pattern),
validated with ``model_validate_json`` (or ``model_validate`` after PyYAML's C safe
loader for YAML), then a networkx ``DiGraph`` of every link and three checks written
the way a competent person would:

1. dangling links: every link target looked up in a set of ids;
2. actions without objectives: an empty ``contributes_to``;
3. dependency cycles: ``nx.is_directed_acyclic_graph`` on the ``depends_on`` graph,
   and ``nx.find_cycle`` only when it is not acyclic.

It knows nothing of positions (no line and column in its messages), does not check
that ids are unique or that periods end after they start, and runs three checks
where techdiversity runs all of its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, Union

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

__all__ = ["Plan", "check", "peer_json", "peer_yaml"]

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")]
DateText = Annotated[str, StringConstraints(pattern=r"^\d{4}(-(Q[1-4]|(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?))?$")]
PartialDate = Union[int, DateText]  # noqa: UP007 - pydantic reads either spelling
Value = Union[int, float, str]  # noqa: UP007
Score = Annotated[int, Field(ge=1, le=5)]

Aspect = Literal[
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
]
Level = Literal["low", "medium", "high"]
FundingSource = Literal[
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
]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Period(Model):
    start: PartialDate | None = None
    end: PartialDate | None = None


class Measurement(Model):
    value: Value | None = None
    date: PartialDate | None = None
    note: str | None = None


class Evidence(Model):
    source: str | None = None
    finding: str | None = None
    link: str | None = None


class RelatedStrategy(Model):
    title: str
    link: str | None = None


class Resource(Model):
    kind: Literal["budget", "staff", "in-kind", "equipment", "premises", "other"]
    amount: int | float | None = None
    currency: str | None = None
    unit: str | None = None
    source: FundingSource | None = None
    description: str | None = None


class PlanInfo(Model):
    id: Id
    city: str | None = None
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = None
    network: str | None = None
    programme: str | None = None
    title: str | None = None
    version: str | None = None
    status: Literal["draft", "consulted", "adopted"] | None = None
    period: Period | None = None
    language: str | None = None


class Context(Model):
    theme: str | None = None
    current_situation: str | None = None
    related_strategies: list[RelatedStrategy] = []
    target_groups: list[str] = []
    integration_challenges: list[str] = []


class Vision(Model):
    horizon: int | None = None
    headline: str | None = None
    text: str | None = None


class Problem(Model):
    id: Id
    statement: str | None = None
    core: bool = False
    causes: list[Id] = []
    effects: list[Id] = []
    evidence: list[Evidence] = []


class Objective(Model):
    id: Id
    title: str | None = None
    description: str | None = None
    addresses: list[Id] = []
    target_groups: list[str] = []


class Action(Model):
    id: Id
    title: str | None = None
    description: str | None = None
    contributes_to: list[Id] = []
    intended_results: str | None = None
    outputs: list[str] = []
    long_term_change: str | None = None
    timescale: Period | None = None
    lead: Id | None = None
    partners: list[Id] = []
    depends_on: list[Id] = []
    target_groups: list[str] = []
    resources: list[Resource] = []
    integration_aspects: list[Aspect] = []
    implementation_notes: str | None = None


class Indicator(Model):
    id: Id
    name: str | None = None
    kind: Literal["output", "result", "impact"] | None = None
    measures: list[Id] = []
    unit: str | None = None
    baseline: Measurement | None = None
    target: Measurement | None = None
    milestones: list[Measurement] = []
    source: str | None = None
    disaggregation: list[str] = []
    actuals: list[Measurement] = []
    direction: Literal["increase", "decrease"] | None = None
    cumulative: bool | None = None


class Stakeholder(Model):
    id: Id
    name: str | None = None
    type: (
        Literal[
            "public-authority",
            "private-company",
            "ngo",
            "academia",
            "citizens",
            "social-enterprise",
            "media",
            "other",
        ]
        | None
    ) = None
    participation: Literal["inform", "consult", "cooperate", "decide", "partner", "empower"] | None = None
    represents: list[str] = []


class Meeting(Model):
    date: PartialDate
    kind: Literal["ulg", "consultation", "transnational", "other"] | None = None
    topic: str | None = None
    participants: list[Id] = []


class Risk(Model):
    id: Id
    description: str | None = None
    likelihood: Level | None = None
    impact: Level | None = None
    mitigation: str | None = None
    affects: list[Id] = []


class TestingAction(Model):
    __test__ = False

    id: Id
    challenge: str | None = None
    what_if: str | None = None
    hypothesis: str | None = None
    idea: str | None = None
    measurement: str | None = None
    purposes: list[Literal["proof-of-concept", "political-buy-in", "activating-ulg", "innovation", "quick-win"]] = []
    tests: list[Id] = []
    period: Period | None = None
    status: Literal["planned", "running", "done"] | None = None
    learnings: str | None = None


class IntegrationType(Model):
    situation: str | None = None
    progress: str | None = None
    score: Score | None = None


class IntegrationAspect(Model):
    aspect: Aspect
    relevant: bool | None = None
    why: str | None = None
    baseline: Score | None = None
    future_actions: str | None = None


class Integration(Model):
    types: dict[
        Literal["policy-sector", "horizontal", "vertical", "territorial", "hard-and-soft-investments"],
        IntegrationType,
    ] = {}
    aspects: list[IntegrationAspect] = []


class Implementation(Model):
    governance: str | None = None
    monitoring: str | None = None
    communication: str | None = None
    funding_strategy: str | None = None


class Plan(Model):
    format: Literal[1]
    plan: PlanInfo
    context: Context | None = None
    vision: Vision | None = None
    strategic_goal: str | None = None
    problems: list[Problem] = []
    objectives: list[Objective] = []
    actions: list[Action] = []
    indicators: list[Indicator] = []
    stakeholders: list[Stakeholder] = []
    meetings: list[Meeting] = []
    risks: list[Risk] = []
    testing_actions: list[TestingAction] = []
    integration: Integration | None = None
    implementation: Implementation | None = None


def graph(plan: Plan) -> nx.DiGraph:
    """Every linkable thing as a node (with its kind), every link as an edge (with its rel)."""
    g = nx.DiGraph()
    for kind, items in (
        ("problem", plan.problems),
        ("objective", plan.objectives),
        ("action", plan.actions),
        ("indicator", plan.indicators),
        ("stakeholder", plan.stakeholders),
        ("risk", plan.risks),
        ("testing_action", plan.testing_actions),
    ):
        g.add_nodes_from((item.id, {"kind": kind}) for item in items)
    edges = []
    for p in plan.problems:
        edges += [(c, p.id, "causes") for c in p.causes]
        edges += [(p.id, e, "causes") for e in p.effects]
    for o in plan.objectives:
        edges += [(o.id, t, "addresses") for t in o.addresses]
    for a in plan.actions:
        edges += [(a.id, t, "contributes_to") for t in a.contributes_to]
        edges += [(a.id, t, "depends_on") for t in a.depends_on]
        edges += [(s, a.id, "partners") for s in a.partners]
        if a.lead is not None:
            edges.append((a.lead, a.id, "leads"))
    for i in plan.indicators:
        edges += [(i.id, t, "measures") for t in i.measures]
    for r in plan.risks:
        edges += [(r.id, t, "threatens") for t in r.affects]
    for t in plan.testing_actions:
        edges += [(t.id, a, "tests") for a in t.tests]
    # links to unknown ids are findings, not nodes: leave them out of the graph
    g.add_edges_from((u, v, {"rel": rel}) for u, v, rel in edges if u in g and v in g)
    return g


def check(plan: Plan, g: nx.DiGraph) -> list[str]:
    """The three checks: dangling links, actions without objectives, dependency cycles."""
    findings: list[str] = []
    ids = set(g.nodes)
    links: list[tuple[str, str, str]] = []
    for p in plan.problems:
        links += [(p.id, "causes", t) for t in p.causes] + [(p.id, "effects", t) for t in p.effects]
    for o in plan.objectives:
        links += [(o.id, "addresses", t) for t in o.addresses]
    for a in plan.actions:
        links += [(a.id, "contributes_to", t) for t in a.contributes_to]
        links += [(a.id, "depends_on", t) for t in a.depends_on]
        links += [(a.id, "partners", t) for t in a.partners]
        if a.lead is not None:
            links.append((a.id, "lead", a.lead))
    for i in plan.indicators:
        links += [(i.id, "measures", t) for t in i.measures]
    for r in plan.risks:
        links += [(r.id, "affects", t) for t in r.affects]
    for t in plan.testing_actions:
        links += [(t.id, "tests", x) for x in t.tests]
    for k, m in enumerate(plan.meetings):
        links += [(f"meetings[{k}]", "participants", t) for t in m.participants]
    for source, field, target in links:
        if target not in ids:
            findings.append(f"{source} {field} {target}, which does not exist")

    for a in plan.actions:
        if not a.contributes_to:
            findings.append(f"action {a.id} contributes to no objective")

    deps = nx.DiGraph()
    deps.add_edges_from((u, v) for u, v, rel in g.edges(data="rel") if rel == "depends_on")
    if not nx.is_directed_acyclic_graph(deps):
        cycle = nx.find_cycle(deps)
        findings.append("actions depend on each other in a cycle: " + " --> ".join(u for u, _ in cycle))
    return findings


def peer_json(path: str | Path) -> list[str]:
    """Read, validate, graph and check a JSON plan."""
    plan = Plan.model_validate_json(Path(path).read_bytes())
    return check(plan, graph(plan))


def peer_yaml(path: str | Path) -> list[str]:
    """Read (PyYAML's C safe loader), validate, graph and check a YAML plan."""
    import yaml

    data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    plan = Plan.model_validate(data)
    return check(plan, graph(plan))
