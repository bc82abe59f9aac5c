"""The analyst's report: one self-contained HTML page built from tables on disk.

`data` (reading run folders), `figures` (plotly figures), `page` (the page and its sections).
Reads tables and the analysis layer (and a sweep's indices); never the model.
"""
