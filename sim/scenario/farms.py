"""Scenario sections for farms and fields: pig farms and manure, paddy and rice–crayfish
co-culture, the under-forest economy, and their levers (research §2.2–2.3, §3, §8, §9).

Imported by `sim.scenario.schema`, which stays the one entry point of the scenario schema.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from sim.scenario.params import Frozen, MonthlyShares, Pollutants, Shares, param


class Livestock(Frozen):
    """Pig farms: herd, manure, treatment and economics (research §2.2, §9)."""

    farms: int = param(30, tag="A", rng=(20, 60), ge=0, le=500,
                       source="'several dozen' pig farms (research §2.2, §9)")
    head_median: float = param(150.0, tag="A", rng=(80, 300), gt=0,
                               source="mostly small farms, 50–2,000 head (PARAMETERS.md)")
    head_log_sd: float = param(0.8, tag="A", rng=(0.5, 1.2), ge=0,
                               source="spread of farm sizes (lognormal), clipped to 50–2,000")
    account_farm_head: int = param(
        270, tag="D", ge=1,
        source="the account's farm: 80,000+ yuan retrofit at 300 yuan per pig place ≈ 270 "
               "head; its compost then sells for ≈ 40,000+ yuan a year (account §1)")
    generation_kg_per_head_day: Pollutants = param(
        Pollutants(cod=0.357, nh3n=0.017, tp=0.0045), tag="S",
        source="COD: Zhou et al. 2016 (research row 21) 0.357; NH3-N: 40 % [A] of its TN 0.042; "
               "TP: MARA 2018 excreted P 1.65 kg/yr (row 23), as Zhou's 0.012 is 3× the other "
               "sources")
    removal_raw: Shares = param(Shares(cod=0.2, nh3n=0.1, tp=0.2), tag="A",
                                source="research row 27: small farm without treatment 20 / 10 %")
    removal_basic: Shares = param(Shares(cod=0.86, nh3n=0.5, tp=0.5), tag="S",
                                  source="research row 26: direct land use + treatment 86 / 50 %")
    removal_retrofitted: Shares = param(
        Shares(cod=0.95, nh3n=0.85, tp=0.9), tag="S",
        source="research rows 24–25, 28: manure to organic fertiliser 95 / 85 %; P leaves with "
               "the compost")
    basic_share_at_start: float = param(0.3, tag="A", rng=(0.1, 0.6), ge=0, le=1,
                                        source="farms with basic treatment in 2023, assumption")
    river_entry_share: float = param(
        0.05, tag="A", rng=(0.02, 0.15), ge=0, le=1,
        source="share of what leaves a farm that reaches the river (manure is mostly spread on "
               "land); inventory guides give 0.10–0.20 for aquaculture (research §2.1)")
    profit_yuan_per_head_year: float = param(300.0, tag="A", rng=(0.0, 600.0),
                                             source="pig farm margin per standing head")
    solid_manure_t_per_head_year: float = param(0.98, tag="D", rng=(0.5, 1.0), ge=0,
                                                source="2.69 kg/day × 365 (research §9)")
    compost_yield_share: float = param(0.35, tag="A", rng=(0.3, 0.4), ge=0, le=1,
                                       source="research §9: compost 30–40 % of fresh solids")
    compost_sold_share: float = param(
        0.6, tag="A", rng=(0.3, 1.0), ge=0, le=1,
        source="share a small farm can sell at the commercial price (research §9 caveat)")
    fertiliser_price_yuan_per_t: float = param(800.0, tag="A", rng=(300, 1000), ge=0,
                                               source="account; research row 82")
    retrofit_capex_yuan_per_head: float = param(300.0, tag="A", rng=(200, 1500), ge=0,
                                                source="research row 83: shed compost retrofit")
    retrofit_opex_yuan_per_head_year: float = param(40.0, tag="A", rng=(10, 100), ge=0,
                                                    source="running the compost shed, assumption")
    cash_months_of_profit: float = param(
        2.0, tag="A", rng=(1.0, 6.0), ge=0,
        source="cash a family farm can put down at once, in months of profit")
    loan_rate_per_year: float = param(0.05, tag="A", rng=(0.04, 0.08), ge=0, le=0.5,
                                      source="rural credit cooperative rate, assumption")
    loan_years: int = param(3, tag="A", rng=(1, 5), ge=1, le=30, source="loan term, assumption")
    retrofit_build_months: int = param(1, tag="A", rng=(1, 3), ge=0, le=12,
                                       source="installing a compost shed, assumption")
    fix_deadline_months: int = param(3, tag="A", rng=(1, 6), ge=1, le=24,
                                     source="time given to fix after a failed inspection")
    baseline_inspections_per_year: float = param(
        0.2, tag="A", rng=(0.0, 0.5), ge=0, le=52,
        source="county inspections of a farm before the programme, assumption")
    fine_months_of_profit: float = param(6.0, tag="S", rng=(3.0, 12.0), ge=0,
                                         source="account: a fine equal to half a year's profit")
    loss_years_before_closing: int = param(2, tag="A", rng=(1, 4), ge=1, le=20,
                                           source="a farm gives up after two loss years")


class Paddy(Frozen):
    """Households' paddy and what rice and co-culture earn (research §3)."""

    farming_household_share: float = param(0.6, tag="A", rng=(0.4, 0.8), ge=0, le=1,
                                           source="households farming paddy, assumption")
    mu_min: float = param(1.5, tag="A", ge=0, source="PARAMETERS.md: 1.5–2.5 mu a household")
    mu_max: float = param(2.5, tag="A", ge=0, source="PARAMETERS.md: 1.5–2.5 mu a household")
    suitable_share: float = param(
        0.3, tag="A", rng=(0.15, 0.4), ge=0, le=1,
        source="share of a village's paddy suited to co-culture (water supply and drainage, "
               "flat low-lying fields): research row 49, 30 % (15–40 %); Hubei's 稻渔 area is "
               "> 20 % of its paddy (research §3.1)")
    rice_yield_kg_per_mu: float = param(550.0, tag="S", rng=(450, 650), ge=0,
                                        source="research row 39")
    rice_net_yuan_per_mu: float = param(500.0, tag="S", rng=(0, 1200),
                                        source="research row 40: rice monoculture net income")
    crayfish_yield_kg_per_mu: float = param(110.0, tag="D", rng=(60, 250), ge=0,
                                            source="research row 36: 2023 national average")
    crayfish_price_yuan_per_kg: float = param(20.0, tag="S", rng=(10, 50), ge=0,
                                              source="research row 37: farm gate, all sizes")
    crayfish_price_log_sd: float = param(0.3, tag="A", rng=(0.15, 0.45), ge=0,
                                         source="research §3.2: interannual CV ≈ 0.3")
    crash_prob_per_year: float = param(0.15, tag="A", rng=(0.05, 0.3), ge=0, le=1,
                                       source="crashes in 2019–20 and 2024 (research §3.4)")
    crash_price_share: float = param(0.5, tag="S", rng=(0.2, 0.7), ge=0, le=1,
                                     source="2024: the price halved in six weeks (research §3.2)")
    coculture_extra_cost_yuan_per_mu: float = param(
        1200.0, tag="S", rng=(1000, 2000), ge=0,
        source="research §3.2: seed crayfish, feed, labour 1,000–2,000 yuan/mu a year")
    conversion_cost_yuan_per_mu: float = param(800.0, tag="S", rng=(300, 2000), ge=0,
                                               source="research row 42")
    input_saving_yuan_per_mu: float = param(
        100.0, tag="A", rng=(0, 200), ge=0,
        source="N fertiliser −30 % and pesticide −50 % (research rows 44–45), in yuan")
    crayfish_yield_sd_kg_per_mu: float = param(
        45.0, tag="D", rng=(25.0, 60.0), gt=0,
        source="spread of a household's own crayfish yield as it judges it: research §3.2 "
               "gives 60–250 kg/mu across farms, ≈ ±2 sd around 110–150 (sd ≈ 45)")
    payback_years: float = param(
        3.0, tag="A", rng=(2.0, 5.0), gt=0,
        source="years over which a household spreads the start-up cost (ditches, barrier, "
               "pipes) net of subsidy when it weighs co-culture, assumption")
    peer_effect: float = param(
        0.367, tag="S", rng=(0.2, 0.5), ge=0, le=1,
        source="+0.367 adoption probability per unit of neighbours' adoption share (IJERPH "
               "2023, 20(5):4399, 980 Yangtze farmers; research §3.1, §8); range assumption")
    brand_crayfish_price_yuan_per_kg: float = param(
        60.0, tag="S", rng=(36.0, 70.0), ge=0,
        source="the township's trademark crayfish while local demand exceeds supply: account "
               "30 yuan/jin; Qianjiang large crayfish 18–24 yuan/jin (2015), Xuyi brand 30–35 "
               "yuan/jin in Shanghai (Global Times 2014-05-20); moves with the season's market")
    brand_local_demand_t_per_year: float = param(
        100.0, tag="D", rng=(70.0, 200.0), gt=0,
        source="what buyers take at the brand price a year: the account says demand exceeds "
               "supply in 2025 (320 households ≈ 640 mu × 110 kg ≈ 70 t, the lower bound); the "
               "upper bound and the default are assumptions")
    crayfish_demand_elasticity: float = param(
        1.0, tag="A", rng=(0.5, 1.5), gt=0,
        source="price elasticity of demand for the brand beyond local demand: supply Q > D "
               "sells at price × (Q/D)^(−1/ε), never below the market price; assumption "
               "(aquatic products' own-price elasticities ≈ 0.5–1.5, not verified)")
    brand_rice_premium_yuan_per_kg: float = param(0.4, tag="S", rng=(0.0, 0.6), ge=0,
                                                  source="account: +0.2 yuan/jin")
    n_runoff_kg_per_mu_year: float = param(0.7, tag="S", rng=(0.4, 1.5), ge=0,
                                           source="research row 29 (TN)")
    nh3n_share_of_n_runoff: float = param(0.3, tag="A", rng=(0.2, 0.5), ge=0, le=1,
                                          source="ammonium share of paddy N runoff, assumption")
    p_runoff_kg_per_mu_year: float = param(0.10, tag="S", rng=(0.05, 0.2), ge=0,
                                           source="research row 30")
    cod_runoff_kg_per_mu_year: float = param(
        5.0, tag="A", rng=(2.0, 15.0), ge=0,
        source="paddy drainage COD, assumption (no source); follows the N runoff months")
    coculture_n_runoff_change: float = param(-0.10, tag="A", rng=(-0.4, 0.3), ge=-1,
                                             source="research row 46 (mixed evidence)")
    coculture_p_runoff_change: float = param(-0.15, tag="A", rng=(-0.4, 0.2), ge=-1,
                                             source="research row 47")
    coculture_drainage_share: float = param(
        0.3, tag="A", rng=(0.2, 0.4), ge=0, le=1,
        source="crayfish fields are flooded from Oct–Nov to May and drained in late May–June "
               "before transplanting: 20–40 % of the system's yearly N, P and COD runoff leaves "
               "in that pulse (river-facts §7, assumption on the size)")
    n_runoff_monthly_share: MonthlyShares = param(
        (0.02, 0.02, 0.04, 0.06, 0.16, 0.20, 0.20, 0.14, 0.08, 0.04, 0.02, 0.02), tag="A",
        source="N losses concentrate in the rice season (research §2.3)")
    farmland_river_entry_share: float = param(0.5, tag="A", rng=(0.3, 1.0), ge=0, le=1,
                                              source="share of field-edge runoff reaching it")
    neighbour_weight: float = param(0.3, tag="A", rng=(0.0, 1.0), ge=0, le=1,
                                    source="weight of adjacent villages' adopters in the "
                                           "neighbours' share the peer effect sees")
    dropout_after_loss: float = param(0.15, tag="A", rng=(0.05, 0.2), ge=0, le=1,
                                      source="research row 53: 10 % (5–20 %) in a crash year")

    @model_validator(mode="before")
    @classmethod
    def _retired(cls, data: object) -> object:
        return _refuse_retired(data, "paddy", PADDY_RETIRED)

    @model_validator(mode="after")
    def _mu_order(self) -> Paddy:
        if self.mu_max < self.mu_min:
            raise ValueError(f"mu_max {self.mu_max:g} must be >= mu_min {self.mu_min:g}")
        return self


