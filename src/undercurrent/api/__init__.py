"""The REST API under /api (one router per resource family) and the request plumbing the web pages share:
injected dependencies (deps.py), filters, lookups by id (lookups.py), serialisation. server.py assembles the app."""
