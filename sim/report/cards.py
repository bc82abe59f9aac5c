"""The answer first: one card per key outcome of each policy against the base, with the
difference taken replicate by replicate (common random numbers), its 95 % interval, an arrow
and one sentence in words, in the page's language.

The numbers come from the analysis layer (`sim.analysis.compare.summarize`, the table that
`greensim compare` prints), so the report and `compare` say the same thing.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from sim.analysis.compare import folder_span, replicate_outcomes, summarize
from sim.analysis.outcomes import DISCOUNT_RATE_PER_YEAR, Period
from sim.report.data import RunData
from sim.report.figures import months_per_year
from sim.report.i18n import Tr

CARD_OUTCOMES = ("target_share", "cod_t_per_yr", "nh3n_t_per_yr",
                 "income_per_capita_yuan_per_yr", "visits_per_yr", "satisfaction_mean",
                 "coculture_households", "public_spending_yuan_per_yr")
"""The outcomes on the cards, in order (each shown when the runs have its columns)."""
# Okabe–Ito colours (safe for colour-blind readers): better, worse, no clear difference
VERDICT_COLOURS = {"better": "#0072B2", "worse": "#D55E00", "no clear difference": "#6b6b6b"}
VERDICT_KEYS = {"better": "card.better", "worse": "card.worse",
                "no clear difference": "card.unclear"}
COST_OUTCOMES = ("public_spending_yuan_per_yr",)
"""Money spent: more is neither better nor worse on its own (what it buys is on the other
cards and under 'What the money bought'), so its card is neutral: 'more / less spending'."""
NEUTRAL_COLOUR = "#6b6b6b"


def card_year(runs: Sequence[RunData]) -> int | None:
    """The last calendar year every run covers in full (None if there is none)."""
    full = [y for y, n in months_per_year([r.township for r in runs]).items() if n == 12]
    return max(full) if full else None


CardSummary = tuple[int, pd.DataFrame] | None
"""The year the cards show and `compare`'s summary rows for it (None: nothing to compare)."""


def card_summary(runs: Sequence[RunData]) -> CardSummary:
    """`compare`'s summary rows in the last full year (the cards) and over the whole run (the
    costs), the first run as the base (None with one run, or no full year)."""
    year = card_year(runs)
    if len(runs) < 2 or year is None:
        return None
    frames = [(r.name, int(r.meta.get("seed", -1)),
               replicate_outcomes(r.folder, [Period(year, year), Period()],
                                  DISCOUNT_RATE_PER_YEAR))
              for r in runs]
    return year, summarize(frames, [folder_span(r.folder, r.meta) for r in runs])


def _amount(tr: Tr, outcome: str, value: float) -> str:
    return tr(f"unit.{outcome}", v=value, p=value * 100, m=value / 1e6, w=value / 1e4)


def card_sentence(tr: Tr, row: pd.Series, base_mean: float, base: str, year: int) -> str:
    """One sentence in words: which way the outcome moves against the base, by how much, and
    the 95 % interval of the difference."""
    o = str(row["outcome"])
    diff, low, high = float(row["diff_mean"]), float(row["diff_ci_low"]), float(row["diff_ci_high"])
    values = {"outcome": tr(f"outcome.{o}"), "year": year, "base": base,
              "diff": _amount(tr, o, diff), "drop": _amount(tr, o, -diff)}

    def interval(a: float, b: float) -> str:  # none when its ends show as one number
        ends = _amount(tr, o, a), _amount(tr, o, b)
        return "" if ends[0] == ends[1] else tr("card.interval", low=ends[0], high=ends[1])

    if row["verdict"] == "no clear difference" or not (low > 0 or high < 0):
        return tr("card.sentence.flat", **values, interval=interval(low, high))
    if diff < 0:  # a fall is said as a positive amount; its interval as the fall's bounds
        return tr("card.sentence.down", **values, interval=interval(-high, -low))
    return tr("card.sentence.up", **values, interval=interval(low, high))


