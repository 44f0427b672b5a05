"""Form posts of the pages: sign in and out, review, edit, users, tokens. Every one checks the CSRF token
(through the role dependencies, or here for the login form) and answers with a redirect (post/redirect/get).
Library errors (a bad edit, a bad user) become a 400 error page in one place (server.py)."""
from __future__ import annotations

import secrets
import time
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse

from undercurrent.api.deps import Admin, CsrfFailed, KbDep, Reviewer, StoreDep, Viewer
from undercurrent.auth import sessions, twofactor, users
from undercurrent.store.edits import EDITABLE
from undercurrent.store.records import review
from undercurrent.web.render import render

router = APIRouter(include_in_schema=False)
ACTIONS = {"accept": "accepted", "reject": "rejected"}
SECOND_FACTOR_SECONDS = 300  # time allowed between the password and the code


def safe_next(target: str | None, default: str = "/events") -> str:
    """Only paths on this site: an open redirect after login would help phishing."""
    # Browsers drop tabs and newlines in URLs, so "/\t/evil.example" would become "//evil.example".
    cleaned = "".join(c for c in target or "" if c >= " " and c != "\x7f")
    if cleaned == target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def back(target: str | None, default: str) -> RedirectResponse:
    return RedirectResponse(safe_next(target, default), status_code=303)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "-"


def _check_form_csrf(request: Request, sent: str) -> None:
    """The sign-in forms have no signed-in user yet, so they check the session's CSRF token here."""
    expected = request.session.get("csrf")
    if not expected or not secrets.compare_digest(sent, expected):
        raise CsrfFailed()


def _open(request: Request, store, user: users.User, how: str) -> None:
    """A fresh session (and CSRF token) at sign-in: no session fixation; the old cookie is worth nothing."""
    key = users.open_session(store, user, address=client_address(request), how=how)
    request.session.clear()
    request.session["sid"] = key


@router.post("/login")
async def login(request: Request, store: StoreDep, username: Annotated[str, Form()],
                password: Annotated[str, Form()], csrf_token: Annotated[str, Form()], next: Annotated[str, Form()] = "/events"):
    _check_form_csrf(request, csrf_token)
    address = client_address(request)
    if users.throttle.refused(store, address, username.strip()[:80]):
        # Said plainly: the throttle is per address and name, so this tells nothing about the account.
        return render(request, "login.html", {"next": next, "throttled": users.LOCKOUT_MINUTES}, status=429)
    user = users.authenticate(store, username.strip(), password, address=address)
    if user is None:
        return render(request, "login.html", {"next": next, "failed": True}, status=401)
    if user.two_factor:
        # The password was right; the session becomes a sign-in only with the second factor.
        request.session.clear()
        request.session["pending"] = {"uid": user.id, "at": int(time.time()), "next": safe_next(next)}
        return RedirectResponse("/login/code", status_code=303)
    _open(request, store, user, "password")
    return back(next, "/events")


def _pending_user(request: Request, store) -> users.User | None:
    pending = request.session.get("pending")
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > SECOND_FACTOR_SECONDS:
        return None
    user = users.user_by_id(store, int(pending["uid"]))
    return user if user and user.active and user.two_factor else None


@router.get("/login/code")
def login_code_page(request: Request, store: StoreDep):
    if _pending_user(request, store) is None:
        return RedirectResponse("/login", status_code=303)
    return render(request, "login_code.html", {"failed": False})


@router.post("/login/code")
def login_code(request: Request, store: StoreDep, code: Annotated[str, Form()], csrf_token: Annotated[str, Form()]):
    _check_form_csrf(request, csrf_token)
    user, address = _pending_user(request, store), client_address(request)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    if users.throttle.refused(store, address, user.username):
        return render(request, "login_code.html", {"failed": True}, status=401)
    how = twofactor.verify(store, user.id, code[:64])
    if how is None:
        users.second_factor_failed(store, user, address=address)
        return render(request, "login_code.html", {"failed": True}, status=401)
    target = request.session["pending"].get("next", "/events")
    _open(request, store, user, f"password and {how} code")
    return back(target, "/events")


@router.post("/logout")
def logout(request: Request, store: StoreDep, user: Viewer):
    key = getattr(request.state, "session_key", None)  # None when signed in by API token
    if key:
        sessions.end_session(store, key)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.post("/{table}/{record_id}/review")
def review_form(request: Request, table: str, record_id: str, store: StoreDep, kb: KbDep, user: Reviewer,
                action: Annotated[str, Form()], next: Annotated[str | None, Form()] = None):
    if table not in ("events", "observations", "sources") or action not in ACTIONS:
        raise HTTPException(status_code=404)
    review(store, table, record_id, status=ACTIONS[action], user=user.username, kb=kb)  # unknown: NotFound, a 404
    return back(next, "/review")


