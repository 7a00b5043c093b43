"""policygraph's tests; the folders mirror the package's subpackages."""