class ForestEconomy(Frozen):
    """Camellia oil and Polygonatum under the forest (account §4)."""

    years_to_maturity: int = param(4, tag="A", rng=(3, 6), ge=0, le=30,
                                   source="camellia 4–5 years, Polygonatum ≈3 years")
    output_yuan_per_mu_year: float = param(1500.0, tag="S", rng=(800, 2500), ge=0,
                                           source="account: 8,000 mu, ≈12 million yuan")
    net_share: float = param(0.5, tag="A", rng=(0.3, 0.7), ge=0, le=1,
                             source="share of output value that is households' net income")


class ManureRetrofit(Frozen):
    """Lever: inspections, fines and help for farms to turn manure into fertiliser."""

    start: date
    inspections_per_farm_per_year: float = Field(default=1.0, ge=0, le=52)
    fine_months_of_profit: float | None = Field(default=None, ge=0)
    loan_yuan: float = Field(default=50_000.0, ge=0, description="subsidised loan per farm")
    interest_subsidy_share: float = Field(default=1.0, ge=0, le=1,
                                          description="share of the interest the township pays")
    free_equipment_yuan: float = Field(default=20_000.0, ge=0,
                                       description="equipment a firm installs free (account)")


class Coculture(Frozen):
    """Lever: the rice–crayfish programme (account §2): villages enrolled by year, training
    places, subsidy, trademarks."""

    pilot_villages: tuple[int, ...] = (17,)
    pilot_year: int = 2024
    target_villages_by_year: dict[int, tuple[int, ...]] = Field(default_factory=dict)
    subsidy_yuan_per_mu: float = Field(default=300.0, ge=0, description="one-off, on conversion")
    training_places_per_village_year: int = param(
        40, tag="C", rng=(20, 60), ge=0, le=10_000,
        source="places in the programme's technical class, per enrolled village and year (a "
               "household must be trained to convert: research §3.4, 'not low-tech'); "
               "township classes train 70–150 growers a session (Shaoxing 2010 ≈ 80, Weishan "
               "2020 100+, Anxiang 2023 70+), a village's class half that [A]; tuned to the "
               "account's 320 households (docs/calibration.md)")
    training_yuan_per_place: float = param(
        300.0, tag="A", rng=(100.0, 1000.0), ge=0,
        source="the township's cost per household trained (teachers, field visits), assumption")
    brand_from: date | None = None

    @model_validator(mode="before")
    @classmethod
    def _retired(cls, data: object) -> object:
        return _refuse_retired(data, "levers.coculture", COCULTURE_RETIRED)

    @model_validator(mode="after")
    def _years(self) -> Coculture:
        if any(y < self.pilot_year for y in self.target_villages_by_year):
            raise ValueError("target years must not precede pilot_year")
        return self


