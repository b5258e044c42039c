"""How often a typical wrong answer gets a specific and correct message.

The set is tests/bank/feedback_set.yaml: wrong answers to the shipped bank, typed the way
students type them, each with the mistake kinds whose message describes it. Every answer
goes through the grading function (`app.bank.judge.judge`) and is counted as

- **hit**: a specific message of one of the listed kinds;
- **wrong message**: a specific message of another kind (it misdescribes the answer);
- **general**: only the general analysis ("not quite" and true facts);
- **not wrong**: judged correct, in another form, or undecided (a broken set entry).

Prints the hit rate per template and overall, and every entry that is not a hit.

Run: ``.venv/bin/python -m bench.feedback_bench`` (``--set FILE`` for another set).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402

from app.bank import load_bank  # noqa: E402
from app.bank.judge import INCORRECT, judge  # noqa: E402
from app.cas.parse import parse  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "tests" / "bank" / "feedback_set.yaml"
PROBLEMS = ROOT / "problems"


@dataclass(frozen=True)
class Outcome:
    template: str
    seed: int
    answer: str
    wanted: tuple[str, ...]
    verdict: str
    kind: str | None
    specific: bool
    message: str | None

    @property
    def status(self) -> str:
        if self.verdict != INCORRECT:
            return "not wrong"
        if not self.specific:
            return "general"
        return "hit" if self.kind in self.wanted else "wrong message"


def load_set(path: Path = SET) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def run(entries: list[dict], problems: Path = PROBLEMS) -> list[Outcome]:
    bank = load_bank(problems)
    outcomes = []
    for entry in entries:
        variant = bank.variant(entry["template"], int(entry["seed"]))
        expr = parse(entry["answer"], list(variant.variables))
        judgement = judge(variant, expr, entry["answer"])
        outcomes.append(
            Outcome(entry["template"], int(entry["seed"]), entry["answer"],
                    tuple(entry["kinds"]), judgement.verdict, judgement.kind,
                    judgement.specific, judgement.message)
        )
    return outcomes


def summary(outcomes: list[Outcome]) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for outcome in outcomes:
        table[outcome.template][outcome.status] += 1
        table[outcome.template]["total"] += 1
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=SET, help="the feedback set (YAML)")
    args = parser.parse_args(argv)
    entries = load_set(args.set)
    start = time.perf_counter()
    outcomes = run(entries)
    elapsed = time.perf_counter() - start
    table = summary(outcomes)
    print(f"{'template':<36} {'answers':>7} {'hits':>5} {'rate':>6} {'wrong msg':>9} "
          f"{'general':>7} {'not wrong':>9}")
    for template in sorted(table):
        row = table[template]
        rate = row["hit"] / row["total"]
        print(f"{template:<36} {row['total']:>7} {row['hit']:>5} {rate:>6.0%} "
              f"{row['wrong message']:>9} {row['general']:>7} {row['not wrong']:>9}")
    hits = sum(row["hit"] for row in table.values())
    wrong = sum(row["wrong message"] for row in table.values())
    print(f"{'overall':<36} {len(outcomes):>7} {hits:>5} {hits / len(outcomes):>6.0%} "
          f"{wrong:>9}")
    print(f"{len(table)} templates, {elapsed / len(outcomes) * 1000:.0f} ms per answer")
    misses = [o for o in outcomes if o.status != "hit"]
    if misses:
        print("\nNot a hit:")
        for o in misses:
            print(f"  [{o.status}] {o.template}#{o.seed} {o.answer!r}: got {o.verdict}/{o.kind}, "
                  f"wanted {'/'.join(o.wanted)}\n      {o.message}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
