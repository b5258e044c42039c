"""Seeded fuzzing of /api/v1/check: random text, near-grammar text and random bodies.

Whatever arrives, the reply is one the contract allows (checked against the served OpenAPI
schemas), never a 500, and comes within the time limit. The seeds are fixed so a failure
reproduces; the case is printed in the assertion message.
"""

from __future__ import annotations

import json
import random
import time

import pytest

from tests.api.conftest import API_CONFIG, SLACK_SECONDS, schema_validator

LIMIT = API_CONFIG["CHECK_TIMEOUT_SECONDS"] + SLACK_SECONDS
CASES_PER_SEED = 400
SEEDS = [1, 2, 3, 4, 5]

CHECK_REPLY = schema_validator("CheckReply")
PREVIEW_REPLY = schema_validator("PreviewReply")
REQUEST_ERROR = schema_validator("RequestError")

CHARACTERS = list("xyzt0123456789.eE^*/+-() _,σπŷ−·×²³[]{}'\"\\=<>!@#$%&|~`;:?\t\n\x00\x1b\u202e")
WORDS = [
    "sin",
    "cos",
    "log",
    "ln",
    "exp",
    "sqrt",
    "abs",
    "sigma",
    "sigmoid",
    "tanh",
    "asin",
    "pi",
    "e",
    "yhat",
    "x_1",
    "import",
    "lambda",
    "diff",
    "__class__",
    "1e309",
    "5.1e-2",
]
FUNCTIONS = [
    "sin",
    "cos",
    "tan",
    "log",
    "ln",
    "exp",
    "sqrt",
    "abs",
    "σ",
    "sigma",
    "tanh",
    "atan",
    "arcsin",
    "cosh",
    "sech",
    "foo",
]
ATOMS = ["x", "y", "t", "2", "0.5", ".5", "3", "e", "pi", "π", "ŷ", "yhat", "10", "0"]
OPERATORS = ["+", "-", "*", "/", "^", "**", " ", "", "·", "×", "−"]


def random_text(rng: random.Random) -> str:
    pieces = []
    for _ in range(rng.randint(0, 20)):
        pieces.append(rng.choice(WORDS) if rng.random() < 0.2 else rng.choice(CHARACTERS))
    return "".join(pieces)


def expression(rng: random.Random, depth: int = 0) -> str:
    roll = rng.random()
    if depth >= 4 or roll < 0.3:
        return rng.choice(ATOMS)
    if roll < 0.5:
        return f"{rng.choice(FUNCTIONS)}({expression(rng, depth + 1)})"
    if roll < 0.6:
        return f"({expression(rng, depth + 1)})"
    if roll < 0.65:
        return "-" + expression(rng, depth + 1)
    left, right = expression(rng, depth + 1), expression(rng, depth + 1)
    return f"{left}{rng.choice(OPERATORS)}{right}"


def near_grammar(rng: random.Random) -> str:
    text = expression(rng)
    for _ in range(rng.choice([0, 0, 1, 2])):
        position = rng.randint(0, len(text))
        action = rng.random()
        if action < 0.4:
            text = text[:position] + rng.choice(CHARACTERS) + text[position:]
        elif action < 0.7:
            text = text[:position] + text[position + 1 :]
        else:
            text = text[:position] + text[position:] * 2
    return text


def random_value(rng: random.Random, depth: int = 0):
    roll = rng.random()
    if depth < 2 and roll < 0.15:
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if depth < 2 and roll < 0.3:
        keys = ["function", "wrt", "relative", "absolute", "x", "t", "y", ""]
        return {rng.choice(keys): random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))}
    return rng.choice(
        [
            None,
            True,
            False,
            0,
            -1,
            1.5,
            1e308,
            -1e-300,
            10**30,
            "",
            "x",
            "t",
            "yhat",
            near_grammar(rng),
            random_text(rng),
        ]
    )


def random_body(rng: random.Random):
    keys = ["answer", "expected", "derivative_of", "variables", "domain", "tolerance"]
    if rng.random() < 0.1:
        return random_value(rng)
    body = {key: random_value(rng) for key in rng.sample(keys, rng.randint(0, len(keys)))}
    if rng.random() < 0.5:
        body["answer"] = near_grammar(rng)
    return body


def well_formed_body(rng: random.Random, answer: str) -> dict:
    roll = rng.random()
    if roll < 0.4:
        return {"answer": answer, "expected": "x*sigma(x)", "variables": ["x"]}
    if roll < 0.7:
        return {"answer": answer, "derivative_of": {"function": "sigma(2x-1)", "wrt": "x"}}
    if roll < 0.85:
        return {
            "answer": answer,
            "expected": "log(x)",
            "domain": {"x": [0, 5]},
            "tolerance": {"relative": 0.001},
        }
    return {"answer": answer, "expected": "t - yhat", "variables": ["t", "yhat", "y"]}


def _case(rng: random.Random):
    roll = rng.random()
    if roll < 0.4:
        return well_formed_body(rng, near_grammar(rng))
    if roll < 0.7:
        return well_formed_body(rng, random_text(rng))
    return random_body(rng)


def assert_contract_reply(response, elapsed, case, reply_schema):
    where = f"case {json.dumps(case, ensure_ascii=False)[:300]}"
    assert elapsed < LIMIT, f"took {elapsed:.2f} s: {where}"
    assert response.status_code in (200, 400), f"{response.status_code}: {where}"
    body = response.get_json()
    if response.status_code == 400:
        REQUEST_ERROR.validate(body)
        return
    reply_schema.validate(body)
    if not body["valid"]:
        assert body["error"] is not None, where
        assert body.get("equivalent") is None, where
    elif "equivalent" in body:
        assert (body["equivalent"] is None) == (body["error"] is not None), where
    assert body["error"] is None or body["error"]["code"] != "internal", where


@pytest.mark.parametrize("seed", SEEDS)
def test_check_replies_follow_the_contract_whatever_arrives(api, seed):
    rng = random.Random(seed)
    for _ in range(CASES_PER_SEED):
        case = _case(rng)
        start = time.monotonic()
        response = api.post("/api/v1/check", json=case)
        assert_contract_reply(response, time.monotonic() - start, case, CHECK_REPLY)


def test_preview_replies_follow_the_contract_whatever_arrives(api):
    rng = random.Random(99)
    for _ in range(CASES_PER_SEED):
        case = {"answer": near_grammar(rng) if rng.random() < 0.6 else random_text(rng)}
        if rng.random() < 0.5:
            case["variables"] = rng.choice([["x"], ["x", "y"], ["t", "yhat"], ["x", 1], "x"])
        start = time.monotonic()
        response = api.post("/api/v1/preview", json=case)
        assert_contract_reply(response, time.monotonic() - start, case, PREVIEW_REPLY)
