"""A long fuzz of every parser the outside world reaches; prints how many inputs ran and how many failed.

    python bench/fuzz.py [--inputs N] [--seconds S] [--seed K] [--no-api]

Inputs are generated from seeds written for this script (a report in each file format, a feed, filters,
API bodies) by random mutation: byte flips, truncation, splices, and "interesting" values (huge numbers,
NaN, impossible dates, javascript: URLs, formula cells, lone surrogates, FTS operators). They go round the
targets of tests/fuzz_targets.py: report files (.txt .json .jsonl .html), feeds, filters and search on a
SQLite store, and the workbench API (query strings and review/user/token bodies through an in-process
client, on a store seeded with the bundled sample). A failure is anything but a coded error (an HTTP
status other than 200/201/400/403/404/422), or a refused write that changed the store. Stops after N
inputs (default 100,000) or S seconds (default 1,800), whichever comes first.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

INTERESTING = ["", "0", "-1", "1e400", "-1e400", "NaN", "Infinity", "9223372036854775808", str(10 ** 23),
               "2024-13-45", "2024-02-30", "0000-00-00", "9999-12-31", "javascript:alert(1)", "file:///etc/passwd",
               "data:text/html,x", "=cmd|' /C calc'!A0", "+1", "@SUM(A1)", "\t", "\r", "\x00", "\ud800", "\"", "'",
               "*", "NOT", "OR", "NEAR(", "\"unterminated", "KP-09", "kp-09-chongjin", "COERCE", "arrest",
               "보위부", "혜산", "<script>", "]]>", "&amp;", "%", "_", "\\", " " * 50, "word " * 600]
SEED_TEXT = ("Police arrested three smugglers in Hyesan on May 2, a source in Ryanggang Province said. "
             "Rice cost 5,000 won per kilogram at the market.")
SEEDS = {
    ".txt": SEED_TEXT.encode(),
    ".json": json.dumps({"text": SEED_TEXT, "url": "https://example.org/a", "outlet": "Test Wire",
                         "title": "Arrests", "published": "2021-05-04", "language": "en"}).encode(),
    ".jsonl": b"\n".join(json.dumps({"text": SEED_TEXT + str(i), "published": "2021-05"}).encode() for i in range(3)),
    ".html": (f"<html><head><title>Arrests</title><link rel='canonical' href='https://example.org/a'>"
              f"<meta name='date' content='2021-05-04'></head><body><article><p>{SEED_TEXT}</p><p>{SEED_TEXT}</p>"
              "</article></body></html>").encode(),
    "feed": (b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title><item><title>One</title>"
             b"<link>https://example.org/a</link><pubDate>Tue, 04 May 2021 10:00:00 GMT</pubDate></item>"
             b"</channel></rss>"),
}
FILTER_KEYS = ("text", "type", "mode", "status", "province", "place", "institution", "since", "until", "outlet",
               "source_kind", "topic", "context", "language", "review")
EDIT_KEYS = ("type", "mode", "status", "place_id", "institutions", "date_start", "arrested", "dead", "kind", "item",
             "value", "currency", "unit")
API_GETS = ("/api/events", "/api/search", "/api/reports", "/api/observations", "/api/stats", "/events.json",
            "/reports.json", "/map.json", "/timeline.json", "/api/audit", "/review.json")
ALLOWED = {200, 201, 400, 403, 404, 422}


def query_url(path: str, params: dict) -> str:
    from fuzz_targets import query_url as build

    return build(path, params)


def mutate(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        choice = rng.random()
        if choice < 0.3 and out:
            out[rng.randrange(len(out))] = rng.randrange(256)
        elif choice < 0.5:
            at = rng.randrange(len(out) + 1)
            out[at:at] = rng.choice(INTERESTING).encode("utf-8", "surrogatepass")
        elif choice < 0.65 and out:
            del out[rng.randrange(len(out)):]
        elif choice < 0.8 and out:
            a = rng.randrange(len(out))
            out[a:a] = out[a:a + rng.randint(1, 64)] * rng.randint(1, 4)
        else:
            a, b = sorted(rng.randrange(len(out) + 1) for _ in range(2))
            del out[a:b]
    return bytes(out)


def value(rng: random.Random, depth: int = 0):
    kind = rng.random()
    if kind < 0.35:
        return rng.choice(INTERESTING)
    if kind < 0.5:
        return rng.choice([None, True, False, 0, -1, 10 ** 23, 2 ** 63, 1.5, float("nan"), float("inf")])
    if kind < 0.6 and depth < 2:
        return [value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if kind < 0.7 and depth < 2:
        return {rng.choice(EDIT_KEYS + ("x",)): value(rng, depth + 1) for _ in range(rng.randint(0, 3))}
    return "".join(rng.choice("abcKP-0919 \"'*") for _ in range(rng.randint(0, 12)))


def json_report(rng: random.Random) -> bytes:
    fields = json.loads(SEEDS[".json"])
    for key in rng.sample(list(fields), rng.randint(1, 3)):
        fields[key] = value(rng)
    return json.dumps(fields, ensure_ascii=False).encode("utf-8", "surrogatepass")


class Run:
    def __init__(self, rng: random.Random, folder: Path, api: bool) -> None:
        from fuzz_targets import Unexpected, parse_feed, parse_file, search
        from undercurrent.store.db import open_store

        self.rng, self.folder = rng, folder
        self.Unexpected, self.parse_feed, self.parse_file, self.search = Unexpected, parse_feed, parse_file, search
        self.store = open_store(url=f"sqlite:///{folder / 'fuzz.db'}")
        self.client = self.app_store = None
        if api:
            self._api()

    def _api(self) -> None:
        sys.path.insert(0, str(ROOT / "tests"))
        from fastapi.testclient import TestClient

        from undercurrent.extract.pipeline import default_extractor
        from undercurrent.server import create_app
        from undercurrent.settings import Settings
        from workbench_support import SECRET, build_database, copy_database, csrf_from, sign_in

        template = build_database(self.folder, default_extractor())
        app = create_app(Settings(database_url=copy_database(template, self.folder), secret_key=SECRET))
        self.client = TestClient(app, raise_server_exceptions=False)
        assert sign_in(self.client, "ada").status_code == 303
        self.client.headers["X-CSRF-Token"] = csrf_from(self.client.get("/account").text)
        self.app_store = app.state.store
        import sqlalchemy as sa

        from undercurrent.store import schema

        with self.app_store.engine.connect() as conn:
            self.ids = {name: conn.execute(sa.select(t.c.id).order_by(t.c.id)).scalar()
                        for name, t in schema.RECORD_TABLES.items()}

    def targets(self) -> list[str]:
        names = [".txt", ".json", ".jsonl", ".html", "json-fields", "feed", "filter"]
        return names + (["api-get", "api-review", "api-users"] if self.client else [])

    def one(self, target: str) -> None:
        rng = self.rng
        if target in (".txt", ".json", ".jsonl", ".html"):
            self.parse_file(mutate(rng, SEEDS[target]), target, self.folder)
        elif target == "json-fields":
            self.parse_file(json_report(rng), rng.choice([".json", ".jsonl"]), self.folder)
        elif target == "feed":
            self.parse_feed(mutate(rng, SEEDS["feed"]))
        elif target == "filter":
            values = {k: str(value(rng)) for k in rng.sample(FILTER_KEYS, rng.randint(1, 3))}
            self.search(self.store, values)
        elif target == "api-get":
            params = {k: str(value(rng)) for k in rng.sample(FILTER_KEYS + ("q", "limit", "offset", "page", "sort"),
                                                               rng.randint(1, 3))}
            self._check(self.client.get(query_url(rng.choice(API_GETS), params)), None)
        elif target == "api-review":
            table = rng.choice(list(self.ids))
            body = {"status": rng.choice(["accepted", "edited", "rejected", value(rng)]),
                    "changes": {k: value(rng) for k in rng.sample(EDIT_KEYS, rng.randint(0, 3))}}
            raw = json.dumps(body).encode("utf-8", "surrogatepass")
            before = self._snapshot()
            self._check(self.client.post(f"/api/{table}/{self.ids[table]}/review", content=mutate(rng, raw)
                                         if rng.random() < 0.3 else raw, headers={"Content-Type": "application/json"}),
                        before)
        elif target == "api-users":
            method, path = rng.choice([("POST", "/api/users"), ("PATCH", "/api/users/vic"), ("POST", "/api/tokens")])
            body = {k: value(rng) for k in rng.sample(["username", "password", "role", "active", "name"], rng.randint(0, 3))}
            before = self._snapshot()
            self._check(self.client.request(method, path, content=json.dumps(body).encode("utf-8", "surrogatepass"),
                                            headers={"Content-Type": "application/json"}), before)

    def _snapshot(self):
        import sqlalchemy as sa

        from undercurrent.store import schema

        with self.app_store.engine.connect() as conn:
            return [conn.execute(sa.select(t)).all() for t in (schema.events, schema.observations, schema.sources,
                                                               schema.users)]

    def _check(self, response, before) -> None:
        if response.status_code not in ALLOWED:
            raise self.Unexpected(f"HTTP {response.status_code}: {response.text[:200]}")
        if before is not None and response.status_code >= 400 and self._snapshot() != before:
            raise self.Unexpected(f"a refused write (HTTP {response.status_code}) changed the store")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=1800)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--no-api", action="store_true", help="Skip the API targets (no spaCy model load).")
    args = parser.parse_args()
    import warnings

    warnings.simplefilter("ignore")
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="undercurrent-fuzz-") as tmp:
        run = Run(rng, Path(tmp), api=not args.no_api)
        targets = run.targets()
        ran, failed, examples = Counter(), Counter(), {}
        start = time.perf_counter()
        while sum(ran.values()) < args.inputs and time.perf_counter() - start < args.seconds:
            target = targets[sum(ran.values()) % len(targets)]
            ran[target] += 1
            try:
                run.one(target)
            except run.Unexpected as exc:
                failed[target] += 1
                examples.setdefault(target, str(exc)[:300])
        elapsed = time.perf_counter() - start
    print(f"{sum(ran.values())} inputs in {elapsed:.0f} s ({sum(ran.values()) / elapsed:.0f}/s), "
          f"{sum(failed.values())} failed")
    print(f"{'target':<14}{'inputs':>9}{'failed':>8}")
    for target in targets:
        print(f"{target:<14}{ran[target]:>9}{failed[target]:>8}")
    for target, example in examples.items():
        print(f"first failure of {target}: {example}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
