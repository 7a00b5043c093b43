"""``python -m policygraph`` runs the command line."""

from policygraph.cli import main

main()
