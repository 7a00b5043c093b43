"""Tests of policygraph.planner."""
