"""The report's appendix of reality checks: each check of `sim/analysis/checks.yaml` evaluated on
the report's runs of the scenario it names (pass, fail, or not run when the report has no such
run or its runs do not cover the period)."""

from __future__ import annotations

import html
from collections.abc import Sequence

from sim.analysis.checks import CheckResult, evaluate_all, load_checks
from sim.report.data import RunData
from sim.report.i18n import Tr

VERDICT_CLASS = {True: "pass", False: "fail", None: "not_run"}


def _period(result: CheckResult) -> str:
    c = result.check
    text = f"{c.start:%Y-%m} – {c.end:%Y-%m}"
    return text if c.months is None else f"{text} ({', '.join(str(m) for m in c.months)})"


def _bounds(result: CheckResult, tr: Tr) -> str:
    c = result.check
    share = c.aggregate == "share"
    fmt = (lambda v: f"{v:.0%}") if share else (lambda v: f"{v:.2f}")
    parts = []
    if c.at_least is not None:
        parts.append(f"≥ {fmt(c.at_least)}")
    if c.at_most is not None:
        parts.append(f"≤ {fmt(c.at_most)}")
    kind = tr("checks.share") if share else tr("checks.mean")
    return f"{kind} {', '.join(parts)}"


def _value(result: CheckResult) -> str:
    if result.value is None:
        return "–"
    if result.check.aggregate == "share":
        return f"{result.value:.1%} ({result.rows})"
    return f"{result.value:.3f}"


def checks_results(runs: Sequence[RunData]) -> list[CheckResult]:
    tables = {run.name: {"sections": run.sections, "township": run.township,
                         "villages": run.villages} for run in runs}
    return evaluate_all(load_checks(), tables)


def checks_html(runs: Sequence[RunData], tr: Tr) -> list[str]:
    """The appendix's heading, note and table (one row per check)."""
    results = checks_results(runs)
    header = [tr(f"checks.col.{c}") for c in ("check", "scenario", "period", "expected",
                                                "value", "result")]
    rows = []
    for r in results:
        verdict = VERDICT_CLASS[r.passed]
        text = r.check.text["zh" if tr.lang == "zh" else "en"]
        cells = [text, tr.name("scenario", r.check.scenario), _period(r), _bounds(r, tr),
                 _value(r), tr(f"checks.{verdict}")]
        rows.append("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in cells[:-1])
                    + f'<td class="check-{verdict}" style="white-space:nowrap">'
                    f'{html.escape(cells[-1])}</td></tr>')
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    passed = sum(r.passed is True for r in results)
    failed = sum(r.passed is False for r in results)
    return [f'<h2 id="{tr.lang}-sec-checks">{html.escape(tr("page.checks"))}</h2>',
            f'<p class="note">{html.escape(tr("page.checks.note", passed=passed, failed=failed, not_run=len(results) - passed - failed))}</p>',  # noqa: E501
            f'<table class="checks"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}'
            "</tbody></table>"]
