"""The yearly archive against pandas' groupby (the way it used to be built), and the villages'
ranking of all months at once against month by month."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.model.archive import LASTS, MEANS, PROJECT_KINDS, SUMS, build_archive, village_ranks
from sim.model.simulation import run
from sim.scenario.schema import Scenario


def pandas_archive(township: pd.DataFrame, sections: pd.DataFrame,
                   events: pd.DataFrame) -> pd.DataFrame:
    """The archive as pandas' groupby builds it (the reference: sums and means may differ from
    numpy's in the last bits, since pandas adds some columns with a compensated sum)."""
    by = [township["date"].dt.year.rename("year")]
    grouped = township.groupby(by, sort=True)
    pieces = [grouped.size().rename("months")]
    for how, names in (("sum", SUMS), ("last", LASTS), ("mean", MEANS)):
        pieces.append(getattr(grouped[list(names)], how)())
    pieces.append(grouped["satisfaction_survey"].mean().rename("satisfaction_survey_mean"))
    rank = township["satisfaction_rank"].where(township["satisfaction_survey"].notna())
    pieces.append(rank.groupby(by, sort=True).min().rename("satisfaction_rank_best"))
    levers = [c for c in township.columns if c.startswith("public_spending_yuan_")]
    pieces.append(grouped[levers].sum())
    out = pd.concat(pieces, axis=1)
    order = ["months", "good_air_days", "rubbish_t", "legacy_rubbish_t", "green_area_mu",
             "sections_meeting_target_share", "public_spending_yuan",
             "satisfaction_survey_mean", "satisfaction_rank_best", "issues_raised",
             "issues_resolved", "council_participation_share", *levers]
    out = out[order]
    cls = sections.groupby([sections["date"].dt.year.rename("year"), sections["section"]],
                           sort=True)["water_class"].mean().unstack("section")
    cls.columns = [f"water_class_mean_{c}" for c in cls.columns]
    out = out.join(cls, how="left")
    ev = events[events["kind"].isin(PROJECT_KINDS)]
    label = ev["kind"].astype(str) + " " + ev["subject"].astype(str)
    out = out.join(label.groupby(ev["date"].dt.year.rename("year")).agg("; ".join)
                   .rename("projects"), how="left")
    out["projects"] = out["projects"].fillna("").astype("string")
    out = out.reset_index()
    n = len(out)
    out.insert(0, "replicate", np.repeat(township["replicate"].to_numpy()[:1], n))
    out.insert(0, "scenario", pd.Series(np.repeat(township["scenario"].to_numpy()[:1], n),
                                        dtype=township["scenario"].dtype))
    out.insert(2, "date", (out["year"].to_numpy(dtype=np.int64) - 1970)
               .astype("datetime64[Y]").astype("datetime64[ns]"))
    return out


@pytest.fixture(scope="module")
def tables(as_reported_short: Scenario) -> dict[str, pd.DataFrame]:
    return run(as_reported_short, 20250101, 1).tables


def test_archive_matches_pandas_groupby(tables: dict[str, pd.DataFrame]) -> None:
    """Same columns, types and values (floats to 1e-12) as the pandas groupby it replaced."""
    got = build_archive(tables["township"], tables["sections"], tables["events"])
    want = pandas_archive(tables["township"], tables["sections"], tables["events"])
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-12, atol=0)
    pd.testing.assert_frame_equal(got, tables["archive"])  # what run() gives


def test_archive_skips_missing_values_as_groupby_does(tables: dict[str, pd.DataFrame]) -> None:
    """NaN months are skipped by sums, means, last and min; a year without any value gives NaN
    (a sum gives 0); a section without samples in a year gives NaN; events of a year outside
    the township table are left out."""
    tw, sec, ev = (tables[k].copy() for k in ("township", "sections", "events"))
    rng = np.random.default_rng(4)
    for name in ("rubbish_t", "legacy_rubbish_t", "sections_meeting_target_share",
                 "satisfaction_survey", "public_spending_yuan"):
        tw.loc[rng.random(len(tw)) < 0.3, name] = np.nan
    first_year = tw["date"].dt.year == tw["date"].dt.year.min()
    tw.loc[first_year, ["green_area_mu", "council_participation_share"]] = np.nan
    sec = sec[~((sec["section"] == "middle") & (sec["date"].dt.year == 2024))]
    late = ev.iloc[:1].copy()
    late["date"] = pd.Timestamp("2040-06-01")
    late["kind"] = pd.array([PROJECT_KINDS[0]], dtype="string")
    ev = pd.concat([ev, late], ignore_index=True)
    sec = sec.astype({"water_class": float})
    sec.loc[sec.index[rng.random(len(sec)) < 0.2], "water_class"] = np.nan  # a lost sample
    got = build_archive(tw, sec, ev)
    want = pandas_archive(tw, sec, ev[ev["date"].dt.year <= tw["date"].dt.year.max()])
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-12, atol=0)
    assert got["green_area_mu"].isna().iloc[0] and got["rubbish_t"].notna().all()


def test_archive_last_of_whole_numbers_keeps_their_type(tables: dict[str, pd.DataFrame]
                                                       ) -> None:
    """A column of whole numbers (no missing value) gives its December value as a whole number,
    as pandas' groupby last does."""
    tw = tables["township"].assign(legacy_rubbish_t=lambda f: np.arange(len(f), dtype=np.int64))
    got = build_archive(tw, tables["sections"], tables["events"])
    want = pandas_archive(tw, tables["sections"], tables["events"])
    assert got["legacy_rubbish_t"].dtype == np.int64
    pd.testing.assert_series_equal(got["legacy_rubbish_t"], want["legacy_rubbish_t"])


def test_archive_takes_one_run(tables: dict[str, pd.DataFrame]) -> None:
    other = tables["township"].assign(replicate=2)
    with pytest.raises(ValueError, match="one run"):
        build_archive(pd.concat([tables["township"], other], ignore_index=True),
                      tables["sections"], tables["events"])



def test_village_ranks_of_all_months_at_once() -> None:
    """Ranking (months × villages) at once gives each month's ranks as ranking it alone (ties,
    NaN and -0.0 included)."""
    rng = np.random.default_rng(3)
    months, n = 40, 23
    sorting = rng.integers(0, 4, (months, n)) / 4.0
    sorting[0, :5] = -0.0
    burning = rng.integers(0, 3, (months, n)) / np.maximum(rng.integers(0, 3, (months, n)), 1)
    unresolved = rng.integers(0, 3, (months, n)).astype(float)
    cod = np.where(rng.random((months, n)) < 0.1, np.nan, rng.integers(0, 5, (months, n)) * 0.5)
    together = village_ranks(sorting, burning, unresolved, cod)
    for m in range(months):
        alone = village_ranks(sorting[m], burning[m], unresolved[m], cod[m])
        for a, b in zip(alone, together, strict=True):
            assert a.dtype == b.dtype and np.array_equal(a, b[m])
