"""One settings object, read from UNDERCURRENT_* environment variables and validated at start-up."""
from __future__ import annotations

import os
from dataclasses import dataclass

from undercurrent.errors import BadSettings, MissingSecretKey

DEFAULT_DATABASE_URL = "sqlite:///undercurrent.db"
MIN_SECRET_KEY_LENGTH = 32
_SCHEMES = ("sqlite", "postgresql")


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str | None = None  # signs session cookies; the server refuses to start without one
    cookie_secure: bool = False  # set when the workbench is served over HTTPS (behind a proxy)
    map_tiles: str | None = None  # a tile URL template; the map needs none and fetches none by default
    require_2fa: bool = False  # admins must have two-factor sign-in to use admin routes
    trusted_proxies: str | None = None  # addresses of reverse proxies whose X-Forwarded-For is believed
    answer_cache: str | None = None  # the answers shared by the server's workers: a file, or "off" (store/shared_answers.py)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        settings = cls(
            database_url=env.get("UNDERCURRENT_DATABASE_URL") or DEFAULT_DATABASE_URL,
            secret_key=env.get("UNDERCURRENT_SECRET_KEY") or None,
            cookie_secure=_flag(env.get("UNDERCURRENT_COOKIE_SECURE"), "UNDERCURRENT_COOKIE_SECURE"),
            map_tiles=env.get("UNDERCURRENT_MAP_TILES") or None,
            require_2fa=_flag(env.get("UNDERCURRENT_REQUIRE_2FA"), "UNDERCURRENT_REQUIRE_2FA"),
            trusted_proxies=env.get("UNDERCURRENT_TRUSTED_PROXIES") or None,
            answer_cache=env.get("UNDERCURRENT_ANSWER_CACHE"),
        )
        settings.validate()
        return settings

    def validate(self) -> None:
        scheme = self.database_url.split(":", 1)[0].split("+", 1)[0]
        if scheme not in _SCHEMES:
            raise BadSettings(
                f"UNDERCURRENT_DATABASE_URL must start with sqlite:/// or postgresql+psycopg://, not {scheme}://"
            )
        if self.map_tiles and not self.map_tiles.startswith(("https://", "http://")):
            raise BadSettings("UNDERCURRENT_MAP_TILES must be an http(s) URL template such as "
                              "https://tiles.example.org/{z}/{x}/{y}.png")

    def require_secret_key(self) -> str:
        """Server mode: the key that signs session cookies must be set and long enough."""
        if not self.secret_key:
            raise MissingSecretKey("UNDERCURRENT_SECRET_KEY is not set: the workbench will not start without a "
                                   "secret key (make one with: python -c 'import secrets; print(secrets.token_urlsafe(48))')")
        if len(self.secret_key) < MIN_SECRET_KEY_LENGTH:
            raise MissingSecretKey(f"UNDERCURRENT_SECRET_KEY is too short: at least {MIN_SECRET_KEY_LENGTH} characters")
        return self.secret_key

    @property
    def database_url_for_engine(self) -> str:
        """PostgreSQL URLs use psycopg 3 unless another driver is named."""
        if self.database_url.startswith("postgresql://") or self.database_url.startswith("postgres://"):
            return "postgresql+psycopg://" + self.database_url.split("://", 1)[1]
        return self.database_url


def _flag(value: str | None, name: str) -> bool:
    if value is None or value == "":
        return False
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise BadSettings(f"{name} must be true or false, not {value!r}")
