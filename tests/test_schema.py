"""The JSON Schema of the plan format agrees with the loader."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from conftest import EXAMPLES
from techdiversity.cli import main
from techdiversity.formats import read_text
from techdiversity.schema import assessment_schema, plan_schema
from techdiversity.starter import starter_plan

VALIDATOR = jsonschema.Draft202012Validator(plan_schema())


def test_schema_is_valid() -> None:
    jsonschema.Draft202012Validator.check_schema(plan_schema())
    jsonschema.Draft202012Validator.check_schema(assessment_schema())


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_validates(path: Path) -> None:
    data, _ = read_text(path.read_text("utf-8"), "yaml")
    errors = sorted(VALIDATOR.iter_errors(data), key=str)
    assert not errors, errors[0]


def test_starter_validates_and_mistakes_do_not() -> None:
    data, _ = read_text(starter_plan(), "yaml")
    VALIDATOR.validate(data)
    bad = dict(data, actions=[dict(data["actions"][0], contribute_to=["SO1"])])
    assert not VALIDATOR.is_valid(bad)
    bad = dict(data, plan=dict(data["plan"], status="final"))
    assert not VALIDATOR.is_valid(bad)
    bad = dict(data, plan=dict(data["plan"], period={"start": "2025-13"}))
    assert not VALIDATOR.is_valid(bad)
    bad = dict(data, format=2)
    assert not VALIDATOR.is_valid(bad)


def test_assessment_example_validates() -> None:
    doc = yaml.safe_load(
        "format: 1\nassessment: {plan: p, rubric: urbact-iap, assessor: a, date: 2025-10-02,"
        " scores: [{criterion: consultation-meetings, score: 3}]}"
    )
    doc["assessment"]["date"] = "2025-10-02"
    jsonschema.Draft202012Validator(assessment_schema()).validate(doc)


def test_cli_prints_the_schema() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"].startswith("Integrated Action Plan")
