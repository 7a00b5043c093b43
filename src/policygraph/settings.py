"""Settings of the web app, from arguments or POLICYGRAPH_* environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from policygraph.config import EndpointConfig, default_store_path

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
    memory: bool = Field(
        False, description="Serve a read-only copy of the embedded store held in memory: "
                           "faster scans, for about the memory the store takes on disk.")
    admin_token: SecretStr | None = Field(
        None, min_length=16,
        description="Enables admin mode (SPARQL Update, Graph Store Protocol) for requests "
                    "bearing this token; off when unset.")

    endpoint: str | None = Field(
        None, description="A SPARQL 1.1 query endpoint to serve instead of the embedded store.")
    update_endpoint: str | None = Field(
        None, description="Its SPARQL Update endpoint, when not the same URL.")
    graph_store_endpoint: str | None = Field(
        None, description="A Graph Store Protocol endpoint to load through.")
    endpoint_user: str | None = Field(None, description="User for the endpoint's HTTP auth.")
    endpoint_password: SecretStr | None = Field(None, description="Its password.")
    endpoint_auth: str = Field("basic", pattern="^(basic|digest)$",
                               description="HTTP authentication scheme: basic or digest.")
    endpoint_timeout: float = Field(60.0, gt=0, description="Seconds to wait for the endpoint.")

    @model_validator(mode="after")
    def _memory_is_embedded_and_read_only(self) -> Self:
        if self.memory and self.endpoint:
            raise ValueError("memory: a copy in memory is of the embedded store, not of an "
                             "endpoint")
        if self.memory and self.admin_token is not None:
            raise ValueError("memory: a copy in memory is read-only; admin mode writes to the "
                             "store")
        return self

    @property
    def remote(self) -> EndpointConfig | None:
        """The SPARQL server to serve, or None for the embedded store."""
        if not self.endpoint:
            return None
        return EndpointConfig(self.endpoint, self.update_endpoint, self.graph_store_endpoint,
                              self.endpoint_user,
                              self.endpoint_password.get_secret_value()
                              if self.endpoint_password is not None else None, None,
                              self.endpoint_auth, self.endpoint_timeout)

    @property
    def admin(self) -> bool:
        """True when admin mode is on."""
        return self.admin_token is not None
