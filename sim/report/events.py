"""The event log in the page's language.

The model writes each event's detail as a short English phrase (`events.parquet`, for a reader
of the table). The page shows the kind, the subject and the detail in its own language: each
kind has a catalogue word (`event.<kind>`), named subjects theirs (`event.subject.<name>`; ids
such as W01 or V19 stay), and a detail that matches its kind's pattern below is rewritten by the
catalogue's `event.detail.<kind>` with the numbers it holds. A detail that matches no pattern
is shown as written (a newer model's event is never hidden).
"""

from __future__ import annotations

import re

import pandas as pd

from sim.report.i18n import CATALOGUES, Tr

NUMBER = r"([-+]?[0-9]+(?:\.[0-9]+)?)"
JIN_PER_KG = 2.0  # 1 斤 = 0.5 kg (GLOSSARY): Chinese pages give crayfish prices per 斤

# the model's detail phrases (sim/model: township, livestock, farming, life, councils, levers)
PATTERNS: dict[str, re.Pattern[str]] = {
    "closure": re.compile(rf"^(?:rule:(\w+)|named); {NUMBER} workers laid off$"),
    "connection": re.compile(r"^(\w+)$"),
    "fine": re.compile(rf"^{NUMBER} months of profit$"),
    "inspection_failed": re.compile(rf"^{NUMBER} head$"),
    "coculture_spring": re.compile(rf"^{NUMBER} adopted, {NUMBER} dropped out$"),
    "facility_build_start": re.compile(rf"^capacity {NUMBER} m3/d$"),
    "investment": re.compile(rf"^\+{NUMBER} beds, \+{NUMBER} trail/day, \+{NUMBER} appeal$"),
    "investor_admitted": re.compile(r"^village (\S+)$"),
    "investor_refused": re.compile(r"^village (\S+)$"),
    "outage_start": re.compile(rf"^{NUMBER} days$"),
    "outage_end": re.compile(rf"^{NUMBER} days$"),
    "price_crash": re.compile(rf"^{NUMBER} yuan/kg$"),
    "retrofit": re.compile(rf"^loan {NUMBER}, free equipment {NUMBER}$"),
    "sand_site_closed": re.compile(rf"^{NUMBER} mu restored$"),
    "homestays_opened": re.compile(rf"^{NUMBER} new, private investment \(yuan\)$"),
    "issue_resolved": re.compile(r"^(rubbish_point|dumping|street_lights|other)$"),
}


def _detail(kind: str, detail: str, tr: Tr) -> str:
    """The detail in the page's language, or as written when it has no known pattern."""
    pattern = PATTERNS.get(kind)
    match = pattern.match(detail) if pattern else None
    key = f"event.detail.{kind}"
    if match is None or key not in CATALOGUES[tr.lang]:
        return detail
    groups = list(match.groups())
    if kind == "connection":
        groups[0] = tr.name("lever", groups[0])
    if kind == "issue_resolved":
        groups[0] = tr(f"event.issue.{groups[0]}")
    if kind == "closure":
        rule = groups[0]
        groups[0] = tr.name("event.rule", rule) if rule else tr("event.rule.named")
    if kind == "price_crash" and tr.lang == "zh":
        groups[0] = f"{float(groups[0]) / JIN_PER_KG:.1f}"
    if kind == "retrofit":  # 万元 in Chinese; whole yuan in English (M yuan rounds them to 0)
        groups = ([f"{float(g) / 1e4:.1f}" for g in groups] if tr.lang == "zh"
                  else [f"{float(g):,.0f}" for g in groups])
    return tr(key, **{f"v{i}": g for i, g in enumerate(groups)})


def events_in_language(table: pd.DataFrame, tr: Tr) -> pd.DataFrame:
    """`events_table`'s rows (date, kind, subject, detail) with kind, subject and detail in
    the page's language."""
    out = table.copy()
    out["detail"] = [_detail(str(k), str(d), tr) for k, d in zip(table["kind"], table["detail"],
                                                                  strict=True)]
    out["kind"] = [tr.name("event", str(k)) for k in table["kind"]]
    subjects = CATALOGUES[tr.lang]
    out["subject"] = [subjects.get(f"event.subject.{s}", str(s)) for s in table["subject"]]
    return out


__all__ = ["PATTERNS", "events_in_language"]
