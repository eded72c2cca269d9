"""All of Peyvand's settings in one typed object, read from the environment (prefix `PEYVAND_`).

Every setting is documented in docs/settings.md; a test fails when one is not.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_PATH = "peyvand.sqlite"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PEYVAND_", env_file=None, extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_DATABASE_PATH}",
        description="SQLAlchemy URL of the store: sqlite:///path.sqlite (default) or "
        "postgresql+psycopg://user:pass@host/db.",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Key that signs session cookies. When unset, a random key is generated once and kept "
        "in the database, so sessions survive restarts without a secret in any file.",
    )
    host: str = Field(default="127.0.0.1", description="Address the web server listens on.")
    port: int = Field(default=8000, description="Port the web server listens on.")
    default_locale: str = Field(default="fa", description="Interface language for new users: fa or en.")
    session_max_age: int = Field(default=14 * 24 * 3600, description="Seconds a login session lasts.")
    secure_cookies: bool = Field(
        default=False, description="Send cookies only over HTTPS. Turn on behind TLS in production."
    )
    ingest_batch_size: int = Field(
        default=500,
        description="Records committed per transaction during ingest (a crash loses none of "
        "the committed batches; a re-run resumes after them).",
    )
    worker_enabled: bool = Field(
        default=True, description="Run the in-process job worker inside the web server."
    )
    worker_poll_seconds: float = Field(
        default=1.0, description="How often the in-process worker looks for jobs."
    )
    max_request_bytes: int = Field(
        default=10_000_000, description="Largest HTTP ingest body accepted, in bytes."
    )
    token_pepper: SecretStr | None = Field(
        default=None,
        description="Server-side key mixed into the hash of every API token. When unset, a random one is "
        "generated once and kept in the database, like the session key.",
    )
    data_dir: Path = Field(
        default=Path("var"), description="Folder for files Peyvand writes (learned models, exports)."
    )


def load_settings(**overrides: object) -> Settings:
    """Build the settings from the environment, with explicit overrides (e.g. from CLI options) on top."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**clean)  # type: ignore[arg-type]
