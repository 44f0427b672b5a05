"""`undercurrent demo`: a SQLite database with the bundled sample, a demo admin, ready to serve."""
from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from undercurrent.settings import Settings

if TYPE_CHECKING:  # ingest modules load only when the demo runs
    from undercurrent.ingest.items import Item

DEMO_USER = "demo"


@dataclass(frozen=True)
class DemoSetup:
    settings: Settings
    database_url: str
    username: str
    password: str
    stored: int


def sample_folder() -> Path:
    return Path(str(resources.files("undercurrent.samples")))


def ingest_sample(store, extractor, *, progress: Callable[[Item, str], None] | None = None):
    """The bundled sample into `store` (the seed .txt is Daily NK's; the .json samples carry their metadata)."""
    from undercurrent.collect import ingest_items
    from undercurrent.ingest.files import Metadata
    from undercurrent.ingest.items import iter_items

    items = iter_items([str(sample_folder())], metadata=Metadata(outlet="Daily NK"))
    return ingest_items(items, store, extractor, progress=progress)


def setup_demo(folder: Path, *, progress: Callable[[str], None] | None = None) -> DemoSetup:
    """Create (or reuse) folder/undercurrent-demo.db, ingest the sample, give the demo admin a new password.
    Running it again changes nothing but the password: ingest is idempotent."""
    from undercurrent.auth.users import NoSuchUser, add_user, get_user, update_user
    from undercurrent.extract.pipeline import default_extractor
    from undercurrent.store.db import open_store

    folder.mkdir(parents=True, exist_ok=True)
    database_url = f"sqlite:///{(folder / 'undercurrent-demo.db').resolve()}"
    # A fresh key each run: sessions of an earlier demo end when it stops.
    settings = Settings(database_url=database_url, secret_key=secrets.token_urlsafe(48))
    store = open_store(settings)
    say = progress or (lambda line: None)
    say(f"ingesting the bundled sample from {sample_folder()} (loading the language models takes a few seconds)")
    summary = ingest_sample(store, default_extractor(),
                            progress=lambda item, status: say(f"  {status}: {item.name.rsplit('/', 1)[-1]}"))
    password = secrets.token_urlsafe(12)
    try:
        get_user(store, DEMO_USER)
        update_user(store, DEMO_USER, password=password, active=True, role="admin", by="demo")
    except NoSuchUser:
        add_user(store, DEMO_USER, password, "admin", by="demo")
    store.close()
    return DemoSetup(settings, database_url, DEMO_USER, password, summary.stored)
