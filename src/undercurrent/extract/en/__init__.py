"""The English pipeline: spaCy parses, then rules find names, sources, observations and events."""
