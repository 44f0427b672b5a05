import pytest

from corroboration_support import GOLD


@pytest.fixture()
def gold_store(store, extractor):
    """The invented gold reports ingested one by one: (store, gold, slug -> report id)."""
    from undercurrent.evaluate.corroboration import ingest_gold_reports, read_gold

    reports, gold = read_gold(GOLD)
    ids = ingest_gold_reports(store, reports, extractor)
    return store, gold, ids
