"""Scoring extracted records against gold annotations exactly as RECORDS.md defines."""
