"""Issue 15 items 2 and 4: overlapping ingests, and a stored report whose text changed."""
import pytest
import sqlalchemy as sa

from undercurrent.collect import ingest_items
from undercurrent.errors import ChangedText
from undercurrent.ingest.files import report_from_json_text
from undercurrent.ingest.reader import Item
from undercurrent.store import schema
from undercurrent.store.db import open_store
from undercurrent.store.records import save

TEXTS = [
    "Agents of the Ministry of State Security arrested three smugglers in Hyesan last week, a source said.",
    "Police in Chongjin detained two traders for selling Chinese phones, a source in North Hamgyong said.",
    "Rice cost 5,000 won per kg in the Hoeryong market this month, a source in North Hamgyong said.",
]


def _item(i, text=None):
    raw = (f'{{"url": "https://example.org/{i}", "outlet": "Test Wire", "published": "2021-03-02", '
           f'"text": "{text or TEXTS[i]}"}}').encode()
    return Item(f"r{i}.json", report=report_from_json_text(raw.decode(), name=f"r{i}.json"), original=raw,
                media_type="application/json")


def test_losing_a_race_on_a_report_is_unchanged_not_a_crash(store, extractor):
    """Another process stores report 1 between this ingest's check and its insert. On PostgreSQL it can, and
    this ingest then counts the report unchanged. On SQLite a save holds the write lock from its first read
    (`Store.writing`), so the other process cannot: told not to wait, it is refused, and its save after this
    ingest finds the report stored."""
    other = open_store(url=store.engine.url.render_as_string(hide_password=False), upgrade=False)
    if store.dialect == "sqlite":
        sa.event.listen(other.engine, "connect", lambda dbapi, _record: dbapi.execute("PRAGMA busy_timeout=0"))
    items = [_item(i) for i in range(3)]
    raced = items[1]
    done = []

    def other_save():
        return save(other, extractor.extract(raced.report), original=raced.original, media_type=raced.media_type)

    @sa.event.listens_for(store.engine, "before_cursor_execute")
    def other_process_first(conn, cursor, statement, parameters, context, executemany):
        if not done and statement.startswith("INSERT INTO reports") and raced.report.id in str(parameters):
            done.append(True)
            if store.dialect == "sqlite":
                with pytest.raises(sa.exc.OperationalError, match="locked"):
                    other_save()
            else:
                other_save()

    summary = ingest_items(items, store, extractor)  # before the fix: IntegrityError, items 1-2 lost
    assert done  # the race was tried
    if store.dialect == "sqlite":
        assert (summary.stored, summary.unchanged, summary.failed) == (3, 0, [])
        assert other_save().status == "unchanged"
    else:
        assert (summary.stored, summary.unchanged, summary.failed) == (2, 1, [])
    other.close()
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.reports)).scalar_one() == 3


def test_reextract_of_a_changed_text_is_refused(store, extractor):
    first = _item(0)
    assert ingest_items([first], store, extractor).stored == 1
    changed = _item(0, TEXTS[0].replace("three", "thirty"))  # same outlet and URL: the same report id
    assert changed.report.id == first.report.id
    summary = ingest_items([changed, _item(1)], store, extractor, reextract=True)
    assert summary.stored == 1 and len(summary.failed) == 1
    assert summary.failed[0][1].startswith(ChangedText.code + ": r0.json")
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(schema.reports).where(schema.reports.c.id == first.report.id)).mappings().one()
        quotes = conn.execute(sa.select(schema.events.c.quote, schema.events.c.start, schema.events.c.end)
                              .where(schema.events.c.report_id == first.report.id)).all()
    assert row["text"] == TEXTS[0] and row["original"] == first.original
    assert quotes and all(row["text"][s:e] == q for q, s, e in quotes)  # records match the stored text


def test_a_value_one_database_refuses_fails_that_item_only(store, extractor):
    """PostgreSQL refuses NUL characters in text; SQLite stores them. Either way the run goes on."""
    odd = _item(0, TEXTS[0].replace("three", "three\\u0000"))
    summary = ingest_items([odd, _item(1)], store, extractor)
    assert summary.stored + len(summary.failed) == 2 and summary.stored >= 1
    assert all(message.startswith("E016: r0.json") for _, message in summary.failed)
    if store.dialect == "postgresql":
        assert len(summary.failed) == 1


SAVER = """
import sys
from undercurrent.models import Records, Report
from undercurrent.store.db import open_store
from undercurrent.store.records import save

store = open_store(url=sys.argv[1])
failed = []
for i in range(int(sys.argv[3])):
    text = f"Report {sys.argv[2]}-{i}: police in Hyesan arrested three traders, a source said."
    records = Records(report=Report.from_fields(text=text, published="2020-01-01", url=f"https://x.test/{sys.argv[2]}/{i}"))
    try:
        save(store, records, original=text.encode(), media_type="text/plain")
    except Exception as exc:
        failed.append(repr(exc)[:200])
store.close()
print(len(failed), failed[:1])
"""


def test_two_processes_saving_into_one_sqlite_file_take_distinct_numbers(tmp_path):
    """Each save reads the largest arrival number before it writes; SQLite's driver began the transaction only
    at the first write, so two processes read the same number and one save in twenty failed on the unique
    index. A save now takes the write lock first (`Store.writing`) and waits for the other."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'shared.db'}"
    open_store(url=url).close()
    runs = [subprocess.Popen([sys.executable, "-c", SAVER, url, name, "200"], stdout=subprocess.PIPE, text=True)
            for name in ("a", "b")]
    said = [run.communicate(timeout=300)[0].strip() for run in runs]
    assert [run.returncode for run in runs] == [0, 0] and said == ["0 []", "0 []"], said
    store = open_store(url=url)
    try:
        with store.engine.connect() as conn:
            numbers = conn.execute(sa.select(schema.reports.c.arrival)).scalars().all()
    finally:
        store.close()
    assert sorted(numbers) == list(range(1, 401))
