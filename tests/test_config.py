"""Secrets in the settings and the endpoint configuration are never shown."""

from __future__ import annotations

from pathlib import Path

from policygraph.config import EndpointConfig
from policygraph.endpoint.forward import Connection
from policygraph.settings import Settings
from policygraph.store.remote.http import Endpoint

TOKEN = "admin-token-" + "s3cr3t" * 3
PASSWORD = "endpoint-pass-w0rd"


def test_settings_keep_secrets_out_of_their_repr() -> None:
    settings = Settings(store=Path("/nonexistent"), admin_token=TOKEN, endpoint="http://x/sparql",
                        endpoint_user="u", endpoint_password=PASSWORD)
    shown = repr(settings) + str(settings) + settings.model_dump_json()
    assert TOKEN not in shown and PASSWORD not in shown
    assert settings.admin_token is not None and settings.admin_token.get_secret_value() == TOKEN
    remote = settings.remote
    assert remote is not None and remote.password == PASSWORD  # still usable where needed
    assert PASSWORD not in repr(remote)


def test_connections_keep_secrets_out_of_their_repr() -> None:
    for connection in (EndpointConfig("http://x", password=PASSWORD, token=TOKEN),
                       Endpoint("http://x", "http://x", password=PASSWORD, token=TOKEN),
                       Connection("http://x", 5.0, "u", PASSWORD, TOKEN)):
        assert PASSWORD not in repr(connection) and TOKEN not in repr(connection)