def cards_html(runs: Sequence[RunData], tr: Tr, found: CardSummary) -> str:
    """The answer-first block: for each policy (every run after the first, the base), a card
    per outcome (`found`: from `card_summary`); a note when there is nothing to compare."""
    if found is None:
        return f'<p class="note">{html.escape(tr("page.answer.none"))}</p>'
    year, summary = found
    summary = summary[(summary["period"] == str(year)) & summary["outcome"].isin(CARD_OUTCOMES)]
    base_run = runs[0]
    base = tr.name("scenario", base_run.name)
    base_rows = summary[summary["role"] == "base"].set_index("outcome")
    parts: list[str] = []
    for run in runs[1:]:
        rows = summary[(summary["scenario"] == run.name) & summary["verdict"].notna()
                       & (summary["verdict"] != "")]
        policy = tr.name("scenario", run.name)
        n = int(rows["n"].min()) if len(rows) else 0
        parts.append(f'<h3>{html.escape(policy)} − {html.escape(base)}</h3>')
        parts.append(f'<p class="note">{html.escape(tr("page.answer.note", policy=policy, base=base, year=year, n=n))}</p>')  # noqa: E501
        if len(rows) and not bool(rows["paired"].all()):
            parts.append(f'<p class="note">{html.escape(tr("page.answer.unpaired", policy=policy, base=base))}</p>')  # noqa: E501
        cards = []
        for outcome in CARD_OUTCOMES:
            match = rows[rows["outcome"] == outcome]
            if match.empty:
                continue
            row = match.iloc[0]
            cards.append(_card(tr, row, base_rows, base, year))
        parts.append('<div class="cards">' + "".join(cards) + "</div>")
    return "\n".join(parts)


def _card(tr: Tr, row: pd.Series, base_rows: pd.DataFrame, base: str, year: int) -> str:
    o = str(row["outcome"])
    verdict = str(row["verdict"])
    diff = float(row["diff_mean"])
    clear = verdict != "no clear difference" and diff != 0
    # the arrow gives the direction, so a clear change shows its size without a sign
    arrow = ("▲" if diff > 0 else "▼") if clear else "●"
    amount = _amount(tr, o, abs(diff) if clear else diff)
    base_mean = float(base_rows["mean"].get(o, math.nan))
    relative = ""
    if math.isfinite(base_mean) and base_mean != 0 and o != "target_share" and diff != 0:
        share = abs(diff) / abs(base_mean)
        relative = tr("card.relative.up" if diff > 0 else "card.relative.down",
                      share=f"{share:.1%}" if share < 0.1 else f"{share:.0%}")
    colour = VERDICT_COLOURS.get(verdict, NEUTRAL_COLOUR)
    word = tr(VERDICT_KEYS.get(verdict, "card.unclear"))
    if o in COST_OUTCOMES:
        colour = NEUTRAL_COLOUR
        if clear:
            word = tr("card.cost.more" if diff > 0 else "card.cost.less")
    sentence = card_sentence(tr, row, base_mean, base, year)
    attrs: dict[str, Any] = {"outcome": o, "verdict": verdict}
    data = " ".join(f'data-{k}="{html.escape(str(v))}"' for k, v in attrs.items())
    return (f'<div class="card" {data} style="border-top-color:{colour}">'
            f'<div class="card-head">{html.escape(tr(f"outcome.{o}"))}</div>'
            f'<div class="card-diff" style="color:{colour}">{arrow} '
            f'{html.escape(amount)}</div>'
            f'<div class="card-verdict">{html.escape(word)}'
            f'{" · " + html.escape(relative) if relative else ""}</div>'
            f'<p>{html.escape(sentence)}</p></div>')


__all__ = ["CARD_OUTCOMES", "CardSummary", "card_sentence", "card_summary", "card_year",
           "cards_html"]
