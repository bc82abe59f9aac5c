"""Scenario sections for everyday life: rubbish and sorting, air, councils, satisfaction and
the survey, polluting investors, and their levers (research §7, §10; account §2–4).

Imported by `sim.scenario.schema`, which stays the one entry point of the scenario schema.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from sim.scenario.params import Frozen, Month, MonthlyShares, Pollutants, param


class Rubbish(Frozen):
    kg_per_person_day: float = param(0.8, tag="A", rng=(0.5, 1.2), ge=0,
                                     source="rural per-capita rubbish ≈ 0.8–1 kg/day")
    collected_share: float = param(
        0.9, tag="A", rng=(0.7, 0.98), ge=0, le=1,
        source="share reaching a collection point (most villages have collection by 2023, "
               "recalled MOHURD figure ≈90 %); the rest ends in dumps")
    sorting_collected_share: float = param(
        0.95, tag="A", rng=(0.8, 1.0), ge=0, le=1,
        source="a sorting household's rubbish almost all reaches collection, assumption")
    sorting_reduction_share: float = param(
        0.3, tag="A", rng=(0.1, 0.5), ge=0, le=1,
        source="recyclables and kitchen waste taken out of the residual stream")
    legacy_t_at_start: float = param(2000.0, tag="A", rng=(500, 5000), ge=0,
                                     source="old dumps along ditches and the river, assumption")
    leachate_kg_per_t_year: Pollutants = param(
        Pollutants(cod=3.0, nh3n=0.3, tp=0.003), tag="A",
        source="open dumps in a humid climate: ≈0.3 m³ leachate per t a year at COD ≈10 g/L, "
               "NH3-N ≈1 g/L, TP ≈10 mg/L (assumption from landfill practice)")
    river_entry_share: float = param(0.3, tag="A", rng=(0.1, 0.5), ge=0, le=1,
                                     source="as untreated sewage near the river (research §2.1)")
    persistent_share: float = param(
        0.45, tag="S", rng=(0.4, 0.7), ge=0, le=1,
        source="share of uncollected rubbish that stays in a dump: the rest is kitchen waste "
               "(30–60 % of rural rubbish; 55.9 % in Hangzhou villages, Han et al. 2019, "
               "农业环境科学学报 38(3)) that rots within the year")


class Sorting(Frozen):
    start_share: float = param(0.15, tag="A", rng=(0.05, 0.3), ge=0, le=1,
                               source="households sorting before any scheme, assumption")
    adopt_per_month_at_full_reward: float = param(
        0.08, tag="A", rng=(0.03, 0.15), ge=0, le=1,
        source="monthly chance a household starts sorting when the reward is at its reference")
    reference_reward_yuan_per_month: float = param(
        10.0, tag="A", gt=0, source="points' monthly value that counts as a full reward")
    norm_weight: float = param(0.05, tag="A", rng=(0.0, 0.15), ge=0, le=1,
                               source="monthly chance per unit of the village's sorting share")
    fade_per_month: float = param(0.03, tag="A", rng=(0.01, 0.08), ge=0, le=1,
                                  source="habits fade without reinforcement, assumption")
    fade_with_reward_share: float = param(0.3, tag="A", rng=(0.1, 0.6), ge=0, le=1,
                                          source="fading under a running reward, as a share")
    max_share: float = param(0.9, tag="A", rng=(0.5, 0.9), ge=0, le=1,
                             source="research row 86: 70 % (50–90 %) with an incentive")


class Air(Frozen):
    """Good-air days: the region's background by season, the township's cleaner air, and
    straw-burning plumes in harvest months (research §10; model.md §7.15)."""

    regional_good_chance_by_month: MonthlyShares = param(
        (0.70, 0.80, 0.88, 0.95, 0.90, 0.88, 0.92, 0.92, 0.90, 0.92, 0.88, 0.78), tag="D",
        source="share of good days (AQI ≤ 100) at the region's city stations, January first "
               "(mean 0.869): Hubei's 17 cities 83.3 % in 2023, 72.3 % in Jan–Apr 2023, 95.1 % "
               "in April 2024; Yichang's assessment area 69.5 % in Jan–Feb 2024 (winter PM2.5 "
               "episodes); summer ozone days; national 339 cities 85.5–87.2 % (research §10)")
    daily_log_sd: float = param(
        0.45, tag="A", rng=(0.35, 0.6), gt=0,
        source="day-to-day spread of log daily PM2.5 within a month (Wuhan 2015–16: 61 ± 41 "
               "µg/m³ over a year, IJERPH 2018 15:1102; less within one month)")
    daily_persistence: float = param(
        0.7, tag="A", rng=(0.5, 0.85), ge=0, lt=1,
        source="lag-1 autocorrelation of daily pollution: episodes build up and last days "
               "(pollution processes of ≥ 18 h, Sci. Rep. 2017, PMC5404509)")
    township_to_region_ratio: float = param(
        0.585, tag="C", rng=(0.45, 1.0), gt=0,
        source="the township's concentrations relative to the region's city stations: forest "
               "counties Xingshan and Wufeng had 96.6 % good days in Jan–Feb 2024 where "
               "Yichang's assessment area had 69.5 % (Yichang EEB, Feb 2024) ⇒ ≈ 0.55 at σ "
               "0.45; 1 = as polluted as the cities; tuned to 178 of 181 days in H1 2025")
    burn_share_at_start: float = param(0.3, tag="A", rng=(0.1, 0.5), ge=0, le=1,
                                       source="share of rice straw burned in the open, 2023")
    good_days_lost_per_10pct_burned: float = param(
        2.0, tag="A", rng=(1.0, 3.0), ge=0,
        source="research row 85: harvest PM2.5 4× the pre-harvest level (Sanjiang plain)")
    burn_window_days: int = param(
        10, tag="A", rng=(5, 20), ge=1, le=28,
        source="straw is burned in the days after the harvest, then the fields are replanted")
    harvest_burn_months: tuple[Month, ...] = param(
        (5, 7, 10), tag="A", source="harvests: rape/wheat May, early rice July, late rice October "
                                    "(research §10: burning peaks May and Jul–Aug)")
    patrol_burn_cut: float = param(0.6, tag="A", rng=(0.3, 0.9), ge=0, le=1,
                                   source="share of burning patrols prevent at full intensity "
                                          "(research §10: enforcing a ban recovers most days)")
    points_burn_cut: float = param(0.3, tag="A", rng=(0.0, 0.5), ge=0, le=1,
                                   source="share of burning the points scheme prevents")


ISSUE_KINDS = ("rubbish_point", "dumping", "street_lights", "other")
"""Kinds of ecological issue a council takes up (account §3: rubbish, dumping, dim roads)."""


class Councils(Frozen):
    participation_without: float = param(0.3, tag="A", rng=(0.1, 0.5), ge=0, le=1,
                                          source="village meetings before the councils")
    issues_per_village_month: float = param(
        0.29, tag="C", rng=(0.1, 0.5), ge=0,
        source="issues a village raises a month while every kind's problem is at its starting "
               "size; account: 67 resolved in 2025 across 23 villages (≈0.24 a village-month); "
               "tuned to 67 as the problems shrink (calibration.md §8.2)")
    issues_at_participation: float = param(
        0.85, tag="S", ge=0.01, le=1,
        source="account: 85 % of residents take part; at this participation every pending "
               "issue is taken up at the month's meeting, below it a share in proportion")
    issue_kind_shares: tuple[float, ...] = param(
        (0.3, 0.2, 0.15, 0.35), tag="A",
        source="shares of rubbish-point, dumping, street-light and other issues when each "
               "problem is at its starting size (account §3 examples; assumption)")
    resolve_share_without: float = param(0.3, tag="A", rng=(0.1, 0.5), ge=0, le=1,
                                         source="issues resolved in a month without a council")
    give_up_share_per_month: float = param(
        0.1, tag="A", rng=(0.05, 0.3), ge=0, le=1,
        source="share of unresolved issues residents stop pressing each month (the problem "
               "stays and is raised again while it lasts; assumption)")
    collection_gap_closed_per_point: float = param(
        0.25, tag="A", rng=(0.1, 0.5), ge=0, le=1,
        source="a new collection point closes this share of the village's gap to "
               "max_collected_share (a village has a few points; assumption)")
    max_collected_share: float = param(
        0.98, tag="A", rng=(0.95, 1.0), ge=0, le=1,
        source="collection with a point within reach of every house (sorting households' "
               "0.95 and a little more)")
    dump_t_per_report: float = param(
        5.0, tag="A", rng=(1.0, 20.0), ge=0,
        source="tonnes of an old dump villagers clear when a dumping report is resolved "
               "(voluntary cleaning, paid in points; assumption)")
    dark_road_km_per_village: float = param(
        1.0, tag="A", rng=(0.3, 3.0), ge=0,
        source="village road without lights at the start: the account's 10 km of solar lights "
               "≈ 0.4 km a village, with more still dark")
    lights_km_per_issue: float = param(
        0.5, tag="A", rng=(0.2, 1.0), gt=0, source="road lit when a street-light issue is solved")
    collection_point_yuan: float = param(
        10_000.0, tag="A", rng=(5_000, 30_000), ge=0,
        source="a village rubbish collection point (a roofed stand with sorting bins) built "
               "when a rubbish-point issue is solved; assumption from rural procurement notices")
    lights_yuan_per_km: float = param(
        60_000.0, tag="A", rng=(30_000, 120_000), ge=0,
        source="solar street lights: 1,500–3,000 yuan a lamp at 30–50 m spacing (20–33 lamps a "
               "km), installed; assumption from rural procurement notices")

    @model_validator(mode="after")
    def _kinds(self) -> Councils:
        if len(self.issue_kind_shares) != len(ISSUE_KINDS) or abs(
                sum(self.issue_kind_shares) - 1) > 1e-6:
            raise ValueError(f"issue_kind_shares needs {len(ISSUE_KINDS)} values "
                             f"({', '.join(ISSUE_KINDS)}) summing to 1")
        return self


class Satisfaction(Frozen):
    """Residents' satisfaction: the sourced start level plus the changes in what residents
    perceive since 2023, each perception adjusting with its own half-life (docs/model.md §7.16)."""

    start: float = param(70.0, tag="S", rng=(55, 86), ge=0, le=100,
                         source="research row 79: ≈70 before the transition (2023); the "
                                "township's 2023 mean by construction of the anchor")
    weights: tuple[float, ...] = param(
        (0.30, 0.20, 0.20, 0.15, 0.15), tag="A",
        source="research row 81: water, odour and colour, rubbish, air, income; 100 × weight "
               "is the points a full 0–1 change of that perceived quality moves the score")
    class_score: tuple[float, ...] = param(
        (1.0, 0.9, 0.75, 0.5, 0.3, 0.0), tag="A",
        source="how residents rate a river of class I..V and worse than V")
    smell_score: tuple[float, ...] = param(
        (1.0, 0.5, 0.0), tag="A",
        source="how residents rate a river that is not, lightly or heavily black and smelly "
               "(grades of river-facts §1.1)")
    water_half_life_months: float = param(
        12.0, tag="A", rng=(6, 23), gt=0,
        source="how fast the river's perceived quality follows its class: research row 80's "
               "λ 0.5–0.3 a year is a half-life of 12–23 months; 6 if seen clarity counts at once")
    smell_half_life_months: float = param(
        2.0, tag="A", rng=(1, 6), gt=0,
        source="a smell is noticed at once; the memory of a smelly season fades in months")
    rubbish_half_life_months: float = param(
        6.0, tag="A", rng=(3, 16), gt=0,
        source="visible rubbish and dumps; up to research row 80's λ 0.4 a year (16 months)")
    air_half_life_months: float = param(
        3.0, tag="A", rng=(1, 6), gt=0,
        source="air is felt day by day; a season's haze is remembered for a season")
    voice_half_life_months: float = param(
        6.0, tag="A", rng=(3, 12), gt=0,
        source="councils' resolutions and unresolved issues, remembered for months")
    polluter_half_life_months: float = param(
        6.0, tag="A", rng=(3, 12), gt=0,
        source="an admitted polluter or sand site nearby, and its closing, remembered for months")
    income_reference_half_life_months: float = param(
        12.0, tag="A", rng=(6, 36), gt=0,
        source="the income a household is used to follows its own income (hedonic adaptation: "
               "income effects on well-being fade within a few years, Di Tella, Haisken-De New "
               "& MacCulloch 2010, recalled)")
    loss_aversion: float = param(2.25, tag="S", rng=(1.5, 3.0), ge=1,
                                 source="Tversky & Kahneman 1992: losses weigh 2.25× gains")
    income_sensitivity: float = param(5.0, tag="A", rng=(2, 10), ge=0,
                                      source="slope of the income term per unit gain "
                                             "against the income a household is used to")
    voice_points: float = param(5.0, tag="A", rng=(0, 10), ge=0,
                                source="points from taking part in a council, × its resolve share")
    unresolved_points_per_issue: float = param(
        2.0, tag="A", rng=(0, 5), ge=0,
        source="points lost in a village per unresolved issue outstanding")
    investor_points: float = param(5.0, tag="A", rng=(0, 15), ge=0,
                                   source="points lost near an admitted polluter or open sand site")
    survey_households: int = param(400, tag="A", rng=(200, 1000), ge=1,
                                   source="quarterly survey sample (CATI-style, research §7)")
    survey_noise_sd: float = param(5.0, tag="A", rng=(0, 10), ge=0,
                                   source="answer noise per respondent, points")
    peer_townships: int = param(12, tag="A", rng=(5, 20), ge=0, le=200,
                                source="other townships in the county, assumption")
    peer_mean: float = param(67.0, tag="C", rng=(60, 80), ge=0, le=100,
                             source="county peers' mean score in 2023; tuned so as_reported "
                                    "ranks first in Q1–Q3 2025 (account), window 65–69")
    peer_sd: float = param(2.5, tag="A", rng=(1, 8), ge=0,
                           source="spread of peer townships' scores")
    peer_trend_per_year: float = param(0.5, tag="A", rng=(0, 2), ge=-10, le=10,
                                       source="peers improve slowly too")

    @model_validator(mode="after")
    def _shapes(self) -> Satisfaction:
        if len(self.weights) != 5 or abs(sum(self.weights) - 1) > 1e-6:
            raise ValueError("weights needs 5 values summing to 1")
        if len(self.class_score) != 6:
            raise ValueError("class_score needs 6 values (classes I..V and worse than V)")
        if len(self.smell_score) != 3:
            raise ValueError("smell_score needs 3 values (not, lightly, heavily black and "
                             "smelly)")
        return self


class Investors(Frozen):
    arrivals_per_year: float = param(
        5.0, tag="D", rng=(2.0, 8.0), ge=0,
        source="polluting projects seeking a site: the account's 3 chemical firms refused in "
               "2025 at chemical_share 0.6")
    chemical_share: float = param(0.6, tag="A", ge=0, le=1,
                                  source="share of arrivals that are chemical firms (else sand)")
    admitted_share_without_list: float = param(
        0.3, tag="A", rng=(0.1, 0.6), ge=0, le=1,
        source="without the negative list, share of projects that still get their permits")
    jobs: int = param(20, tag="A", rng=(5, 60), ge=0, source="jobs per admitted project")
    chemical_kg_per_day: Pollutants = param(
        Pollutants(cod=10.0, nh3n=1.5, tp=0.05), tag="A",
        source="a small plant discharging 100 m³/d at GB 8978-1996 grade 1 (COD 100, NH3-N 15, "
               "phosphate 0.5 mg/L; research §1.3)")
    sand_kg_per_day: Pollutants = param(Pollutants(cod=2.0, nh3n=0.05, tp=0.1), tag="A",
                                        source="sand mining: stirred sediment and bank erosion")
    illegal_sand_sites_at_start: int = param(2, tag="S", ge=0, le=50,
                                             source="account: 2 illegal sand-mining sites closed")
    farmland_mu_per_sand_site: float = param(7.5, tag="D", ge=0,
                                             source="account: 15 mu restored from 2 sites")


class PointsScheme(Frozen):
    """Lever: points for sorting, planting and cleaning, spent at the love supermarket."""

    start: date
    points_sorting_per_month: float = Field(default=10.0, ge=0)
    points_planting: float = Field(default=20.0, ge=0, description="per planting action")
    points_cleaning: float = Field(default=10.0, ge=0, description="per cleaning action")
    planting_share_per_month: float = Field(default=0.05, ge=0, le=1)
    cleaning_share_per_month: float = Field(default=0.10, ge=0, le=1)
    yuan_per_point: float = param(1.0, tag="D", ge=0,
                                  source="account: 120 points bought an electric fan")
    monthly_budget_yuan: float = Field(default=100_000.0, ge=0)


class Cleanup(Frozen):
    """Lever: legacy rubbish cleared and green space planted, per year from a start."""

    start: date
    tonnes_per_year: float = Field(default=320.0, ge=0)
    greening_mu_per_year: float = Field(default=1200.0, ge=0)
    yuan_per_tonne: float = param(300.0, tag="A", rng=(100, 800), ge=0,
                                  source="excavation, transport and landfill, assumption")
    yuan_per_mu_greened: float = param(2000.0, tag="A", rng=(500, 5000), ge=0,
                                       source="planting and care, assumption")


class CouncilsLever(Frozen):
    """Lever: village ecological councils and patrols from a date."""

    start: date
    participation_share: float = Field(default=0.85, ge=0, le=1)
    resolve_share_per_month: float = Field(default=0.8, ge=0, le=1)
    patrol_intensity: float = Field(default=1.0, ge=0, le=1)
    yuan_per_village_month: float = Field(default=2000.0, ge=0)


class NegativeList(Frozen):
    """Lever: from `date` polluting investors are refused and illegal sand sites closed."""

    date: date
