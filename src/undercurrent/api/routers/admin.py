"""Users, API tokens, the audit log and the signed-in user."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, Field

from undercurrent.api.deps import Admin, StoreDep, Viewer
from undercurrent.api.filters import MAX_OFFSET
from undercurrent.auth import sessions, users
from undercurrent.store import queries
from undercurrent.vocabulary import Role

router = APIRouter(tags=["users and audit"])


class UserIn(BaseModel):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=users.MIN_PASSWORD_LENGTH)
    role: Role


class UserChange(BaseModel):
    role: Role | None = None
    active: bool | None = None
    password: str | None = Field(default=None, min_length=users.MIN_PASSWORD_LENGTH)


class TokenIn(BaseModel):
    name: str = Field(default="script", min_length=1, max_length=80)
    expires_days: int | None = Field(default=None, ge=1, le=users.MAX_TOKEN_DAYS)


class PasswordChange(BaseModel):
    current: str = Field(max_length=1000)
    new: str = Field(min_length=users.MIN_PASSWORD_LENGTH, max_length=1000)


@router.get("/me")
def me(user: Viewer) -> dict:
    return user.as_dict()


@router.post("/tokens", status_code=201, summary="A new API token for the signed-in user (shown once)")
def create_token(body: TokenIn, store: StoreDep, user: Viewer) -> dict:
    token = users.create_token(store, user.username, body.name, by=user.username, expires_days=body.expires_days)
    return {"token": token, "name": body.name, "username": user.username}


@router.get("/tokens", summary="The signed-in user's live API tokens (names and dates; never the tokens)")
def list_tokens(store: StoreDep, user: Viewer) -> dict:
    return {"tokens": users.list_tokens(store, user.username)}


@router.delete("/tokens/{token_id}", summary="Revoke one of the signed-in user's API tokens")
def revoke_token(token_id: int, store: StoreDep, user: Viewer) -> dict:
    if not users.revoke_token(store, user.username, token_id, by=user.username):
        raise HTTPException(status_code=404, detail=f"no live token {token_id} of yours")
    return {"revoked": token_id}


@router.get("/me/sessions", summary="The signed-in user's live sessions")
def my_sessions(request: Request, store: StoreDep, user: Viewer) -> dict:
    return {"sessions": sessions.list_sessions(store, user.id, current=getattr(request.state, "session_key", None))}


@router.delete("/me/sessions/{session_id}", summary="End one of the signed-in user's sessions")
def end_my_session(session_id: int, store: StoreDep, user: Viewer) -> dict:
    if not sessions.end_user_sessions(store, user.id, session_id=session_id):
        raise HTTPException(status_code=404, detail=f"no live session {session_id} of yours")
    return {"ended": session_id}


@router.post("/me/password", summary="Change the signed-in user's password (ends every session of the user)")
def change_my_password(request: Request, body: PasswordChange, store: StoreDep, user: Viewer) -> dict:
    address = request.client.host if request.client else None
    return users.change_password(store, user.username, body.current, body.new, address=address).as_dict()


@router.get("/users")
def list_users(store: StoreDep, user: Admin) -> dict:
    return {"users": [u.as_dict() for u in users.list_users(store)]}


@router.post("/users", status_code=201)
def add_user(body: UserIn, store: StoreDep, user: Admin) -> dict:
    return users.add_user(store, body.username, body.password, body.role, by=user.username).as_dict()


@router.patch("/users/{username}")
def change_user(username: str, body: UserChange, store: StoreDep, user: Admin) -> dict:
    try:
        return users.update_user(store, username, role=body.role, active=body.active, password=body.password,
                                 by=user.username).as_dict()
    except users.NoSuchUser as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None  # with its code, as other errors


@router.get("/audit")
def audit_log(store: StoreDep, user: Admin, record_id: str | None = None, actor: str | None = None,
              limit: Annotated[int, Query(ge=1, le=500)] = 100, offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0) -> dict:
    rows, total = queries.audit_entries(store, record_id=record_id, actor=actor, limit=limit, offset=offset)
    return {"total": total, "limit": limit, "offset": offset, "entries": rows}
