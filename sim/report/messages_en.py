"""The report's words in English (keys shared with `messages_zh`; a test keeps them in step)."""

MESSAGES: dict[str, str] = {
    # page
    "lang.name": "English",
    "lang.switch": "中文",
    "page.title": "greensim: {names}",
    "page.title.versus": " vs ",
    "page.base": "Base: {base} ({why}). Every difference below is a policy minus this base.",
    "page.base.first": "the first run folder given; choose another with --base",
    "page.base.chosen": "chosen with --base",
    "page.answer": "The answer first",
    "page.answer.note": "Each card: a key outcome of {policy} against {base} in {year}, the "
                        "difference taken replicate by replicate (common random numbers) with "
                        "its 95 % interval, over {n} replicates.",
    "page.answer.unpaired": "{policy} and {base} were run with different seeds: differences "
                            "are unpaired (Welch) and wider.",
    "page.answer.none": "One scenario only: no policy to compare with a base.",
    "card.better": "better",
    "card.worse": "worse",
    "card.unclear": "no clear difference",
    "card.sentence.up": "In {year}, {outcome}: {diff} more than {base}{interval}.",
    "card.sentence.down": "In {year}, {outcome}: {drop} less than {base}{interval}.",
    "card.sentence.flat": "In {year}, {outcome} differs from {base} by {diff}{interval}: no "
                          "clear difference.",
    "card.interval": " ({low} to {high})",
    "card.relative.up": "{share} above the base", "card.relative.down": "{share} below the base",
    "card.cost.more": "more spending", "card.cost.less": "less spending",
    "page.scenarios": "Scenarios",
    "page.key_figures": "Key figures",
    "page.key_figures.note": "Mean across replicates with its 95 % confidence interval in "
                             "brackets (Student t over replicates, cut at the quantity's bounds, "
                             "e.g. a share within 0–100 %; the same interval `greensim compare` "
                             "prints); just the mean for a single replicate. 2025 H1 figures sum "
                             "January to June; the account reports 23,000 visits and 4.6 million "
                             "yuan of tourism income in 2025 H1 (docs/calibration.md) and the "
                             "township first in the county's satisfaction survey in 2025.",
    "page.events": "Events (replicate 0, first {n})",
    "page.events.summary": "{name}: {total} events, the first {n} by date shown",
    "page.events.routine": " (the {n} issues the councils resolved are not listed: the "
                           "township table counts them as issues_resolved)",
    "page.sensitivity": "Sensitivity",
    "sens.design": "{kind} design of {points} points × {replicates} replicates on {base}, "
                   "varying {names}. Each point's outcome is the mean of its replicates.",
    "sens.how.sobol": "S1 = first-order Sobol index (share of the outcome's variance due to "
                      "the parameter alone), ST = total index (with all its interactions); bars "
                      "show 95 % bootstrap CIs. ST much larger than S1 means the parameter acts "
                      "through interactions.",
    "sens.how.morris": "μ* = mean absolute elementary effect (overall influence, in the "
                       "outcome's units), σ = their standard deviation (non-linearity or "
                       "interactions); μ* bars show 95 % bootstrap CIs.",
    "sens.how.lhs": "δ = Borgonovo's moment-independent index, S1 = first-order index "
                    "estimated from the same sample; bars show 95 % bootstrap CIs.",
    "sens.caveats": "Read with care (these indices lie in 0–1 in theory; the estimates or "
                    "intervals below leave it only from sampling error):",
    "sens.cav.what": "{index} of {parameter} for {outcome} is {value}",
    "sens.cav.ci": " (CI {low} to {high})",
    "sens.cav.below": "{what}{ci}: below 0 only from sampling error; read it as about 0, and use "
                      "more samples (--samples) to narrow it",
    "sens.cav.above": "{what}{ci}: above 1 only from sampling error (an index is at most 1); "
                      "read it as about 1, and use more samples (--samples) to narrow it",
    "sens.cav.ends": "{what}, but its CI ({low} to {high}) reaches {sides} only from sampling "
                     "error; read its {edges}, and use more samples (--samples) to narrow it",
    "sens.cav.and": " and ",
    "sens.cav.side.low": "below 0", "sens.cav.side.high": "above 1",
    "sens.cav.edge.low": "lower end as 0", "sens.cav.edge.high": "upper end as 1",
    "page.provenance": "Provenance",
    "page.period": "{start} to {end}",
    # the event log (sim/report/events.py)
    "event.closure": "closure", "event.connection": "connection", "event.fine": "fine",
    "event.inspection_passed": "inspection passed", "event.inspection_failed": "inspection failed",
    "event.coculture_spring": "co-culture (spring)",
    "event.facility_build_start": "construction starts",
    "event.facility_online": "in operation", "event.investment": "investment",
    "event.investor_admitted": "investor admitted", "event.investor_refused": "investor refused",
    "event.outage_start": "outage starts", "event.outage_end": "outage ends",
    "event.price_crash": "price crash", "event.retrofit": "manure retrofit",
    "event.sand_site_closed": "sand site closed", "event.homestays_opened": "homestays opened",
    "event.rule.unlicensed": "unlicensed", "event.rule.cod_load_above": "COD load above threshold",
    "event.rule.named": "named",
    "event.detail.closure": "rule: {v0}; {v1} workers laid off",
    "event.detail.connection": "connected to the {v0}",
    "event.detail.fine": "{v0} months of profit",
    "event.detail.inspection_failed": "{v0} head",
    "event.detail.coculture_spring": "{v0} adopted, {v1} dropped out",
    "event.detail.facility_build_start": "capacity {v0} m³/day",
    "event.detail.investment": "+{v0} beds, +{v1} trail visitors/day, +{v2} appeal",
    "event.detail.investor_admitted": "village {v0}",
    "event.detail.investor_refused": "village {v0}",
    "event.detail.outage_start": "{v0} days", "event.detail.outage_end": "{v0} days",
    "event.detail.price_crash": "{v0} yuan/kg",
    "event.detail.retrofit": "loan {v0} yuan, free equipment {v1} yuan",
    "event.detail.sand_site_closed": "{v0} mu restored",
    "event.detail.homestays_opened": "{v0} new (private investment)",
    "event.issue_resolved": "council issue resolved",
    "event.detail.issue_resolved": "{v0}",
    "event.issue.rubbish_point": "rubbish collection point",
    "event.issue.dumping": "reported dumping", "event.issue.street_lights": "street lights",
    "event.issue.other": "other matter",
    "event.subject.facility": "facility", "event.subject.paddy": "paddy",
    "event.subject.crayfish": "crayfish", "event.subject.chemical": "chemical plant",
    "event.subject.sand_mining": "sand mining", "event.subject.tourism": "tourism",
    "event.subject.marketing": "marketing", "event.subject.trail": "trail",
    "event.subject.camping": "camping", "event.subject.homestays": "homestays",
    "event.subject.riverside_walk": "riverside walk",
    "col.scenario": "scenario", "col.folder": "folder", "col.description": "description",
    "col.replicates": "replicates", "col.seed": "seed", "col.period": "period",
    "col.version": "version", "col.git": "git revision",
    "col.date": "date", "col.kind": "kind", "col.subject": "subject", "col.detail": "detail",
    # key figures
    "kf.last_year": "last full year",
    "kf.share": "samples meeting class III, 2025 H1",
    "kf.load": "{pollutant} load, last full year (t)",
    "kf.income": "income per capita, last full year (yuan)",
    "kf.spending": "public spending, whole run ({money})",
    "kf.visits": "visits, 2025 H1",
    "kf.revenue": "tourism revenue, 2025 H1 ({money})",
    "kf.coculture": "co-culture households, June 2025",
    "kf.air": "good-air days, 2025 H1 (of 181)",
    "kf.ranked": "ranked first in the county in each survey, 2025 Q1–Q3",
    "kf.ranked.value": "{k} of {n} replicates ({share})",
    # units and numbers
    "money.unit": "million yuan",
    "money.per_year": "million yuan / year",
    "fig.axis.unit": "{name} ({unit})",
    "unit.t_per_year": "t / year",
    # sections
    "sec.water": "River and workshops", "sec.tourism": "Tourism", "sec.farms": "Farms & fields",
    "sec.life": "Everyday life & satisfaction",
    "note.band": "Lines = median of replicates; shading: dark 25–75 %, light 5–95 % of "
                 "replicates.",
    "note.partial": " Annual sums cover full calendar years only; partial years omitted: {years}.",
    "note.partial.year": "{year} ({n} months)",
    "note.end": "at the end of each year (the last simulated month in a partial year)",
    "fig.water_class": "Water class by section and month",
    "fig.water_class.note": "Colour = median class of the monthly sample across replicates (the "
                            "worse class on a tie); blue and green meet the target class {target}, "
                            "yellow to red fail it. Sections run upstream (top) to downstream; "
                            "hover for the share of replicates meeting the target.",
    "fig.water_class.axis": "section", "fig.water_class.bar": "class",
    "fig.water_class.hover": "%{{y}}, %{{x|%b %Y}}: class %{{text}}<br>%{{customdata:.0%}} of "
                             "replicates meet class {target}",
    "fig.target": "Samples meeting class {target}",
    "fig.target.note": "Share of monthly section samples at class {target} or better, annual "
                       "mean. {band}",
    "fig.target.axis": "share meeting class {target}",
    "fig.loads": "Loads reaching the river by source",
    "fig.loads.note": "Tonnes per year, mean of replicates, stacked by source; panels of a row "
                      "share the scale.{partial}",
    "fig.income": "Disposable income per capita",
    "fig.income.note": "Yuan per person per year (township). {band}{partial}",
    "fig.income.axis": "yuan / person / year",
    "fig.workshops": "Workshops and jobs",
    "fig.workshops.note": "Counts at the end of each year, mean of replicates.",
    "fig.workshops.panel": "workshops: solid open, dashed connected, dotted discharging "
                           "untreated",
    "fig.workshops.jobs": "jobs",
    "fig.workshops.open": "open", "fig.workshops.connected": "connected",
    "fig.workshops.discharging": "discharging untreated",
    "fig.workshops.axis": "workshops at year end", "fig.workshops.jobs_axis":
        "workshop jobs at year end",
    "fig.spending": "Public spending by lever",
    "fig.spending.note": "{money} per year, mean of replicates, stacked by lever.{partial}",
    "fig.spending.none": "no public spending",
    "fig.saving": "Saving of connected workshops",
    "fig.saving.note": "Share of the cost per m³ that connected workshops save against treating "
                       "their wastewater alone; annual mean over months with at least one "
                       "connection (no line without connections). {band}",
    "fig.saving.axis": "share of cost per m³ saved",
    "fig.visits": "Visits and tourism revenue",
    "fig.visits.note": "Visits (day visits plus overnight guests) and visitors' spending kept in "
                       "the township, per year. {band}{partial}",
    "fig.visits.visits": "visits per year", "fig.visits.visits_axis": "visits / year",
    "fig.visits.revenue": "tourism revenue",
    "fig.capacity": "Beds, homestays and visitors turned away",
    "fig.capacity.note": "Beds and homestays {end}; visitors who found no bed, per year. "
                         "{band}{partial}",
    "fig.capacity.beds": "beds", "fig.capacity.beds_axis": "beds at year end",
    "fig.capacity.homestays": "homestays", "fig.capacity.homestays_axis":
        "homestays at year end",
    "fig.capacity.away": "visitors turned away", "fig.capacity.away_axis": "visitors / year",
    "fig.coculture": "Co-culture and pig farms",
    "fig.coculture.note": "Households farming rice–crayfish co-culture and pig farms meeting the "
                          "manure rules, {end}; the crayfish farm-gate price as the annual mean "
                          "of months. {band}",
    "fig.coculture.households": "co-culture households",
    "fig.coculture.households_axis": "households at year end",
    "fig.coculture.price": "crayfish farm-gate price", "fig.coculture.price_axis": "yuan / kg",
    "fig.coculture.farms": "pig farms compliant", "fig.coculture.farms_axis":
        "farms at year end",
    "fig.farm_income": "Farm income by source",
    "fig.farm_income.note": "Households' net income per person of the township and year from "
                            "each source (negative in loss years); panels have their own "
                            "scales. {band}{partial}",
    "fig.farm_income.rice": "rice", "fig.farm_income.coculture": "rice–crayfish co-culture",
    "fig.farm_income.livestock": "pig farms", "fig.farm_income.forest": "under-forest economy",
    "fig.satisfaction": "Satisfaction and county rank",
    "fig.satisfaction.note": "Left: residents' satisfaction (0–100); line and shading = monthly "
                             "mean of all residents (median, 25–75 % and 5–95 % of replicates); "
                             "diamonds "
                             "and bars = quarterly survey sample (mean and 5–95 % of "
                             "replicates). Right: share of replicates whose survey ranks first "
                             "among the county's townships, per quarter.",
    "fig.satisfaction.score": "satisfaction score (0–100): line all residents, ◆ quarterly "
                              "survey",
    "fig.satisfaction.rank": "replicates ranked first in the county",
    "fig.satisfaction.score_axis": "score (0–100)",
    "fig.satisfaction.rank_axis": "share of replicates ranked 1st",
    "fig.satisfaction.survey": "{name} survey",
    "fig.satisfaction.rank_hover": "%{{y:.0%}} of %{{customdata}}",
    "fig.drivers": "What moved satisfaction",
    "fig.drivers.note": "How much each thing residents perceive has moved their satisfaction "
                        "since the start year, in {year} (points on the 0–100 score; bars: mean "
                        "of replicates, whiskers: 5–95 % of replicates). With the start level "
                        "the bars add up to the mean score; a term that never moves, like black "
                        "and smelly water while the river never turns black, shows as zero.",
    "fig.drivers.axis": "points since the start year",
    "fig.drivers.hover": "%{{y}}: %{{x:+.2f}} points in {year}",
    "fig.drivers.term.water": "river's water class near the village",
    "fig.drivers.term.smell": "black and smelly water",
    "fig.drivers.term.rubbish": "rubbish and dumps",
    "fig.drivers.term.air": "good-air days",
    "fig.drivers.term.voice": "voice in the ecological council",
    "fig.drivers.term.unresolved": "issues left unresolved",
    "fig.drivers.term.polluters": "polluting projects nearby",
    "fig.drivers.term.income": "income against their own past",
    "fig.air": "Air, rubbish sorting and legacy rubbish",
    "fig.air.note": "Good-air days per year; share of households sorting their rubbish (annual "
                    "mean); legacy rubbish in old dumps {end}. {band}{partial}",
    "fig.air.days": "good-air days", "fig.air.days_axis": "days / year",
    "fig.air.sorting": "households sorting", "fig.air.sorting_axis": "share of households",
    "fig.air.legacy": "legacy rubbish", "fig.air.legacy_axis": "tonnes at year end",
    "hover.year": "year",
    # archive and red/black list
    "page.archive": "The archive and the villages' red/black list",
    "archive.title": "The yearly ecological archive",
    "archive.note": "The ecological archive the model keeps year by year (table archive, "
                    "docs/model.md §7.17, §7.19); each figure is the mean across replicates of "
                    "the year's value: totals of the year for days, tonnes, spending and issues, "
                    "the value at the end of the year for legacy rubbish and green space, the "
                    "mean of the months for shares and water classes (1 = I … 6 = worse than V), "
                    "the best county rank of the year's surveys; projects counts the closures, "
                    "facility openings, investments, farm retrofits, sand sites closed and "
                    "investors refused logged in the year; levers that spent nothing are left "
                    "out. Open a scenario to see its table.",
    "archive.summary": "{name}: archive {first}–{last}, mean of {n} replicates",
    "archive.column": "item (unit)",
    "archive.year": "{year}",
    "archive.good_air_days": "good-air days (days)",
    "archive.rubbish_t": "rubbish generated (t)",
    "archive.legacy_rubbish_t": "legacy rubbish at year end (t)",
    "archive.green_area_mu": "green space planted, at year end (mu)",
    "archive.sections_meeting_target_share": "samples meeting their target class (%)",
    "archive.public_spending_yuan": "public spending ({money})",
    "archive.lever": "public spending: {lever} ({money})",
    "archive.satisfaction_survey_mean": "residents' satisfaction, survey mean (0–100)",
    "archive.satisfaction_rank_best": "best county rank in the year's surveys (1 = first)",
    "archive.issues_raised": "issues raised in the councils (count)",
    "archive.issues_resolved": "issues resolved (count)",
    "archive.council_participation_share": "households taking part in a council (%)",
    "archive.section_class": "mean water class, section {section} (1–6)",
    "section.entry": "entry", "section.middle": "middle", "section.exit": "exit",
    "section.near_field": "near field",
    "archive.projects": "projects logged (count)",
    "rb.title": "The villages' red/black list, month by month",
    "rb.note": "Each month the villages are ranked on rubbish sorting, straw burning, "
               "unresolved issues and COD per resident (docs/model.md §7.17): the three best "
               "make the red list (praised), the three worst the black list (criticised). "
               "Colour = share of replicates in which the village is on the red list minus the "
               "share in which it is on the black list: red praised, black criticised, white "
               "on neither (or as often on both); one panel per scenario, hover for both shares.",
    "rb.most": "{name}: most often on the red list {red}; on the black list {black}.",
    "rb.village": "{village} ({share})",
    "rb.sep": ", ",
    "rb.axis": "village",
    "rb.bar": "red list − black list (share of replicates)",
    "rb.tick.red": "red {p}", "rb.tick.black": "black {p}",
    "rb.hover": "%{{y}}, %{{x|%b %Y}}: red list in %{{customdata[0]}}% of replicates, black "
                "list in %{{customdata[1]}}%",
    # who wins and who loses
    "page.winners": "Who wins and who loses",
    "win.villages": "{policy} − {base}: income per person by village, {year}",
    "win.sources": "by farming source, {year}",
    "win.groups": "by household group, {year}",
    "win.group.workshop_workers": "workshop workers", "win.group.farming": "farming",
    "win.group.host_villages": "host villages, other", "win.group.other": "other",
    "win.axis": "change (yuan / person)",
    "win.hover": "%{{x}}: %{{y:,.0f}} [%{{customdata[0]:,.0f}}, %{{customdata[1]:,.0f}}] "
                 "(%{{customdata[2]}})<extra></extra>",
    "win.note": "Change of income per person against the base in {year}, taken replicate by "
                "replicate, with its 95 % interval (error bars); blue = clearly better off, "
                "orange = clearly worse off, grey = no clear difference. Household groups are "
                "fixed at the run's start and do not overlap: households with a workshop job "
                "then, the other farming households, the other households of the villages that "
                "host visitors, the rest; both scenarios follow the same households. Farming "
                "sources are the township's income from each, per person.",
    "win.count": "{policy}: {worse} of {n} villages clearly worse off, {better} clearly "
                 "better off.",
    "win.households": "{policy}: over the whole run, {better} of {n} households ({better_share}) "
                      "have at least 1 % more income than the same households under {base}, "
                      "{worse} ({worse_share}) at least 1 % less (means over replicates); extra "
                      "public spending per household better off: {cost}.",
    "win.cost": "{cost} yuan",
    "win.jobs": "{policy}: closures laid off {laid} workers (mean over replicates); at the end "
                "of {year}, {seeking} people were still looking for a job ({base}: "
                "{seeking_base}); those who found one earn a new job's wage (the workshop "
                "workers' group above).",
    # differences over time and costs
    "page.differences": "Differences over time",
    "page.differences.note": "Each policy minus the base, year by year: the line is the mean "
                             "difference over replicates, taken replicate by replicate (common "
                             "random numbers), the band its 95 % interval; above the dotted "
                             "line the policy is higher. Full calendar years only for sums.",
    "diff.legend": "{policy} − {base}",
    "diff.hover": "%{{y:,.4~r}} [%{{customdata[0]:,.4~r}}, %{{customdata[1]:,.4~r}}]",
    "diffunit.target_share": "difference (percentage points of samples)",
    "diffunit.cod_t_per_yr": "difference (t / year)",
    "diffunit.income_per_capita_yuan_per_yr": "difference (yuan / person)",
    "diffunit.visits_per_yr": "difference (visits / year)",
    "diffunit.satisfaction_mean": "difference (points)",
    "diffunit.coculture_households": "difference (households)",
    "page.costs": "What the money bought",
    "cost.npv": "public spending, present value ({money})",
    "cost.extra": "more than the base, present value ({money})",
    "cost.cod_avoided": "COD kept out of the river (t)",
    "cost.per_tonne": "cost per tonne of COD avoided (yuan / t)",
    "cost.not_defined": "not defined: no clear reduction",
    "cost.note": "Over the whole run, against {base}; spending discounted to the first year at "
                 "{rate} a year (HM Treasury Green Book; `greensim compare --discount-rate` for "
                 "another rate). Mean [95 % interval] over replicates, differences paired by "
                 "replicate; the cost per tonne has a paired BCa bootstrap interval and is not "
                 "defined when the tonnes avoided are not clearly above zero. It divides all of "
                 "the package's spending (tourism, clean-up, points and councils included) by "
                 "the COD kept out, and the tonnes are not discounted. The extra spending per "
                 "household better off is under 'Who wins and who loses'.",
    # river schematic
    "fig.river": "The river: sections, villages and workshops year by year",
    "fig.river.note": "The river from its upstream end (km 0) down through the township, one "
                      "panel per scenario; move the slider to choose a year. A section's colour "
                      "is its class in the year's worst month, each month's class being the "
                      "median across replicates (the worse class on a tie): the worst cell of "
                      "that year in the heatmap below. Blue and green meet the target class "
                      "{target}, yellow to red fail it, grey has no sample that year. Villages "
                      "sit where their drains reach the river, one row per zone; workshops stand "
                      "at their village's km and show their state at the end of the year in "
                      "most replicates (shapes in the legend; closed ones hollow); the shared "
                      "facility's outfall is hollow until the facility is in service in at least "
                      "half of the replicates. Hover for the share of the year's samples "
                      "meeting class {target} and of replicates with each workshop state.",
    "fig.river.note.black": " A dark hexagon under a section marks black and smelly water "
                            "that year (hollow: light, filled: heavy): each replicate's worst "
                            "month of the year, then the median across replicates.",
    "fig.river.note.unresolved": " A run folder whose run.json lacks the resolved scenario "
                                 "shows no workshops or outfall, and its villages only when "
                                 "the villages table has their river km.",
    "river.axis": "km along the river (0 = upstream end)",
    "river.row.river": "river (sections)", "river.row.workshops": "workshops",
    "river.row.villages": "villages", "river.row.zone": "{zone} villages",
    "river.zone.riverside": "riverside belt", "river.zone.hilly": "hilly zone",
    "river.zone.farmland": "farmland zone",
    "river.section.text": "{name}: {cls}",
    "river.hover.section": "{name}, km {km:.1f}, %{{customdata[0]}}: class "
                           "%{{customdata[1]}} in the worst month (median of replicates)<br>"
                           "%{{customdata[2]}} of the year's samples meet class {target}",
    "river.hover.village": "{name} ({zone}), km {km:.1f}",
    "river.hover.workshop": "{id}, village {village}, km {km:.1f}<br>end of %{{customdata[0]}}: "
                            "%{{customdata[1]}} (closed in %{{customdata[2]}}, connected in "
                            "%{{customdata[3]}} of replicates)",
    "river.hover.outfall": "shared facility's outfall, km {km:.1f}<br>end of "
                           "%{{customdata[0]}}: in service in %{{customdata[1]}} of replicates",
    "river.hover.black": "{name}, %{{customdata[0]}}: black and smelly water "
                         "(%{{customdata[1]}})",
    "river.workshop.open": "workshop open",
    "river.workshop.connected": "workshop connected to the shared facility",
    "river.workshop.closed": "workshop closed",
    "river.black.none": "none", "river.black.light": "light", "river.black.heavy": "heavy",
    "river.legend.classes": "water class of the year", "river.legend.places": "along the river",
    "river.legend.village": "village",
    "river.legend.outfall": "shared facility's outfall (hollow: not yet in service)",
    "river.legend.black": "black and smelly water",
    "river.year": "{year}", "river.slider": "year: ",
    # names from the tables
    "class.1": "I", "class.2": "II", "class.3": "III", "class.4": "IV", "class.5": "V",
    "class.6": "worse than V",
    "pollutant.cod": "COD", "pollutant.nh3n": "NH3-N", "pollutant.tp": "TP",
    "source.households": "households", "source.tourists": "tourists",
    "source.livestock": "livestock", "source.farmland": "farmland", "source.rubbish": "rubbish",
    "source.industry": "industry", "source.workshops": "workshops", "source.facility":
        "shared facility",
    "lever.closures": "closures", "lever.shared_facility": "shared facility",
    "lever.ecotourism": "eco-tourism", "lever.manure_retrofit": "manure retrofit",
    "lever.coculture": "co-culture", "lever.forest_economy": "forest economy",
    "lever.points_scheme": "points scheme", "lever.cleanup": "clean-up",
    "lever.councils": "councils", "lever.total": "total",
    "scenario.as_reported": "as reported", "scenario.no_transition": "no transition",
    # outcomes on cards
    "outcome.target_share": "samples meeting class III",
    "outcome.cod_t_per_yr": "COD reaching the river",
    "outcome.nh3n_t_per_yr": "NH3-N reaching the river",
    "outcome.income_per_capita_yuan_per_yr": "income per person",
    "outcome.visits_per_yr": "visits",
    "outcome.satisfaction_mean": "residents' satisfaction",
    "outcome.public_spending_yuan_per_yr": "public spending (undiscounted)",
    "outcome.coculture_households": "co-culture households",
    "unit.target_share": "{p:.1f} percentage points",
    "unit.cod_t_per_yr": "{v:,.1f} t/yr", "unit.nh3n_t_per_yr": "{v:,.2f} t/yr",
    "unit.income_per_capita_yuan_per_yr": "{v:,.0f} yuan", "unit.visits_per_yr": "{v:,.0f}",
    "unit.satisfaction_mean": "{v:.1f} points",
    "unit.public_spending_yuan_per_yr": "{m:,.2f} M yuan/yr",
    "unit.coculture_households": "{v:,.0f}",
    # issue 15: the river's near-field section and the reality checks (appended here)
    "page.checks": "Reality checks",
    "page.checks.note": "What the bundled scenarios must show (sim/analysis/checks.yaml), "
                        "evaluated on this report's runs of the scenario each check names: "
                        "{passed} pass, {failed} fail, {not_run} not run (no run of that "
                        "scenario here, or its runs do not cover the period). A failing check "
                        "is a target the model misses; docs/calibration.md says by how much.",
    "checks.col.check": "check", "checks.col.scenario": "scenario",
    "checks.col.period": "period (months)", "checks.col.expected": "expected",
    "checks.col.value": "measured (rows)", "checks.col.result": "result",
    "checks.share": "share of replicate-months", "checks.mean": "mean",
    "checks.pass": "pass", "checks.fail": "fail", "checks.not_run": "not run",
    "lever.rural_sewage": "rural domestic sewage",
}
