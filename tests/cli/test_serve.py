"""`policygraph serve`: loads the bundled data into a fresh store, serves, prints its URL."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def test_serve_loads_and_prints_its_url(tmp_path: Path) -> None:
    env = dict(os.environ, POLICYGRAPH_STORE=str(tmp_path / "store"))
    process = subprocess.Popen(
        [sys.executable, "-m", "policygraph", "serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, line
        url = match.group(0)
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "?lang=en", timeout=5) as response:
                    body = response.read().decode("utf-8")
                break
            except OSError:
                assert time.monotonic() < deadline, "server did not answer"
                time.sleep(0.2)
        assert "OPDC anti-corruption and ethics promotion action plan" in body
    finally:
        process.terminate()
        process.wait(timeout=10)
