"""Tests of policygraph.bench."""
