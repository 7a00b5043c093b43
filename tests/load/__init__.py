"""Tests of policygraph.load."""
