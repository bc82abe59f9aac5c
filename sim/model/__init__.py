"""The model: one run of the township, `run(scenario, seed, replicate) -> RunResult`, no I/O.

`simulation` (run, RunResult) and `township` (the world and its monthly accounting); agents by
kind: `households` and `residents`, `workshops`, `farming` with `livestock`, `paddy` (with
`coculture`, the programme's decision and the crayfish price) and `forest`, `tourists` and
`tourism_economy`, `life` (everyday life) with `councils` and `air`; `river` (with `oxygen`),
`standards` and `facility`; `sewage` (the rural sewage works); `levers` (and the `statuslog`
of dated states they set); `books` (the ledger of every yuan and the township's budget);
`streams` (named random streams), `timebase`, `world`; `recorder`, `record` and `archive` (the
tables a run returns). Imports only `sim.scenario` (and `sim.errors`).
"""
