"""Scenario sections for tourists and the eco-tourism lever (research §5; account §4).

Imported by `sim.scenario.schema`, which stays the one entry point of the scenario schema.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from sim.scenario.params import Frozen, param


class Tourism(Frozen):
    """Visits to the forest park and the riverside: demand, stays, spending, jobs, loads."""

    base_visits_per_year: float = param(
        21_000.0, tag="C", rng=(10_000, 60_000), ge=0,
        source="base demand a year before any multiplier (river, reputation, appeal, "
               "marketing, trend); tuned so that as_reported gives the account's 23,000 visits "
               "in H1 2025 (docs/calibration.md)")
    monthly_index: tuple[float, ...] = param(
        (0.5, 0.9, 0.8, 1.1, 1.4, 0.9, 1.5, 1.6, 0.9, 1.4, 0.6, 0.4), tag="A",
        source="research §5 default monthly index for a southern forest park (mean 1)")
    weekend_day_factor: float = param(2.5, tag="A", rng=(1.5, 4.0), ge=1,
                                      source="a weekend day draws this many weekday visits")
    holiday_day_factor: float = param(
        4.0, tag="A", rng=(2.0, 6.0), ge=1,
        source="an official rest day (public holidays and the weekend days bridged to them) vs "
               "a weekday (research §5: peaks follow public holidays)")
    trend_per_year: float = param(
        0.05, tag="A", rng=(0.0, 0.10), ge=-0.5, le=0.5,
        source="long-run growth; national forest tourism grew 14.5 %/yr in 2016–19 and rural "
               "tourism 8.9 % in Q1 2025 (research row 68): a small destination grows slower")
    trend_log_sd_per_year: float = param(0.05, tag="A", rng=(0.0, 0.15), ge=0, le=1,
                                         source="year-to-year uncertainty of the trend")
    party_size_persons: float = param(3.0, tag="A", rng=(2.0, 4.0), ge=1,
                                      source="family and friends parties, assumption")
    overnight_share: float = param(
        0.12, tag="C", rng=(0.05, 0.3), ge=0, le=1,
        source="share of visitors wanting to stay overnight; mostly day-trippers (account: "
               "≈200 yuan per visit against 585 nationally); tuned with the spending figures")
    two_night_share: float = param(0.3, tag="A", rng=(0.1, 0.5), ge=0, le=1,
                                   source="overnight stays lasting two nights, assumption")
    day_trip_spend_yuan: float = param(
        130.0, tag="C", rng=(80, 370), ge=0,
        source="food, tickets and local products per day visit, below the 371 yuan of key "
               "villages (research §5); tuned with overnight_share to the account's ≈200 "
               "yuan per visit")
    overnight_spend_yuan_per_night: float = param(
        500.0, tag="A", rng=(300, 900), ge=0,
        source="lodging ADR 250 yuan (research §5 default, 150–500) plus food and products")
    local_capture_share: float = param(0.5, tag="A", rng=(0.3, 0.7), ge=0, le=1,
                                       source="research row 67: share of spending kept locally")
    jobs_per_1000_visits: float = param(2.5, tag="D", rng=(2.5, 3.4), ge=0,
                                        source="research row 66: MCT employment / visits")
    tourism_wage_yuan_per_month: float = param(
        2000.0, tag="A", rng=(1500, 4000), ge=0,
        source="tourism jobs are largely part-time and seasonal; wage at the reference year's "
               "level, assumption")
    turned_away_leave_share: float = param(
        0.5, tag="A", rng=(0.2, 0.8), ge=0, le=1,
        source="visitors who find no bed and go elsewhere; the rest come as day-trippers")
    river_effect_per_class: float = param(
        0.10, tag="A", rng=(0.0, 0.2), ge=0, le=1,
        source="research row 70: demand +10 % per class of river improvement (Keeler 2015 "
               "direction)")
    river_reference_class: int = param(5, tag="A", ge=1, le=6,
                                       source="the class at which the river adds no appeal")
    visible_sections: tuple[str, ...] = param(
        ("middle", "exit"), tag="A",
        source="sections along the riverside walk and the villages, whose class visitors see")
    river_perception_months: int = param(12, tag="A", rng=(3, 24), ge=1, le=120,
                                         source="visitors judge the river over the past year")
    reputation_adjust_per_month: float = param(
        0.05, tag="A", rng=(0.02, 0.2), ge=0, le=1,
        source="word of mouth: how fast reputation follows experience")
    reputation_elasticity: float = param(1.0, tag="A", rng=(0.5, 2.0), ge=0,
                                         source="demand ∝ reputation^e, assumption")
    river_experience_penalty_per_class: float = param(
        0.1, tag="A", rng=(0.0, 0.2), ge=0, le=1,
        source="experience lost per class the river is worse than class III (smell, look)")
    turned_away_experience_penalty: float = param(
        0.5, tag="A", rng=(0.2, 1.0), ge=0, le=1,
        source="experience lost per unit share of overnight guests turned away")
    crowding_threshold_share: float = param(
        0.8, tag="A", rng=(0.6, 1.0), gt=0,
        source="trail use (share of capacity) above which crowding spoils the experience")
    crowding_penalty: float = param(0.5, tag="A", rng=(0.2, 1.0), ge=0,
                                    source="experience lost per unit of over-use, assumption")
    marketing_reference_yuan_per_year: float = param(
        500_000.0, tag="A", gt=0, source="budget at which marketing adds (2^e - 1) to demand")
    marketing_elasticity: float = param(0.15, tag="A", rng=(0.0, 0.3), ge=0, le=1,
                                        source="demand × (1 + budget/reference)^e, assumption")
    initial_beds: int = param(60, tag="A", rng=(20, 150), ge=0,
                              source="beds in farmhouse inns before the transition, assumption")
    initial_trail_visitors_per_day: float = param(
        800.0, tag="A", rng=(400, 2000), gt=0,
        source="what the park's paths carry comfortably in a day, assumption")
    homestay_beds: int = param(10, tag="D", rng=(6, 16), ge=1,
                               source="Zhejiang 2017: >150,000 rooms or beds in 16,233 minsu")
    homestay_investment_yuan: float = param(
        600_000.0, tag="D", rng=(300_000, 1_200_000), ge=0,
        source="research row 73: owner-operated conversion 0.3–1.0 M yuan")
    homestay_target_occupancy_share: float = param(
        0.3, tag="A", rng=(0.2, 0.5), gt=0, le=1,
        source="research row 74: homestay occupancy 30 % (20–50 %)")
    homestay_open_threshold_share: float = param(
        0.05, tag="A", rng=(0.01, 0.2), ge=0, le=1,
        source="share of the past year's overnight demand turned away that makes a household "
               "open a homestay")
    homestays_max_new_per_year: int = param(3, tag="A", rng=(1, 6), ge=0, le=100,
                                            source="households able to invest in a year")
    sewage_l_per_day_visit: float = param(15.0, tag="A", rng=(5, 30), ge=0,
                                          source="toilets and meals of a day visitor")
    sewage_l_per_night: float = param(100.0, tag="A", rng=(60, 150), ge=0,
                                      source="guest water use, above rural 80 L/day (§2.1)")
    rubbish_kg_per_day_visit: float = param(0.3, tag="A", rng=(0.1, 0.6), ge=0,
                                            source="litter and packaging per day visit")
    rubbish_kg_per_night: float = param(1.0, tag="A", rng=(0.5, 1.5), ge=0,
                                        source="rural per-capita rubbish ≈ 0.8–1 kg/day")
    park_share_of_visits: float = param(
        0.8, tag="A", rng=(0.5, 0.95), ge=0, le=1,
        source="share of visits to the forest park (hilly villages); the rest to the "
               "riverside (riverside villages)")

    @model_validator(mode="after")
    def _index(self) -> Tourism:
        if len(self.monthly_index) != 12 or min(self.monthly_index) < 0:
            raise ValueError("monthly_index needs 12 non-negative values (January first)")
        return self


class Investment(Frozen):
    """One eco-tourism investment: paid at `date`, adding capacity and appeal from then on."""

    date: date
    kind: Literal["trail", "camping", "homestays", "riverside_walk", "marketing", "facilities"]
    cost_yuan: float = Field(default=0.0, ge=0, description="one-off public cost")
    beds: int = Field(default=0, ge=0, description="beds added (camping, homestays)")
    trail_visitors_per_day: float = Field(default=0.0, ge=0, description="trail capacity added")
    appeal_share: float = Field(default=0.0, ge=0, le=2,
                                description="demand added, as a share of base demand")
    marketing_yuan_per_year: float = Field(default=0.0, ge=0,
                                           description="yearly marketing budget from the date")


class Ecotourism(Frozen):
    """Lever: eco-tourism investments by date (trails, camping, homestays, walk, marketing)."""

    investments: tuple[Investment, ...] = ()
