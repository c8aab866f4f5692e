"""Networks of plans: loading, records, streaming compare, themes, pairings, peer review.

Everything runs on the eight TechDiversity examples and on generated networks of
hundreds of plans (the examples and the starter plan with renamed cities and ids, some
with a link dropped, a few broken files among them).
"""

from __future__ import annotations

import json
import os
import pickle
import re
import subprocess
import sys
import weakref
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import techdiversity as td
from techdiversity.cli import main
from techdiversity.errors import PlanError
from techdiversity.model import Assessment, CriterionScore, Plan
from techdiversity.network import (
    Network,
    agreement,
    assign_reviewers,
    collect_assessments,
    compare,
    normalise,
    pairings,
    summarise,
    themes,
)
from techdiversity.network import records as network
from techdiversity.starter import starter_plan

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_DIR = ROOT / "examples"
EXAMPLES = sorted(EXAMPLES_DIR.glob("*.yaml"))
CITIES = [
    "Amarante",
    "Arezzo",
    "Bielsko-Biała",
    "Bucharest District 6",
    "Idrija",
    "Larnaka",
    "Psahna",
    "Trikala",
]

BROKEN_YAML = "format: 1\nplan:\n  id: broken\n  city: [unclosed\n"
UNKNOWN_KEY = "format: 1\nplan:\n  id: typo-iap\n  citty: Nowhere\n"


# ---------------------------------------------------------------------------
# Generated networks


def _variant(text: str, i: int, *, drop_link: bool) -> str:
    """An example (or starter) plan as another city: new plan id and city, maybe a link less."""
    text = re.sub(r"^(  id: )(\S+)", lambda m: f"{m.group(1)}{m.group(2)}-{i:03d}", text, count=1, flags=re.M)
    text = re.sub(r"^(  city: )(.+)$", lambda m: f"{m.group(1)}{m.group(2)} {i}", text, count=1, flags=re.M)
    if drop_link:
        text = re.sub(r"contributes_to: \[[^\]]*\]", "contributes_to: []", text, count=1)
    return text