PADDY_RETIRED = {
    "innovation_per_year": "the Bass rule was replaced by the households' decision "
                           "(docs/model.md §7.12)",
    "imitation_per_year": "neighbours now act through paddy.peer_effect",
    "brand_crayfish_premium_share": "the brand's price is paddy.brand_crayfish_price_yuan_per_kg",
}
COCULTURE_RETIRED = {
    "subsidy_innovation_multiplier": "the subsidy now lowers the start-up cost households weigh "
                                     "(docs/model.md §7.12)",
    "subsidy_for_full_effect_yuan_per_mu": "the subsidy now lowers the start-up cost households "
                                           "weigh (docs/model.md §7.12)",
    "training_innovation_multiplier": "training is now places a year: "
                                      "levers.coculture.training_places_per_village_year",
}


def _refuse_retired(data: object, where: str, retired: dict[str, str]) -> object:
    """A key of the old Bass rule gets an error saying what replaced it."""
    if isinstance(data, dict):
        for key, instead in retired.items():
            if key in data:
                raise ValueError(f"{where}.{key} is no longer a parameter: {instead}; "
                                 "remove the key")
    return data


class ForestPlanting(Frozen):
    """Lever: mu planted under the forest, by year."""

    mu_by_year: dict[int, float] = Field(default_factory=dict)
    subsidy_yuan_per_mu: float = Field(default=0.0, ge=0)
