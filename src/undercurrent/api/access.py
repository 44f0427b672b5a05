"""The authorisation table (route x role -> allowed), read from the app itself: each route's role comes from
the role dependency it declares (api/deps.py `_require`), so the table in docs/access.md cannot drift from
the code (tests/api/test_access.py compares them and calls every route as every role)."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from fastapi import FastAPI
from starlette.routing import Mount, Route

from undercurrent.vocabulary import ROLES

COLUMNS = ("anonymous",) + ROLES
# Rules a route applies inside its handler, beyond its role dependency.
NOTES = {
    ("GET", "/api/exports/{fmt}"): "`include_sources=true` needs admin (audited)",
    ("GET", "/{table}/{record_id}/edit"): "the record's audit history is shown to admins only",
    ("POST", "/login/code"): "only after the right password, within 5 minutes",
    ("POST", "/account/2fa/off"): "needs the user's password",
}


@dataclass(frozen=True)
class Access:
    method: str
    path: str
    role: str | None  # None: open to anyone, signed in or not

    def allows(self, who: str) -> bool:
        if self.role is None:
            return True
        return who != "anonymous" and ROLES.index(who) >= ROLES.index(self.role)


def _role_of(dependant) -> str | None:
    """The role of the first `require_<role>` dependency, searched depth first."""
    for sub in dependant.dependencies:
        name = getattr(sub.call, "__name__", "")
        if name.startswith("require_") and name[len("require_"):] in ROLES:
            return name[len("require_"):]
        found = _role_of(sub)
        if found:
            return found
    return None


def _routes(app: FastAPI) -> Iterator[tuple[str, Route]]:
    for route in app.router.routes:
        contexts = getattr(route, "effective_route_contexts", None)  # routers included in the app
        if contexts is not None:
            for context in contexts():
                if isinstance(context.original_route, Route):
                    yield context.path, context.original_route
        elif isinstance(route, Route) and not isinstance(route, Mount):
            yield route.path, route


def access_table(app: FastAPI) -> list[Access]:
    rows = set()
    for path, route in _routes(app):
        dependant = getattr(route, "dependant", None)
        role = _role_of(dependant) if dependant is not None else None
        for method in route.methods or ():
            if method != "HEAD":
                rows.add(Access(method, path, role))
    return sorted(rows, key=lambda a: (a.path, a.method))


def markdown(app: FastAPI) -> str:
    """docs/access.md: made by `python scripts/access_table.py --write`."""
    lines = ["# Who may call what", "",
             "Generated from the code by `python scripts/access_table.py --write` (the role of each route is the",
             "role dependency it declares); `tests/api/test_access.py` checks this file against the app and calls",
             "every route as every role. Roles include the ones before them: viewer < reviewer < admin.",
             "Anonymous callers of a page are sent to `/login`; of the API, they get 401. With",
             "`UNDERCURRENT_REQUIRE_2FA` set, the admin column also needs two-factor sign-in.", "",
             "| Method | Path | " + " | ".join(COLUMNS) + " | Note |",
             "|---|---|" + "---|" * len(COLUMNS) + "---|"]
    for row in access_table(app):
        cells = ["yes" if row.allows(who) else "no" for who in COLUMNS]
        note = NOTES.get((row.method, row.path), "")
        lines.append(f"| {row.method} | `{row.path}` | " + " | ".join(cells) + f" | {note} |")
    return "\n".join(lines) + "\n"
