"""Scenario sections for the river: monitoring sections, flows, hydraulics, decay, oxygen, and
the rural domestic sewage lever (the design brief's research/river-facts.md, "river-facts §x";
domain-facts.md, "research §x").

Imported by `sim.scenario.schema`, which stays the one entry point of the scenario schema.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from sim.scenario.params import Frozen, Pollutants, Shares, param


class Section(Frozen):
    name: str = Field(min_length=1, pattern=r"^[a-z][a-z0-9_]*$")
    river_km: float = Field(ge=0)
    flow_share: float = Field(gt=0, le=1, description="share of the exit's flow at this section")


def _default_sections() -> tuple[Section, ...]:
    # near_field: 260 m below V06's outfalls (workshops W03 and W12, the heaviest COD of the
    # cluster), well inside the 0.7–2 km a bank outfall needs to mix across (river-facts §5)
    return (Section(name="entry", river_km=0.0, flow_share=0.4),
            Section(name="middle", river_km=10.0, flow_share=0.75),
            Section(name="near_field", river_km=13.4, flow_share=0.835),
            Section(name="exit", river_km=20.0, flow_share=1.0))


#: Monthly mean water temperature, °C, January first: river-facts §4 / §9 row 21 (Jan 8, Apr 18,
#: Jul 29, Oct 21 from the 2008 yearbook's air temperatures of Changsha/Nanchang/Wuhan plus the
#: shallow-stream offset), the months between interpolated.
WATER_TEMPERATURE_C = (8.0, 9.5, 13.0, 18.0, 23.0, 27.0, 29.0, 29.0, 26.0, 21.0, 15.0, 10.0)


class River(Frozen):
    """The township's river: flow, hydraulics, decay, oxygen, background, monitoring."""

    length_km: float = param(20.0, tag="A", rng=(10, 40), gt=0, le=200,
                             source="river course through the township, assumption")
    sections: tuple[Section, ...] = Field(default_factory=_default_sections, min_length=1,
                                          description="monitoring sections, upstream first; the "
                                                      "flow between them is interpolated")
    catchment_area_km2: float = param(
        80.0, tag="C", rng=(20, 100), gt=0,
        source="catchment at the exit section; tuned so that 2023 practice gives the "
               "account's smelly river (docs/calibration.md)")
    runoff_depth_mm_per_year: float = param(
        600.0, tag="A", rng=(400, 900), gt=0,
        source="central-China humid region: 1,200–1,600 mm rain, runoff coefficient 0.4–0.5")
    monthly_flow_index: tuple[float, ...] = param(
        (0.45, 0.55, 0.9, 1.3, 1.7, 2.0, 1.6, 1.2, 0.9, 0.65, 0.45, 0.3), tag="A",
        source="subtropical monsoon river: Apr–Sep carry ≈ 72 % of runoff, Apr–Jul ≈ 55 % "
               "(Zishui 54 %, river-facts §4); driest month 0.3 (river-facts §9 row 18: "
               "0.15–0.35); normalised to mean 1 in code")
    flow_log_sd: float = param(0.3, tag="A", rng=(0.1, 0.5), ge=0, le=2,
                               source="variability of log flow in months at or above the mean")
    dry_flow_log_sd: float = param(
        0.55, tag="A", rng=(0.39, 0.69), ge=0, le=2,
        source="months below the mean flow: year-to-year CV of dry-month flow 0.4–0.8 "
               "(river-facts §4, from memory; no sourced regional statistic found), "
               "sd = sqrt(ln(1 + CV²))")
    flow_autocorrelation: float = param(
        0.7, tag="A", rng=(0.4, 0.85), ge=0, lt=1,
        source="AR(1) persistence of monthly log-flow anomalies (dry spells last: baseflow "
               "recession), assumption")
    depth_m_at_1_m3_s: float = param(0.409, tag="S", rng=(0.2, 0.6), gt=0,
                                     source="H = a·Q^b, Raymond et al. 2012 (USGS "
                                            "streamMetabolizer calc_depth; river-facts "
                                            "§3.3), ±50 %")
    depth_exponent: float = param(0.294, tag="S", ge=0, le=1,
                                  source="Raymond et al. 2012 (river-facts §3.3)")
    velocity_m_s_at_1_m3_s: float = param(0.194, tag="S", rng=(0.1, 0.3), gt=0,
                                          source="U = c·Q^f, Raymond et al. 2012 (USGS "
                                                 "streamMetabolizer calc_velocity; "
                                                 "river-facts §3.3), ±50 %")
    velocity_exponent: float = param(0.285, tag="S", ge=0, le=1,
                                     source="Raymond et al. 2012 (river-facts §3.3)")
    decay_per_day: Pollutants = param(
        Pollutants(cod=0.2, nh3n=0.15, tp=0.05), tag="S",
        source="first-order in-stream rates at 20 °C: COD 0.2 (0.1–0.3, 老县河 0.22–0.30, rf "
               "§3.2 / §9 row 8); NH3-N 0.15 (EIA practice 0.05–0.2 [M]; nitrification 0.1–0.5); "
               "TP 0.05 (settling, assumption)")
    decay_theta: Pollutants = param(
        Pollutants(cod=1.047, nh3n=1.07, tp=1.0), tag="S",
        source="k_T = k_20·θ^(T−20): CBOD 1.047 (QUAL2K), nitrification 1.07 [M], TP not "
               "corrected (river-facts §3.4)")
    background_mg_l: Pollutants = param(
        Pollutants(cod=10.0, nh3n=0.2, tp=0.05), tag="A",
        source="quality of the upstream inflow at the entry (forested headwaters in the "
               "national forest park) and of clean lateral inflow: class II water (COD ≤ 15, "
               "NH3-N ≤ 0.5, TP ≤ 0.1); range COD 6–15, NH3-N 0.1–0.5, TP 0.02–0.1 (class "
               "I–II, GB 3838); refractory (does not decay)")
    bod_u_per_cod: float = param(
        0.5, tag="D", rng=(0.15, 1.0), gt=0, le=1.5,
        source="ultimate CBOD per COD of the added loads: BOD5/COD 0.35 (mixed workshops "
               "0.1–0.6; domestic 0.45) × BODu/BOD5 1.46 (1.2–2.5) (river-facts §3.7, §9 "
               "rows 13–14)")
    nitrogen_oxygen_g_per_g: float = param(4.57, tag="S", rng=(4.32, 4.57), gt=0,
                                           source="O2 per g NH3-N nitrified (river-facts §3.6)")
    reaeration_theta: float = param(1.024, tag="S", rng=(1.014, 1.034), gt=1, le=1.1,
                                    source="QUAL2Kw default (river-facts §3.4)")
    reaeration_max_per_day: float = param(20.0, tag="A", rng=(10, 30), gt=0,
                                          source="cap on ka for very shallow water "
                                                 "(river-facts §3.3)")
    sod_g_m2_day: float = param(
        0.5, tag="S", rng=(0.1, 1.0), ge=0,
        source="sediment oxygen demand of a clean bed at 20 °C: sandy bottom 0.2–1 (Thomann & "
               "Mueller [M]); UK rivers 0.14–9.8 (river-facts §3.8)")
    sod_theta: float = param(1.065, tag="A", rng=(1.055, 1.075), gt=1, le=1.1,
                             source="SOD temperature factor (river-facts §3.4)")
    water_temperature_c: tuple[float, ...] = param(
        WATER_TEMPERATURE_C, tag="S",
        source="monthly water temperature, January first (river-facts §4, §9 row 21; ±3 °C)")
    dawn_do_margin_mg_l: float = param(
        1.0, tag="A", rng=(0.0, 2.0), ge=0, le=5,
        source="a month's DO by day overstates the dawn minimum by 1–2 mg/L; black-and-smelly "
               "is judged at dawn (river-facts §1.3)")
    sample_log_sd: float = param(0.15, tag="A", rng=(0.05, 0.3), ge=0, le=2,
                                 source="grab-sample noise (day-to-day and measurement)")
    target_class: int = param(3, tag="S", ge=1, le=5,
                              source="GB 3838-2002 class III at every section (account, §1)")

    @model_validator(mode="after")
    def _check(self) -> River:
        if len(self.monthly_flow_index) != 12 or min(self.monthly_flow_index) <= 0:
            raise ValueError("monthly_flow_index needs 12 positive values (January first)")
        if len(self.water_temperature_c) != 12 or not all(
                0 <= t <= 40 for t in self.water_temperature_c):
            raise ValueError("water_temperature_c needs 12 values in 0–40 °C (January first)")
        names = [s.name for s in self.sections]
        if len(set(names)) != len(names):
            raise ValueError("section names must be unique")
        kms = [s.river_km for s in self.sections]
        if kms != sorted(kms) or kms[-1] > self.length_km:
            raise ValueError("sections must be ordered upstream first, within length_km")
        shares = [s.flow_share for s in self.sections]
        if shares != sorted(shares):
            raise ValueError("sections' flow_share must not fall downstream")
        return self


