"""Analysis: pure functions over run tables, never the model.

`outcomes` (the registry of indicators, each with unit and direction), `stats` (intervals),
`compare` (policies against a base), `sensitivity` (SALib indices over a sweep's tables).
Imports only `sim.errors` and `sim.files`; the experiments, the report and the CLI build on it.
"""
