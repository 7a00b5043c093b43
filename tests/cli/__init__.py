"""Tests of policygraph.cli."""
