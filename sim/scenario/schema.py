"""The scenario schema: every section, parameter, default, range and source, in one module.

Validation happens once, here, at the edge. Everything past it sees frozen, typed objects.
Tags: [S] sourced, [D] derived, [A] assumption, [C] calibrated (see docs/calibration.md).
"research §x" refers to ../shared/design/research/domain-facts.md; "account" to the seed account.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import Field, field_validator, model_validator

from sim.scenario.budget import Budget
from sim.scenario.farms import (
    Coculture,
    ForestEconomy,
    ForestPlanting,
    Livestock,
    ManureRetrofit,
    Paddy,
)
from sim.scenario.life import (
    Air,
    Cleanup,
    Councils,
    CouncilsLever,
    Investors,
    NegativeList,
    PointsScheme,
    Rubbish,
    Satisfaction,
    Sorting,
)
from sim.scenario.params import Frozen, Pollutants, SafeName, Shares, SupportedDate, param
from sim.scenario.river import River, RuralSewage, Section  # noqa: F401  (re-exported)
from sim.scenario.tourism import Ecotourism, Tourism
from sim.scenario.uncertainty import Uncertainties, resolve


class Zone(StrEnum):
    """The township's three ecological zones (account §1)."""

    RIVERSIDE = "riverside"
    HILLY = "hilly"
    FARMLAND = "farmland"


class WorkshopKind(StrEnum):
    TOFU = "tofu"
    DYEING = "dyeing"
    FOOD = "food"


class Treatment(StrEnum):
    """A workshop's treatment status."""

    DISCHARGING = "discharging"
    SELF_TREATING = "self_treating"
    CONNECTED = "connected"
    CLOSED = "closed"


# ----------------------------------------------------------------------------- township
class ZoneLayout(Frozen):
    villages: int = Field(ge=1, le=100, description="villages in the zone")
    households_share: float = Field(ge=0, le=1, description="share of township households")
    first_river_km: float = Field(ge=0, description="where the zone's first village drains")
    last_river_km: float = Field(ge=0, description="where the zone's last village drains")
    sewage_river_entry_share: float = param(
        0.15, tag="S", rng=(0.1, 0.5), ge=0, le=1,
        source="research §2.1 river-entry coefficients: 0.3 near the river or with direct "
               "pipes, 0.1–0.15 scattered (pollution-inventory guide)")

    @model_validator(mode="after")
    def _order(self) -> ZoneLayout:
        if self.last_river_km < self.first_river_km:
            raise ValueError("last_river_km must be >= first_river_km")
        return self


class Township(Frozen):
    households: int = param(8000, tag="A", rng=(7000, 9000), ge=100, le=100_000,
                            source="research (≈8,000 households); account: 23 villages")
    household_size_persons: float = param(
        2.8, tag="A", rng=(2.6, 3.2), ge=1.0, le=8.0,
        source="research §6 / table row 78 (7th census national 2.62)")
    riverside: ZoneLayout = ZoneLayout(villages=8, households_share=0.36, first_river_km=1.0,
                                       last_river_km=18.0, sewage_river_entry_share=0.3)
    hilly: ZoneLayout = ZoneLayout(villages=8, households_share=0.32, first_river_km=0.5,
                                   last_river_km=9.0, sewage_river_entry_share=0.1)
    farmland: ZoneLayout = ZoneLayout(villages=7, households_share=0.32, first_river_km=10.5,
                                      last_river_km=19.5, sewage_river_entry_share=0.15)

    def zones(self) -> list[tuple[Zone, ZoneLayout]]:
        return [(Zone.RIVERSIDE, self.riverside), (Zone.HILLY, self.hilly),
                (Zone.FARMLAND, self.farmland)]

    @property
    def village_count(self) -> int:
        return sum(z.villages for _, z in self.zones())

    @model_validator(mode="after")
    def _shares(self) -> Township:
        total = sum(z.households_share for _, z in self.zones())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"zone households_share values must sum to 1, got {total:.4f}")
        return self


class Sewage(Frozen):
    """Households' domestic sewage (research §2.1)."""

    water_use_l_per_person_day: float = param(80.0, tag="S", rng=(60, 150), gt=0, le=400,
                                              source="MOHURD rural sewage guide (research §2.1)")
    discharge_share: float = param(0.6, tag="S", rng=(0.4, 0.9), ge=0, le=1,
                                   source="GB/T 51347-2019 §4.1.2: 40–80 % of water use")
    concentration_mg_l: Pollutants = param(
        Pollutants(cod=300.0, nh3n=40.0, tp=3.0), tag="S",
        source="MOHURD guide raw rural sewage: COD 250–400, NH3-N 40–60, TP 2.5–5 mg/L")


