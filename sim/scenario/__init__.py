"""Scenarios: what a user writes, checked once at the edge.

`schema` (the `Scenario` model, pydantic v2, with its sections in `farms`, `life`, `river` and
`tourism`),
`params` (the `param` helper: default, plausible range, source), `load` (scenario files,
`extends`, `--set`), `yamlfile` (one YAML file read, bounded and strict), `uncertainty`
(declarations of uncertain parameters), `budget` (the yearly budget) and `plan`
(the spending a scenario fixes in advance, checked against it), `paramdoc` (the parameter table),
`tuned` (the tuned parameters, tag C, found in the schema with their ranges).
Imports nothing else of greensim but `sim.errors`.
"""
