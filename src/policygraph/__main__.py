"""``python -m policygraph`` runs the command line."""

from policygraph.cli.main import main

main()
