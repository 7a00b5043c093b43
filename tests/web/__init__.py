"""Tests of policygraph.web."""
