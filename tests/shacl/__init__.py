"""Tests of policygraph.shacl."""