def generate_network(directory: Path, n: int, *, broken_every: int = 0) -> list[Path]:
    """``n`` plan files: examples and starter plans as other cities; every 7th drops a link."""
    directory.mkdir(parents=True, exist_ok=True)
    texts = [p.read_text("utf-8") for p in EXAMPLES]
    paths = []
    for i in range(n):
        path = directory / f"plan-{i:04d}.yaml"
        if broken_every and i % broken_every == broken_every - 1:
            path.write_text(BROKEN_YAML if i % 2 else UNKNOWN_KEY, "utf-8")
        elif i % 10 == 9:
            path.write_text(starter_plan(city=f"Starter Town {i}", plan_id=f"starter-{i:03d}"), "utf-8")
        else:
            path.write_text(_variant(texts[i % len(texts)], i, drop_link=i % 7 == 3), "utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def examples() -> Network:
    return Network.load(EXAMPLES_DIR)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """300 plan files, every 50th one broken."""
    return generate_network(tmp_path_factory.mktemp("network"), 300, broken_every=50)


@pytest.fixture(scope="module")
def generated_plans(generated: list[Path]) -> list[Plan]:
    """The 294 readable plans of ``generated``, loaded."""
    return [td.load(p) for p in generated if not p.name.endswith(("49.yaml", "99.yaml"))]


@pytest.fixture(scope="module")
def generated_small(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """120 plan files, every 40th one broken."""
    return generate_network(tmp_path_factory.mktemp("small"), 120, broken_every=40)


def test_generated_plans_are_other_cities(generated: list[Path]) -> None:
    sample = [td.load(p) for p in generated[:20] if "plan-0019" not in p.name]
    ids = [p.id for p in sample]
    assert len(set(ids)) == len(ids)
    assert sample[0].plan.city == "Amarante 0"
    assert sample[9].plan.city == "Starter Town 9"
    assert any(not a.contributes_to for a in sample[3].actions)  # the dropped link


# ---------------------------------------------------------------------------
# Network.load


def test_network_loads_the_examples_in_order(examples: Network) -> None:
    assert len(examples) == 8
    assert examples.errors == {}
    assert examples.cities == CITIES
    assert [p.id for p in examples] == [p.id for p in examples.plans]
    assert examples.plan("Larnaka").id == "larnaka-iap"
    assert examples.plan("trikala-iap").plan.city == "Trikala"
    with pytest.raises(KeyError, match="Bielsko"):
        examples.plan("Nowhere")
    assert "8 plans" in repr(examples)


def test_network_reports_bad_files_and_loads_the_rest(tmp_path: Path) -> None:
    good = [tmp_path / "a.yaml", tmp_path / "b.yaml"]
    for i, path in enumerate(good):
        path.write_text(starter_plan(city=f"Town {i}"), "utf-8")
    (tmp_path / "c.yaml").write_text(BROKEN_YAML, "utf-8")
    (tmp_path / "d.yaml").write_text(UNKNOWN_KEY, "utf-8")
    (tmp_path / "notes.txt").write_text("not a plan", "utf-8")
    net = Network.load(tmp_path)
    assert [p.plan.city for p in net] == ["Town 0", "Town 1"]
    assert sorted(Path(p).name for p in net.errors) == ["c.yaml", "d.yaml"]
    for name, error in net.errors.items():
        assert isinstance(error, PlanError)
        assert error.diagnostics[0].location.path == name
        assert error.diagnostics[0].location.line is not None
    unknown = net.errors[str(tmp_path / "d.yaml")]
    assert "citty" in str(unknown) and "city" in str(unknown)


def test_network_load_takes_a_list_and_missing_files(tmp_path: Path) -> None:
    net = Network.load([EXAMPLES[0], str(EXAMPLES[1]), tmp_path / "missing.yaml"])
    assert net.cities == CITIES[:2]
    assert list(net.errors) == [str(tmp_path / "missing.yaml")]


def test_network_load_in_parallel_equals_serial(generated_small: list[Path]) -> None:
    serial = Network.load(generated_small)
    parallel = Network.load(generated_small, jobs=2)
    assert parallel.plans == serial.plans
    assert list(parallel.errors) == list(serial.errors)
    assert [str(e) for e in parallel.errors.values()] == [str(e) for e in serial.errors.values()]
    # the source maps came along: findings still point at lines
    report = td.check(parallel.plans[3])
    assert report.findings and all(f.location is not None and f.location.line for f in report)


def test_network_from_plans_in_memory() -> None:
    plan = td.loads(starter_plan(city="Memoryville"))
    net = Network([plan])
    assert net.cities == ["Memoryville"]
    (record,) = net.records(["urbact-iap"])
    assert record["path"] is None
    assert record["city"] == "Memoryville"


# ---------------------------------------------------------------------------
# Records


def test_records_one_per_city(examples: Network) -> None:
    records = examples.records()
    assert [r["city"] for r in records] == CITIES
    by_city = {r["city"]: r for r in records}
    bb = by_city["Bielsko-Biała"]
    assert bb["plan"] == "bielsko-biala-iap"
    assert bb["path"] == str(EXAMPLES_DIR / "bielsko-biala.yaml")
    assert (bb["findings.error"], bb["findings.warning"], bb["findings.info"]) == (0, 0, 0)
    assert by_city["Arezzo"]["findings.error"] == 1
    for key in ("urbact-iap.1", "urbact-iap.2", "urbact-iap.3", "urbact-iap.4", "urbact-iap.total", "urbact-iap.max"):
        assert isinstance(bb[key], int)
    card = td.score(examples.plan("Bielsko-Biała"))
    assert bb["urbact-iap.total"] == card.total
    assert bb["urbact-iap.2"] == card.sections[1].score
    assert bb["target_groups.named"] == ["women", "girls", "young-people", "migrants"]
    assert bb["target_groups.served"] == ["women", "girls", "young-people", "migrants"]
    assert by_city["Bucharest District 6"]["target_groups.unserved"] == ["lgbtiq"]
    assert (bb["objectives"], bb["actions"], bb["indicators"]) == (3, 6, 10)
    assert bb["indicators.quantified"] == 10 and bb["indicators.quantified_share"] == 1.0
    # money by funding source, EUR: ESF+ 60,000 (labs) + 450,000 (bootcamps)
    assert bb["budget.esf-plus"] == 510000
    assert bb["budget.erdf"] == 0
    assert bb["budget.total"] == sum(bb[f"budget.{s}"] for s in (*td.vocab.FUNDING_SOURCES, "unspecified"))
    assert by_city["Idrija"]["objectives.unmeasured"] == ["SO1"]
    assert by_city["Arezzo"]["actions.unmeasured"] == ["A6"]
    # every record has the same keys, is JSON and pickles (for worker processes)
    assert len({tuple(r) for r in records}) == 1
    assert json.loads(json.dumps(records)) == records
    assert pickle.loads(pickle.dumps(records)) == records


def test_records_with_chosen_rubrics(examples: Network) -> None:
    (record, *_) = examples.records(["integration"])
    assert "integration.types" in record and "integration.total" in record
    assert not any(k.startswith("urbact-iap.") for k in record)
    with pytest.raises(KeyError, match="no rubric named 'nope'"):
        examples.records(["nope"])


def test_budget_in_other_currencies_and_without_source() -> None:
    text = starter_plan(city="Zlotyville")
    text = text.replace(
        "resources:",
        "resources:\n      - {kind: budget, amount: 1000, currency: PLN, source: municipal}"
        "\n      - {kind: budget, amount: 250.5, currency: EUR}",
        1,
    )
    record = summarise(td.loads(text), ["urbact-iap"])
    assert record["budget.municipal.PLN"] == 1000
    assert record["budget.unspecified"] == 250.5
    assert record["budget.total"] == sum(record[f"budget.{s}"] for s in (*td.vocab.FUNDING_SOURCES, "unspecified"))


# ---------------------------------------------------------------------------
# Streaming compare


def test_compare_streams_in_order_and_reports_bad_files(generated: list[Path]) -> None:
    errors: dict[str, PlanError] = {}
    done: list[int] = []
    records = list(
        compare(generated, rubrics=["urbact-iap"], progress=done.append, on_error=lambda p, e: errors.update({p: e}))
    )
    good = [str(p) for p in generated if not p.name.endswith(("49.yaml", "99.yaml"))]
    assert [r["path"] for r in records] == good
    assert len(records) == 294
    assert sorted(errors) == sorted(str(p) for p in generated if str(p) not in good)
    assert sum(done) == 300
    starters = [r for r in records if r["plan"].startswith("starter-")]
    assert starters and all(r["findings.error"] == 0 for r in starters)
    dropped = [r for r in records if r["path"].endswith(("0003.yaml", "0010.yaml"))]
    assert all(r["findings.error"] >= 1 for r in dropped)  # TD103: an action serves no objective


def test_compare_keeps_memory_flat(generated: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Over 300 files, at most a handful of Plan objects are alive at any time."""
    refs: list[weakref.ref[Plan]] = []
    real_load = td.io.load  # what the network module calls
    assert network.load is real_load  # type: ignore[attr-defined]

    def tracking_load(path: Any, *args: Any, **kwargs: Any) -> Plan:
        plan = real_load(path, *args, **kwargs)
        refs.append(weakref.ref(plan))
        return plan

    monkeypatch.setattr(network, "load", tracking_load)
    peak = 0
    count = 0
    for _record in compare(generated, rubrics=["urbact-iap"]):
        count += 1
        peak = max(peak, sum(1 for r in refs if r() is not None))
    assert count == 294
    assert len(refs) == 294
    assert peak <= 2
    assert sum(1 for r in refs if r() is not None) == 0


def test_compare_with_two_jobs_equals_one_job(generated_small: list[Path]) -> None:
    errors_1: list[str] = []
    errors_2: list[str] = []
    one = list(compare(generated_small, jobs=1, on_error=lambda p, e: errors_1.append(f"{p} {e}")))
    two = list(compare(generated_small, jobs=2, on_error=lambda p, e: errors_2.append(f"{p} {e}")))
    assert one == two
    assert errors_1 == errors_2 and len(errors_1) == 3
    assert len(one) == 117


def test_compare_takes_a_directory_and_a_generator(tmp_path: Path) -> None:
    generate_network(tmp_path, 12)
    from_dir = list(compare(tmp_path, rubrics=["urbact-iap"]))
    from_gen = list(compare((p for p in sorted(tmp_path.iterdir())), jobs=2, rubrics=["urbact-iap"]))
    assert from_dir == from_gen and len(from_dir) == 12
    with pytest.raises(KeyError):
        next(compare(tmp_path, rubrics=["nope"]))
    with pytest.raises(ValueError, match="jobs"):
        next(compare(tmp_path, jobs=-1))


# ---------------------------------------------------------------------------
# The compare command


def test_compare_command_text_and_json(examples: Network) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["compare", str(EXAMPLES_DIR), "--rubric", "urbact-iap"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 100
    # transposed: the cities are the columns, the figures the rows, in words
    assert lines[0] == "cities 1 to 4 of 8"
    assert lines[1].split() == ["Amarante", "Arezzo", "Bielsko-Biała", "Bucharest"]
    assert "URBACT Integrated Action Plan assessment grid" in " ".join(lines)
    assert any(line.startswith("  1 Process of action plan ") for line in lines)
    assert any(line.split()[:1] == ["errors"] or line.startswith("  errors ") for line in lines)
    assert "urbact-iap.total" not in result.stdout and "findings.error" not in result.stdout
    total = next(line for line in lines if line.startswith("  total") and "91" in line)
    assert total.split()[1:] == ["91", "93", "99", "92"]
    assert "cities 5 to 8 of 8 (continued)" in lines
    result = runner.invoke(main, ["compare", str(EXAMPLES_DIR), "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["summary"] == {"plans": 8, "unreadable": 0}
    assert doc["plans"] == json.loads(json.dumps(examples.records()))


def _long_network(tmp_path: Path, n: int = 8) -> Path:
    """The examples as cities with long names (with a wide character and a hyphenated word)."""
    folder = tmp_path / "long"
    folder.mkdir()
    for i, path in enumerate(EXAMPLES[:n]):
        name = f"{CITIES[i]} upon the Very-Long-River-Name and its Metropolitan Area 數位 {i}"
        text = re.sub(
            r"^(  city: ).+$",
            lambda m, name=name: m.group(1) + json.dumps(name),
            path.read_text("utf-8"),
            count=1,
            flags=re.M,
        )
        (folder / path.name).write_text(text, "utf-8")
    return folder


def _width(line: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in line)


@pytest.mark.parametrize("width", [100, 80, 60])
def test_compare_text_fits_the_width_with_long_names_and_every_rubric(tmp_path: Path, width: int) -> None:
    folder = _long_network(tmp_path)
    args = ["compare", str(folder)] + ([] if width == 100 else ["--width", str(width)])
    result = CliRunner().invoke(main, args)  # every installed rubric: five, the INDIMAE plugin's too
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(_width(line) for line in lines) <= width
    text = " ".join(" ".join(lines).split())
    for rubric in (
        "URBACT Integrated Action Plan assessment grid",
        "URBACT integration self-assessment",
        "Diversity and inclusion",
    ):
        assert rubric in text
    # every city is on some page, its name whole once the wrapped header is read
    pages = [line for line in lines if line.startswith(("cities ", "city "))]
    assert pages and pages[-1].endswith("of 8 (continued)")
    for i in range(8):
        assert f"{i}" in text
    # the same figures as the records: each city's urbact-iap total is in its column
    records = list(compare(folder))
    totals = [line.split()[1:] for line in lines if line.startswith("  total ") and lines.index(line) < 60]
    assert totals and all(t.isdigit() for t in totals[0])
    assert int(totals[0][0]) == records[0]["urbact-iap.total"]


def test_compare_columns_choose_the_figures(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main, ["compare", str(EXAMPLES_DIR), "--columns", "findings,budget.total", "--columns", "urbact-iap.total"]
    )
    assert result.exit_code == 0, result.output
    rows = [line.strip().split("  ")[0] for line in result.stdout.splitlines() if re.match(r"  \S", line)]
    assert rows == ["plan id", "errors", "warnings", "info", "total", "total"] * 2
    csv_out = runner.invoke(main, ["compare", str(EXAMPLES_DIR), "--format", "csv", "--columns", "budget"]).stdout
    header = csv_out.splitlines()[0].split(",")
    assert header[:3] == ["plan", "city", "budget.total"] and all(h.startswith("budget.") for h in header[2:])
    bad = runner.invoke(main, ["compare", str(EXAMPLES_DIR), "--columns", "nope"])
    assert bad.exit_code == 2 and "--columns: no column nope" in bad.stderr


def test_compare_markdown_and_csv_keep_every_figure(tmp_path: Path) -> None:
    import csv
    import io

    folder = _long_network(tmp_path)
    records = json.loads(json.dumps(list(compare(folder))))
    keys = list(dict.fromkeys(k for r in records for k in r))
    runner = CliRunner()
    table = list(csv.DictReader(io.StringIO(runner.invoke(main, ["compare", str(folder), "--format", "csv"]).stdout)))
    assert list(table[0]) == keys
    md = runner.invoke(main, ["compare", str(folder), "--format", "markdown"]).stdout.splitlines()
    assert md[0].count(" | ") == len(keys) - 1
    for record, row, line in zip(records, table, md[2:], strict=True):
        cells = line.strip("|").split(" | ")
        for key, cell in zip(keys, cells, strict=True):
            value = record[key]
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                assert float(row[key]) == value, key
                assert float(cell.strip().replace("\\", "")) == value, key  # Markdown may escape "0.889" as "0\\.889"


def test_compare_command_jobs_two_prints_the_same(generated_small: list[Path]) -> None:
    runner = CliRunner()
    args = ["compare", str(generated_small[0].parent), "--format", "csv", "--rubric", "urbact-iap"]
    one = runner.invoke(main, args)
    two = runner.invoke(main, [*args, "--jobs", "2"])
    assert one.exit_code == two.exit_code == 2
    assert one.stdout == two.stdout
    assert one.stderr == two.stderr
    assert len(one.stdout.splitlines()) == 1 + 117


def test_compare_command_unreadable_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(starter_plan(city="Goodtown"), "utf-8")
    (tmp_path / "b.yaml").write_text(BROKEN_YAML, "utf-8")
    result = CliRunner().invoke(main, ["compare", str(tmp_path), "--format", "json"])
    assert result.exit_code == 2
    doc = json.loads(result.stdout)  # the rest is printed first
    assert [p["city"] for p in doc["plans"]] == ["Goodtown"]
    assert doc["unreadable"][0]["path"] == str(tmp_path / "b.yaml")
    assert re.search(rf"^{re.escape(str(tmp_path / 'b.yaml'))}:\d+:\d+: ", result.stderr, re.M)
    assert "Traceback" not in result.output


def test_compare_command_usage_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["compare", str(tmp_path)]).exit_code == 2  # no plan files
    result = runner.invoke(main, ["compare", str(EXAMPLES_DIR), "--rubric", "nope"])
    assert result.exit_code == 2 and "no rubric named nope" in result.stderr


@pytest.fixture
def hostile_dir(tmp_path: Path) -> Path:
    text = starter_plan(city='=HYPERLINK("http://evil")<script>alert(1)</script>', plan_id="hostile-iap")
    (tmp_path / "hostile.yaml").write_text(text, "utf-8")
    return tmp_path


def test_compare_csv_neutralises_formulas(hostile_dir: Path) -> None:
    import csv
    import io

    result = CliRunner().invoke(main, ["compare", str(hostile_dir), "--format", "csv", "--rubric", "urbact-iap"])
    assert result.exit_code == 0
    header, row = list(csv.reader(io.StringIO(result.stdout)))
    record = dict(zip(header, row, strict=True))
    assert record["city"].startswith("'=HYPERLINK")
    assert record["plan"] == "hostile-iap"
    assert record["findings.error"] == "0"


def test_compare_markdown(hostile_dir: Path) -> None:
    result = CliRunner().invoke(main, ["compare", str(EXAMPLES_DIR), "--format", "markdown", "--rubric", "urbact-iap"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("| plan | city |") and lines[1].startswith("| --- |")
    assert len(lines) == 10
    assert "urbact-iap.total" in lines[0]
    result = CliRunner().invoke(main, ["compare", str(hostile_dir), "--format", "markdown", "--rubric", "urbact-iap"])
    assert "\\<script\\>" in result.stdout


def test_no_progress_text_when_stderr_is_not_a_terminal(generated_small: list[Path]) -> None:
    result = CliRunner().invoke(main, ["compare", *map(str, generated_small[:30]), "--rubric", "urbact-iap"])
    assert result.exit_code == 0
    assert result.stderr == ""


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_progress_on_a_terminal(generated_small: list[Path]) -> None:
    """With stderr on a (pseudo-)terminal, compare draws a progress bar there, not on stdout."""
    master, slave = os.openpty()
    env = dict(os.environ, COLUMNS="100")
    proc = subprocess.Popen(
        [sys.executable, "-m", "techdiversity", "compare", *map(str, generated_small[:30]), "--rubric", "urbact-iap"],
        stdout=subprocess.PIPE,
        stderr=slave,
        cwd=ROOT,
        env=env,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    stdout, _ = proc.communicate()
    os.close(master)
    assert proc.returncode == 0
    terminal = b"".join(chunks).decode("utf-8", "replace")
    assert "Comparing plans" in terminal
    assert "Comparing plans" not in stdout.decode("utf-8")
    assert stdout.decode("utf-8").count("\nPlan\n") == -(-30 // 4)  # the cities four by four, on pages


# ---------------------------------------------------------------------------
# Themes


def test_normalise() -> None:
    assert normalise("Bielsko-Biała's WOMEN, in IT!") == {"bielsko", "biala", "women", "it"}
    assert normalise("Young graduates leave Trikala for larger cities", drop={"trikala"}) == {
        "young",
        "graduate",
        "leave",
        "larger",
        "city",
    }
    assert normalise("Ηλεκτρονικά") == frozenset()  # letters outside a-z fold to nothing, not errors
    assert normalise("Ação São João") == {"acao", "sao", "joao"}


def test_themes_of_the_examples(examples: Network) -> None:
    found = themes(examples)
    groups = {t["group"]: t for t in found["target_groups"]}
    assert groups["women"]["cities"] == CITIES  # women recur in every city
    assert groups["migrants"]["cities"] == ["Amarante", "Arezzo", "Bielsko-Biała", "Idrija", "Larnaka"]
    assert "roma" not in groups  # one city only
    assert found["target_groups"][0]["group"] in ("women", "young-people")
    assert "lgbtiq" not in groups  # Bucharest District 6 only
    brain_drain = found["problems"][0]
    assert {"Larnaka", "Trikala", "Amarante"} <= set(brain_drain["cities"])
    assert "leave" in brain_drain["keywords"]
    stereotypes = [t for t in found["problems"] if "stereotype" in t["keywords"]]
    assert stereotypes and set(stereotypes[0]["cities"]) == {"Psahna", "Trikala"}
    for kind in ("problems", "objectives"):
        for theme in found[kind]:
            assert len(theme["cities"]) >= 2
            assert [it["city"] for it in theme["items"]]
    employers = [t for t in found["objectives"] if "employer" in t["keywords"]]
    assert employers and set(employers[0]["cities"]) == {"Arezzo", "Bucharest District 6"}
    assert json.loads(json.dumps(found)) == found


def test_themes_are_deterministic_and_order_independent(examples: Network) -> None:
    forward = themes(examples)
    assert themes(Network.load(EXAMPLES_DIR)) == forward

    def item_sets(found: dict[str, Any], kind: str) -> set[frozenset[tuple[str, str]]]:
        return {frozenset((it["plan"], it["id"]) for it in t["items"]) for t in found[kind]}

    backward = themes(reversed(examples.plans))
    for kind in ("problems", "objectives"):
        assert item_sets(backward, kind) == item_sets(forward, kind)


def test_themes_thresholds(examples: Network) -> None:
    strict = themes(examples, threshold=0.9)
    assert strict["problems"] == [] and strict["objectives"] == []
    assert len(themes(examples, min_cities=1)["problems"]) > len(themes(examples)["problems"])


def test_themes_over_hundreds_of_plans(generated_plans: list[Plan]) -> None:
    found = themes(iter(generated_plans))
    assert len(found["plans"]) == 294
    groups = {t["group"]: t for t in found["target_groups"]}
    assert len(groups["women"]["cities"]) == 294
    brain_drain = found["problems"][0]
    assert len(brain_drain["cities"]) >= 4 * 30  # 4 example cities, each some 30 times
    assert all(c.split()[-1].isdigit() for c in brain_drain["cities"])


def test_themes_command(examples: Network) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["themes", str(EXAMPLES_DIR)])
    assert result.exit_code == 0, result.output
    assert "Recurring problems" in result.stdout and "Pairs for transnational exchange" in result.stdout
    assert "women" in result.stdout
    result = runner.invoke(main, ["themes", str(EXAMPLES_DIR), "--format", "json", "--no-pairs"])
    doc = json.loads(result.stdout)
    assert "pairings" not in doc
    assert doc["target_groups"] == themes(examples)["target_groups"]
    result = runner.invoke(main, ["themes", str(EXAMPLES_DIR), "--format", "markdown"])
    assert result.stdout.startswith("## Target groups")


def test_themes_command_unreadable(tmp_path: Path) -> None:
    generate_network(tmp_path, 4)
    (tmp_path / "z.yaml").write_text(UNKNOWN_KEY, "utf-8")
    result = CliRunner().invoke(main, ["themes", str(tmp_path), "--format", "json", "--no-pairs"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["unreadable"][0]["path"].endswith("z.yaml")
    assert re.search(r"z\.yaml:\d+:\d+: ", result.stderr)


# ---------------------------------------------------------------------------
# Pairings


def test_pairings_of_the_examples(examples: Network) -> None:
    pairs = pairings(examples)
    assert pairs == pairings(examples)  # deterministic
    covered = Counter(c for p in pairs for c in p["cities"])
    assert set(covered) == set(CITIES)  # every city gets a partner
    scores = [p["score"] for p in pairs]
    assert scores == sorted(scores, reverse=True)
    for p in pairs:
        a, b = p["cities"]
        assert a != b
        for e in p["exchange"]:
            assert e["gap"] >= 0.2 and {e["from"], e["to"]} == {a, b}
    first = pairs[0]
    assert first["shared"]["target_groups"]
    assert first["similarity"] > 0


def test_pairings_rubric_choice(examples: Network) -> None:
    pairs = pairings(examples, rubrics=["urbact-iap"], per_city=1)
    assert all(e["section"].startswith("urbact-iap.") for p in pairs for e in p["exchange"])
    for p in pairs:  # the score is the similarity plus half the largest gap between the two cities
        best = max((e["gap"] for e in p["exchange"]), default=0.0)
        assert p["score"] == pytest.approx(p["similarity"] + best / 2, abs=0.002)
    # the scores of this network spread: some pair can learn from the other on a section of the grid
    assert any(p["exchange"] for p in pairs)


# ---------------------------------------------------------------------------
# Reviewer assignment


def test_assign_reviewers_on_the_examples(examples: Network) -> None:
    assignments = assign_reviewers(examples, per_plan=2)
    assert [a["plan"] for a in assignments] == [p.id for p in examples]
    loads = Counter(r for a in assignments for r in a["reviewers"])
    assert set(loads.values()) == {2}
    for a in assignments:
        assert a["city"] not in a["reviewers"]
        assert len(set(a["reviewers"])) == 2
        assert [examples.plan(p).plan.city for p in a["reviewer_plans"]] == a["reviewers"]
    assert assign_reviewers(examples, per_plan=2) == assignments
    assert assign_reviewers(examples, per_plan=2, seed=1) != assignments
    assert {len(a["reviewers"]) for a in assign_reviewers(examples, per_plan=7)} == {7}
    with pytest.raises(ValueError, match="at least 9 cities"):
        assign_reviewers(examples, per_plan=8)


def test_assign_reviewers_over_hundreds_of_plans(generated_plans: list[Plan]) -> None:
    assignments = assign_reviewers(generated_plans, per_plan=3, seed=7)
    loads = Counter(r for a in assignments for r in a["reviewers"])
    assert len(loads) == 294 and set(loads.values()) == {3}
    assert all(a["city"] not in a["reviewers"] for a in assignments)


def test_assign_reviewers_with_several_plans_per_city(examples: Network) -> None:
    """Two versions of some plans: a city never reviews its own, and loads stay balanced."""
    import attrs

    extra = [attrs.evolve(p, plan=attrs.evolve(p.plan, id=p.id + "-v2")) for p in examples.plans[:3]]
    plans = [*examples.plans, *extra]
    assignments = assign_reviewers(plans, per_plan=2)
    loads = Counter(r for a in assignments for r in a["reviewers"])
    assert max(loads.values()) - min(loads.values()) <= 1
    assert sum(loads.values()) == 2 * 11
    assert all(a["city"] not in a["reviewers"] for a in assignments)


def test_review_assign_command() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["review", "assign", str(EXAMPLES_DIR), "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["assignments"] == assign_reviewers(Network.load(EXAMPLES_DIR))
    assert set(doc["loads"].values()) == {2}
    result = runner.invoke(main, ["review", "assign", str(EXAMPLES_DIR), "--per-plan", "3"])
    assert result.exit_code == 0 and "reviews per city:" in result.stdout
    result = runner.invoke(main, ["review", "assign", str(EXAMPLES_DIR), "--per-plan", "9"])
    assert result.exit_code == 2 and "at least 10 cities" in result.stderr
    result = runner.invoke(main, ["review", "assign", str(EXAMPLES_DIR), "--format", "csv"])
    assert result.stdout.splitlines()[0] == "plan,city,reviewers"


# ---------------------------------------------------------------------------
# Agreement between assessors


def _assessment(assessor: str, scores: dict[str, int], plan: str = "bielsko-biala-iap") -> Assessment:
    return Assessment(
        plan=plan,
        rubric="urbact-iap",
        assessor=assessor,
        scores=tuple(CriterionScore(c, s) for c, s in scores.items()),
    )


def test_agreement_spread_and_flags(examples: Network) -> None:
    plan = examples.plan("Bielsko-Biała")
    card = td.score(plan)
    auto = {r.criterion.id: r.automatic.score for r in card.results() if r.automatic is not None}
    ids = [c for c, s in auto.items() if s == 5][:3]
    assert len(ids) == 3
    agreeing, split, low = ids
    rows = agreement(
        plan,
        "urbact-iap",
        [
            _assessment("larnaka", {agreeing: 5, split: 5, low: 1}),
            _assessment("idrija", {agreeing: 4, split: 2, low: 2}),
        ],
    )
    by_id = {r["criterion"]: r for r in rows}
    assert [r["criterion"] for r in rows] == [c.id for c in card.rubric.criteria()]
    assert by_id[agreeing]["scores"] == {"larnaka": 5, "idrija": 4}
    assert (by_id[agreeing]["mean"], by_id[agreeing]["spread"], by_id[agreeing]["stdev"]) == (4.5, 1, 0.5)
    assert not by_id[agreeing]["flag"]
    assert (by_id[split]["spread"], by_id[split]["stdev"], by_id[split]["flag"]) == (3, 1.5, True)
    assert any("differ by 3" in r for r in by_id[split]["reasons"])
    assert by_id[low]["spread"] == 1 and by_id[low]["flag"]  # people agree, the automatic score does not
    assert any("automatic score 5" in r for r in by_id[low]["reasons"])
    unscored = [r for r in rows if r["n"] == 0]
    assert unscored and all(r["mean"] is None and r["spread"] is None and not r["flag"] for r in unscored)


def test_agreement_refuses_assessments_of_another_plan(examples: Network) -> None:
    with pytest.raises(PlanError, match="not 'bielsko-biala-iap'"):
        agreement(examples.plan("Bielsko-Biała"), "urbact-iap", [_assessment("x", {}, plan="trikala-iap")])


def _write_assessment(path: Path, assessor: str, scores: dict[str, int], plan: str = "bielsko-biala-iap") -> Path:
    lines = [
        "format: 1",
        "assessment:",
        f"  plan: {plan}",
        "  rubric: urbact-iap",
        f"  assessor: {assessor}",
        "  scores:",
    ]
    lines += [f"    - {{criterion: {c}, score: {s}}}" for c, s in scores.items()]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def test_collect_assessments_and_agreement_command(tmp_path: Path, examples: Network) -> None:
    criterion = next(iter(td.score(examples.plan("Bielsko-Biała")).rubric.criteria())).id
    folder = tmp_path / "reviews"
    folder.mkdir()
    _write_assessment(folder / "larnaka.yaml", "peer-review-larnaka", {criterion: 1})
    _write_assessment(folder / "idrija.yaml", "peer-review-idrija", {criterion: 5})
    _write_assessment(folder / "other.yaml", "peer-review-psahna", {criterion: 3}, plan="trikala-iap")
    grouped = collect_assessments(folder)
    assert sorted(grouped) == ["bielsko-biala-iap", "trikala-iap"]
    assert len(grouped["bielsko-biala-iap"]) == 2
    runner = CliRunner()
    plan_path = str(EXAMPLES_DIR / "bielsko-biala.yaml")
    args = ["review", "agreement", plan_path, "--assessment", str(folder / "larnaka.yaml")]
    args += ["--assessment", str(folder / "idrija.yaml")]
    result = runner.invoke(main, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    first = doc["criteria"][0]
    assert first["criterion"] == criterion and first["spread"] == 4 and first["flag"]
    assert doc["flagged"] >= 1
    result = runner.invoke(main, args)
    assert "criteria flagged" in result.stdout and "peer-review-larnaka" in result.stdout
    # an assessment of another plan: its place, exit 2
    result = runner.invoke(main, ["review", "agreement", plan_path, "--assessment", str(folder / "other.yaml")])
    assert result.exit_code == 2
    assert re.search(r"other\.yaml:3:\d+: .*trikala-iap", result.stderr)
    (folder / "bad.yaml").write_text("format: 1\nassessment: [\n", "utf-8")
    with pytest.raises(PlanError):
        collect_assessments(folder)


def test_compare_text_sends_no_control_sequence(tmp_path: Path) -> None:
    text = starter_plan(city="Placeholder", plan_id="evil-iap")
    assert "  city: Placeholder\n" in text
    hostile = '  city: "Evil\\e[31m\\u202eTown\\u2066 with a bell\\a"\n'  # YAML escapes: ESC, bidi, BEL
    (tmp_path / "evil.yaml").write_text(text.replace("  city: Placeholder\n", hostile), "utf-8")
    assert td.load(tmp_path / "evil.yaml").plan.city == "Evil\x1b[31m\u202eTown\u2066 with a bell\x07"
    for args in ([], ["--width", "50"]):
        result = CliRunner().invoke(main, ["compare", str(tmp_path), *args])
        assert result.exit_code == 0, result.output
        for bad in ("\x1b", "\u202e", "\u2066", "\x07"):
            assert bad not in result.stdout
        assert "Evil\\x1b[31m\\u202eTown\\u2066" in result.stdout  # shown, escaped
