"""Tests of policygraph.store."""
