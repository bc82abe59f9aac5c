"""Experiments: many runs of the model, on an executor, written to disk as they finish.

`replicates` (scenarios × replicates, precision rounds), `folders` (scenario folders written
whole or not at all), `executors` (process pool, Dask), `journal` (finished runs on disk,
resume), `draws` (uncertain parameters per replicate), `designs` and `sweep` (design points ×
replicates), `calibrate` (fitting the tuned parameters to the targets with scipy.optimize,
common random numbers) and `calibrate_out` (its tables, files and docs section).
Imports the scenario, the model and the analysis layers.
"""