class Income(Frozen):
    """Households' disposable income outside the modelled workshops (research §6)."""

    per_capita_yuan_per_year: float = param(
        21000.0, tag="S", rng=(16000, 28000), gt=0,
        source="research §6 / row 75: central-China township 2024 (national 23,119)")
    reference_year: int = param(2024, tag="S", ge=1990, le=2100,
                                source="year of per_capita_yuan_per_year")
    growth_near_per_year: float = param(0.06, tag="S", rng=(0.03, 0.08), ge=-0.2, le=0.3,
                                        source="NBS nominal growth 7.7 % (2023), 6.6 % (2024)")
    growth_long_run_per_year: float = param(0.045, tag="A", rng=(0.03, 0.06), ge=-0.2, le=0.3,
                                            source="research row 76: easing to 4–5 %")
    near_term_until_year: int = param(2026, tag="A", ge=1990, le=2100,
                                      source="research row 76 (extrapolation)")
    household_log_sd: float = param(
        0.574, tag="D", rng=(0.45, 0.7), ge=0, le=2,
        source="lognormal with median/mean = 0.848 (NBS 2024 rural median 19,605 / mean "
               "23,119): sd = sqrt(-2 ln 0.848)")
    monthly_log_sd: float = param(0.1, tag="A", rng=(0.0, 0.3), ge=0, le=1,
                                  source="month-to-month income noise, assumption")
    workshop_wage_yuan_per_month: float = param(
        3500.0, tag="A", rng=(2500, 5000), ge=0,
        source="local small-workshop wage, below the 2023 migrant-worker mean of 4,780 (NBS)")
    reemployment_prob_per_month: float = param(
        0.1, tag="A", rng=(0.05, 0.3), ge=0, le=1,
        source="monthly chance a laid-off worker finds a new local job (mean 10 months)")
    new_job_wage_share: float = param(0.9, tag="A", rng=(0.7, 1.1), ge=0, le=3,
                                      source="new job's wage relative to the workshop wage")


# ----------------------------------------------------------------------------- workshops
class Workshop(Frozen):
    """One of the riverside family workshops (account §2; research §2.4)."""

    id: str = Field(pattern=r"^[A-Za-z0-9_-]+$")
    kind: WorkshopKind
    licensed: bool
    village: int = Field(ge=1, description="village number (1-based) where it stands")
    flow_m3_per_day: float = Field(gt=0, le=10_000)
    concentration_mg_l: Pollutants
    workers: int = Field(ge=0, le=1000)
    revenue_yuan_per_month: float = Field(ge=0)
    margin_share: float = Field(ge=-1, le=1, description="profit share before treatment costs")
    status: Literal[Treatment.DISCHARGING, Treatment.SELF_TREATING] = Treatment.DISCHARGING


def _w(id_: str, kind: str, licensed: bool, village: int, flow: float, cod: float,
       nh3n: float, tp: float, workers: int, revenue: float, margin: float) -> Workshop:
    return Workshop(id=id_, kind=WorkshopKind(kind), licensed=licensed, village=village,
                    flow_m3_per_day=flow, concentration_mg_l=Pollutants(cod=cod, nh3n=nh3n, tp=tp),
                    workers=workers, revenue_yuan_per_month=revenue, margin_share=margin)


def default_workshops() -> tuple[Workshop, ...]:
    """The 12 workshops of 2023 (account): 3 unlicensed heavy polluters, 9 others.

    Flows and concentrations from research §2.4 [S/A]: dyeing 100 L/kg fabric and 135 g COD/kg
    (1,350 mg/L), TP 0.23 g/kg; tofu 2–10 m³/d at COD 2,000–20,000 (10,000 with whey), TN
    200–400, TP 15–40; generic NH3-N 30–100. Workers, revenue and margins are assumptions.
    """
    return (
        _w("W01", "dyeing", False, 2, 30.0, 1350.0, 40.0, 2.3, 12, 150_000, 0.15),
        _w("W02", "dyeing", False, 4, 20.0, 1350.0, 40.0, 2.3, 10, 100_000, 0.15),
        _w("W03", "tofu", False, 6, 10.0, 10000.0, 100.0, 25.0, 6, 45_000, 0.20),
        _w("W04", "tofu", True, 1, 3.0, 5000.0, 60.0, 25.0, 4, 30_000, 0.20),
        _w("W05", "tofu", True, 3, 3.0, 5000.0, 60.0, 25.0, 4, 30_000, 0.20),
        _w("W06", "tofu", True, 5, 3.0, 5000.0, 60.0, 25.0, 4, 30_000, 0.20),
        _w("W07", "tofu", True, 7, 3.0, 5000.0, 60.0, 25.0, 4, 30_000, 0.20),
        _w("W08", "food", True, 2, 6.0, 3000.0, 40.0, 10.0, 8, 60_000, 0.18),
        _w("W09", "food", True, 5, 6.0, 3000.0, 40.0, 10.0, 8, 60_000, 0.18),
        _w("W10", "food", True, 8, 6.0, 3000.0, 40.0, 10.0, 8, 60_000, 0.18),
        _w("W11", "dyeing", True, 3, 12.0, 1350.0, 40.0, 2.3, 10, 80_000, 0.15),
        _w("W12", "dyeing", True, 6, 12.0, 1350.0, 40.0, 2.3, 10, 80_000, 0.15),
    )