class RuralSewage(Frozen):
    """Village treatment stations and septic-tank retrofits for households' sewage (river-facts §6;
    research §2.1, §4)."""

    stations: dict[int, date] = Field(
        default_factory=dict,
        description="village number (1-based) -> the day its treatment station starts; its "
                    "connected households' sewage is treated there")
    septic: dict[int, date] = Field(
        default_factory=dict,
        description="village number -> the day its households' three-compartment septic-tank "
                    "retrofits are done (where no station serves them)")
    station_coverage_share: float = param(
        0.8, tag="A", rng=(0.6, 0.95), ge=0, le=1,
        source="share of a village's households a station's pipes reach (scattered houses left "
               "out), assumption")
    septic_coverage_share: float = param(0.9, tag="A", rng=(0.7, 1.0), ge=0, le=1,
                                         source="share of households retrofitted, assumption")
    station_removal: Shares = param(
        Shares(cod=0.725, nh3n=0.65, tp=0.45), tag="S",
        source="village A/O stations as operated: Foshan median 72.5 % (research row 62); "
               "NH3-N and TP as the self-treatment units")
    septic_removal: Shares = param(
        Shares(cod=0.4, nh3n=0.0, tp=0.2), tag="A",
        source="three-compartment septic tanks: COD 30–50 %, NH3-N ≈ 0 (−10 to 15), TP 10–30 % "
               "(river-facts §6 / §9 row 25)")
    station_capex_yuan_per_m3_day: float = param(
        20_000.0, tag="S", rng=(11_000, 39_000), ge=0,
        source="small integrated units 11,000–39,000 yuan per m³/d (MOHURD; river-facts §6)")
    station_opex_yuan_per_m3: float = param(
        1.5, tag="S", rng=(0.8, 3.0), ge=0,
        source="O&M 0.8–1.0 yuan/t nationally, a few yuan/t at village scale (river-facts §6)")
    septic_capex_yuan_per_household: float = param(
        3_000.0, tag="A", rng=(1_500, 5_000), ge=0,
        source="three-compartment tank retrofit per household (toilet-revolution subsidies), "
               "assumption")
    septic_opex_yuan_per_household_year: float = param(
        100.0, tag="A", rng=(50, 200), ge=0,
        source="desludging every 1–2 years, assumption")
