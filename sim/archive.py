"""The yearly ecological archive and the monthly village red/black list (pure functions)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def _ranks(x: np.ndarray) -> np.ndarray:
    """1-based ranks within each row of a 2-D array, ascending; ties keep village order
    (stable)."""
    order = np.argsort(x, axis=1, kind="stable")
    out = np.empty(x.shape, dtype=np.int64)
    out[np.arange(x.shape[0])[:, None], order] = np.arange(1, x.shape[1] + 1)
    return out


def village_ranks(sorting_share: np.ndarray, burning_per_household: np.ndarray,
                  unresolved: np.ndarray, cod_kg_per_capita: np.ndarray,
                  listed: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rank villages on four indicators (mean of ranks, 1 = best; ties by village number);
    the top `listed` form the red list and the bottom `listed` the black list.

    Indicators are one value per village, or (months × villages) to rank every month at once
    (each month as it would be alone: the same values, sorts and sums)."""
    # the indicators are ranked together, one row each (counts become floats exactly, so
    # their order and ties stay)
    by_indicator = np.array([-np.asarray(sorting_share), burning_per_household, unresolved,
                             cod_kg_per_capita], dtype=float)
    n = by_indicator.shape[-1]
    by_indicator = _ranks(by_indicator.reshape(-1, n)).reshape(by_indicator.shape)
    ranks = by_indicator.sum(axis=0) / 4  # sums of small integers: exact in any order
    final = _ranks(ranks.reshape(-1, n)).reshape(ranks.shape)
    return final, final <= listed, final > n - listed


SUMS = ("good_air_days", "rubbish_t", "public_spending_yuan", "issues_raised",
        "issues_resolved")
LASTS = ("legacy_rubbish_t", "green_area_mu")
MEANS = ("sections_meeting_target_share", "council_participation_share")
PROJECT_KINDS = ("closure", "facility_online", "investment", "retrofit", "sand_site_closed",
                 "investor_refused")


def build_archive(township: pd.DataFrame, sections: pd.DataFrame,
                  events: pd.DataFrame) -> pd.DataFrame:
    """One row per replicate-year: environmental quality, projects and their costs, feedback.

    Columns of one kind of aggregate are computed together (one pass of pandas' grouped sum,
    mean, last or min over all of them), and a single run's tables are grouped by year alone."""
    single = township["scenario"].nunique() <= 1 and township["replicate"].nunique() <= 1

    def keys(frame: pd.DataFrame) -> list[pd.Series]:
        """What a frame's rows are grouped by: the year, within scenario and replicate."""
        year = frame["date"].dt.year.rename("year")
        return [year] if single else [frame["scenario"], frame["replicate"], year]

    by = keys(township)
    grouped = township.groupby(by, sort=True)
    pieces = [grouped.size().rename("months")]
    for how, names in (("sum", SUMS), ("last", LASTS), ("mean", MEANS)):
        cols = [c for c in names if c in township.columns]
        if cols:
            pieces.append(getattr(grouped[cols], how)())
    if "satisfaction_survey" in township.columns:
        pieces.append(grouped["satisfaction_survey"].mean().rename("satisfaction_survey_mean"))
        if "satisfaction_rank" in township.columns:
            # the rank is carried between surveys; only survey months count for the year
            rank = township["satisfaction_rank"].where(township["satisfaction_survey"].notna())
            pieces.append(rank.groupby(by, sort=True).min().rename("satisfaction_rank_best"))
    levers = [c for c in township.columns if c.startswith("public_spending_yuan_")]
    if levers:
        pieces.append(grouped[levers].sum())
    out = pd.concat(pieces, axis=1)
    order = ["months", "good_air_days", "rubbish_t", "legacy_rubbish_t", "green_area_mu",
             "sections_meeting_target_share", "public_spending_yuan",
             "satisfaction_survey_mean", "satisfaction_rank_best", "issues_raised",
             "issues_resolved", "council_participation_share", *levers]
    out = out[[c for c in order if c in out.columns]]
    cls = sections.groupby([*keys(sections), sections["section"]], sort=True)["water_class"].mean()
    cls = cls.unstack("section")
    cls.columns = [f"water_class_mean_{c}" for c in cls.columns]
    out = out.join(cls, how="left")
    if len(events):
        ev = events[events["kind"].isin(PROJECT_KINDS)]
        label = ev["kind"].astype(str) + " " + ev["subject"].astype(str)
        out = out.join(label.groupby(keys(ev)).agg("; ".join).rename("projects"), how="left")
    else:
        out["projects"] = ""
    out["projects"] = out["projects"].fillna("").astype("string")
    out = out.reset_index()
    if single:
        first = township.iloc[:1]
        out.insert(0, "replicate", np.repeat(first["replicate"].to_numpy(), len(out)))
        out.insert(0, "scenario", pd.Series(np.repeat(first["scenario"].to_numpy(), len(out)),
                                            dtype=township["scenario"].dtype))
    years = out["year"].to_numpy(dtype=np.int64) - 1970
    out.insert(2, "date", years.astype("datetime64[Y]").astype("datetime64[ns]"))
    return out