class TreatmentCosts(Frozen):
    """Cost of treating workshop wastewater, scaling with volume (research §4.4)."""

    reference_flow_m3_per_day: float = param(10.0, tag="A", gt=0,
                                             source="a typical family workshop (research row 33)")
    unit_cost_yuan_per_m3_at_reference: float = param(
        10.0, tag="A", rng=(6, 15), gt=0,
        source="small integrated units 11,000–39,000 yuan per m³/d capex (MOHURD) plus "
               "O&M; above the 3–8 yuan/m³ fee of a shared plant (research §4.1–4.2)")
    scale_exponent: float = param(0.8, tag="A", rng=(0.6, 0.85), gt=0, le=1,
                                  source="research §4.4 / row 60: total cost ∝ Q^b")
    self_treatment_removal: Shares = param(
        Shares(cod=0.72, nh3n=0.65, tp=0.45), tag="S",
        source="research row 62: village micro-plants as operated (Foshan A/O 72.5 %)")


class WorkshopRules(Frozen):
    """How workshops behave on their own."""

    loss_months_before_closing: int = param(
        12, tag="A", rng=(6, 24), ge=1, le=240,
        source="a family workshop gives up after a year of losses, assumption")


# ----------------------------------------------------------------------------- levers
class Closures(Frozen):
    """Close workshops by id and/or by rule, with compensation (account §2)."""

    date: date
    workshops: tuple[str, ...] = ()
    rule: Literal["none", "unlicensed", "cod_load_above"] = "none"
    cod_load_threshold_kg_per_day: float | None = Field(default=None, gt=0)
    compensation_yuan_per_workshop: float = param(
        100_000.0, tag="A", rng=(0, 500_000), ge=0,
        source="one-off payment to the owner, assumption (the account gives none)")

    @model_validator(mode="after")
    def _rule(self) -> Closures:
        if self.rule == "cod_load_above" and self.cod_load_threshold_kg_per_day is None:
            raise ValueError("rule 'cod_load_above' needs cod_load_threshold_kg_per_day")
        return self


class SharedFacility(Frozen):
    """A shared wastewater plant run by a third party (account §2; research §4)."""

    build_start: date
    build_months: int = param(6, tag="A", rng=(3, 18), ge=0, le=120,
                              source="small packaged plant, assumption")
    capacity_m3_per_day: float = param(100.0, tag="A", rng=(60, 300), gt=0,
                                       source="sized for the connected workshops, assumption")
    connect: Literal["all_open"] | tuple[str, ...] = "all_open"
    capex_yuan_per_m3_day: float = param(6000.0, tag="A", rng=(4000, 8000), ge=0,
                                         source="research row 56: shared plant excl. network")
    capex_paid_by: Literal["operator", "township"] = Field(
        default="operator",
        description="who finances construction: the operator recovers it through the fee; if "
                    "the township pays, the fee covers only the operating share of unit cost")
    operating_share_of_unit_cost: float = param(
        0.6, tag="A", rng=(0.4, 0.8), gt=0, le=1,
        source="O&M share of a small plant's cost per m³ (research §4.1–4.2: capex vs "
               "0.8–1.0 yuan/t O&M), used when the township pays the capex")
    pipe_cost_yuan_per_workshop: float = param(50_000.0, tag="A", rng=(20_000, 100_000), ge=0,
                                               source="connection sewer per workshop, assumption")
    operator_margin_share: float = param(0.05, tag="A", rng=(0.0, 0.15), ge=0, le=1,
                                         source="third-party operator's margin on cost")
    removal: Shares = param(Shares(cod=0.88, nh3n=0.90, tp=0.85), tag="A",
                            source="research row 61: well-run shared plant (Foshan A²O 82 %)")
    outages_per_year: float = param(2.0, tag="A", rng=(0.5, 6.0), ge=0,
                                    source="breakdowns of a professionally run plant")
    outage_mean_days: float = param(3.0, tag="A", rng=(1.0, 10.0), gt=0,
                                    source="repair time, assumption")
    outfall_river_km: float = param(19.0, tag="A", ge=0,
                                    source="treated effluent enters just above the exit section")


