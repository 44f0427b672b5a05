"""One settings object, read from UNDERCURRENT_* environment variables and validated at start-up."""
from __future__ import annotations

import os
from dataclasses import dataclass

from undercurrent.errors import UndercurrentError


class BadSettings(UndercurrentError):
    code = "E020"


DEFAULT_DATABASE_URL = "sqlite:///undercurrent.db"
_SCHEMES = ("sqlite", "postgresql")


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    spacy_model: str | None = None

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        settings = cls(
            database_url=env.get("UNDERCURRENT_DATABASE_URL") or DEFAULT_DATABASE_URL,
            spacy_model=env.get("UNDERCURRENT_SPACY_MODEL") or None,
        )
        settings.validate()
        return settings

    def validate(self) -> None:
        scheme = self.database_url.split(":", 1)[0].split("+", 1)[0]
        if scheme not in _SCHEMES:
            raise BadSettings(
                f"UNDERCURRENT_DATABASE_URL must start with sqlite:/// or postgresql+psycopg://, not {scheme}://"
            )

    @property
    def database_url_for_engine(self) -> str:
        """PostgreSQL URLs use psycopg 3 unless another driver is named."""
        if self.database_url.startswith("postgresql://") or self.database_url.startswith("postgres://"):
            return "postgresql+psycopg://" + self.database_url.split("://", 1)[1]
        return self.database_url
