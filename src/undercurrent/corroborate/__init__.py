"""Corroboration: reprints and clusters of event records that tell one real-world event.

Pure functions only (no database): `reprints` finds near-duplicate reports with MinHash LSH,
`compat` judges whether two event records can be the same event, `clusters` groups them and
describes each group (counts, first/last reported, disagreements). The store calls them."""
