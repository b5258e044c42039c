"""Accessibility checks in the browser: axe-core (node_modules/axe-core, pinned in
package-lock.json and installed by `make test`) run on the page as it is, at WCAG 2.1 AA.

    from tests.browser.a11y import assert_accessible

    page.goto(...)
    assert_accessible(page)                       # the whole page, 0 violations
    assert_accessible(page, name="after-verdict") # the name goes into the report

axe is evaluated through the DevTools protocol, which the page's Content-Security-Policy does
not govern, so the pages are checked under their real policy (no `bypass_csp`). Every check is
recorded in test-artifacts/axe/ (one line per page: rules passed, violations), the figures the
accessibility browser tests report.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
REPORT = ROOT / "test-artifacts" / "axe"
# WCAG 2.0 and 2.1, levels A and AA: the standard the issue asks for.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_RUN = """async ([tags, include, exclude]) => {
  const context = include || exclude ? {include: include || [document], exclude: exclude || []}
                                     : document;
  const result = await axe.run(context, {runOnly: {type: "tag", values: tags},
                                         resultTypes: ["violations"]});
  return {
    passes: result.passes.length,
    incomplete: result.incomplete.map(r => r.id),
    violations: result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
      nodes: v.nodes.slice(0, 8).map(n => ({target: n.target.join(" "), html: n.html.slice(0, 200),
                                            summary: n.failureSummary})),
      count: v.nodes.length,
    })),
  };
}"""


def _axe_source() -> str:
    if not AXE.exists():
        message = f"axe-core not found at {AXE}: run `make test` (it runs npm ci)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


# What Playwright reports when a click's navigation replaces the document under axe: the
# check is run again on the page that arrived.
_NAVIGATED = ("Execution context was destroyed", "reading 'documentElement'",
              "Cannot find context", "frame was detached")


def run_axe(page, include: list[str] | None = None, exclude: list[str] | None = None) -> dict:
    """axe's findings on the page (or the parts `include` selects, minus `exclude`), once the
    page has loaded: a click does not wait for the navigation it starts."""
    for _retry in range(3):
        try:
            return _evaluate_axe(page, include, exclude)
        except PlaywrightError as error:
            if not any(sign in str(error) for sign in _NAVIGATED):
                raise
    return _evaluate_axe(page, include, exclude)


def _evaluate_axe(page, include, exclude) -> dict:
    page.wait_for_load_state("load")
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    return page.evaluate(_RUN, [TAGS, include, exclude])


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}, {violation['count']} nodes): "
                     f"{violation['help']} — {violation['url']}")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}: {node['html']}")
            lines.append("      " + (node["summary"] or "").replace("\n", "\n      "))
    return "\n".join(lines)


def assert_accessible(page, name: str = "", include: list[str] | None = None,
                      exclude: list[str] | None = None) -> dict:
    """Fail with axe's own words when the page has a WCAG 2.1 A/AA violation; returns the
    findings (passes, incomplete) and records them in test-artifacts/axe/."""
    result = run_axe(page, include, exclude)
    _record(page, name, result)
    assert not result["violations"], (
        f"axe found WCAG 2.1 AA violations on {page.url} {name}:\n"
        + describe(result["violations"]))
    return result


def _record(page, name: str, result: dict) -> None:
    REPORT.mkdir(parents=True, exist_ok=True)
    test = os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0].replace("/", "_")
    line = {"test": test, "page": name or page.url.split("//", 1)[-1].split("/", 1)[-1],
            "url": page.url, "passes": result["passes"],
            "violations": sum(v["count"] for v in result["violations"]),
            "rules": [v["id"] for v in result["violations"]]}
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with (REPORT / f"checks-{worker}.jsonl").open("a", encoding="utf-8") as out:
        out.write(json.dumps(line) + "\n")
