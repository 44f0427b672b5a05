"""API load: 50 concurrent clients searching 100k events through the workbench's HTTP API.

    python bench/api_load.py [--events N] [--clients C] [--requests R] [--seconds S] [--workers W] [--compare ROUNDS]

Loopback only and bounded: a SQLite database of N generated events (default 100,000; the generator of
bench/store_speed.py), one `uvicorn` server on 127.0.0.1 with W worker processes (default 2, the
machine's cores), an API token; then C clients (default 50) send /api/search requests from a fixed,
seeded mix (text, text + filters, filters, sorted) until R requests (default 3,000) or S seconds
(default 180) have passed. Prints p50, p95, p99, errors and throughput, and for the baseline the same
mix sent by one client in the same run. The single client runs first, so the concurrent clients ask
questions the server has answered once (a team's steady state); `--cold` runs them first, against caches
that have seen none of their questions. `--db FILE` keeps the generated database for the next run.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from store_speed import TYPES, WORDS, _generate  # noqa: E402

HOST = "127.0.0.1"  # never anything but loopback


def query_mix(n: int = 200, seed: int = 13) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        kind = i % 4
        if kind == 0:
            out.append({"q": rng.choice(WORDS)})
        elif kind == 1:
            out.append({"q": rng.choice(WORDS), "type": "COERCE", "province": rng.choice(["KP-09", "KP-10", "KP-03"])})
        elif kind == 2:
            out.append({"type": rng.choice(TYPES)[0], "since": f"{rng.randint(2010, 2024)}-01", "sort": "date"})
        else:
            out.append({"institution": "ministry_of_state_security", "topic": "smuggling", "until": "2018"})
    return out


# Questions outside the mix (another seed's words, other years), so a warm-up fills no cache entry the
# measured runs will ask for.
WARM_UP = [{"q": w, "until": "2009"} for w in ("market", "border", "arrest", "price")] * 10


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


async def run_clients(base: str, token: str, clients: int, max_requests: int, max_seconds: float,
                      mix: list[dict] | None = None) -> dict:
    import httpx2

    mix = mix or query_mix()
    timings: list[float] = []
    errors: list[str] = []
    sent = 0
    deadline = time.monotonic() + max_seconds
    limits = httpx2.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx2.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}"}, limits=limits,
                                  timeout=60) as client:
        async def worker(number: int) -> None:
            nonlocal sent
            i = number
            while sent < max_requests and time.monotonic() < deadline:
                sent += 1
                params = mix[i % len(mix)]
                i += clients
                start = time.perf_counter()
                try:
                    response = await client.get("/api/search", params=params)
                    if response.status_code != 200:
                        errors.append(f"HTTP {response.status_code}")
                    else:
                        response.json()
                except Exception as exc:  # noqa: BLE001 - every failure is counted, none stops the run
                    errors.append(type(exc).__name__)
                timings.append((time.perf_counter() - start) * 1000)

        started = time.perf_counter()
        await asyncio.gather(*(worker(n) for n in range(clients)))
        elapsed = time.perf_counter() - started
    timings.sort()
    return {"clients": clients, "requests": len(timings), "errors": len(errors), "error_kinds": sorted(set(errors)),
            "seconds": round(elapsed, 2), "throughput_rps": round(len(timings) / elapsed, 1),
            "p50_ms": round(statistics.median(timings), 1), "p95_ms": round(percentile(timings, 95), 1),
            "p99_ms": round(percentile(timings, 99), 1)}


def wait_until_up(base: str, process: subprocess.Popen, seconds: float = 60) -> None:
    import httpx2

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")
        try:
            if httpx2.get(f"{base}/api/health", timeout=1).status_code == 200:
                return
        except httpx2.HTTPError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8799)
    parser.add_argument("--loop", default="auto", help="uvicorn --loop: auto (uvloop when installed) or asyncio")
    parser.add_argument("--http", default="auto", help="uvicorn --http: auto (httptools when installed) or h11")
    parser.add_argument("--db", type=Path, default=None,
                        help="keep the generated database in this file and reuse it when it exists (same --events)")
    parser.add_argument("--cold", action="store_true",
                        help="no single-client run before the concurrent clients: they meet an empty cache")
    parser.add_argument("--compare", type=int, default=0, metavar="ROUNDS",
                        help="alternate asyncio+h11 and auto (uvloop+httptools) servers, ROUNDS times each")
    args = parser.parse_args()

    from undercurrent.auth.users import add_user, create_token
    from undercurrent.errors import NoSuchUser
    from undercurrent.store.db import open_store

    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "load.db"
        reuse = path.exists()
        url = f"sqlite:///{path}"
        store = open_store(url=url)
        start = time.perf_counter()
        if not reuse:
            _generate(store, args.events)
        try:  # a kept database has the user already, unless another bench made it
            token = create_token(store, "bench", "api_load", by="bench")
        except NoSuchUser:
            add_user(store, "bench", "bench password", "viewer", by="bench")
            token = create_token(store, "bench", "api_load", by="bench")
        store.close()
        print(f"database: {args.events:,} generated events " + (f"reused from {path}" if reuse else
              f"loaded in {time.perf_counter() - start:.1f} s (SQLite)"))

        env = {**os.environ, "UNDERCURRENT_DATABASE_URL": url, "UNDERCURRENT_SECRET_KEY": os.urandom(32).hex()}
        stacks = [(args.loop, args.http)]
        if args.compare:  # the pure-Python stack against the C one, alternated on the same database
            stacks = [("asyncio", "h11"), ("auto", "auto")] * args.compare
        runs = [(loop, http, *_measure(args, env, token, loop, http)) for loop, http in stacks]
    print(f"server: uvicorn, {args.workers} worker processes, loopback; queries: /api/search mix of 200 (limit 50, with total)")
    for loop, http, baseline, loaded in runs:
        print(f" loop {loop}, http {http}")
        for label, r in (("baseline, 1 client", baseline), (f"{args.clients} concurrent clients", loaded)):
            print(f"  {label:<24} {r['requests']:>5} requests in {r['seconds']:6.1f} s  {r['throughput_rps']:6.1f} req/s  "
                  f"p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms  p99 {r['p99_ms']:7.1f} ms  errors {r['errors']}"
                  + (f" {r['error_kinds']}" if r["errors"] else ""))
        print(f"  ratio: throughput {loaded['throughput_rps'] / baseline['throughput_rps']:.2f}x the single client; "
              f"p50 latency {loaded['p50_ms'] / baseline['p50_ms']:.1f}x")
    out = ROOT / "output"
    out.mkdir(exist_ok=True)
    (out / "api_load.json").write_text(json.dumps({"events": args.events, "workers": args.workers, "runs": [
        {"loop": loop, "http": http, "baseline": baseline, "loaded": loaded} for loop, http, baseline, loaded in runs]}, indent=1))


def _measure(args, env: dict, token: str, loop: str, http: str) -> tuple[dict, dict]:
    """One server (fresh caches): warm-up, one client's baseline, then the concurrent clients."""
    base = f"http://{HOST}:{args.port}"
    # The workers' shared answers would otherwise outlive the server in a file next to a kept database.
    answers = Path(tempfile.mkdtemp(prefix="api-load-")) / "answers.sqlite"
    env = {**env, "UNDERCURRENT_ANSWER_CACHE": str(answers)}
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "undercurrent.server:app_from_env", "--factory",
                               "--host", HOST, "--port", str(args.port), "--workers", str(args.workers),
                               "--loop", loop, "--http", http, "--log-level", "warning"], env=env)
    try:
        wait_until_up(base, server)
        asyncio.run(run_clients(base, token, 4, 40, 30, mix=WARM_UP))  # connections, imports, the page cache
        if args.cold:  # the clients meet caches that have seen none of their questions
            loaded = asyncio.run(run_clients(base, token, args.clients, args.requests, args.seconds))
            baseline = asyncio.run(run_clients(base, token, 1, 200, args.seconds / 3))
        else:
            baseline = asyncio.run(run_clients(base, token, 1, 200, args.seconds / 3))
            loaded = asyncio.run(run_clients(base, token, args.clients, args.requests, args.seconds))
    finally:
        server.terminate()
        server.wait(timeout=30)
    return baseline, loaded


if __name__ == "__main__":
    main()
