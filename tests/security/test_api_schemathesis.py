"""Schemathesis with every check against the live API (issue 16, finding 7).

The app is served over HTTP on a free local port; the run uses schemathesis's engine, the
same one its CLI drives, with `--checks all`. One adjustment, and why: JSON Schema cannot say
"this string is an expression that parses" or "wrt is one of variables", so a schema-valid
request may still get the contract's 400 for an invalid expected side. `positive_data_acceptance`
therefore also accepts 400, and the custom check below narrows that back down: a schema-valid
request may only be refused with one of those semantic codes, never with `bad_request` (which
would mean schema and API disagree about the shape), and never for an empty or blank
expression (the schema refuses those itself).
"""

from __future__ import annotations

import logging

import pytest

from app import create_app
from app.extensions import db
from tests.browser.conftest import LiveServer
from tests.conftest import base_config

schemathesis = pytest.importorskip("schemathesis")

SEMANTIC_CODES = {"invalid_expected", "invalid_function", "invalid_wrt", "invalid_domain",
                  "invalid_variables"}
MAX_EXAMPLES = 25


@schemathesis.check
def schema_valid_refusals_are_semantic(ctx, response, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 400:
        return None
    error = response.json()["error"]
    if error["code"] not in SEMANTIC_CODES:
        raise AssertionError(f"schema-valid request refused with {error['code']}: "
                             f"{error['message']}")
    for name in ("expected", "function"):
        if "is empty" in error["message"] and name in error["message"]:
            raise AssertionError(f"the schema allowed an empty {name}")
    return None


def _failures(server_url: str) -> tuple[int, list[str]]:
    from schemathesis.config import PositiveDataAcceptanceConfig, SchemathesisConfig
    from schemathesis.engine import events, from_schema

    config = SchemathesisConfig()
    config.update(seed=16, max_failures=None)
    project = config.projects.override
    project.checks.update(included_check_names=["all"])
    project.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
        expected_statuses=["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"])
    project.generation.update(max_examples=MAX_EXAMPLES)
    schema = schemathesis.openapi.from_url(f"{server_url}/api/v1/openapi.json", config=config)
    schema.config.base_url = f"{server_url}/api/v1"
    checked, failures = 0, []
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            for case_id, checks in event.recorder.checks.items():
                for check in checks:
                    checked += 1
                    if check.failure_info is not None:
                        case = event.recorder.cases[case_id].value
                        failures.append(f"{event.label} {check.name}: "
                                        f"{check.failure_info.failure.title} "
                                        f"{getattr(check.failure_info.failure, 'message', '')} "
                                        f"(body {case.body!r:.300})")
        elif isinstance(event, events.FatalError | events.NonFatalError):
            failures.append(f"schemathesis error: {event}")
    return checked, failures


@pytest.mark.slow
def test_schemathesis_all_checks_find_nothing(tmp_path):
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app = create_app(base_config(f"sqlite:///{tmp_path / 'st.sqlite3'}", CHECK_WORKERS=2,
                                 CHECK_TIMEOUT_SECONDS=5))
    with app.app_context():
        db.create_all()
    server = LiveServer(app).start()
    try:
        checked, failures = _failures(server.url)
    finally:
        server.stop()
    assert checked > 300
    assert failures == [], "\n".join(sorted(set(failures)))
