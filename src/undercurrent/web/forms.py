"""Form posts of the pages: sign in and out, review, edit, users, tokens. Every one checks the CSRF token
(through the role dependencies, or here for the login form) and answers with a redirect (post/redirect/get).
Library errors (a bad edit, a bad user) become a 400 error page in one place (api/app.py)."""
from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse

from undercurrent.api.deps import Admin, CsrfFailed, KbDep, Reviewer, StoreDep, Viewer
from undercurrent.auth import users
from undercurrent.store.edits import EDITABLE
from undercurrent.store.records import review
from undercurrent.web.render import render

router = APIRouter(include_in_schema=False)
ACTIONS = {"accept": "accepted", "reject": "rejected"}


def safe_next(target: str | None, default: str = "/events") -> str:
    """Only paths on this site: an open redirect after login would help phishing."""
    # Browsers drop tabs and newlines in URLs, so "/\t/evil.example" would become "//evil.example".
    cleaned = "".join(c for c in target or "" if c >= " " and c != "\x7f")
    if cleaned == target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def back(target: str | None, default: str) -> RedirectResponse:
    return RedirectResponse(safe_next(target, default), status_code=303)


@router.post("/login")
async def login(request: Request, store: StoreDep, username: Annotated[str, Form()],
                password: Annotated[str, Form()], csrf_token: Annotated[str, Form()], next: Annotated[str, Form()] = "/events"):
    expected = request.session.get("csrf")
    if not expected or not secrets.compare_digest(csrf_token, expected):
        raise CsrfFailed()
    user = users.authenticate(store, username.strip(), password)
    if user is None:
        return render(request, "login.html", {"next": next, "failed": True}, status=401)
    request.session.clear()  # a fresh session (and CSRF token) at sign-in: no session fixation
    request.session["uid"] = user.id
    return back(next, "/events")


@router.post("/logout")
def logout(request: Request, user: Viewer):
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.post("/{table}/{record_id}/review")
def review_form(request: Request, table: str, record_id: str, store: StoreDep, kb: KbDep, user: Reviewer,
                action: Annotated[str, Form()], next: Annotated[str | None, Form()] = None):
    if table not in ("events", "observations", "sources") or action not in ACTIONS:
        raise HTTPException(status_code=404)
    try:
        review(store, table, record_id, status=ACTIONS[action], user=user.username, kb=kb)
    except KeyError:
        raise HTTPException(status_code=404, detail=f"no record {record_id}") from None
    return back(next, "/review")


@router.post("/{table}/{record_id}/edit")
async def edit_form(request: Request, table: str, record_id: str, store: StoreDep, kb: KbDep, user: Reviewer):
    if table not in EDITABLE:
        raise HTTPException(status_code=404)
    form = await request.form()
    changes = {name: form.get(name) for name in EDITABLE[table] if name in form and name != "institutions"}
    if table == "events":
        changes["institutions"] = form.getlist("institutions")
    try:
        after = review(store, table, record_id, status="edited", user=user.username, changes=changes, kb=kb)
    except KeyError:
        raise HTTPException(status_code=404, detail=f"no record {record_id}") from None
    return back(form.get("next"), f"/reports/{after['report_id']}#{table[:-1]}-{record_id}")


@router.post("/users")
def add_user_form(request: Request, store: StoreDep, user: Admin, username: Annotated[str, Form()],
                  password: Annotated[str, Form()], role: Annotated[str, Form()]):
    users.add_user(store, username, password, role, by=user.username)
    return back("/users", "/users")


@router.post("/users/{username}")
def change_user_form(request: Request, username: str, store: StoreDep, user: Admin,
                     role: Annotated[str | None, Form()] = None, active: Annotated[str | None, Form()] = None):
    users.update_user(store, username, role=role or None, active=None if active is None else active == "1",
                      by=user.username)
    return back("/users", "/users")


@router.post("/account/token")
def token_form(request: Request, store: StoreDep, user: Viewer, name: Annotated[str, Form()] = "script"):
    token = users.create_token(store, user.username, name or "script", by=user.username)
    return render(request, "account.html", {"account": user.as_dict(), "token": token}, user=user)
