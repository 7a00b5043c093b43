"""Real-browser tests of the web app (Playwright driving Debian's Chromium)."""
