"""Coherent synthetic Integrated Action Plans of any size, in the plan format (version 1).

``generate(n_actions, seed=0)`` returns plain data (dicts, lists, str, int, float) that
``techdiversity`` loads without a single finding:

- every link names an existing id of the right kind; ids are unique across the plan;
- the Problem Tree is a tree with one core problem (causes below it, effects above);
- ~n/5 objectives, each addressing one to three problems, every problem addressed;
- every action serves one or two objectives, has a lead, partners, resources, a
  timescale inside the plan period, and ``depends_on`` only earlier actions that end
  before it starts (a DAG whose dates agree);
- one output indicator per action and one result indicator per objective, each with a
  quantified baseline, target and milestones dated inside the plan period;
- ~n/10 stakeholders (each leads an action), ~n/20 risks with mitigations,
  ~n/100 testing actions and meetings;
- text fields of the lengths the example plans have (an action title of 3-7 words,
  a description of 10-30).

The same ``(n_actions, seed)`` always gives the same plan.

``add_defects(data)`` (``--defects`` on the command line) seeds the defects real drafts
have, at every size: 1% of the actions without a lead, 2% of the indicators without a
baseline, one dangling link (an action contributing to an objective that does not
exist) and one dependency cycle (an earlier action made to depend on a later one that
depends on it). They are spread over the whole file, so that locating the findings has
to reach its end.

Command line::

    python bench/generate.py 10000 -o /tmp/plan-10000.json   # or .yaml
    python bench/generate.py 10000 --defects -o /tmp/plan-10000-defects.json
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

__all__ = ["add_defects", "generate", "write"]

#: Must stay inside techdiversity.vocab (TARGET_GROUPS etc.); repeated here so the
#: generator has no dependency on the library it benchmarks.
TARGET_GROUPS = (
    "women",
    "girls",
    "young-people",
    "students",
    "older-people",
    "migrants",
    "refugees",
    "ethnic-minorities",
    "roma",
    "people-with-disabilities",
    "unemployed",
    "low-income",
    "rural-residents",
    "entrepreneurs",
    "returnees",
)
STAKEHOLDER_TYPES = (
    "public-authority",
    "private-company",
    "ngo",
    "academia",
    "citizens",
    "social-enterprise",
    "media",
    "other",
)
PARTICIPATION = ("inform", "consult", "cooperate", "decide", "partner", "empower")
LEVELS = ("low", "medium", "high")
FUNDING = ("erdf", "esf-plus", "national", "regional", "municipal", "private", "philanthropic", "interreg")
ASPECTS = (
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
INTEGRATION_TYPES = ("policy-sector", "horizontal", "vertical", "territorial", "hard-and-soft-investments")
PURPOSES = ("proof-of-concept", "political-buy-in", "activating-ulg", "innovation", "quick-win")

_PROSE = (
    "women girls young people migrants career switchers IT sector digital skills coding workshop "
    "mentoring programme bootcamp school university employers companies city council labour office "
    "inclusive recruitment leadership role models festival community network training course "
    "curriculum internship apprenticeship scholarship outreach campaign district library hub "
    "co-working space start-up incubator diversity charter data survey monitoring evaluation "
    "volunteers teachers parents families childcare evening weekend part-time flexible remote "
    "recognition qualifications language support guidance counselling peer circles hackathon "
    "robotics game design cybersecurity cloud data science web development testing pathway "
    "regional partners European funds ESF+ ERDF national programme municipal budget sponsorship "
    "local ecosystem talent pipeline gender gap retention promotion pay transparency awareness "
    "stereotypes confidence belonging visibility accessibility neighbourhoods rural areas"
)
_WORDS = _PROSE.split()
_VERBS = (
    "Launch",
    "Scale up",
    "Run",
    "Design",
    "Pilot",
    "Open",
    "Build",
    "Organise",
    "Set up",
    "Extend",
    "Co-create",
    "Fund",
)
_UNITS = ("persons", "participants", "organisations", "events", "courses", "percent", "schools", "hours")
_DISAGG = ("gender", "age-group", "country-of-origin", "district", "company-size", "school")

#: The plan period: 2025-01 .. 2034-12, as month numbers 0 .. 119.
_START_YEAR = 2025
_MONTHS = 120


def _month(m: int) -> str:
    return f"{_START_YEAR + m // 12}-{m % 12 + 1:02d}"


class _Text:
    """Cheap pseudo-prose from a domain word list (fast enough for 100,000 actions)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def words(self, low: int, high: int) -> str:
        rng = self.rng
        return " ".join(rng.choices(_WORDS, k=rng.randint(low, high)))

    def title(self) -> str:
        return f"{self.rng.choice(_VERBS)} {self.words(2, 6)}"

    def sentence(self, low: int = 8, high: int = 18) -> str:
        text = self.words(low, high)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, low: int, high: int) -> str:
        rng = self.rng
        total = rng.randint(low, high)
        parts: list[str] = []
        while total > 0:
            k = min(total, rng.randint(8, 16))
            text = " ".join(rng.choices(_WORDS, k=k))
            parts.append(text[0].upper() + text[1:] + ".")
            total -= k
        return " ".join(parts)


