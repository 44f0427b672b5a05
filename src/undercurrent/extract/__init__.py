"""Extraction: one module per stage (places, institutions, money, dates, sources, events)."""
