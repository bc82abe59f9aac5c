"""Analysis: pure functions over run tables, never the model.

`outcomes` (the registry of indicators, each with unit and direction), `stats` (intervals),
`compare` (policies against a base), `sensitivity` (SALib indices over a sweep's tables),
`checks` (the reality checks of `checks.yaml` and their runner), `targets` (the calibration
targets of `targets.yaml`, measured per replicate with the checks' row selection).
Imports only `sim.errors`, `sim.files` and `sim.scenario`'s YAML reader; the experiments, the
report and the CLI build on it.
"""