@router.post("/{table}/{record_id}/edit")
async def edit_form(request: Request, table: str, record_id: str, store: StoreDep, kb: KbDep, user: Reviewer):
    if table not in EDITABLE:
        raise HTTPException(status_code=404)
    form = await request.form()
    changes: dict[str, Any] = {name: form.get(name) for name in EDITABLE[table]
                               if name in form and name != "institutions"}
    if table == "events":
        changes["institutions"] = form.getlist("institutions")
    after = review(store, table, record_id, status="edited", user=user.username, changes=changes, kb=kb)
    next_url = form.get("next")
    return back(next_url if isinstance(next_url, str) else None,  # a file sent as "next" is no address
                f"/reports/{after['report_id']}#{table[:-1]}-{record_id}")


@router.post("/users")
def add_user_form(request: Request, store: StoreDep, user: Admin, username: Annotated[str, Form()],
                  password: Annotated[str, Form()], role: Annotated[str, Form()]):
    users.add_user(store, username, password, role, by=user.username)
    return back("/users", "/users")


@router.post("/users/{username}")
def change_user_form(request: Request, username: str, store: StoreDep, user: Admin,
                     role: Annotated[str | None, Form()] = None, active: Annotated[str | None, Form()] = None,
                     password: Annotated[str | None, Form()] = None, reset_2fa: Annotated[str | None, Form()] = None):
    try:
        users.update_user(store, username, role=role or None, active=None if active is None else active == "1",
                          password=password or None, by=user.username)
    except users.NoSuchUser as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None  # with its code, as other errors
    if reset_2fa == "1":
        target = users.get_user(store, username)
        twofactor.turn_off(store, target.id, target.username, by=user.username)
        sessions.end_user_sessions(store, target.id)
    return back("/users", "/users")


@router.post("/account/token")
def token_form(request: Request, store: StoreDep, user: Viewer, name: Annotated[str, Form()] = "script",
               expires_days: Annotated[str, Form()] = ""):
    days = int(expires_days) if expires_days.strip().isdigit() else None
    if expires_days.strip() and days is None:
        raise users.BadUser(f"token expiry must be a number of days, not {expires_days[:20]!r}")
    token = users.create_token(store, user.username, name or "script", by=user.username, expires_days=days)
    # Post/redirect/get: the token waits in this session for one showing; a reload of /account mints none.
    request.session["new_token"] = token
    return RedirectResponse("/account", status_code=303)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token_form(request: Request, token_id: int, store: StoreDep, user: Viewer):
    if not users.revoke_token(store, user.username, token_id, by=user.username):
        raise HTTPException(status_code=404, detail=f"no live token {token_id} of yours")
    return back("/account", "/account")


@router.post("/account/sessions/{session_id}/end")
def end_session_form(request: Request, session_id: int, store: StoreDep, user: Viewer):
    if not sessions.end_user_sessions(store, user.id, session_id=session_id):
        raise HTTPException(status_code=404, detail=f"no live session {session_id} of yours")
    return back("/account", "/account")


@router.post("/account/password")
def password_form(request: Request, store: StoreDep, user: Viewer, current: Annotated[str, Form()],
                  new: Annotated[str, Form()], again: Annotated[str, Form()]):
    if new != again:
        raise users.BadUser("the two new passwords differ")
    users.change_password(store, user.username, current, new, address=client_address(request))
    _open(request, store, user, "password change")  # every other session has ended; this browser stays in
    return back("/account", "/account")


@router.post("/account/2fa/start")
def start_2fa_form(request: Request, store: StoreDep, user: Viewer):
    # Answered directly (no redirect), so the secret is shown once and never stored in a cookie.
    secret, uri = twofactor.begin_enrolment(store, user.id, user.username)
    return render(request, "account_2fa.html", {"secret": secret, "uri": uri}, user=user)


@router.post("/account/2fa/confirm")
def confirm_2fa_form(request: Request, store: StoreDep, user: Viewer, code: Annotated[str, Form()]):
    codes = twofactor.confirm_enrolment(store, user.id, user.username, code[:64])
    sessions.end_user_sessions(store, user.id, keep=getattr(request.state, "session_key", None))
    return render(request, "account_2fa.html", {"recovery_codes": codes}, user=user)


@router.post("/account/2fa/off")
def stop_2fa_form(request: Request, store: StoreDep, user: Viewer, password: Annotated[str, Form()]):
    if users.authenticate(store, user.username, password, address=client_address(request)) is None:
        raise users.BadUser("the password is not right: two-factor sign-in stays on")
    twofactor.turn_off(store, user.id, user.username, by=user.username)
    return back("/account", "/account")