def _sample(rng: random.Random, prefix: str, count: int, k: int) -> list[str]:
    """k distinct ids among prefix1 .. prefix<count>."""
    k = min(k, count)
    if k <= 0:
        return []
    if count < 4 * k:
        return [f"{prefix}{i + 1}" for i in rng.sample(range(count), k)]
    picked: set[int] = set()
    while len(picked) < k:
        picked.add(rng.randrange(count))
    return [f"{prefix}{i + 1}" for i in picked]


def generate(n_actions: int, seed: int = 0) -> dict[str, Any]:
    """A coherent plan with ``n_actions`` actions (and proportional everything else)."""
    if n_actions < 1:
        raise ValueError("a plan needs at least one action")
    rng = random.Random(seed)
    t = _Text(rng)
    n = n_actions
    n_obj = max(1, round(n / 5))
    n_prob = max(2, round(n / 10))
    n_sh = max(2, round(n / 10))
    n_risk = max(1, round(n / 20))
    n_test = max(1, round(n / 100))
    n_meet = max(3, round(n / 100))

    context_groups = list(TARGET_GROUPS[:4])

    # ---- the Problem Tree: P1 is the core; each other problem hangs below (a cause)
    # or above (an effect) an earlier problem on the same side of the trunk.
    problems: list[dict[str, Any]] = []
    side: list[str] = []  # "core" | "cause" | "effect"
    for i in range(n_prob):
        p: dict[str, Any] = {"id": f"P{i + 1}", "statement": t.sentence(8, 16)}
        if i == 0:
            p["core"] = True
            side.append("core")
        else:
            parent = rng.randrange(i) if i > 2 else 0
            s = side[parent] if side[parent] != "core" else ("cause" if i % 2 else "effect")
            side.append(s)
            problems[parent].setdefault("causes" if s == "cause" else "effects", []).append(p["id"])
        p["evidence"] = [
            {"source": f"{t.words(2, 4).title()} survey {rng.randint(2019, 2024)}", "finding": t.sentence(6, 14)}
            for _ in range(rng.randint(1, 2))
        ]
        problems.append(p)
    # keep the key order of the format: id, statement, core, causes, effects, evidence
    order = ("id", "statement", "core", "causes", "effects", "evidence")
    problems = [{k: p[k] for k in order if k in p} for p in problems]

    # ---- objectives: objective j addresses problem j % n_prob, plus up to two more
    objectives = []
    for j in range(n_obj):
        addresses = [f"P{j % n_prob + 1}"]
        for extra in _sample(rng, "P", n_prob, rng.randint(0, 2)):
            if extra not in addresses:
                addresses.append(extra)
        groups = [context_groups[j % len(context_groups)]]
        groups += [g for g in rng.sample(TARGET_GROUPS, rng.randint(0, 2)) if g not in groups]
        objectives.append(
            {
                "id": f"SO{j + 1}",
                "title": t.words(2, 5).capitalize(),
                "description": t.sentence(10, 22),
                "addresses": addresses,
                "target_groups": groups,
            }
        )
    # every problem addressed and every context target group served, also in tiny plans
    for i in range(n_obj, n_prob):
        if f"P{i + 1}" not in objectives[i % n_obj]["addresses"]:
            objectives[i % n_obj]["addresses"].append(f"P{i + 1}")
    for g in context_groups[n_obj:]:
        if g not in objectives[0]["target_groups"]:
            objectives[0]["target_groups"].append(g)

    # ---- actions
    starts: list[int] = []
    ends: list[int] = []
    actions = []
    for i in range(n):
        start = rng.randrange(0, _MONTHS - 6)
        end = min(_MONTHS - 1, start + rng.randint(3, 36))
        starts.append(start)
        ends.append(end)
        contributes = [f"SO{i % n_obj + 1}"]
        if n_obj > 1 and rng.random() < 0.3:
            other = f"SO{rng.randrange(n_obj) + 1}"
            if other not in contributes:
                contributes.append(other)
        lead = f"S{i % n_sh + 1}"
        partners = [s for s in _sample(rng, "S", n_sh, rng.randint(1, 3)) if s != lead]
        depends: list[str] = []
        if i > 0:
            for _ in range(rng.randint(0, 3)):
                j = rng.randrange(max(0, i - 200), i)  # mostly recent actions: long chains
                dep = f"A{j + 1}"
                if ends[j] < start and dep not in depends:
                    depends.append(dep)
        groups = [g for g in rng.sample(TARGET_GROUPS, rng.randint(1, 3))]
        resources: list[dict[str, Any]] = [
            {
                "kind": "budget",
                "amount": rng.randrange(5, 500) * 1000,
                "currency": "EUR",
                "source": rng.choice(FUNDING),
                "description": t.words(3, 7).capitalize(),
            }
        ]
        if rng.random() < 0.6:
            resources.append(
                {"kind": "staff", "amount": round(rng.uniform(0.1, 2.0), 1), "unit": "fte", "source": "municipal"}
            )
        if rng.random() < 0.3:
            resources.append({"kind": "premises", "source": "municipal", "description": t.words(2, 5).capitalize()})
        action: dict[str, Any] = {
            "id": f"A{i + 1}",
            "title": t.title(),
            "description": t.paragraph(10, 30),
            "contributes_to": contributes,
            "intended_results": t.sentence(5, 10),
            "outputs": [f"{rng.randint(2, 400)} {t.words(1, 3)}" for _ in range(rng.randint(1, 3))],
            "long_term_change": t.sentence(5, 9),
            "timescale": {"start": _month(start), "end": _month(end)},
            "lead": lead,
            "partners": partners,
        }
        if depends:
            action["depends_on"] = depends
        action["target_groups"] = groups
        action["resources"] = resources
        action["integration_aspects"] = rng.sample(ASPECTS, rng.randint(1, 3))
        action["implementation_notes"] = t.sentence(6, 14)
        actions.append(action)

    # ---- indicators: one output indicator per action, one result indicator per objective
    indicators = []
    for i in range(n):
        start, end = starts[i], ends[i]
        base = rng.randint(0, 50)
        target = base + rng.randint(10, 500)
        indicators.append(
            {
                "id": f"I{i + 1}",
                "name": t.words(4, 7).capitalize(),
                "kind": "output",
                "measures": [f"A{i + 1}"],
                "unit": rng.choice(_UNITS),
                "baseline": {"value": base, "date": 2024},
                "target": {"value": target, "date": _month(end)},
                "milestones": [{"value": (base + target) // 2, "date": _month((start + end) // 2)}],
                "source": t.words(2, 5).capitalize(),
                "disaggregation": rng.sample(_DISAGG, rng.randint(1, 3)),
            }
        )
    for j in range(n_obj):
        base = round(rng.uniform(5, 40), 1)
        target = round(base + rng.uniform(5, 30), 1)
        indicators.append(
            {
                "id": f"I{n + j + 1}",
                "name": t.words(5, 10).capitalize(),
                "kind": "result",
                "measures": [f"SO{j + 1}"],
                "unit": "percent",
                "baseline": {"value": base, "date": 2023},
                "target": {"value": target, "date": 2034},
                "milestones": [
                    {"value": round(base + (target - base) / 3, 1), "date": 2027},
                    {"value": round(base + 2 * (target - base) / 3, 1), "date": "2030-Q4"},
                ],
                "source": t.words(2, 5).capitalize(),
                "disaggregation": ["gender"],
            }
        )

    # ---- stakeholders (each leads at least one action: S(i % n_sh))
    stakeholders = [
        {
            "id": f"S{k + 1}",
            "name": t.words(3, 8).title(),
            "type": rng.choice(STAKEHOLDER_TYPES),
            "participation": rng.choice(PARTICIPATION),
            "represents": rng.sample(TARGET_GROUPS, rng.randint(0, 2)),
        }
        for k in range(n_sh)
    ]

    meetings = []
    for _ in range(n_meet):
        month = rng.randrange(24)  # the two years before the plan
        date = f"{_START_YEAR - 2 + month // 12}-{month % 12 + 1:02d}-{rng.randint(1, 28):02d}"
        meetings.append(
            {
                "date": date,
                "kind": rng.choice(("ulg", "ulg", "consultation", "transnational")),
                "topic": t.sentence(5, 10),
                "participants": _sample(rng, "S", n_sh, rng.randint(3, 12)),
            }
        )

    risks = [
        {
            "id": f"R{k + 1}",
            "description": t.sentence(8, 16),
            "likelihood": rng.choice(LEVELS),
            "impact": rng.choice(LEVELS),
            "mitigation": t.sentence(10, 20),
            "affects": _sample(rng, "A", n, rng.randint(1, 3)),
        }
        for k in range(n_risk)
    ]

    testing_actions = []
    for k in range(n_test):
        start = rng.randrange(0, 20)
        testing_actions.append(
            {
                "id": f"T{k + 1}",
                "challenge": t.sentence(10, 20),
                "what_if": "What if " + t.words(8, 14) + "?",
                "hypothesis": "We want to test if " + t.words(8, 16),
                "idea": t.sentence(10, 20),
                "measurement": t.sentence(6, 12),
                "purposes": rng.sample(PURPOSES, rng.randint(1, 3)),
                "tests": _sample(rng, "A", n, rng.randint(1, 2)),
                "period": {"start": _month(start), "end": _month(start + rng.randint(1, 4))},
                "status": rng.choice(("planned", "running", "done")),
                "learnings": t.paragraph(15, 40),
            }
        )

    return {
        "format": 1,
        "plan": {
            "id": f"synthetic-{n}-{seed}",
            "city": "Synthetic City",
            "country": "PL",
            "network": "TechDiversity",
            "programme": "URBACT IV",
            "title": f"A synthetic plan with {n} actions",
            "version": "1.0.0",
            "status": "draft",
            "period": {"start": _START_YEAR, "end": _START_YEAR + _MONTHS // 12 - 1},
            "language": "en",
        },
        "context": {
            "theme": "Diversity and inclusion in the local digital and tech ecosystem",
            "current_situation": t.paragraph(120, 200),
            "related_strategies": [{"title": t.words(3, 7).title(), "link": ""} for _ in range(3)],
            "target_groups": context_groups,
            "integration_challenges": [t.sentence(8, 14) for _ in range(4)],
        },
        "vision": {"horizon": 2040, "headline": t.sentence(6, 10), "text": t.paragraph(60, 100)},
        "strategic_goal": t.sentence(15, 25),
        "problems": problems,
        "objectives": objectives,
        "actions": actions,
        "indicators": indicators,
        "stakeholders": stakeholders,
        "meetings": meetings,
        "risks": risks,
        "testing_actions": testing_actions,
        "integration": {
            "types": {
                name: {"situation": t.sentence(), "progress": t.sentence(), "score": rng.randint(1, 5)}
                for name in INTEGRATION_TYPES
            },
            "aspects": [
                {
                    "aspect": aspect,
                    "relevant": True,
                    "why": t.sentence(),
                    "baseline": rng.randint(1, 5),
                    "future_actions": t.sentence(),
                }
                for aspect in ASPECTS
            ],
        },
        "implementation": {
            "governance": t.paragraph(30, 60),
            "monitoring": t.paragraph(30, 60),
            "communication": t.paragraph(20, 40),
            "funding_strategy": t.paragraph(20, 40),
        },
    }


def add_defects(data: dict[str, Any]) -> dict[str, Any]:
    """Seed a generated plan (in place; also returned) with the defects of real drafts.

    Every 100th action loses its lead (at least one), every 50th indicator its baseline
    (at least one), the middle action contributes to an objective that does not exist,
    and one dependency cycle: an action that depends on an earlier one is made a
    dependency of it (one action depending on itself when no action depends on another).
    """
    actions: list[dict[str, Any]] = data["actions"]
    indicators: list[dict[str, Any]] = data["indicators"]
    for i in range(0, len(actions), 100):
        actions[i].pop("lead", None)
    for i in range(0, len(indicators), 50):
        indicators[i].pop("baseline", None)
    missing = f"SO{len(data['objectives']) + 1}"
    actions[len(actions) // 2]["contributes_to"].append(missing)
    by_id = {a["id"]: a for a in actions}
    later = next((a for a in reversed(actions) if a.get("depends_on")), None)
    if later is None:
        actions[0]["depends_on"] = [actions[0]["id"]]
    else:
        earlier = by_id[later["depends_on"][0]]
        earlier.setdefault("depends_on", []).append(later["id"])
        # keep the format's key order: depends_on comes before target_groups
        for key in ("target_groups", "resources", "integration_aspects", "implementation_notes"):
            if key in earlier:
                earlier[key] = earlier.pop(key)
    return data


def dumps(data: dict[str, Any], fmt: str) -> str:
    """The plan as JSON or YAML text (YAML by PyYAML's C dumper, block style)."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "yaml":
        import yaml

        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        text: str = yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
        return text
    raise ValueError(f"unknown format {fmt!r}: use json or yaml")


def write(data: dict[str, Any], path: str | Path) -> Path:
    """Write the plan to ``path`` (format from the suffix: .json, .yaml or .yml)."""
    path = Path(path)
    suffix = path.suffix.lower()
    fmt = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}.get(suffix)
    if fmt is None:
        raise ValueError(f"{path}: use a .json, .yaml or .yml name")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(data, fmt), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a coherent synthetic plan with N actions.")
    parser.add_argument("n_actions", type=int, help="number of actions")
    parser.add_argument("-o", "--output", required=True, help="file to write (.json, .yaml or .yml)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--defects",
        action="store_true",
        help="seed the defects of real drafts: 1%% of actions without a lead, 2%% of indicators without a"
        " baseline, one dangling link, one dependency cycle",
    )
    args = parser.parse_args(argv)
    data = generate(args.n_actions, args.seed)
    if args.defects:
        add_defects(data)
    path = write(data, args.output)
    print(f"{path}: {args.n_actions} actions, {path.stat().st_size / 1e6:.1f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
