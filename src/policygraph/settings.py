"""Settings of the web app, from arguments or POLICYGRAPH_* environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from policygraph.config import default_store_path

__all__ = ["Settings"]


class Settings(BaseSettings):
    """Everything the app can be told; ``POLICYGRAPH_QUERY_TIMEOUT=5`` sets ``query_timeout``."""

    model_config = SettingsConfigDict(env_prefix="POLICYGRAPH_", extra="ignore")

    store: Path = Field(default_factory=default_store_path,
                        description="Directory of the embedded Oxigraph store.")
    host: str = Field("127.0.0.1", description="Address to listen on.")
    port: int = Field(8000, ge=0, le=65535, description="Port to listen on (0: any free port).")
    lang: str = Field("th", pattern="^(th|en)$", description="Default page language.")
    query_timeout: float = Field(10.0, gt=0, description="Seconds a SPARQL query may run.")
    result_limit: int = Field(10_000, gt=0, description="Most rows or triples a query returns.")
    admin_token: str | None = Field(
        None, min_length=16,
        description="Enables admin mode (SPARQL Update, Graph Store Protocol) for requests "
                    "bearing this token; off when unset.")

    @property
    def admin(self) -> bool:
        """True when admin mode is on."""
        return self.admin_token is not None