class DischargeEnforcement(Frozen):
    """From `date`, workshops that still discharge raw wastewater must treat it themselves."""

    date: date


class Levers(Frozen):
    closures: Closures | None = None
    shared_facility: SharedFacility | None = None
    discharge_enforcement: DischargeEnforcement | None = None
    ecotourism: Ecotourism | None = None
    manure_retrofit: ManureRetrofit | None = None
    coculture: Coculture | None = None
    forest_economy: ForestPlanting | None = None
    points_scheme: PointsScheme | None = None
    cleanup: Cleanup | None = None
    councils: CouncilsLever | None = None
    negative_list: NegativeList | None = None
    rural_sewage: RuralSewage | None = None


# ----------------------------------------------------------------------------- scenario
class Scenario(Frozen):
    """A complete, validated scenario."""

    name: SafeName = Field(description="the scenario's name, also its output folder's: "
                                        "letters of any script, digits, _ or - (default: the "
                                        "file's name)")
    description: str = ""
    description_zh: str = Field(default="", description="the description in Chinese, shown on "
                                "Chinese pages (the English one where it is empty)")
    start_date: SupportedDate = Field(
        default=date(2023, 1, 1),
        description="first day simulated (1900-01-01 to 2099-12-31, the lunar calendar's range)")
    end_date: SupportedDate = Field(
        default=date(2035, 12, 31),
        description="last day simulated (1900-01-01 to 2099-12-31, the lunar calendar's range)")
    township: Township = Township()
    sewage: Sewage = Sewage()
    income: Income = Income()
    river: River = River()
    workshops: tuple[Workshop, ...] = Field(default_factory=default_workshops)
    treatment_costs: TreatmentCosts = TreatmentCosts()
    workshop_rules: WorkshopRules = WorkshopRules()
    tourism: Tourism = Tourism()
    livestock: Livestock = Livestock()
    paddy: Paddy = Paddy()
    forest: ForestEconomy = ForestEconomy()
    rubbish: Rubbish = Rubbish()
    sorting: Sorting = Sorting()
    air: Air = Air()
    councils: Councils = Councils()
    satisfaction: Satisfaction = Satisfaction()
    investors: Investors = Investors()
    levers: Levers = Levers()
    budget: Budget = Budget()
    uncertainties: Uncertainties = ()

    @field_validator("uncertainties")
    @classmethod
    def _uncertain_keys(cls, items: Uncertainties) -> Uncertainties:
        """Each uncertain parameter's key path leads to a number; default bounds filled in."""
        return resolve(items, cls)

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        if self.end_date <= self.start_date:
            raise ValueError(f"end_date {self.end_date} must be after start_date "
                             f"{self.start_date}")
        ids = [w.id for w in self.workshops]
        if len(set(ids)) != len(ids):
            raise ValueError("workshop ids must be unique")
        n = self.township.village_count
        for w in self.workshops:
            if w.village > n:
                raise ValueError(f"workshop {w.id}: village {w.village} > {n} villages")
        lv = self.levers
        named: list[str] = []
        if lv.closures is not None:
            named += list(lv.closures.workshops)
        if lv.shared_facility is not None and lv.shared_facility.connect != "all_open":
            named += list(lv.shared_facility.connect)
        if lv.coculture is not None:
            named_v = set(lv.coculture.pilot_villages).union(
                *lv.coculture.target_villages_by_year.values())
            bad = sorted(v for v in named_v if not 1 <= v <= n)
            if bad:
                raise ValueError(f"levers.coculture names villages {bad}; villages are 1–{n}")
        if lv.rural_sewage is not None:
            named_s = set(lv.rural_sewage.stations) | set(lv.rural_sewage.septic)
            bad = sorted(v for v in named_s if not 1 <= v <= n)
            if bad:
                raise ValueError(f"levers.rural_sewage names villages {bad}; villages are 1–{n}")
        if lv.shared_facility is not None and \
                lv.shared_facility.outfall_river_km > self.river.length_km:
            raise ValueError("levers.shared_facility.outfall_river_km is beyond river.length_km")
        sections = {s.name for s in self.river.sections}
        unseen = sorted(set(self.tourism.visible_sections) - sections)
        if unseen:
            raise ValueError(f"tourism.visible_sections {unseen} are not river sections "
                             f"{sorted(sections)}")
        unknown = sorted(set(named) - set(ids))
        if unknown:
            raise ValueError(f"levers name unknown workshop ids {unknown}; known: {ids}")
        return self

