"""The analyst's report: one self-contained HTML page built from tables on disk, in Chinese
and English.

`data` (reading run folders), `figures` (plotly figures), `river` (the river schematic with
its year slider), `sections` (the figures in page order with their notes), `keyfigures` (the
key figures' intervals), `cards` (the answer first: each policy against the base),
`differences` (policy minus base by year, and what the money bought), `winners` (who wins
and who loses, by village and farming source), `page` (the page and
the language switch), `i18n` with one message catalogue per language (`messages_zh`,
`messages_en`). Reads tables and the analysis layer; never the model.
"""
