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
        description="Key that signs session cookies and from which the key that encrypts stored secrets "
        "(webhook secrets) is derived. When unset, a random key is generated once and kept in the database: "
        "sessions survive restarts, but a copy of the database then holds the key to its own secrets.",
    )
    old_secret_keys: SecretStr | None = Field(
        default=None,
        description="Earlier values of PEYVAND_SECRET_KEY, comma-separated, still accepted to decrypt "
        "stored secrets after a key change (until `peyvand secrets reseal` has re-encrypted them).",
    )
    host: str = Field(default="127.0.0.1", description="Address the web server listens on.")
    port: int = Field(default=8000, description="Port the web server listens on.")
    forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        max_length=2000,
        description="Addresses (comma-separated; networks such as 10.0.0.0/8 too, or * for any) of the "
        "reverse proxies whose X-Forwarded-For and X-Forwarded-Proto `peyvand serve` believes: the "
        "sign-in limits count the client's address that the proxy reports.",
    )
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
    login_max_failures: int = Field(
        default=5,
        ge=1,
        description="Failed sign-ins allowed for one username from one address within "
        "PEYVAND_LOGIN_LOCKOUT_SECONDS; the next attempts are refused until the oldest failure ages out "
        "(ten times as many from one address across all usernames).",
    )
    login_lockout_seconds: int = Field(
        default=900, ge=1, description="The sliding window (and so the longest lockout) of failed sign-ins."
    )
    api_rate_per_minute: int = Field(
        default=600,
        ge=0,
        description="Requests one API token may make a minute (a token bucket per token, per process; "
        "0 turns the limit off).",
    )
    webhook_rate_per_minute: int = Field(
        default=6000,
        ge=0,
        description="Deliveries one inbound webhook endpoint may receive a minute (a token bucket per "
        "endpoint, per process, counted before the signature is checked; 0 turns the limit off). Higher "
        "than the API's: a platform sends one update a request, and a crisis comes in bursts.",
    )
    job_retention_days: int = Field(
        default=14,
        ge=0,
        description="Finished jobs (done or failed) older than this many days are removed from the jobs "
        "table by the worker and `peyvand jobs prune` (0 keeps them forever).",
    )
    outbound_allow_private: bool = Field(
        default=False,
        description="Let outbound webhooks (replies sent to the workspace's own service) reach loopback, "
        "private and link-local addresses. Off by default, so a workspace admin cannot make the server "
        "send requests into its own network; turn on when the receiver runs on the same host or network.",
    )
    data_dir: Path = Field(
        default=Path("var"), description="Folder for files Peyvand writes (learned models, exports)."
    )


def secret_keys(settings: Settings) -> tuple[str | None, tuple[str, ...]]:
    """The configured secret key (None when unset) and its earlier values, newest first."""
    current = settings.secret_key.get_secret_value() if settings.secret_key else None
    earlier = settings.old_secret_keys.get_secret_value().split(",") if settings.old_secret_keys else []
    return current or None, tuple(k.strip() for k in earlier if k.strip())


def load_settings(**overrides: object) -> Settings:
    """Build the settings from the environment, with explicit overrides (e.g. from CLI options) on top."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**clean)  # type: ignore[arg-type]
