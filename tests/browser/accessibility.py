"""Helpers of the accessibility tests: axe-core from npm (package-lock.json), run in a page."""

from pathlib import Path

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.2 level AA and everything below it.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}

_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}"""


def axe_violations(page):
    """The axe-core violations of the page as it is now (WCAG 2.2 AA rules)."""
    # Evaluated rather than added as a <script>: the portal's CSP refuses inline scripts, and
    # the check must run under the real CSP.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8") + "\n;0")
    return page.evaluate(_RUN, AXE_TAGS)


def blocking(violations):
    return [v for v in violations if v["impact"] in BLOCKING_IMPACTS]


def describe(violations):
    """A readable list: rule, impact, what to do, and where (up to five elements a rule)."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"][:5]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    at {node['target']}: {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def assert_no_serious_violations(page, label):
    found = blocking(axe_violations(page))
    assert not found, (
        f"axe-core: serious or critical WCAG 2.2 AA violations on {label} ({page.url}):\n"
        + describe(found)
    )
