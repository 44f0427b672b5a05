"""Dependencies injected into routes: the store, the knowledge base, the signed-in user, role checks, CSRF."""
from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from undercurrent.auth.users import User, user_for_session, user_for_token
from undercurrent.kb import KnowledgeBase, load_kb
from undercurrent.settings import Settings
from undercurrent.store.db import Store

CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class NotSignedIn(Exception):
    """No valid session or token: 401 for the API, a redirect to /login for pages."""


class Forbidden(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CsrfFailed(Exception):
    """A write through a session cookie without the session's CSRF token."""


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_kb() -> KnowledgeBase:
    return load_kb()


StoreDep = Annotated[Store, Depends(get_store)]
KbDep = Annotated[KnowledgeBase, Depends(get_kb)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use (the login form has one before anyone signs in)."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


# Declares the token scheme in the OpenAPI description (the docs page's "Authorize" button).
bearer = HTTPBearer(auto_error=False, description="An API token: `undercurrent users token NAME` or POST /api/tokens.")


def optional_user(request: Request, store: StoreDep,
                  credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> User | None:
    """The user behind a Bearer API token or the session cookie, if any and still active."""
    if credentials is not None:
        user = user_for_token(store, credentials.credentials.strip())
        request.state.auth = "token"
        return user if user and user.active else None
    key = request.session.get("sid")
    if not isinstance(key, str):
        return None
    # The cookie only names a session; the sessions table says whether it is still alive.
    user = user_for_session(store, key)
    if user is None or not user.active:
        request.session.clear()  # an ended, expired or disabled user's session is forgotten at once
        return None
    request.state.auth = "session"
    request.state.session_key = key
    return user


async def check_csrf(request: Request) -> None:
    """Writes through a session cookie must carry the session's CSRF token (header or form field).
    Token-authenticated calls carry no cookie, so a forged cross-site request cannot use them."""
    if request.method in SAFE_METHODS or getattr(request.state, "auth", None) == "token":
        return
    expected = request.session.get("csrf")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and "form" in request.headers.get("content-type", ""):
        field = (await request.form()).get(CSRF_FIELD)
        sent = field if isinstance(field, str) else None  # an uploaded file is no token
    if not expected or not sent or not secrets.compare_digest(str(sent), expected):
        raise CsrfFailed()


def _require(role: str):
    async def dependency(request: Request, user: Annotated[User | None, Depends(optional_user)]) -> User:
        if user is None:
            raise NotSignedIn()
        if not user.can(role):
            raise Forbidden(f"this needs the {role} role; {user.username} is {user.role}")
        if role == "admin" and not user.two_factor and request.app.state.settings.require_2fa:
            raise Forbidden(f"admin work needs two-factor sign-in (UNDERCURRENT_REQUIRE_2FA): {user.username}, "
                            "turn it on at /account")
        await check_csrf(request)
        return user

    dependency.__name__ = f"require_{role}"
    return dependency


Viewer = Annotated[User, Depends(_require("viewer"))]
Reviewer = Annotated[User, Depends(_require("reviewer"))]
Admin = Annotated[User, Depends(_require("admin"))]
