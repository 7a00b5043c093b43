"""Tests of policygraph.query."""
