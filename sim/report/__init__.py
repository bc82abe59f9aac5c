"""The analyst's report: one self-contained HTML page built from tables on disk, in Chinese
and English.

`data` (reading run folders), `figures` (plotly figures), `river` (the river schematic with
its year slider), `sections` (the figures in page order with their notes), `keyfigures` (the
key figures' intervals), `cards` (the answer first: each policy against the base),
`differences` (policy minus base by year, and what the money bought), `drivers` (what moved
satisfaction, term by term), `events` (the event
log in the page's language), `winners` (who wins
and who loses, by village and farming source), `archive` (the yearly ecological archive and
the villages' monthly red/black list), `checks` (the appendix of reality checks, pass or
fail), `page` (the page and the language switch),
`export` (each chart as a PNG or SVG file for slides, drawn by kaleido in the system's
Chromium), `i18n` with one message catalogue per language (`messages_zh`,
`messages_en`). Reads tables and the analysis layer; never the model.
"""
