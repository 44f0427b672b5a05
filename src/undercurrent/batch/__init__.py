"""Corpus-scale extraction: partitions processed in-process or on Dask, resumable."""
