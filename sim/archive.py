"""The yearly ecological archive and the monthly village red/black list (pure functions)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def _ranks(x: np.ndarray) -> np.ndarray:
    """1-based ranks, ascending; ties keep village order (stable)."""
    order = np.argsort(x, kind="stable")
    out = np.empty(x.size, dtype=float)
    out[order] = np.arange(1, x.size + 1)
    return out


def village_ranks(sorting_share: np.ndarray, burning_per_household: np.ndarray,
                  unresolved: np.ndarray, cod_kg_per_capita: np.ndarray,
                  listed: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rank villages on four indicators (mean of ranks, 1 = best; ties by village number);
    the top `listed` form the red list and the bottom `listed` the black list."""
    ranks = (_ranks(-np.asarray(sorting_share)) + _ranks(np.asarray(burning_per_household))
             + _ranks(np.asarray(unresolved)) + _ranks(np.asarray(cod_kg_per_capita))) / 4
    final = _ranks(ranks).astype(np.int64)
    n = final.size
    return final, final <= listed, final > n - listed


def build_archive(township: pd.DataFrame, sections: pd.DataFrame,
                  events: pd.DataFrame) -> pd.DataFrame:
    """One row per replicate-year: environmental quality, projects and their costs, feedback."""
    tw = township.assign(year=township["date"].dt.year)
    if "satisfaction_rank" in tw.columns and "satisfaction_survey" in tw.columns:
        # the rank is carried between surveys; only survey months count for the year
        tw["satisfaction_rank"] = tw["satisfaction_rank"].where(tw["satisfaction_survey"].notna())
    sec = sections.assign(year=sections["date"].dt.year)
    keys = ["scenario", "replicate", "year"]
    agg = {"months": ("date", "size"), "good_air_days": ("good_air_days", "sum"),
           "rubbish_t": ("rubbish_t", "sum"), "legacy_rubbish_t": ("legacy_rubbish_t", "last"),
           "green_area_mu": ("green_area_mu", "last"),
           "sections_meeting_target_share": ("sections_meeting_target_share", "mean"),
           "public_spending_yuan": ("public_spending_yuan", "sum"),
           "satisfaction_survey_mean": ("satisfaction_survey", "mean"),
           "satisfaction_rank_best": ("satisfaction_rank", "min"),
           "issues_raised": ("issues_raised", "sum"), "issues_resolved": ("issues_resolved", "sum"),
           "council_participation_share": ("council_participation_share", "mean")}
    agg = {k: v for k, v in agg.items() if v[1] == "size" or v[0] in tw.columns}
    for col in tw.columns:
        if col.startswith("public_spending_yuan_"):
            agg[col] = (col, "sum")
    out = tw.groupby(keys, sort=True).agg(**agg).reset_index()
    cls = sec.groupby([*keys, "section"])["water_class"].mean().unstack("section")
    cls.columns = [f"water_class_mean_{c}" for c in cls.columns]
    out = out.merge(cls.reset_index(), on=keys, how="left")
    if len(events):
        ev = events.assign(year=events["date"].dt.year)
        projects = ev[ev["kind"].isin(["closure", "facility_online", "investment", "retrofit",
                                       "sand_site_closed", "investor_refused"])]
        label = (projects["kind"].astype(str) + " " + projects["subject"].astype(str))
        text = label.groupby([projects[k] for k in keys]).agg("; ".join).rename("projects")
        out = out.merge(text.reset_index(), on=keys, how="left")
    else:
        out["projects"] = ""
    out["projects"] = out["projects"].fillna("").astype("string")
    out.insert(2, "date", pd.to_datetime(out["year"].astype(str) + "-01-01").astype(
        "datetime64[ns]"))
    return out
