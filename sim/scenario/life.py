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
    good_day_chance_by_month: MonthlyShares = param(
        (0.95, 0.96, 0.98, 0.99, 0.99, 0.995, 0.995, 0.995, 0.99, 0.98, 0.96, 0.95), tag="A",
        source="forested southern township: 85–95 % good days nationally, higher in forest "
               "(research row 84), winter worst")
    burn_share_at_start: float = param(0.3, tag="A", rng=(0.1, 0.5), ge=0, le=1,
                                       source="share of rice straw burned in the open, 2023")
    good_days_lost_per_10pct_burned: float = param(2.0, tag="A", rng=(1.0, 3.0), ge=0,
                                                   source="research row 85")
    harvest_burn_months: tuple[Month, ...] = param(
        (5, 7, 10), tag="A", source="harvests: rape/wheat May, early rice July, late rice October "
                                    "(research §10: burning peaks May and Jul–Aug)")
    patrol_burn_cut: float = param(0.6, tag="A", rng=(0.3, 0.9), ge=0, le=1,
                                   source="share of burning patrols prevent at full intensity")
    points_burn_cut: float = param(0.3, tag="A", rng=(0.0, 0.5), ge=0, le=1,
                                   source="share of burning the points scheme prevents")


class Councils(Frozen):
    participation_without: float = param(0.3, tag="A", rng=(0.1, 0.5), ge=0, le=1,
                                          source="village meetings before the councils")
    issues_per_village_month: float = param(
        0.25, tag="A", rng=(0.1, 0.5), ge=0,
        source="account: 67 issues in 2025 across 23 villages (≈0.24 a village-month)")
    resolve_share_without: float = param(0.3, tag="A", rng=(0.1, 0.5), ge=0, le=1,
                                         source="issues resolved in a month without a council")


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
                                    "ranks first in Q1–Q3 2025 (account), window 65–68.5")
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
