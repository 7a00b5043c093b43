"""The web app's shell: home page, language switch, offline assets, settings."""

from __future__ import annotations

import re
from typing import Any

import pytest

from policygraph.settings import Settings


def test_home_lists_the_plans_in_both_languages(client: Any) -> None:
    thai = client.get("/?lang=th")
    assert thai.status_code == 200 and thai.headers["content-language"] == "th"
    assert "แผนปฏิบัติการต่อต้านการทุจริตและประพฤติมิชอบ" in thai.text
    assert "ปีงบประมาณ พ.ศ. 2567" in thai.text  # fiscal year 2024 shown in the Buddhist era
    english = client.get("/?lang=en")
    assert "OPDC anti-corruption and ethics promotion action plan" in english.text
    assert 'href="/id/opdc-acp-2567?lang=en"' in english.text


def test_language_choice_is_remembered(client: Any) -> None:
    client.get("/?lang=en")
    assert client.get("/").headers["content-language"] == "en"
    client.get("/?lang=th")
    assert client.get("/").headers["content-language"] == "th"


def test_pages_reference_only_local_assets(client: Any) -> None:
    page = client.get("/").text
    for url in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert not re.match(r"^(https?:)?//", url), url
    css = client.get("/static/style.css")
    assert css.status_code == 200
    for font in re.findall(r'url\("([^"]+)"\)', css.text):
        assert font.startswith("/static/fonts/")
        assert client.get(font).status_code == 200


def test_settings_validate_their_values() -> None:
    with pytest.raises(ValueError):
        Settings(query_timeout=0)
    with pytest.raises(ValueError):
        Settings(admin_token="short")
    assert not Settings().admin
    assert Settings(admin_token="x" * 16).admin
