"""Tests of policygraph.endpoint."""
